"""`load_stack_config` under the Pulumi runtime: a ConfigError never quotes a value of a key the
stack marks secret, not even part of one. Redacted values read `[secret]`, in the problems and
in the error's text alike."""

from __future__ import annotations

from config import ConfigError
from config.loader import load_stack_config
from devtools.runtime import run_program
from devtools.stack_config import Secret

from ..harness import minimal_config

NOT_A_URL = "'[secret]' must be an http:// or https:// URL, e.g. https://kubeflow.example.com"


def refused(**teamspace) -> ConfigError:
    result = run_program(minimal_config(**teamspace), program=load_stack_config)
    assert isinstance(result.error, ConfigError), result.error
    return result.error


def test_a_four_character_secret_is_redacted():
    error = refused(kubeflowUrl=Secret("q7z9"))
    assert [(p.path, p.message) for p in error.problems] == [("kubeflowUrl", NOT_A_URL)]
    assert f"teamspace:kubeflowUrl: {NOT_A_URL}" in str(error) and "q7z9" not in str(error)


def test_a_secret_holding_another_is_redacted_whole_not_around_the_shorter():
    # The longer value goes first: replacing "zzy-p" inside it first would leave "xy" and "lugh".
    error = refused(kubeflowUrl=Secret("xyzzy-plugh"), secrets={"token": Secret("zzy-p")})
    assert [(p.path, p.message) for p in error.problems] == [("kubeflowUrl", NOT_A_URL)]
    assert f"teamspace:kubeflowUrl: {NOT_A_URL}" in str(error)


def test_a_name_inside_a_secret_list_is_redacted():
    teams = {"data": {"notebooks": [{"name": Secret("Lab_Q7z9"), "type": "jupyter"}]}}
    error = refused(teams=teams)
    assert "Lab_Q7z9" not in str(error) and "[secret]" in str(error)
    assert all("Lab_Q7z9" not in p.message for p in error.problems)
    assert any("'[secret]'" in p.message for p in error.problems)
