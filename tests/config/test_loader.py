"""What `config.load` reports about a team's namespace: a namespace the user did not write
(the team key, or the former key) is never reported a second time under `namespace`; one the
user wrote is reported at its own key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError, load

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
