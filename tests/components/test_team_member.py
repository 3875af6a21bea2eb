"""TeamMember (components/team_member.py): the output it registers and the children it owns (the
objects themselves, KFAM's RoleBinding and AuthorizationPolicy: tests/test_kubeflow_members.py)."""

from __future__ import annotations

from devtools.runtime import run_program

from ..harness import alias_names, minimal_config

MEMBER_TYPE = "teamspace:index:TeamMember"


def test_the_component_registers_its_binding_name_and_owns_both_objects():
    """What `pulumi stack` shows for each member: the name of both of KFAM's objects."""
    team = {"profile": {"owner": "lead@example.com"}, "notebooks": [{"name": "lab", "type": "jupyter"}]}
    team["members"] = [{"user": "alice@example.com"}, {"user": "bob@example.com", "role": "view"}]
    result = run_program(minimal_config(teams={"data": team}), record_outputs=True)
    assert result.error is None, result.error
    members = [r for r in result.registrations if r.type == MEMBER_TYPE]
    assert {r.name: result.component_outputs[r.urn] for r in members} == {
        "data-member-user-alice-example-com-clusterrole-edit": {
            "binding_name": "user-alice-example-com-clusterrole-edit"
        },
        "data-member-user-bob-example-com-clusterrole-view": {
            "binding_name": "user-bob-example-com-clusterrole-view"
        },
    }
    for member in members:
        children = sorted(r.name for r in result.registrations if r.parent == member.urn)
        assert children == [f"{member.name}-policy", f"{member.name}-rolebinding"]


def test_a_renamed_teams_member_objects_alias_their_old_names():
    """Team key data -> analytics (previousKey): KFAM's two objects keep their identity."""
    team = {"previousKey": "data", "profile": {"owner": "lead@example.com"}}
    team |= {"members": [{"user": "alice@example.com"}], "notebooks": [{"name": "lab", "type": "jupyter"}]}
    result = run_program(minimal_config(teams={"analytics": team}))
    assert result.error is None, result.error
    [member] = [r for r in result.registrations if r.type == MEMBER_TYPE]
    old = "data-member-user-alice-example-com-clusterrole-edit"
    # pulumi_kubernetes aliases the kind's older API versions under the same name: left out.
    aliases = {
        r.name.rsplit("-", 1)[1]: [n for n in alias_names(r) if n != r.name]
        for r in result.registrations
        if r.parent == member.urn
    }
    assert aliases == {"rolebinding": [f"{old}-rolebinding"], "policy": [f"{old}-policy"]}
