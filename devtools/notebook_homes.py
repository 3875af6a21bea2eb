"""Which home each notebook opens, before and after a change: the plan diff's check that no
notebook's users would find another notebook's files in their home directory."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from config.presets import HOME

from .volume_fate import Tracked

NOTEBOOK = "Notebook"


def metadata_field(resource: Tracked, key: str) -> Any:
    """A field of the object's metadata, or None."""
    return (resource.manifest.get("metadata") or {}).get(key)


def home_claim(notebook: Tracked) -> str | None:
    """The claim a Notebook mounts at the home directory."""
    spec = ((notebook.manifest.get("spec") or {}).get("template") or {}).get("spec") or {}
    claims = {
        v.get("name"): (v.get("persistentVolumeClaim") or {}).get("claimName")
        for v in spec.get("volumes") or []
        if isinstance(v, Mapping)
    }
    for container in spec.get("containers") or []:
        for mount in container.get("volumeMounts") or []:
            if mount.get("mountPath") == HOME:
                return claims.get(mount.get("name"))
    return None


def _without_own_name(notebook: Tracked) -> Any:
    """The manifest with the notebook's own name and home claim blanked out (they follow the name)."""
    name, home = str(metadata_field(notebook, "name")), home_claim(notebook) or "\0"
    own = re.compile(rf"(?<![A-Za-z0-9.-])({re.escape(name)}|{re.escape(home)})(?![A-Za-z0-9.-])")

    def blank(value: Any) -> Any:
        if isinstance(value, str):
            return own.sub("<own>", value)
        if isinstance(value, Mapping):
            return {blank(k): blank(v) for k, v in value.items()}
        if isinstance(value, list):
            return [blank(v) for v in value]
        return value

    return blank(dict(notebook.manifest))


def home_changes(before: Sequence[Tracked], after: Sequence[Tracked]) -> list[str]:
    """Notebooks (present on both sides) that would open a home other than their own, and pairs
    whose entries swapped names, so that each entry now opens the other's home."""
    old = {r.id: r for r in before if r.kind == NOTEBOOK}
    new = {r.id: r for r in after if r.kind == NOTEBOOK}
    both = sorted(set(old) & set(new))
    found, reported = [], set()
    owner = {(metadata_field(r, "namespace"), home_claim(r)): r.id for r in old.values() if home_claim(r)}
    for notebook in both:
        was, home = home_claim(old[notebook]), home_claim(new[notebook])
        if home is None or home == was or notebook in reported:
            continue
        previous = owner.get((metadata_field(new[notebook], "namespace"), home))
        if previous is None:
            found.append(f"{notebook} would mount the claim `{home}` as its home instead of `{was}`.")
        elif previous in new and home_claim(new[previous]) == was:
            reported.add(previous)
            found.append(
                f"{notebook} and {previous} swap homes: {notebook} would open `{home}` and {previous} "
                f"would open `{was}`, so each notebook's users would see the other's files."
            )
        else:
            found.append(
                f"{notebook} would mount `{home}`, the home of {previous}, instead of its own `{was}`."
            )
    shapes = {n: (_without_own_name(old[n]), _without_own_name(new[n])) for n in both}
    for index, first in enumerate(both):
        for second in both[index + 1 :]:
            if (
                metadata_field(old[first], "namespace") != metadata_field(old[second], "namespace")
                or shapes[first][0] == shapes[second][0]
            ):
                continue
            if shapes[first][1] == shapes[second][0] and shapes[second][1] == shapes[first][0]:
                first_name, second_name = (
                    metadata_field(old[first], "name"),
                    metadata_field(old[second], "name"),
                )
                found.append(
                    f"{first} and {second} swap names: `{first_name}` gets the settings (image, type, size) "
                    f"of `{second_name}` and the other way round, while each home claim stays with its name, "
                    "so each notebook would open the other's home."
                )
    return found
