"""Readable messages from pydantic validation errors: one line naming each bad field and what is allowed."""

from __future__ import annotations

from pydantic import ValidationError


def format_validation_error(err: ValidationError) -> str:
    """'field.path: problem (got VALUE)' for each error, joined by '; '."""
    parts = []
    for item in err.errors():
        where = ".".join(str(x) for x in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see the documented schema)"
        value = item.get("input")
        shown = "" if item["type"] in ("missing", "extra_forbidden") or isinstance(value, dict) else f" (got {value!r})"
        parts.append(f"{where}: {message}{shown}")
    return "; ".join(parts)
