"""Exceptions raised by DarkBeam.

Every error a user can cause (bad card, unknown model, mass above threshold, negative coupling, unwritable
path) is a :class:`DarkBeamError` whose message names the field, the value given and what is allowed. The CLI
prints the message on one line and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class DarkBeamError(Exception):
    """Base class for every error caused by user input."""


class ConfigError(DarkBeamError, ValueError):
    """A run card or argument is malformed or out of range."""


class UnknownNameError(DarkBeamError, KeyError):
    """A name (model, experiment, beam, channel, writer) is not in its registry."""

    def __init__(self, kind: str, name: str, allowed: Iterable[str]) -> None:
        self.kind, self.name, self.allowed = kind, name, sorted(allowed)
        super().__init__(f"unknown {kind} {name!r}; allowed: {', '.join(self.allowed)}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class KinematicsError(DarkBeamError, ValueError):
    """A process is kinematically forbidden (e.g. mass above a decay threshold)."""


class OutputError(DarkBeamError, OSError):
    """An output file cannot be written."""


def check_positive(field: str, value: float, *, allow_zero: bool = False) -> float:
    """Return ``value`` as float, or raise :class:`ConfigError` naming ``field`` if it is not > 0 (or >= 0)."""
    v = float(value)
    ok = v >= 0 if allow_zero else v > 0
    if not ok or v != v or v in (float("inf"), float("-inf")):
        bound = ">= 0" if allow_zero else "> 0"
        raise ConfigError(f"{field} = {value!r} is not allowed; it must be finite and {bound}")
    return v


def check_choice(field: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``; otherwise raise :class:`ConfigError` listing them."""
    options = list(allowed)
    if value not in options:
        raise ConfigError(f"{field} = {value!r} is not allowed; allowed: {', '.join(map(str, options))}")
    return value
