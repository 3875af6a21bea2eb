"""Cross-key checks of a team's members (`config.kubeflow_checks`): every refused member is
named at its own index. Config layer only (`config.load`); the whole program's refusals are in
tests/test_kubeflow_members.py."""

from __future__ import annotations

import pytest

from .test_check_messages import NOTEBOOK, problems, values


def test_every_repeat_of_a_member_is_refused_and_the_members_after_it_are_still_checked():
    alice = {"user": "alice@example.com"}
    team = {
        "notebooks": [NOTEBOOK],
        "profile": {"owner": "lead@example.com"},
        "members": [alice, alice, {"user": "a.b@x.com"}, {"user": "a-b@x.com"}, alice],
    }
    assert problems(values(teams={"data": team})) == [
        "teamspace:teams.data.members[1].user: 'alice@example.com' is already listed as members[0]",
        "teamspace:teams.data.members[3].user: 'a-b@x.com' and members[2] 'a.b@x.com' map to the same "
        "KFAM binding name 'user-a-b-x-com-clusterrole-<role>'; KFAM cannot tell them apart",
        "teamspace:teams.data.members[4].user: 'alice@example.com' is already listed as members[0]",
    ]


def test_members_without_a_profile_are_refused_with_the_reason():
    team = {"notebooks": [NOTEBOOK], "members": [{"user": "a@x.com"}]}
    assert problems(values(teams={"data": team})) == [
        "teamspace:teams.data.members: members need teams.data.profile: KFAM, and so the dashboard's "
        "contributor list, only manage access to Kubeflow profile namespaces; add a profile or drop members"
    ]


@pytest.mark.parametrize("length", [225, 226])
def test_a_kfam_binding_name_may_be_253_characters(length):
    """`user-<user>-clusterrole-edit`: 28 characters around a user of `length` a's and `@x.com`."""
    user = "a" * length + "@x.com"
    team = {"notebooks": [NOTEBOOK], "profile": {"owner": "lead@example.com"}, "members": [{"user": user}]}
    expected = [
        f"teamspace:teams.data.members[0].user: KFAM's name for '{user}' would be 254 characters; "
        "Kubernetes allows 253"
    ]
    assert problems(values(teams={"data": team})) == (expected if length == 226 else [])


def test_every_external_configuration_problem_is_named_at_its_entry():
    team = {
        "notebooks": [NOTEBOOK],
        "externalConfigurations": ["x", {"name": "x", "label": "app"}, "proxy", "x"],
        "configurations": {"proxy": {"env": {"A": "b"}}},
    }
    where = "teamspace:teams.data.externalConfigurations"
    assert problems(values(teams={"data": team})) == [
        f"{where}[1]: 'x' is already declared as externalConfigurations[0]",
        f"{where}[1]: label 'app' collides with a label the notebook "
        "controller sets (app, notebook-name, statefulset)",
        f"{where}[2]: 'proxy' is also a configuration teamspace creates "
        "(teams.data.configurations.proxy); keep one",
        f"{where}[3]: 'x' is already declared as externalConfigurations[0]",
    ]


def test_every_kept_pull_secret_problem_is_named():
    keep = ["a", "nexuscred", "a", "b", "a"]
    config = values(
        registry={"server": "nexus.example.com", "username": "pusher"},
        registryPassword="p",
        teams={
            "data": {
                "notebooks": [NOTEBOOK],
                "defaultEditor": {"attachPullSecret": False, "keepPullSecrets": keep},
            }
        },
    )
    where = "teamspace:teams.data.defaultEditor.keepPullSecrets"
    assert problems(config) == [
        f"{where}: 'nexuscred' is the registry pull secret; it is always in the list",
        f"{where}: only used with attachPullSecret: true (teamspace then owns the whole list)",
        f"{where}[2]: 'a' is listed twice",
        f"{where}[4]: 'a' is listed twice",
    ]
