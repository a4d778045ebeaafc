"""Catalogues of TOML files shipped as package data (beams, detectors, experiments), and reading TOML into
validated pydantic models with errors that name the field."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError, UnknownNameError
from .errors import format_validation_error

S = TypeVar("S", bound=BaseModel)
T = TypeVar("T")


def read_toml(text: str, origin: str) -> dict[str, Any]:
    """Parse TOML ``text``; :class:`ConfigError` naming ``origin`` if it is malformed."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{origin}: not valid TOML: {err}") from None


def validate(schema: type[S], raw: dict[str, Any], origin: str) -> S:
    """Validate ``raw`` against ``schema``; :class:`ConfigError` naming ``origin`` and every bad field."""
    try:
        return schema.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(f"{origin}: {format_validation_error(err)}") from None


@dataclass(frozen=True)
class TomlCatalogue(Generic[S, T]):
    """The TOML files in ``darkbeam/data/<folder>``, each validated by ``schema`` and wrapped by ``wrap``.

    ``kind`` names an entry in messages ("beam", "detector", …).
    """

    kind: str
    folder: str
    schema: type[S]
    wrap: Callable[[S], T]

    def _dir(self) -> resources.abc.Traversable:
        return resources.files("darkbeam") / "data" / self.folder

    def names(self) -> list[str]:
        """Names of the shipped entries."""
        return sorted(p.name.removesuffix(".toml") for p in self._dir().iterdir() if p.name.endswith(".toml"))

    def parse(self, text: str, origin: str) -> T:
        return self.wrap(validate(self.schema, read_toml(text, origin), origin))

    def load(self, path: str | Path) -> T:
        """Read a user's file (same schema as the shipped ones)."""
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as err:
            raise ConfigError(f"{self.kind} file {str(path)!r} cannot be read: {err.strerror}") from None
        return self.parse(text, str(path))

    def get(self, name: str) -> T:
        """The shipped entry ``name`` (see :meth:`names`), or a path to a user's TOML file."""
        if name.endswith(".toml"):
            return self.load(name)
        if name not in self.names():
            raise UnknownNameError(self.kind, name, self.names())
        entry: T = _shipped(self, name)
        return entry


@cache
def _shipped(catalogue: TomlCatalogue[Any, T], name: str) -> T:
    """Parsed shipped entries, read once per process (entries are immutable)."""
    return catalogue.parse((catalogue._dir() / f"{name}.toml").read_text(), f"{catalogue.kind} {name!r}")
