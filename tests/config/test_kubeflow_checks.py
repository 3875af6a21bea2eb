"""Cross-key checks of a team's members (`config.kubeflow_checks`): every refused member is
named at its own index. Config layer only (`config.load`); the whole program's refusals are in
tests/test_kubeflow_members.py."""

from __future__ import annotations

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
