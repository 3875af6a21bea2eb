"""Team members: exactly KFAM's RoleBinding and AuthorizationPolicy per contributor, and the errors."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from config import ConfigError
from config.kubeflow import kfam_binding_name

from .harness import Template, minimal_config
from .schemas import validate_k8s
from .upstream_istio import validate_istio

ROLEBINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
POLICY = "kubernetes:security.istio.io/v1beta1:AuthorizationPolicy"
INGRESS = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"
PIPELINES_UI = "cluster.local/ns/kubeflow/sa/ml-pipeline-ui"


def with_members(*members, profile=True, **teamspace):
    team = {"notebooks": [{"name": "lab", "type": "jupyter"}], "members": list(members)}
    if profile:
        team["profile"] = {"owner": "lead@example.com"}
    return minimal_config(teams={"data": team}, **teamspace)


@pytest.mark.parametrize(
    "user,role,expected",
    [
        ("alice@example.com", "edit", "user-alice-example-com-clusterrole-edit"),
        ("Bob.Smith+ml@Example.COM", "view", "user-bob-smith-ml-example-com-clusterrole-view"),
        ("a--b@x.io", "edit", "user-a-b-x-io-clusterrole-edit"),
        ("_lead@x.io", "edit", "user-lead-x-io-clusterrole-edit"),
    ],
)
def test_binding_name_is_kfams(user, role, expected):
    """getBindingName (dashboard v2.0.0 kfam/bindings.go): kind, user, roleRef kind and short role,
    lowercased, every run of non-alphanumerics one '-'."""
    assert kfam_binding_name(user, role) == expected


def test_each_member_gets_exactly_kfams_two_objects():
    """RoleBinding and AuthorizationPolicy, same name and annotations, as KFAM's Create makes them."""
    template = Template.synth(
        with_members({"user": "alice@example.com"}, {"user": "bob@example.com", "role": "view"})
    )
    template.resource_count_is(ROLEBINDING, 2)
    template.resource_count_is(POLICY, 2)
    bob = template.has_resource_properties(
        ROLEBINDING, {"metadata": {"name": "user-bob-example-com-clusterrole-view"}}
    )
    assert bob.manifest == {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {
            "name": "user-bob-example-com-clusterrole-view",
            "namespace": "data",
            "annotations": {"user": "bob@example.com", "role": "view"},
        },
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "kubeflow-view"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob@example.com"}],
    }
    alice = template.has_resource_properties(
        POLICY, {"metadata": {"name": "user-alice-example-com-clusterrole-edit"}}
    )
    assert alice.manifest == {
        "apiVersion": "security.istio.io/v1beta1",
        "kind": "AuthorizationPolicy",
        "metadata": {
            "name": "user-alice-example-com-clusterrole-edit",
            "namespace": "data",
            "annotations": {"user": "alice@example.com", "role": "edit"},
        },
        "spec": {
            "rules": [
                {
                    "when": [{"key": "request.headers[kubeflow-userid]", "values": ["alice@example.com"]}],
                    "from": [{"source": {"principals": [INGRESS, PIPELINES_UI]}}],
                }
            ]
        },
    }
    for manifest in template.manifests(ROLEBINDING):
        validate_k8s(manifest)
        assert len(manifest["subjects"]) == 1  # KFAM's List breaks the namespace otherwise
    for manifest in template.manifests(POLICY):
        validate_istio(manifest)


def test_policy_schema_check_can_fail():
    """The vendored Istio schema really checks: a misspelt rule field or a wrong type is refused."""
    manifest = Template.synth(with_members({"user": "alice@example.com"})).manifests(POLICY)[0]
    for breakage in (
        lambda m: m["spec"]["rules"][0].update(froms=[]),
        lambda m: m["spec"]["rules"][0]["when"][0].update(values="alice@example.com"),
    ):
        broken = copy.deepcopy(manifest)
        breakage(broken)
        with pytest.raises(jsonschema.ValidationError):
            validate_istio(broken)


def test_header_prefix_and_principals_are_deployment_settings():
    """`teamspace:kubeflow` overrides what the manifests
    install; values are kept as written, like KFAM's flags.
    """
    config = with_members(
        {"user": "alice@example.com"},
        kubeflow={
            "userIdHeader": "X-Auth-Request-Email",
            "userIdPrefix": "accounts.google.com:",
            "principals": ["cluster.local/ns/gateways/sa/internal-gw"],
        },
    )
    policy = Template.synth(config).manifests(POLICY)[0]
    assert policy["spec"]["rules"] == [
        {
            "when": [
                {
                    "key": "request.headers[X-Auth-Request-Email]",
                    "values": ["accounts.google.com:alice@example.com"],
                }
            ],
            "from": [{"source": {"principals": ["cluster.local/ns/gateways/sa/internal-gw"]}}],
        }
    ]


def test_removing_a_member_removes_both_objects_and_names_are_stable():
    """Objects are declared from config alone: dropping a member drops both; the same member
    always lands on KFAM's name, so a recreate after a dashboard removal is the dashboard's object."""
    both = Template.synth(with_members({"user": "alice@example.com"}, {"user": "bob@example.com"}))
    again = Template.synth(with_members({"user": "alice@example.com"}, {"user": "bob@example.com"}))
    one = Template.synth(with_members({"user": "alice@example.com"}))

    def by_name(template):
        return sorted(template.manifests(POLICY), key=lambda m: m["metadata"]["name"])

    assert by_name(both) == by_name(again)
    assert {m["metadata"]["name"] for m in one.manifests(ROLEBINDING)} == {
        "user-alice-example-com-clusterrole-edit"
    }
    assert {m["metadata"]["name"] for m in one.manifests(POLICY)} == {
        "user-alice-example-com-clusterrole-edit"
    }
    names = {r.name for r in both.registrations} - {r.name for r in one.registrations}
    assert names == {
        "data-member-user-bob-example-com-clusterrole-edit",
        "data-member-user-bob-example-com-clusterrole-edit-rolebinding",
        "data-member-user-bob-example-com-clusterrole-edit-policy",
    }


def test_members_wait_for_the_profile_and_follow_a_team_rename():
    """The member component depends on the Profile (it makes the namespace) and keeps its identity
    under a new team key."""
    config = with_members({"user": "alice@example.com"})
    config["teamspace:teams"] = {"analytics": {**config["teamspace:teams"]["data"], "previousKey": "data"}}
    template = Template.synth(config)
    member = template.by_name("analytics-member-user-alice-example-com-clusterrole-edit")
    profile = template.by_name("analytics-profile")
    assert profile.urn in member.depends_on
    assert any("data-member-user-alice-example-com-clusterrole-edit" in alias for alias in member.aliases)


@pytest.mark.parametrize(
    "members,profile,expected",
    [
        (
            [{"user": "alice"}],
            True,
            "teamspace:teams.data.members[0].user: 'alice' is not a valid email address",
        ),
        (
            [{"user": "alice@example.com", "role": "admin"}],
            True,
            "teamspace:teams.data.members[0].role: unknown value 'admin'; allowed: edit, view",
        ),
        (
            [{"user": "alice@example.com"}, {"user": "alice@example.com", "role": "view"}],
            True,
            "teamspace:teams.data.members[1].user: 'alice@example.com' is already listed as members[0]",
        ),
        (
            [{"user": "a.b@x.com"}, {"user": "a-b@x.com"}],
            True,
            (
                "teamspace:teams.data.members[1].user: "
                "'a-b@x.com' and members[0] 'a.b@x.com' map to the same KFAM binding name"
            ),
        ),
        (
            [{"user": "Alice@example.com"}, {"user": "alice@example.com", "role": "view"}],
            True,
            (
                "teamspace:teams.data.members[1].user: "
                "'alice@example.com' and members[0] 'Alice@example.com' map to the same"
            ),
        ),
        (
            [{"user": "alice@example.com"}],
            False,
            "teamspace:teams.data.members: members need teams.data.profile: KFAM",
        ),
    ],
)
def test_member_errors_name_the_key(members, profile, expected):
    """Bad members stop the run before anything is registered."""
    template = Template.synth(with_members(*members, profile=profile), expect_error=True)
    assert isinstance(template.result.error, ConfigError)
    assert expected in str(template.result.error)
    assert not template.resources(ROLEBINDING)


@pytest.mark.parametrize(
    "settings,expected",
    [
        (
            {"userIdHeader": "bad header"},
            "teamspace:kubeflow.userIdHeader: 'bad header' is not an HTTP header name",
        ),
        ({"principals": []}, "teamspace:kubeflow.principals:"),
        (
            {"principals": ["spiffe with space"]},
            "teamspace:kubeflow.principals[0]: 'spiffe with space' is not an Istio principal",
        ),
        ({"userIdPrefix": "x\ny"}, "teamspace:kubeflow.userIdPrefix: must not contain control characters"),
        (
            {"stopScheduleImage": "base image:1"},
            "teamspace:kubeflow.stopScheduleImage: 'base image:1' is not an image reference",
        ),
    ],
)
def test_bad_deployment_settings(settings, expected):
    template = Template.synth(
        with_members({"user": "alice@example.com"}, kubeflow=settings), expect_error=True
    )
    assert expected in str(template.result.error)
