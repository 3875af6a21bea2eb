"""`teamspace:adopt`: which live objects the next `pulumi up` imports instead of creating.

Each entry is `Kind/namespace/name` (`Profile/name` for the cluster-scoped Profile) and must
name an object this stack declares: an import of anything else would fail in the engine, and a
typo would silently create instead of adopt. Secrets are never adopted: a pull secret made by
hand is referenced by name (`imagePullSecrets`), never re-created from config.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from .errors import Problem, key_path
from .model import TeamspaceConfig

ADOPTABLE_KINDS = ("Notebook", "PersistentVolumeClaim", "PodDefault", "Profile", "ResourceQuota")
QUOTA_NAME = "teamspace-quota"
"""The ResourceQuota a team without a Profile gets."""


def object_key(kind: str, namespace: str | None, name: str) -> str:
    """`Notebook/matilda/lab`, or `Profile/matilda` for a cluster-scoped object."""
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def declared_objects(config: TeamspaceConfig) -> set[str]:
    """The keys of every adoptable object the stack declares."""
    keys = set()
    for team in config.teams.values():
        ns = team.namespace
        if team.profile:
            keys.add(object_key("Profile", None, ns))
        elif team.quota:
            keys.add(object_key("ResourceQuota", ns, QUOTA_NAME))
        keys.update(object_key("PodDefault", ns, name) for name in team.configurations)
        keys.update(object_key("PersistentVolumeClaim", ns, name) for name in team.volumes)
        for notebook in team.notebooks:
            keys.add(object_key("Notebook", ns, notebook.name))
            keys.add(object_key("PersistentVolumeClaim", ns, notebook.home_claim))
            keys.update(object_key("PersistentVolumeClaim", ns, claim) for claim in notebook.data_volumes)
    return keys


def import_id(adopted: frozenset[str], kind: str, namespace: str | None, name: str) -> str | None:
    """The engine's import id (`namespace/name`, or `name`) when the object is to be adopted."""
    if object_key(kind, namespace, name) not in adopted:
        return None
    return f"{namespace}/{name}" if namespace else name


def adoption_problems(config: TeamspaceConfig) -> Iterator[Problem]:
    declared = declared_objects(config)
    seen: set[str] = set()
    for index, entry in enumerate(config.adopt):
        where = key_path("adopt", index)
        kind = entry.split("/", 1)[0]
        if kind not in ADOPTABLE_KINDS:
            yield Problem(where, f"'{entry}': unknown kind '{kind}'; allowed: {', '.join(ADOPTABLE_KINDS)}")
        elif entry in seen:
            yield Problem(where, f"'{entry}' is listed twice")
        elif entry not in declared:
            guess = difflib.get_close_matches(entry, sorted(declared), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            yield Problem(where, f"'{entry}' is not an object this stack declares{hint}")
        seen.add(entry)
