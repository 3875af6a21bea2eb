"""A notebook's own data volumes (claims made outside teamspace, e.g. by the web app) and the
checks that keep every claim and mount path of a namespace unambiguous."""

from __future__ import annotations

from collections.abc import Iterator

from . import presets
from .errors import Problem, key_path, notebook_key_path
from .fields import AccessMode, Quantity, Subdomain
from .kube_rules import MountPath
from .spec_model import SpecModel


class NotebookVolume(SpecModel):
    """A PVC mounted on one notebook only (`notebooks[].dataVolumes.<claim name>`).

    Like every teamspace PVC it is registered with `retainOnDelete` (and `protect` by default):
    removing it from config never deletes the claim.
    """

    mount_path: MountPath
    """Where the claim is mounted in the notebook, an absolute path."""
    size: Quantity
    """Storage request (grow only)."""
    access_mode: AccessMode = "ReadWriteOnce"
    """ReadWriteOnce, ReadWriteMany, ReadOnlyMany or ReadWriteOncePod."""
    storage_class: Subdomain | None = None
    """StorageClass; default: the cluster's default class."""
    read_only: bool = False
    """Mount it read-only."""


_RESERVED = (presets.HOME, "/dev/shm")


def notebook_volume_problems(team_key: str, team) -> Iterator[Problem]:
    """Data volumes and read-only mounts: unique claims per namespace, free mount paths."""
    # Claim name -> where it is declared, as messages print that key path.
    owners = {name: key_path("teams", team_key, "volumes", name) for name in team.volumes}
    for index, notebook in enumerate(team.notebooks):
        owners.setdefault(notebook.home_claim, notebook_key_path(team_key, index, notebook.name, "name"))
    for index, notebook in enumerate(team.notebooks):
        at = ("teams", team_key, "notebooks", index)
        paths = {path: f"mounts.{volume}" for volume, path in notebook.mounts.items()}
        for claim, volume in notebook.data_volumes.items():
            declared = notebook_key_path(team_key, index, notebook.name, "dataVolumes", claim)
            if owners.setdefault(claim, declared) != declared:
                yield Problem(
                    key_path(*at, "dataVolumes", claim),
                    f"claim '{claim}' is already declared at {owners[claim]}; "
                    "a claim mounted by several notebooks belongs in teams.<team>.volumes",
                )
            if volume.mount_path in _RESERVED:
                yield Problem(
                    key_path(*at, "dataVolumes", claim, "mountPath"),
                    f"'{volume.mount_path}' is reserved (home volume or shared memory)",
                )
            elif volume.mount_path in paths:
                yield Problem(
                    key_path(*at, "dataVolumes", claim, "mountPath"),
                    f"mount path '{volume.mount_path}' is already used by {paths[volume.mount_path]}",
                )
            paths.setdefault(volume.mount_path, f"dataVolumes.{claim}")
        for position, volume in enumerate(notebook.read_only_mounts):
            if volume not in notebook.mounts:
                known = ", ".join(sorted(notebook.mounts)) or "none"
                yield Problem(
                    key_path(*at, "readOnlyMounts", position),
                    f"'{volume}' is not one of this notebook's mounts (known: {known})",
                )
