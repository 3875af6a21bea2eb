"""`load_stack_config` under the Pulumi runtime: every key it was given is seen, and a
ConfigError never quotes a value of a key the stack marks secret, not even part of one.
Redacted values read `[secret]`, in the problems and in the error's text alike."""

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


def test_values_not_marked_secret_are_quoted_and_a_misspelt_key_is_seen():
    # A plaintext password is a problem here (the runtime says which keys are secret); the bad
    # URL, not secret, is quoted as given; a key the model does not know is reported.
    error = refused(
        kubeflowUrl="ftp-nope", registryPassword="pw-123456", kubeflowUrll="https://kf.example.com"
    )
    assert [p.path for p in error.problems] == ["kubeflowUrl", "kubeflowUrll", "registryPassword"]
    assert "'ftp-nope' must be an http:// or https:// URL" in str(error)
    assert "pw-123456" not in str(error)


def test_keys_of_other_namespaces_are_not_ours_to_check():
    config = {**minimal_config(), "kubernetes:context": "kind-dev", "pulumi:tags": "x"}
    assert run_program(config, program=load_stack_config).error is None
