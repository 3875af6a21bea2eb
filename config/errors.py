"""The one error type for bad stack configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from .quoting import shown

PREFIX = "teamspace:"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the config: the full key path and what is allowed."""

    path: str
    message: str
    shown_as: str = field(default="", compare=False)
    """The path as printed, when it says more than `path` (a notebook's name after its index)."""

    def __str__(self) -> str:
        return f"{PREFIX}{self.shown_as or self.path}: {self.message}"


class ConfigError(pulumi.RunError):
    """Raised before any resource is registered; Pulumi prints it without a traceback."""

    def __init__(self, problems: list[Problem], note: str = ""):
        self.problems = sorted(set(problems))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        tail = f"\n({note})" if note else ""
        super().__init__(f"invalid stack configuration ({len(self.problems)} {noun}):\n{lines}{tail}")


def key_path(*parts: object) -> str:
    """`teams.matilda.notebooks[1].size` from ('teams', 'matilda', 'notebooks', 1, 'size')."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).replace("-", "").replace("_", "").isalnum():
            out += f".{part}" if out else str(part)
        else:
            out += f'["{part}"]'
    return out


def with_notebook_name(notebook_path: str, name: str, rest: str = "") -> str:
    """`teams.matilda.notebooks[1] (reports).size`: a key path into a notebook list, as every
    message prints it, from `teams.matilda.notebooks[1]`, `reports` and `.size`."""
    return f"{notebook_path} ({shown(name)}){rest}"


def notebook_key_path(team_key: str, index: int, name: str, *rest: object) -> str:
    """`teams.matilda.notebooks[1] (reports).size` from ('matilda', 1, 'reports', 'size')."""
    at = key_path("teams", team_key, "notebooks", index)
    return with_notebook_name(at, name, key_path("teams", team_key, "notebooks", index, *rest)[len(at) :])
