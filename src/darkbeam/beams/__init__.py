"""Beam catalogue: proton beams, targets, horns, decay pipes, absorbers, spill timing and POT per year.

``darkbeam.beams.get(name)`` returns a frozen, validated :class:`BeamSpec`; ``names()`` lists the shipped
facilities (TOML files in ``darkbeam/data/beams``; every number there carries its citation); ``load(path)``
reads a user's own file with the same schema.
"""

from __future__ import annotations

from pathlib import Path

from ..config.catalogue import TomlCatalogue
from .catalogue import (
    AbsorberSpec,
    BeamSpec,
    Cited,
    DecayPipeSpec,
    FieldModelSpec,
    FocusModelSpec,
    HornConductorSpec,
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
    "FieldModelSpec",
    "FocusModelSpec",
    "HornConductorSpec",
    "HornSpec",
    "MaterialSpec",
    "ProtonSpec",
    "SpillSpec",
    "TargetSpec",
    "get",
    "load",
    "names",
]


_CATALOGUE = TomlCatalogue("beam", "beams", BeamSpec, lambda spec: spec)


def names() -> list[str]:
    """Names of the shipped beams (facilities)."""
    return _CATALOGUE.names()


def load(path: str | Path) -> BeamSpec:
    """Read a beam file (same schema as the shipped ones)."""
    return _CATALOGUE.load(path)


def get(name: str) -> BeamSpec:
    """The catalogue entry ``name`` (see :func:`names`), or a path to a user's beam TOML file."""
    return _CATALOGUE.get(name)
