"""A namespace's quota (adopt/namespace_objects.py): which `hard` entries become the team's
`quota`, which ResourceQuota or Profile is taken over, and what is said about the rest."""

from __future__ import annotations

import pytest

from adopt.findings import Findings
from adopt.namespace_objects import profile_and_quota, quota_of
from adopt.reader import Inventory

RBAC = "rbac.authorization.k8s.io"
LEFT = "left as it is, not managed (teamspace's quota is named teamspace-quota, with `hard` only)"


@pytest.mark.parametrize(
    "hard, quota, note",
    [
        (
            {
                "requests.storage": "1Ti",
                "requests.nvidia.com/gpu": "4",
                "requests.cpu": 2.0,
                "requests.memory": "8Gi",
            },
            {"cpu": "2", "memory": "8Gi", "storage": "1Ti", "gpu": {"nvidia.com/gpu": 4}},
            None,
        ),
        ({"requests.amd.com/gpu": 1}, {"gpu": {"amd.com/gpu": 1}}, None),
        ({}, None, None),
        ({"requests.cpu": "1", "requests.nvidia.com/gpu": "two"}, None, "requests.nvidia.com/gpu"),
        ({"requests.pods": "1"}, None, "requests.pods"),
        ({"limits.cpu": "1", "requests.cpu": "1"}, None, "limits.cpu"),
        ({"cpu/x": "1"}, None, "cpu/x"),
    ],
)
def test_hard_entries_become_a_quota_only_when_teamspace_writes_every_one(hard, quota, note):
    findings = Findings()
    assert quota_of(hard, "W", findings) == quota
    assert findings.notes == (
        [f"W: hard.{note} is not a quota teamspace writes; left as it is, not managed"] if note else []
    )


def _quota(name="teamspace-quota", namespace="ml", **spec):
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


@pytest.mark.parametrize(
    "quotas, expected, notes",
    [
        ([_quota(hard={"requests.cpu": "4"})], ({"cpu": "4"}, ["ResourceQuota/ml/teamspace-quota"]), []),
        ([_quota(namespace="other", hard={"requests.cpu": "4"})], (None, []), []),
        (
            [_quota(namespace="other", hard={"requests.cpu": "1"}), _quota(hard={"requests.cpu": "4"})],
            ({"cpu": "4"}, ["ResourceQuota/ml/teamspace-quota"]),
            [],
        ),
        (
            [_quota(name="compute", hard={"requests.cpu": "1"}), _quota(hard={"requests.cpu": "4"})],
            ({"cpu": "4"}, ["ResourceQuota/ml/teamspace-quota"]),
            [f"ResourceQuota/ml/compute: {LEFT}"],
        ),
        ([_quota(hard={})], (None, []), []),
        (
            [_quota(name="compute", hard={"requests.cpu": "4"})],
            (None, []),
            [f"ResourceQuota/ml/compute: {LEFT}"],
        ),
        (
            [_quota(hard={"requests.cpu": "4"}, scopes=["BestEffort"])],
            (None, []),
            [f"ResourceQuota/ml/teamspace-quota: {LEFT}"],
        ),
        ([_quota(hard="4")], (None, []), [f"ResourceQuota/ml/teamspace-quota: {LEFT}"]),
        (
            [_quota(hard={"limits.cpu": "4"})],
            (None, []),
            [
                "ResourceQuota/ml/teamspace-quota: hard.limits.cpu is not a quota teamspace writes; "
                "left as it is, not managed"
            ],
        ),
    ],
)
def test_a_namespace_without_a_profile_has_its_teamspace_quota_adopted(quotas, expected, notes):
    findings = Findings()
    profile, quota, adopted = profile_and_quota("ml", Inventory(quotas=quotas), findings)
    assert (profile, quota, adopted) == (None, *expected)
    assert findings.notes == notes


@pytest.mark.parametrize(
    "spec, expected, change",
    [
        (
            {"owner": {"kind": "Group", "name": "ml-team", "apiGroup": RBAC}},
            ({"owner": "ml-team", "ownerKind": "Group"}, None, ["Profile/ml"]),
            False,
        ),
        (
            {
                "owner": {"kind": "ServiceAccount", "name": "bot"},
                "resourceQuotaSpec": {"hard": {"requests.cpu": 8}},
            },
            ({"owner": "bot", "ownerKind": "ServiceAccount"}, {"cpu": "8"}, ["Profile/ml"]),
            True,
        ),
        (
            {"owner": {"kind": "User", "name": "a@example.com", "apiGroup": RBAC}, "resourceQuotaSpec": {}},
            ({"owner": "a@example.com"}, None, ["Profile/ml"]),
            False,
        ),
    ],
)
def test_a_profile_teamspace_renders_is_adopted_with_its_quota(spec, expected, change):
    findings = Findings()
    document = {"kind": "Profile", "metadata": {"name": "ml"}, "spec": spec}
    quotas = [_quota(hard={"requests.cpu": "1"})]  # a Profile's own quota wins over a ResourceQuota
    assert profile_and_quota("ml", Inventory(profiles={"ml": document}, quotas=quotas), findings) == expected
    assert findings.changes == (["Profile/ml: owner apiGroup -> rbac.authorization.k8s.io"] if change else [])
    assert findings.notes == []


@pytest.mark.parametrize(
    "spec, what",
    [
        ({"owner": {"kind": "User", "name": "a"}, "plugins": [], "zeta": 1}, "plugins, zeta"),
        ({"owner": {"kind": "Robot", "name": "a"}}, "its owner or quota"),
        ({"owner": {"kind": "User", "name": 7}}, "its owner or quota"),
        ({"owner": "a"}, "its owner or quota"),
        ({"owner": {"kind": "User", "name": "a"}, "resourceQuotaSpec": {"scopes": []}}, "its owner or quota"),
    ],
)
def test_a_profile_teamspace_cannot_declare_is_left_alone_and_said_why(spec, what):
    findings = Findings()
    document = {"kind": "Profile", "metadata": {"name": "ml"}, "spec": spec}
    assert profile_and_quota("ml", Inventory(profiles={"ml": document}), findings) == (None, None, [])
    assert findings.notes == [
        f"Profile/ml: {what} cannot be declared; the Profile is left as it is, not managed"
    ]
    assert findings.changes == []


def test_a_profile_quota_teamspace_does_not_write_leaves_the_profile_alone():
    findings = Findings()
    spec = {"owner": {"kind": "User", "name": "a"}, "resourceQuotaSpec": {"hard": {"requests.pods": "9"}}}
    document = {"kind": "Profile", "metadata": {"name": "ml"}, "spec": spec}
    assert profile_and_quota("ml", Inventory(profiles={"ml": document}), findings) == (None, None, [])
    assert findings.notes == [
        "Profile/ml: hard.requests.pods is not a quota teamspace writes; left as it is, not managed"
    ]
    assert findings.changes == []
