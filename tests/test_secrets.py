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
import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.pull_secret import dockerconfigjson
from config import ConfigError, load
from offline.runtime import PROJECT_ROOT, RunResult, is_secret_envelope, run_program, unwrap_secrets
from offline.stack_config import Secret, read_stack_file, to_runtime
from policy.guardrails.rules import leak_needles

from .harness import IMAGE, SECRET, minimal_config
from .project_copy import copy_project

PUSH = "S3ntinel-push-7f3a9c1d"
PULL = "S3ntinel-pull-4b2e1d08"
OTHER = "S3ntinel-conf-9a8b7c6d"  # every other secret value (teamspace:secrets.*)
SENTINELS = (PUSH, PULL, OTHER)
NEEDLES = {sentinel: leak_needles(sentinel) for sentinel in SENTINELS}


def leaks(text: str) -> list[str]:
    """The sentinels that `text` contains in any form (plain, JSON-escaped, base64 at any alignment)."""
    return [sentinel for sentinel, needles in NEEDLES.items() if any(n in text for n in needles)]


def with_sentinels(
    config: dict[str, Any], plaintext: bool = False, ciphertext: bool = False
) -> dict[str, Any]:
    """A stack config with every secret value (`secure:` or Secret) replaced by its sentinel:
    a Secret, or plain text, or the ciphertext of a `{secure: ...}` entry."""

    def replace(key: str, value: Any) -> Any:
        if isinstance(value, Secret) or (isinstance(value, dict) and set(value) == {"secure"}):
            plain = (
                PUSH
                if key == "teamspace:registryPassword"
                else PULL
                if key == "teamspace:pullPassword"
                else OTHER
            )
            return {"secure": plain} if ciphertext else plain if plaintext else Secret(plain)
        if isinstance(value, dict):
            return {k: replace(key, v) for k, v in value.items()}
        if isinstance(value, list):
            return [replace(key, v) for v in value]
        return value

    return {key: replace(key, value) for key, value in config.items()}


def stack(name: str) -> dict[str, Any]:
    return read_stack_file(PROJECT_ROOT / f"Pulumi.{name}.yaml")


CONFIGS = {
    "dev": lambda: with_sentinels(stack("dev")),  # pulls with the push credential
    "prod": lambda: with_sentinels(stack("prod")),  # separate read-only pull credential
    "minimal": lambda: with_sentinels(minimal_config(registryPassword=Secret(PUSH))),
}


def envelopes(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, plaintext) of every Pulumi secret envelope inside registered inputs."""
    if is_secret_envelope(value):
        yield path, unwrap_secrets(value)
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from envelopes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from envelopes(child, (*path, index))


def redacted(value: Any) -> Any:
    if is_secret_envelope(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return value


def allowed_secret_place(type_: str, path: tuple) -> bool:
    """Where a credential may be, as a Pulumi secret: a
    Secret's data, the docker provider's registry login.
    """
    return (type_ == SECRET and path[:1] in (("data",), ("stringData",))) or (
        type_ == IMAGE and path[:1] == ("registry",)
    )


def scan_run(result: RunResult) -> list[str]:
    """Every leak in one run: inputs outside secrets, secrets in the wrong place, outputs, logs, error."""
    found = []
    for registration in result.registrations:
        text = json.dumps(redacted(registration.inputs), sort_keys=True, default=str)
        found += [
            f"{registration.name} inputs: {s}" for s in leaks(text + registration.name + registration.urn)
        ]
        for path, plain in envelopes(registration.inputs):
            hits = leaks(json.dumps(plain, default=str))
            if hits and not allowed_secret_place(registration.type, path):
                found.append(f"{registration.name} secret at {path} in an unexpected place: {hits}")
    found += [f"outputs: {s}" for s in leaks(json.dumps(result.outputs, default=str))]
    found += [f"logs: {s}" for s in leaks("\n".join(message for _, message in result.logs))]
    if result.error is not None:
        found += [f"error: {s}" for s in leaks(f"{result.error!r} {result.error}")]
    return found


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


# --- files the offline tools write (make plan, make plan-diff) -------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with the offline tools and plaintext-sentinel stack files."""
    # requirements/: files the stack configs refer to, when the project has them
    root = copy_project(tmp_path_factory.mktemp("secrets") / "teamspace", extra=("requirements",))
    shutil.copytree(PROJECT_ROOT / "offline", root / "offline", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("dev", "prod"):
        write_stack(root, f"sentinel-{name}", with_sentinels(stack(name), ciphertext=True))
    broken = with_sentinels(stack("prod"), plaintext=True)
    broken["teamspace:kubeflowUrl"] = "ftp://nowhere"
    broken["teamspace:registry"] = {**broken["teamspace:registry"], "password": PUSH}
    write_stack(root, "sentinel-broken", broken)
    return root


def write_stack(root: Path, name: str, config: dict[str, Any]) -> None:
    (root / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))


def tool(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def scan_tree(folder: Path) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found += [f"{path.relative_to(folder)}: {s}" for s in leaks(path.read_text(errors="replace"))]
    return found


@pytest.mark.parametrize("name", ["sentinel-dev", "sentinel-prod"])
def test_plan_files_and_output_hold_no_sentinel(project, name, tmp_path):
    """`make plan` (offline.plan) with sentinel ciphertexts: no file, stdout or stderr holds one."""
    done = tool(project, "offline.plan", "--stack", name, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    files = list((tmp_path / name).glob("*.yaml"))
    assert any(path.name.startswith("Secret_") for path in files)
    assert scan_tree(tmp_path) == []
    assert leaks(done.stdout + done.stderr) == []
    assert "[secret]" in "".join(path.read_text() for path in files if path.name.startswith("Secret_"))


def test_plan_error_output_holds_no_sentinel(project, tmp_path):
    """`make plan` on an invalid stack file carrying sentinels: the error names keys, never values."""
    done = tool(project, "offline.plan", "--stack", "sentinel-broken", "--out", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "teamspace:kubeflowUrl" in done.stderr and "teamspace:registry.password" in done.stderr
    assert leaks(done.stdout + done.stderr) == []
    assert scan_tree(tmp_path) == []


def test_plan_diff_report_holds_no_sentinel(project, tmp_path):
    """`make plan-diff` between two commits with rotated sentinel passwords: the report holds none."""
    if not (PROJECT_ROOT / "offline" / "plan_diff.py").exists():
        pytest.skip("offline/plan_diff.py does not exist yet")
    repo = tmp_path / "repo"
    shutil.copytree(project, repo)
    for stale in repo.glob("Pulumi.sentinel-*.yaml"):
        stale.unlink()
    base = with_sentinels(stack("prod"), ciphertext=True)
    write_stack(repo, "sentinel", base)
    git = ["git", "-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(git + command, cwd=repo, check=True, capture_output=True)
    head = copy.deepcopy(base)  # rotate the passwords (each sentinel swapped) and change a notebook
    head["teamspace:registryPassword"], head["teamspace:pullPassword"] = {"secure": PULL}, {"secure": PUSH}
    head["teamspace:teams"]["matilda"]["notebooks"][0]["size"] = "medium"
    write_stack(repo, "sentinel", head)
    out = tmp_path / "plan-diff.md"
    done = tool(repo, "offline.plan_diff", "--base", "HEAD", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    report = out.read_text()
    assert "sentinel" in report
    assert leaks(report) == []
    assert leaks(done.stdout + done.stderr) == []
