"""Beam catalogue: proton beams, targets, horns, decay pipes, absorbers, spill timing and POT per year.

``darkbeam.beams.get(name)`` returns a frozen, validated :class:`BeamSpec`; ``names()`` lists the shipped
facilities (TOML files in ``darkbeam/data/beams``; every number there carries its citation); ``load(path)``
reads a user's own file with the same schema.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from ..config.errors import format_validation_error
from ..errors import ConfigError, UnknownNameError
from .catalogue import (
    AbsorberSpec,
    BeamSpec,
    Cited,
    DecayPipeSpec,
    FocusModelSpec,
    HornSpec,
    MaterialSpec,
    ProtonSpec,
    SpillSpec,
    TargetSpec,
)

__all__ = [
    "AbsorberSpec",
    "BeamSpec",
    "Cited",
    "DecayPipeSpec",
    "FocusModelSpec",
    "HornSpec",
    "MaterialSpec",
    "ProtonSpec",
    "SpillSpec",
    "TargetSpec",
    "get",
    "load",
    "names",
]


def _data_dir() -> resources.abc.Traversable:
    return resources.files("darkbeam") / "data" / "beams"


def names() -> list[str]:
    """Names of the shipped beams (facilities)."""
    return sorted(p.name.removesuffix(".toml") for p in _data_dir().iterdir() if p.name.endswith(".toml"))


def _parse(text: str, origin: str) -> BeamSpec:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{origin}: not valid TOML: {err}") from None
    try:
        return BeamSpec.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(f"{origin}: {format_validation_error(err)}") from None


def load(path: str | Path) -> BeamSpec:
    """Read a beam file (same schema as the shipped ones)."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise ConfigError(f"beam file {str(path)!r} cannot be read: {err.strerror}") from None
    return _parse(text, str(path))


@cache
def _get_shipped(name: str) -> BeamSpec:
    return _parse((_data_dir() / f"{name}.toml").read_text(), f"beam {name!r}")


def get(name: str) -> BeamSpec:
    """The catalogue entry ``name`` (see :func:`names`), or a path to a user's beam TOML file."""
    if name.endswith(".toml"):
        return load(name)
    if name not in names():
        raise UnknownNameError("beam", name, names())
    return _get_shipped(name)
