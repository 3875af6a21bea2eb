"""A namespace's Profile or ResourceQuota as the team's `profile` and `quota`.

Only what teamspace renders is taken over: a Profile with plugins or quota entries teamspace
does not write, or a quota under another name, is left as it is and reported.
"""

from __future__ import annotations

from typing import Any

from config.adoption import QUOTA_NAME, object_key

from .findings import Findings, text, unknown_keys
from .shapes import mapping, shape_problem

# The ResourceQuota Kubeflow's profile controller makes from a Profile's resourceQuotaSpec.
PROFILE_QUOTA = "kf-resource-quota"
OWNER_KINDS = ("User", "Group", "ServiceAccount")


def quota_of(hard: dict[str, Any], where: str, findings: Findings) -> dict[str, Any] | None:
    """teamspace's `quota` for `hard` entries, or None when one cannot be expressed."""
    quota: dict[str, Any] = {}
    gpus: dict[str, int] = {}
    for key, value in sorted(hard.items()):
        if key in ("requests.cpu", "requests.memory", "requests.storage"):
            quota[key.split(".", 1)[1]] = text(value)
        elif key.startswith("requests.") and "/" in key and text(value).isdigit():
            gpus[key.split(".", 1)[1]] = int(text(value))
        else:
            findings.note(f"{where}: hard.{key} is not a quota teamspace writes; left as it is, not managed")
            return None
    if gpus:
        quota["gpu"] = gpus
    return quota or None


def profile_and_quota(
    namespace: str, inventory, findings: Findings
) -> tuple[dict | None, dict | None, list[str]]:
    """(profile, quota, adopted object keys) of the team in `namespace`."""
    document = inventory.profiles.get(namespace)
    if document is not None:
        return _profile(namespace, document, findings)
    quota, adopted = None, []
    for rq in inventory.quotas:
        meta = rq.get("metadata") or {}
        if meta.get("namespace") != namespace:
            continue
        where = object_key("ResourceQuota", namespace, meta.get("name"))
        spec = mapping(rq.get("spec"))
        if (
            meta.get("name") != QUOTA_NAME
            or unknown_keys(spec, ("hard",))
            or shape_problem("resourcequota-v1", rq)
        ):
            findings.note(
                f"{where}: left as it is, not managed (teamspace's quota is named {QUOTA_NAME}, "
                "with `hard` only)"
            )
            continue
        quota = quota_of(spec.get("hard") or {}, where, findings)
        if quota:
            adopted.append(where)
    return None, quota, adopted


def _profile(namespace: str, document: dict[str, Any], findings: Findings):
    where = object_key("Profile", None, namespace)
    spec = mapping(document.get("spec"))
    owner = mapping(spec.get("owner"))
    extra = unknown_keys(spec, ("owner", "resourceQuotaSpec"))
    quota_spec = mapping(spec.get("resourceQuotaSpec"))
    if (
        extra
        or owner.get("kind") not in OWNER_KINDS
        or not isinstance(owner.get("name"), str)
        or unknown_keys(quota_spec, ("hard",))
        or not isinstance(quota_spec.get("hard") or {}, dict)
    ):
        findings.note(
            f"{where}: {', '.join(extra) or 'its owner or quota'} cannot be declared; "
            "the Profile is left as it is, not managed"
        )
        return None, None, []
    quota = None
    if quota_spec.get("hard"):
        quota = quota_of(quota_spec["hard"], where, findings)
        if quota is None:
            return None, None, []
    profile = {"owner": owner["name"]}
    if owner["kind"] != "User":
        profile["ownerKind"] = owner["kind"]
    if owner.get("apiGroup") != "rbac.authorization.k8s.io":
        findings.change(f"{where}: owner apiGroup -> rbac.authorization.k8s.io")
    return profile, quota, [where]
