"""A small model of server-side-apply field ownership for one object's top-level fields (a flat map).

Not the API server: this restates the documented rules that the stop/start design relies on,
so that tests can play each path of docs/kubeflow.md with the program's real Notebook inputs.
- Kubernetes "Server-Side Apply" (field management, conflicts, force, removal of fields the
  applier no longer sets, updates taking over the fields they change);
- pulumi-kubernetes (snapshot 2026-07-01): `patchForce` and `fixCSAFieldManagers` in
  provider/pkg/await/await.go; `Diff` comparing new inputs with the last-known object
  pruned to the old inputs (provider/pkg/provider/provider.go).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# fixCSAFieldManagers hands these managers' Update-owned fields to the provider's manager
# (fluxcd/pkg ssa matches by prefix).
TAKEN_OVER_PREFIXES = ("kubectl", "before-first-apply", "pulumi-kubernetes", "pulumi-resource-kubernetes")
PATCH_FORCE = "pulumi.com/patchForce"


class Conflict(Exception):
    """An apply that would change a field another manager owns, without force."""


@dataclass
class LiveObject:
    fields: dict[str, object] = field(default_factory=dict)
    owners: dict[str, set[str]] = field(default_factory=dict)
    """field -> managers owning it."""

    def update(self, manager: str, key: str, value: object | None) -> None:
        """An Update (PUT or merge patch) by `manager`; value None removes the key (merge-patch null)."""
        if value is None:
            self.fields.pop(key, None)
            self.owners.pop(key, None)
        elif self.fields.get(key) != value:
            self.fields[key] = value
            self.owners[key] = {manager}

    def apply(self, manager: str, config: Mapping[str, object], force: bool) -> None:
        """A server-side apply of `config` (the whole set of keys `manager` wants to own)."""
        for key, value in config.items():
            others = self.owners.get(key, set()) - {manager}
            if others and self.fields.get(key) != value and not force:
                raise Conflict(f"conflict with {sorted(others)}: .metadata.fields.{key}")
        for key in [k for k, owners in self.owners.items() if manager in owners and k not in config]:
            self.owners[key].discard(manager)
            if not self.owners[key]:
                del self.owners[key]
                self.fields.pop(key, None)
        for key, value in config.items():
            if self.fields.get(key) != value and force:
                self.owners[key] = set()
            self.fields[key] = value
            self.owners.setdefault(key, set()).add(manager)


@dataclass
class PulumiNotebook:
    """The provider's view of one Notebook: last inputs, last-known object, its field manager."""

    live: LiveObject
    manager: str = "pulumi-kubernetes-7f3a9c"
    inputs: dict[str, str] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)

    def up(self, annotations: Mapping[str, str], refresh: bool = False, other_change: bool = False) -> bool:
        """One `pulumi up` with these Notebook annotations; True when it applied."""
        if refresh:
            self.known = dict(self.live.fields)
        pruned = {k: v for k, v in self.known.items() if k in self.inputs}
        if dict(annotations) == pruned and not other_change:
            return False
        for key, owners in self.live.owners.items():  # fixCSAFieldManagers (Update-operation owners)
            taken = {o for o in owners if o != self.manager and o.startswith(TAKEN_OVER_PREFIXES)}
            if taken:
                self.live.owners[key] = owners - taken | {self.manager}
        self.live.apply(self.manager, annotations, force=annotations.get(PATCH_FORCE) == "true")
        self.inputs, self.known = dict(annotations), dict(self.live.fields)
        return True
