"""TeamWorkspace (components/team_workspace.py), stated whole: the children of a team using every
feature, what each waits for, the Profile, quota and team volume exactly, the aliases of a renamed
team and notebook, and the quota's `hard` entries."""

from __future__ import annotations

import base64
import json

import pulumi
import pytest

from components import TeamWorkspace, workspace_args
from components.claims import UNSET_CLAIM_FIELDS
from components.team_workspace import quota_hard
from config import resolve
from config.model import QuotaSpec
from tests.harness import Template, alias_names

DIGEST = "r.example.com/teamspace/jupyter@sha256:" + "2" * 64
QUOTA = {"cpu": "4", "memory": "8Gi", "gpu": {"nvidia.com/gpu": 2, "amd.com/gpu": 1}, "storage": "100Gi"}
HARD = {
    "requests.cpu": "4",
    "requests.memory": "8Gi",
    "requests.amd.com/gpu": "1",
    "requests.nvidia.com/gpu": "2",
    "requests.storage": "100Gi",
}
EVERYTHING = {
    "profile": {"owner": "ann@example.com"},
    "quota": QUOTA,
    "members": [{"user": "bob@example.com"}],
    "stopSchedule": {"cron": "0 20 * * 1-5", "timeZone": "Europe/Berlin"},
    "configurations": {"proxy": {"env": {"HTTP_PROXY": "http://p:3128"}}},
    "volumes": {"shared": {"size": "5Gi", "storageClass": "nfs"}},
    "notebooks": [
        {"name": "a", "type": "jupyter"},
        {"name": "b", "type": "jupyter", "image": "quay.io/x/lab:1"},
    ],
}


def registered(
    team: dict, key: str = "data", opts: pulumi.ResourceOptions | None = None, **stack_values
) -> dict:
    """Every registration of the TeamWorkspace of `team` (with a registry and a built image), by name."""
    values = {
        "kubeflowUrl": "https://kf.example.com",
        "teams": json.dumps({key: team}),
        "registry": json.dumps({"server": "r.example.com", "username": "puller"}),
        "registryPassword": "pw-123456",
        "images": json.dumps({"jupyter": {"type": "jupyter"}}),
        **{name: json.dumps(value) for name, value in stack_values.items()},
    }
    stack = resolve(values)
    return Template.of_component(
        lambda: TeamWorkspace(key, workspace_args(stack, key, {"jupyter": DIGEST}), opts)
    ).named


def test_every_child_of_a_full_team_and_what_it_waits_for():
    """Each child waits for the Profile (its controller makes the namespace); the default-editor
    patch also for the pull secret. The Profile outlives the team in config (it owns the namespace
    and every claim in it), and the team volume is user data."""
    by_name = registered(EVERYTHING)
    urns = {r.urn: name for name, r in by_name.items()}
    children = {
        name: sorted(urns[d] for d in r.depends_on)
        for name, r in by_name.items()
        if urns.get(r.parent) == "data"
    }
    waits = ["data-profile"]
    assert children == {
        "data-profile": [],
        "data-pull": waits,
        "data-default-editor": ["data-profile", "data-pull-secret"],
        "data-member-user-bob-example-com-clusterrole-edit": waits,
        "data-stop-schedule": waits,
        "data-config-proxy": waits,
        "data-volume-shared": [],
        "data-a": waits,
        "data-b": waits,
    }
    profile, volume = by_name["data-profile"], by_name["data-volume-shared"]
    assert profile.manifest == {
        "apiVersion": "kubeflow.org/v1",
        "kind": "Profile",
        "metadata": {"name": "data"},
        "spec": {
            "owner": {"kind": "User", "name": "ann@example.com", "apiGroup": "rbac.authorization.k8s.io"},
            "resourceQuotaSpec": {"hard": HARD},
        },
    }
    assert (profile.retain_on_delete, profile.protect) == (True, False)
    assert volume.manifest == {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {
            "name": "shared",
            "namespace": "data",
            "labels": {"app.kubernetes.io/part-of": "teamspace"},
        },
        "spec": {
            "accessModes": ["ReadWriteMany"],
            "resources": {"requests": {"storage": "5Gi"}},
            "storageClassName": "nfs",
        },
    }
    assert (volume.retain_on_delete, volume.protect, volume.ignore_changes) == (
        True,
        True,
        list(UNSET_CLAIM_FIELDS),
    )
    notebook = by_name["data-a-notebook"].manifest
    assert notebook["spec"]["template"]["spec"]["containers"][0]["image"] == DIGEST
    assert notebook["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "nexuscred"}]
    assert by_name["data-stop-schedule-cronjob"].manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"][
        "imagePullSecrets"
    ] == [{"name": "nexuscred"}]


def test_what_each_child_is_given():
    """The namespace, the pull credential, the images (built by digest, external as written), the
    stop schedule's image and the protection of each notebook's home claim come from the team's args."""
    by_name = registered(EVERYTHING)
    assert by_name["data"].type == "teamspace:index:TeamWorkspace"
    secret = by_name["data-pull-secret"].manifest
    assert secret["metadata"] == {"name": "nexuscred", "namespace": "data"}
    auths = json.loads(base64.b64decode(secret["data"][".dockerconfigjson"]))["auths"]
    assert list(auths) == ["r.example.com"] and auths["r.example.com"]["username"] == "puller"
    assert auths["r.example.com"]["password"] == "pw-123456"
    patch = by_name["data-default-editor-patch"].manifest
    assert (patch["metadata"]["namespace"], patch["imagePullSecrets"]) == ("data", [{"name": "nexuscred"}])
    member = by_name["data-member-user-bob-example-com-clusterrole-edit-rolebinding"].manifest
    assert member["metadata"]["namespace"] == "data"
    cronjob = by_name["data-stop-schedule-cronjob"].manifest
    assert cronjob["metadata"]["namespace"] == "data"
    [stop] = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert stop["image"] == "ghcr.io/kubeflow/kubeflow/notebook-servers/base:v1.11.0"
    for name, image in (("a", DIGEST), ("b", "quay.io/x/lab:1")):
        [container] = by_name[f"data-{name}-notebook"].manifest["spec"]["template"]["spec"]["containers"]
        assert container["image"] == image
        assert by_name[f"data-{name}-home"].protect is True


def test_a_profile_without_a_quota_sets_none():
    by_name = registered({"profile": {"owner": "ann@example.com"}, "notebooks": EVERYTHING["notebooks"]})
    assert "resourceQuotaSpec" not in by_name["data-profile"].manifest["spec"]
    assert "data-quota" not in by_name


def test_a_quota_without_a_profile_is_a_resource_quota_nothing_waits_for():
    by_name = registered({"quota": QUOTA, "notebooks": [{"name": "a", "type": "jupyter"}]})
    assert "data-profile" not in by_name and by_name["data-a"].depends_on == []
    assert by_name["data-quota"].parent == by_name["data"].urn
    assert by_name["data-quota"].manifest == {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "teamspace-quota", "namespace": "data"},
        "spec": {"hard": HARD},
    }


def test_a_renamed_team_and_notebook_alias_every_name_they_had():
    """previousKey data -> data-ds and previousName old -> a: each child of the workspace is aliased to
    its name under the old key, the notebook to each combination of old key and old name; aliases
    given to the workspace are kept."""
    team = {**EVERYTHING, "previousKey": "data"}
    team["notebooks"] = [{"name": "a", "type": "jupyter", "previousName": "old"}, EVERYTHING["notebooks"][1]]
    by_name = registered(team, key="data-ds")
    urns = {r.urn: name for name, r in by_name.items()}
    aliases = {name: alias_names(r) for name, r in by_name.items() if urns.get(r.parent) == "data-ds"}
    assert aliases == {
        "data-ds-profile": ["data-profile"],
        "data-ds-pull": ["data-pull"],
        "data-ds-default-editor": ["data-default-editor"],
        "data-ds-member-user-bob-example-com-clusterrole-edit": [
            "data-member-user-bob-example-com-clusterrole-edit"
        ],
        "data-ds-stop-schedule": ["data-stop-schedule"],
        "data-ds-config-proxy": ["data-config-proxy"],
        "data-ds-volume-shared": ["data-volume-shared"],
        "data-ds-a": ["data-ds-old", "data-a", "data-old"],
        "data-ds-b": ["data-b"],
    }
    assert alias_names(by_name["data-ds"]) == ["data"]
    given = pulumi.ResourceOptions(aliases=[pulumi.Alias(name="older")])
    workspace = registered(team, key="data-ds", opts=given)["data-ds"]
    assert alias_names(workspace) == ["older", "data"]


def test_adopted_team_objects_are_imported_by_their_ids():
    """`teamspace:adopt` entries become the import ids of the Profile (cluster-scoped: its name),
    a configuration's PodDefault, a team volume and, for a team without a Profile, its ResourceQuota."""
    adopt = ["Profile/data", "PodDefault/data/proxy", "PersistentVolumeClaim/data/shared"]
    by_name = registered(EVERYTHING, adopt=adopt)
    assert {name: r.import_id for name, r in by_name.items() if r.import_id} == {
        "data-profile": "data",
        "data-config-proxy-poddefault": "data/proxy",
        "data-volume-shared": "data/shared",
    }
    quota_only = {"quota": QUOTA, "notebooks": EVERYTHING["notebooks"]}
    quota = registered(quota_only, adopt=["ResourceQuota/data/teamspace-quota"])["data-quota"]
    assert quota.import_id == "data/teamspace-quota"


def test_a_renamed_team_without_a_profile_keeps_its_quota():
    quota_only = {"quota": QUOTA, "notebooks": EVERYTHING["notebooks"], "previousKey": "data"}
    quota = registered(quota_only, key="data-ds")["data-ds-quota"]
    assert alias_names(quota) == ["data-quota"]
    assert quota.manifest["metadata"] == {"name": "teamspace-quota", "namespace": "data"}


def test_the_pull_credential_needs_a_registry_and_a_credential():
    """A registry declared only to name external images, without a password, makes no pull secret."""
    values = {
        "kubeflowUrl": "https://kf.example.com",
        "registry": json.dumps({"server": "r.example.com", "username": "u"}),
    }
    values["teams"] = json.dumps(
        {"data": {"notebooks": [{"name": "a", "type": "jupyter", "image": "quay.io/x/y:1"}]}}
    )
    assert workspace_args(resolve(values), "data", {}).pull is None
    values["registryPassword"] = "pw-123456"
    pull = workspace_args(resolve(values), "data", {}).pull
    assert (pull.secret_name, pull.server, pull.username, pull.password.get_secret_value()) == (
        "nexuscred",
        "r.example.com",
        "u",
        "pw-123456",
    )


@pytest.mark.parametrize(
    "quota, hard",
    [
        (QUOTA, HARD),
        ({"cpu": "2"}, {"requests.cpu": "2"}),
        ({"memory": "1Gi", "gpu": 3}, {"requests.memory": "1Gi", "requests.nvidia.com/gpu": "3"}),
        ({"storage": "1Ti"}, {"requests.storage": "1Ti"}),
    ],
)
def test_quota_hard_entries(quota, hard):
    """Sums of requests, one entry per GPU vendor (a bare count is NVIDIA's), and claimed storage."""
    assert quota_hard(QuotaSpec.model_validate(quota)) == hard
