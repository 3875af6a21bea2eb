"""What the tool found about one object: refusals, changes on the first up, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Findings:
    """Refused fields (the object is not adopted), in-place changes the first `up` makes, notes."""

    refused: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refuse(self, path: str, why: str) -> None:
        self.refused.append(f"{path}: {why}")

    def change(self, what: str) -> None:
        self.changes.append(what)

    def note(self, what: str) -> None:
        self.notes.append(what)


def text(value: Any) -> str:
    """A scalar as Kubernetes would read it in a quantity or label (YAML may give numbers)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def unknown_keys(value: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    return sorted(key for key in value if key not in allowed)
