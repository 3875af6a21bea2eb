"""A namespace's Profile as the team's `profile` (adopt/namespace_objects.py): taken over only
when teamspace renders it exactly, with the one in-place change said."""

from __future__ import annotations

import pytest

from adopt.findings import Findings
from adopt.namespace_objects import profile_and_quota
from adopt.reader import Inventory

OWNER = {"kind": "User", "name": "lead@example.com"}


def _profile(spec: dict):
    findings = Findings()
    document = {"kind": "Profile", "metadata": {"name": "vision"}, "spec": spec}
    return profile_and_quota("vision", Inventory(profiles={"vision": document}), findings), findings


@pytest.mark.parametrize(
    "quota_spec",
    [{"hard": {"requests.cpu": "4"}, "scopes": ["BestEffort"]}, {"hard": ["requests.cpu"]}],
    ids=["scopes teamspace does not write", "hard not a mapping"],
)
def test_a_profile_quota_teamspace_cannot_render_leaves_the_profile_alone(quota_spec):
    adopted, findings = _profile({"owner": OWNER, "resourceQuotaSpec": quota_spec})
    assert adopted == (None, None, [])
    assert findings.notes == [
        "Profile/vision: its owner or quota cannot be declared; the Profile is left as it is, not managed"
    ]


def test_an_owner_without_its_api_group_is_adopted_and_the_group_added_in_place():
    adopted, findings = _profile({"owner": OWNER})
    assert adopted == ({"owner": "lead@example.com"}, None, ["Profile/vision"])
    assert findings.changes == ["Profile/vision: owner apiGroup -> rbac.authorization.k8s.io"]
