"""Run-card configuration (TOML → validated, typed objects)."""

from .card import SCHEMA_VERSION, RunCard, load_card, parse_card, require
from .errors import format_validation_error

__all__ = ["SCHEMA_VERSION", "RunCard", "format_validation_error", "load_card", "parse_card", "require"]
