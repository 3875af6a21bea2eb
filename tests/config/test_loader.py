"""What `config.load` reports: a namespace the user did not write (the team key, or the former
key) is never reported a second time under `namespace`, one the user wrote is reported at its
own key; a notebook is named under a quoted team key too; what the caller passes in (the keys
the stack marks secret, problems found elsewhere) is reported with the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError, load
from config.errors import Problem

NOT_A_LABEL = (
    "is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)"
)


def problems(teams: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as refused:
        load({"kubeflowUrl": "https://kf.example.com", "teams": json.dumps(teams)})
    return [str(p) for p in refused.value.problems]


def test_a_bad_team_key_is_reported_once_at_the_key():
    assert problems({"Data_Team": {}}) == [
        f"teamspace:teams.Data_Team: invalid key: 'Data_Team' {NOT_A_LABEL}"
    ]


def test_a_bad_former_key_is_reported_once_at_previous_key():
    assert problems({"data": {"previousKey": "Old_Team"}}) == [
        f"teamspace:teams.data.previousKey: 'Old_Team' {NOT_A_LABEL}"
    ]


def test_a_namespace_written_is_reported_at_its_key_and_not_hidden_by_a_bad_team_key():
    assert problems({"ok": {"namespace": "Bad_Ns"}, "Data_Team": {"namespace": "fine"}}) == [
        f"teamspace:teams.Data_Team: invalid key: 'Data_Team' {NOT_A_LABEL}",
        f"teamspace:teams.ok.namespace: 'Bad_Ns' {NOT_A_LABEL}",
    ]


def test_a_notebook_under_a_quoted_team_key_is_named_too():
    notebook = {"name": "lab", "type": "jupyter", "cpu": "lots"}
    assert problems({"my.team": {"namespace": "my-team", "notebooks": [notebook]}}) == [
        f"teamspace:teams[\"my.team\"]: invalid key: 'my.team' {NOT_A_LABEL}",
        "teamspace:teams[\"my.team\"].notebooks[0] (lab).cpu: 'lots' is not a Kubernetes quantity "
        "(e.g. 500m, 2, 1Gi, 512Mi)",
    ]


REGISTRY = {
    "kubeflowUrl": "https://kf.example.com",
    "registry": json.dumps({"server": "r.example.com", "username": "u"}),
    "registryPassword": "pw-123456",
}


def test_a_password_the_stack_does_not_mark_secret_is_refused_without_its_value():
    assert load(REGISTRY).registry_password is not None  # no secret keys given: not checked
    with pytest.raises(ConfigError) as refused:
        load(REGISTRY, secret_keys=())
    assert [p.path for p in refused.value.problems] == ["registryPassword"]
    assert "pulumi config set --secret teamspace:registryPassword" in str(refused.value)
    assert "pw-123456" not in str(refused.value)


def test_problems_found_elsewhere_are_reported_with_the_configs_own():
    with pytest.raises(ConfigError) as refused:
        load(REGISTRY, found_elsewhere=[Problem("teams.data", "seen in the stack file")])
    assert [str(p) for p in refused.value.problems] == ["teamspace:teams.data: seen in the stack file"]


@pytest.mark.parametrize(
    "teams",
    [
        '["data"]',  # no map of teams: refused at `teams`
        json.dumps({"data": {"notebooks": []}}),  # a notebook index past the end of the list
        json.dumps({"data": {"notebooks": [{"name": "a"}]}}),  # one just past it
    ],
)
def test_a_problem_found_elsewhere_about_a_notebook_the_config_lacks_is_reported_unnamed(teams: str):
    """Problems found in the stack file are reported as they come, also when the values the CLI
    passed hold no such notebook."""
    elsewhere = Problem("teams.data.notebooks[1].secrets", "seen in the stack file")
    with pytest.raises(ConfigError) as refused:
        load({**REGISTRY, "teams": teams}, found_elsewhere=[elsewhere])
    assert "teamspace:teams.data.notebooks[1].secrets: seen in the stack file" in [
        str(p) for p in refused.value.problems
    ]


def test_problems_found_elsewhere_are_kept_when_the_runtime_view_is_checked_too():
    elsewhere = Problem("teams.data", "seen in the stack file")
    with pytest.raises(ConfigError) as refused:
        load(REGISTRY, secret_keys=(), found_elsewhere=[elsewhere])
    assert sorted(p.path for p in refused.value.problems) == ["registryPassword", "teams.data"]


def test_a_config_the_model_refuses_says_what_is_checked_later():
    with pytest.raises(ConfigError) as refused:
        load({**REGISTRY, "kubeflowUrll": "x"})
    assert str(refused.value).endswith("\n(references and quotas are checked once these are fixed)")
