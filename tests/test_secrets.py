"""Secrets never leak: with sentinel registry passwords (push and pull) and configuration
secrets, scan what the program registers, its outputs and logs, every file `make plan` and
`make plan-diff` write, and every config error message.

How the sentinels get in. In-process runs give them as `Secret(...)` values, exactly as
`pulumi up` passes decrypted `secure:` config (secret keys). The offline tools read
Pulumi.<stack>.yaml, where a real secret is `{secure: <ciphertext>}` that nothing offline can
decrypt (it becomes "[secret]"). The file tests copy the project to a temporary directory and
write `Pulumi.sentinel-*.yaml` with the sentinels as that ciphertext: not even the ciphertext
may reach a written file or the report. A stack file with a sentinel in *plaintext* is
refused outright (tests/test_hostile_secrets.py), and the error never quotes it.

A leak is the sentinel in plain text, JSON-escaped, or base64-encoded (standard or URL-safe,
at any alignment, so also inside base64 of `user:<sentinel>` and one level deeper, inside a
base64 dockerconfigjson) anywhere outside a Secret's data / the registry credentials that
Pulumi receives as secrets.
"""

from __future__ import annotations

import base64
import json

import pytest

from components.pull_secret import dockerconfigjson
from config import ConfigError, load
from devtools.runtime import run_program
from devtools.secret_envelopes import is_secret_envelope
from devtools.stack_config import Secret, to_runtime

from .harness import IMAGE, SECRET, minimal_config
from .secret_sentinels import CONFIGS, OTHER, PULL, PUSH, leaks, scan_run, stack

# --- the scanner itself ----------------------------------------------------------------------------


def test_scanner_finds_every_encoding():
    """The leak scanner sees the sentinel plain, escaped, in base64
    (any alignment, URL-safe) and in a dockerconfigjson.
    """
    docker = dockerconfigjson("nexus.example.com", "reader", PULL)
    encodings = [
        f"x{PULL}y",
        json.dumps({"a": PULL}),
        base64.b64encode(PULL.encode()).decode(),
        base64.b64encode(f"reader:{PULL}".encode()).decode(),
        base64.b64encode(f"ab:{PULL}".encode()).decode(),
        base64.urlsafe_b64encode(b"\xfb\xff" + PULL.encode() + b"\xfe").decode(),
        base64.b64encode(docker.encode()).decode(),
        "Basic " + base64.b64encode(f"reader:{PULL}".encode()).decode().rstrip("="),
    ]
    for text in encodings:
        assert leaks(text) == [PULL], text
    assert leaks(json.dumps(stack("dev"))) == []


# --- what the program registers, outputs and logs ---------------------------------------------------


@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_registered_inputs_outputs_and_logs_hold_no_sentinel(name, preview):
    """No sentinel outside the secret Secret data / registry login, in outputs or in logs."""
    result = run_program(CONFIGS[name](), stack="dev", preview=preview)
    assert result.error is None, result.error
    assert scan_run(result) == []


@pytest.mark.parametrize("name,pull_with", [("dev", PUSH), ("prod", PULL), ("minimal", PUSH)])
def test_pull_secret_data_is_a_secret_envelope(name, pull_with):
    """The pull Secret's data reaches Pulumi as a secret holding the right credential; nothing else does."""
    result = run_program(CONFIGS[name]())
    pull_secrets = [
        r
        for r in result.registrations
        if r.type == SECRET and r.inputs.get("type") == "kubernetes.io/dockerconfigjson"
    ]
    assert pull_secrets
    for registration in pull_secrets:
        assert is_secret_envelope(registration.inputs["data"])
        document = json.loads(base64.b64decode(registration.manifest["data"][".dockerconfigjson"]))
        [entry] = document["auths"].values()
        assert entry["password"] == pull_with
    for registration in result.registrations:
        if registration.type == IMAGE:
            assert is_secret_envelope(registration.inputs["registry"])
            assert registration.manifest["registry"]["password"] == PUSH
    assert result.secret_outputs == set()


def test_configuration_secret_data_is_a_secret_envelope():
    """A configuration's S3 secret key reaches Pulumi only inside a secret Secret data value."""
    result = run_program(CONFIGS["dev"]())
    holders = [
        r
        for r in result.registrations
        if r.type == SECRET
        and OTHER
        in json.dumps({k: base64.b64decode(v).decode() for k, v in (r.manifest.get("data") or {}).items()})
    ]
    if "teamspace:secrets" not in stack("dev"):
        pytest.skip("the dev stack has no teamspace:secrets")
    assert holders
    for registration in holders:
        data = registration.inputs["data"]
        assert is_secret_envelope(data) or all(is_secret_envelope(v) for v in data.values())


# --- config errors ------------------------------------------------------------------------------------

BAD_CONFIGS = {
    "other-key-invalid": dict(kubeflowUrl="not a url"),
    "password-misspelt-key": dict(registryPassword=None, registryPasword=Secret(PUSH)),
    "password-inside-registry": dict(
        registry={"server": "nexus.example.com", "username": "u", "password": Secret(PUSH)}
    ),
    "pull-password-alone": dict(pullPassword=Secret(PULL)),
    "password-without-username": dict(registry={"server": "nexus.example.com"}),
    "password-on-wrong-key": dict(kubeflowUrl=Secret(PUSH)),
    "secret-registry-server": dict(registry={"server": Secret(f"https://{PUSH}/"), "username": "u"}),
    "secret-unknown-reference": dict(
        secrets={"other": Secret(OTHER)},
        teams={
            "data": {
                "configurations": {"s3": {"s3": {"accessKeyId": "AKIA", "secretAccessKey": "missing"}}},
                "notebooks": [{"name": "lab", "type": "jupyter", "configurations": ["s3"]}],
            }
        },
    ),
    "secret-as-configuration-value": dict(
        secrets={"k": Secret(OTHER)},
        teams={
            "data": {
                "configurations": {"s3": {"s3": {"accessKeyId": "AKIA", "secretAccessKey": OTHER}}},
                "notebooks": [{"name": "lab", "type": "jupyter", "configurations": ["s3"]}],
            }
        },
    ),
    "quota-exceeded": dict(
        pullUsername="reader",
        pullPassword=Secret(PULL),
        teams={"data": {"quota": {"cpu": "1m"}, "notebooks": [{"name": "lab", "type": "jupyter"}]}},
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_config_errors_never_quote_a_secret(case):
    """ConfigError messages (program run and config.load) never quote a secret value."""
    config = minimal_config(**BAD_CONFIGS[case])
    result = run_program(config)
    assert isinstance(result.error, ConfigError), result.error
    assert result.registrations == []
    assert scan_run(result) == []
    assert leaks(str(result.error.problems)) == []


def test_load_quotes_values_of_keys_it_is_not_told_are_secret():
    """config.load itself has no idea which keys are secret: redaction happens where the stack says so."""
    values, secret_keys = to_runtime(minimal_config(kubeflowUrl=Secret(PUSH)))
    assert "teamspace:kubeflowUrl" in secret_keys
    with pytest.raises(ConfigError) as error:
        load({k.removeprefix("teamspace:"): v for k, v in values.items()})
    assert leaks(str(error.value)) == [PUSH]  # which is why load_stack_config redacts
