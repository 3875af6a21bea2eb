"""Team configurations (PodDefaults): environment variable names are refused with the offending
name at their exact key path, as a map key (`env`) or as a list item (`secretEnv.keys`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError, load

CONFIGURATION = "teamspace:teams.data.configurations.creds"


def problems(configuration: dict[str, Any]) -> list[str]:
    team = {"configurations": {"creds": configuration}}
    with pytest.raises(ConfigError) as refused:
        load({"kubeflowUrl": "https://kf.example.com", "teams": json.dumps({"data": team})})
    return [str(p) for p in refused.value.problems]


def test_an_env_key_that_is_no_variable_name_is_refused_as_a_key():
    assert problems({"env": {"GOOD_1": "x", "1BAD": "y"}}) == [
        f"{CONFIGURATION}.env.1BAD: invalid key: '1BAD' is not an environment variable name "
        "(letters, digits, '_')"
    ]


def test_a_secret_key_that_is_no_variable_name_is_refused_at_its_index():
    assert problems({"secretEnv": {"secret": "s3", "keys": ["_OK", "A-B"]}}) == [
        f"{CONFIGURATION}.secretEnv.keys[1]: 'A-B' is not an environment variable name (letters, digits, '_')"
    ]
