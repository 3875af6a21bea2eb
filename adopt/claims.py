"""A live PVC as teamspace declares it: size, one access mode, storage class, exactly.

teamspace sets these three fields and nothing else of a claim's spec; the fields the cluster
fills in (volumeName, volumeMode, ...) are in every claim's `ignore_changes`
(components/claims.py). A claim whose replace-trigger fields the config cannot state exactly
is refused here, naming the object and the field, instead of being planned for replacement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from config.fields import Label, Subdomain

from .findings import Findings, text
from .shapes import shape_problem

ACCESS_MODES = ("ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOncePod")
_LABEL = TypeAdapter(Label)
_SUBDOMAIN = TypeAdapter(Subdomain)


@dataclass(frozen=True)
class ClaimSpec:
    size: str
    access_mode: str
    storage_class: str | None


def claim_key(namespace: str, name: str) -> str:
    return f"PersistentVolumeClaim/{namespace}/{name}"


def claim_spec(document: dict[str, Any], findings: Findings) -> ClaimSpec | None:
    """The claim's declarable spec; None (with refusals) when it cannot be stated exactly."""
    meta = document["metadata"]
    where = claim_key(meta.get("namespace", ""), meta["name"])
    problem = shape_problem("persistentvolumeclaim-v1", document)
    if problem:
        findings.refuse(where, f"not a valid PersistentVolumeClaim: {problem}")
        return None
    spec = document.get("spec") or {}
    before = len(findings.refused)
    if meta.get("deletionTimestamp"):
        findings.refuse(where, "is being deleted")
    modes = spec.get("accessModes") or []
    if len(modes) != 1 or modes[0] not in ACCESS_MODES:
        findings.refuse(
            f"{where} spec.accessModes",
            f"{modes}: teamspace declares exactly one access mode, "
            "and a different list would replace the claim",
        )
    storage_class = spec.get("storageClassName")
    if storage_class is not None:
        try:
            _SUBDOMAIN.validate_python(storage_class)
        except ValidationError:
            findings.refuse(
                f"{where} spec.storageClassName",
                f"'{storage_class}' cannot be declared "
                "(an empty class binds statically), and a different value would replace the claim",
            )
    size = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    if size is None:
        findings.refuse(f"{where} spec.resources.requests.storage", "missing")
    if len(findings.refused) > before:
        return None
    return ClaimSpec(size=text(size), access_mode=modes[0], storage_class=storage_class)


def is_team_volume_name(name: str) -> bool:
    """Team volume keys are DNS labels (they also name the claim)."""
    try:
        _LABEL.validate_python(name)
    except ValidationError:
        return False
    return True
