"""Quoting a value of the config in an error message, when that value may be hostile."""

from __future__ import annotations


def shown(value: str) -> str:
    """`value` fit to quote in an error: control characters escaped (a newline or an escape
    sequence cannot forge another line of output), at most ~60 characters."""
    escaped = value.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= 60 else f"{escaped[:50]}...({len(value)} characters)"
