"""What `pulumi up` would do to each PersistentVolumeClaim: the one model of the engine's diff.

`make plan-diff` applies it to the files `make plan` writes (devtools.rendered_record), and
tests/test_data_safety.py to runs of the program (`devtools.render.tracked_resources`).
The engine and provider behaviour it encodes:

- A new resource takes over the old one with its URN, else the first old one an alias
  names; two new resources taking over one old one is an error (pulumi/pulumi
  `pkg/resource/deploy/step_generator.go`, "look up first by URN and then by any provided
  aliases"). A name alias keeps type and parent; a parent's alias gives each child an alias
  under it, the parent's name prefix swapped in the child's name (the SDK's
  `inherited_child_alias`, sdk/python/lib/pulumi/resource.py).
- pulumi-kubernetes replaces (deletes, then creates) a claim when a field of
  REPLACE_FIELDS changes (`provider/pkg/provider/diff.go`); the storage request changes in
  place, growing only.
- A claim that leaves the program: `protect` in the state stops `pulumi up`; else
  `retainOnDelete` drops it from the state and leaves it in the cluster; else it is deleted.
  A replacement is stopped only when both the state and the program protect the claim.
- Deleting a Kubeflow Profile deletes its namespace and every claim in it, whatever the
  claims' options, unless the Profile is protected or retained.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from config.quantities import parse_quantity

PVC = "PersistentVolumeClaim"
PROFILE = "Profile"
REPLACE_FIELDS = (
    ("metadata", "name"),
    ("metadata", "namespace"),
    ("spec", "accessModes"),
    ("spec", "storageClassName"),
    ("spec", "selector"),
    ("spec", "volumeName"),
)
# "Safe" fates keep the data where users find it, or stop the update before anything happens.
SAFE = frozenset(
    {"kept", "updated", "delete-blocked", "delete-retained", "replace-blocked", "cascade-blocked"}
)
UNSAFE = frozenset({"delete-data-loss", "replace-data-loss", "shrink-rejected", "cascade-data-loss"})
# What a URN's type part holds: the SDK's mock monitor keeps only the parent's type, the
# engine every ancestor's. Files that do not say were written by the mock's renderer.
PARENT_TYPE, ANCESTOR_TYPES = "parent", "ancestors"


@dataclass(frozen=True)
class Tracked:
    """One resource as the engine's diff sees it."""

    id: str
    """`Kind/namespace/name` for Kubernetes objects, `<type>/<pulumi name>` otherwise."""
    urn: str
    """Empty when the render did not record it (objects holding no data)."""
    kind: str
    manifest: Mapping[str, Any] = field(default_factory=dict)
    protect: bool = False
    retain_on_delete: bool = False
    aliases: tuple[str, ...] = ()
    """Every alias URN the engine would try: own ones and those inherited from parents."""
    urn_types: str = PARENT_TYPE


@dataclass(frozen=True)
class Fate:
    """What happens to one claim of the old state."""

    kind: str
    urn: str
    detail: str = ""
    old: Tracked | None = field(default=None, compare=False, repr=False)
    new: Tracked | None = field(default=None, compare=False, repr=False)
    """The resource that takes the claim over, if any."""

    @property
    def protection_dropped(self) -> bool:
        """Protected in the state, not in the program: the next removal or replacement goes through."""
        return bool(self.old and self.new and self.old.protect and not self.new.protect)


@dataclass(frozen=True)
class Matching:
    takeover: dict[str, Tracked | None]
    """Old URN -> the new resource that takes it over, or None (deleted)."""
    conflicts: tuple[str, ...] = ()
    """What the engine would refuse (two resources taking over one)."""
    coarse: bool = False
    """The sides' URNs hold different type chains: compared by parent type and name only."""


class Registered(Protocol):
    urn: str
    type: str
    parent: str
    aliases: list[str]


def urn_parts(urn: str) -> tuple[str, str, str]:
    """(`urn:pulumi:<stack>::<project>`, type chain, name)."""
    stack, project, chain, name = urn.split("::", 3)
    return f"{stack}::{project}", chain, name


def urn_types(registrations: Iterable[Registered]) -> str:
    """Whether these URNs carry the parent's type only or every ancestor's."""
    by_urn = {r.urn: r for r in registrations}
    for registration in by_urn.values():
        parent = by_urn.get(registration.parent)
        if parent is None:
            continue
        chain, parent_chain = urn_parts(registration.urn)[1], urn_parts(parent.urn)[1]
        if "$" in parent_chain and chain == f"{parent_chain}${registration.type}":
            return ANCESTOR_TYPES
        if "$" in parent_chain and chain == f"{parent_chain.split('$')[-1]}${registration.type}":
            return PARENT_TYPE
    return PARENT_TYPE


def alias_urns(registration: Registered, by_urn: Mapping[str, Registered]) -> tuple[str, ...]:
    """Every alias URN the engine would try for `registration`, own and inherited."""
    prefix, chain, name = urn_parts(registration.urn)
    found, names = [], [name]
    for alias in registration.aliases:  # name aliases (the SDK's mock) or full URNs
        urn = alias if alias.startswith("urn:pulumi:") else f"{prefix}::{chain}::{alias}"
        found.append(urn)
        names.append(urn_parts(urn)[2])
    parent = by_urn.get(registration.parent)
    if parent is not None:
        parent_chain, parent_name = urn_parts(parent.urn)[1:]
        full_chain = chain == f"{parent_chain}${registration.type}"
        for parent_alias in alias_urns(parent, by_urn):
            _, alias_chain, alias_name = urn_parts(parent_alias)
            child_chain = f"{alias_chain if full_chain else alias_chain.split('$')[-1]}${registration.type}"
            for child_name in names:
                renamed = (
                    alias_name + child_name[len(parent_name) :]
                    if child_name.startswith(parent_name)
                    else child_name
                )
                found.append(f"{prefix}::{child_chain}::{renamed}")
    return tuple(u for u in dict.fromkeys(found) if u != registration.urn)


def _coarse(urn: str) -> str:
    """The URN as the mock monitor writes it: the parent's type and the resource's own."""
    prefix, chain, name = urn_parts(urn)
    types = [t for t in chain.split("$") if t != "pulumi:pulumi:Stack"]
    return f"{prefix}::{'$'.join(types[-2:])}::{name}"


def match(before: Sequence[Tracked], after: Sequence[Tracked]) -> Matching:
    """Which new resource takes over each old one. Objects without a URN match by id."""
    schemes = {r.urn_types for r in (*before, *after) if r.urn}
    coarse = len(schemes) > 1
    key = _coarse if coarse else (lambda urn: urn)
    old_urns = {key(r.urn): r.urn for r in before if r.urn}
    old_ids = {r.id: r.id for r in before if not r.urn}
    takeover: dict[str, Tracked | None] = {r.urn or r.id: None for r in before}
    conflicts = []
    for resource in after:
        candidates = [old_urns.get(key(u)) for u in (resource.urn, *resource.aliases) if u]
        candidates.append(old_ids.get(resource.id))  # the old side recorded no URN for it
        taken = next((c for c in candidates if c is not None), None)
        if taken is None:
            continue
        previous = takeover[taken]
        if previous is not None:
            conflicts.append(f"{resource.id} and {previous.id} both take over {taken}")
            continue
        takeover[taken] = resource
    return Matching(takeover, tuple(conflicts), coarse)


def _field(manifest: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = manifest
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _storage(manifest: Mapping[str, Any]) -> Decimal | None:
    size = _field(manifest, ("spec", "resources", "requests", "storage"))
    try:
        return parse_quantity(str(size)) if size is not None else None
    except ValueError:
        return None


def claim_fates(
    before: Sequence[Tracked], after: Sequence[Tracked], matching: Matching | None = None
) -> list[Fate]:
    """The fate of every claim of `before` when `after` is applied, as the engine decides it."""
    takeover = (matching or match(before, after)).takeover
    dropped = {
        _field(r.manifest, ("metadata", "name")): r
        for r in before
        if r.kind == PROFILE and takeover[r.urn or r.id] is None
    }
    fates = []
    for old in (r for r in before if r.kind == PVC):
        new = takeover[old.urn or old.id]
        kind, detail = _fate(old, new, dropped.get(_field(old.manifest, ("metadata", "namespace"))))
        fates.append(Fate(kind, old.urn or old.id, detail, old, new))
    return fates


def _fate(old: Tracked, new: Tracked | None, dropped_profile: Tracked | None) -> tuple[str, str]:
    if dropped_profile is not None and (dropped_profile.protect or not dropped_profile.retain_on_delete):
        detail = (
            f"deleting {dropped_profile.id} deletes namespace "
            f"{_field(old.manifest, ('metadata', 'namespace'))}"
        )
        return ("cascade-blocked" if dropped_profile.protect else "cascade-data-loss"), detail
    if new is None:
        return (
            "delete-blocked"
            if old.protect
            else "delete-retained"
            if old.retain_on_delete
            else "delete-data-loss"
        ), ""
    changed = [
        ".".join(path) for path in REPLACE_FIELDS if _field(old.manifest, path) != _field(new.manifest, path)
    ]
    if changed:
        return ("replace-blocked" if old.protect and new.protect else "replace-data-loss"), ", ".join(changed)
    old_size, new_size = _storage(old.manifest), _storage(new.manifest)
    if old_size is not None and new_size is not None and new_size < old_size:
        return "shrink-rejected", f"{old_size} -> {new_size}"
    return ("updated" if dict(old.manifest) != dict(new.manifest) else "kept"), ""


def unsafe(fates: Iterable[Fate]) -> list[Fate]:
    return [fate for fate in fates if fate.kind in UNSAFE]
