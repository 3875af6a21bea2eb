"""A team's Kubeflow entries as written (`config.kubeflow`): an external configuration by name or
as {name, label}, anything else refused; a member's e-mail kept byte for byte, a bad one refused
with the reason. Config layer only (`config.load`)."""

from __future__ import annotations

from config import load

from .loading import KUBEFLOW_URL, encoded, team_problems
from .test_check_messages import NOTEBOOK

PROFILE = {"owner": "lead@example.com"}


def test_an_external_configuration_is_a_name_or_a_name_and_label():
    config = load(
        encoded(
            {
                "kubeflowUrl": KUBEFLOW_URL,
                "teams": {
                    "data": {
                        "notebooks": [NOTEBOOK],
                        "externalConfigurations": ["x", {"name": "y", "label": "sel"}],
                    }
                },
            }
        )
    )
    entries = config.teams["data"].external_configurations
    assert [(entry.name, entry.label_key) for entry in entries] == [("x", "x"), ("y", "sel")]


def test_an_external_configuration_of_another_type_is_refused():
    assert team_problems(NOTEBOOK, externalConfigurations=[5, "x"]) == [
        "teamspace:teams.data.externalConfigurations[0]: must be a PodDefault name, "
        "or {name: <PodDefault name>, label: <selector label key>}"
    ]


def test_a_member_email_is_kept_as_written_and_a_bad_one_refused_with_the_reason():
    members = [{"user": "Bob.Smith@Example.COM"}]
    team = {"notebooks": [NOTEBOOK], "profile": PROFILE, "members": members}
    config = load(encoded({"kubeflowUrl": KUBEFLOW_URL, "teams": {"data": team}}))
    assert [member.user for member in config.teams["data"].members] == ["Bob.Smith@Example.COM"]
    assert team_problems(NOTEBOOK, profile=PROFILE, members=[{"user": "not-an-email"}]) == [
        "teamspace:teams.data.members[0].user: 'not-an-email' is not a valid email address: "
        "An email address must have an @-sign."
    ]
