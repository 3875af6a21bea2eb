"""Did-you-mean hints for names and values a user typed (keys, preset names, quantities)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# Unit spellings people bring from elsewhere: `8GB`, `10gi`, `512mb`, `1.5GiB`.
_LOOSE_BINARY = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[kmgtpe])(?:i?b?|ib)$", re.I)


def closest(value: object, known: Iterable[str]) -> str | None:
    """The known name most like `value`, if one is close enough to be a likely typo."""
    if not isinstance(value, str):
        return None
    matches = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(value: object, known: Iterable[str]) -> str:
    """`did you mean 'x'? ` or nothing; goes before the list of known names."""
    guess = closest(value, known)
    return f"did you mean '{guess}'? " if guess else ""


def quantity_suggestion(text: str) -> str | None:
    """The binary quantity a malformed size most likely means: `8GB` -> `8Gi`, `10gi` -> `10Gi`."""
    match = _LOOSE_BINARY.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    return f"{match['num']}{match['unit'].upper()}i"
