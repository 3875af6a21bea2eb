"""Issue 11.7: secrets are secret.

The attacks: a password committed in plain text (`teamspace:registryPassword: hunter2`), and
a plaintext entry hidden beside an encrypted one in `teamspace:secrets` (the CLI then marks
the whole map secret, so only the stack file shows it). Both are ConfigErrors naming the key
and giving the `pulumi config set --secret` command, and no message, log or file holds the
value. Pulls falling back to the push credential log exactly one warning.
"""

from __future__ import annotations

import shutil

import pytest

from config import ConfigError
from config.secrecy import file_problems, stack_file_problems
from devtools.runtime import PROJECT_ROOT, run_program
from devtools.stack_config import Secret, read_stack_file, to_runtime

from .harness import minimal_config, stack_config
from .project_copy import copy_project
from .secret_sentinels import OTHER, PULL, PUSH, leaks, scan_run, stack, with_sentinels
from .test_secrets_in_tool_files import tool, write_stack

COMMITTED = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in PROJECT_ROOT.glob("Pulumi.*.yaml"))


def refused(config) -> ConfigError:
    result = run_program(config)
    assert isinstance(result.error, ConfigError), repr(result.error)
    assert result.registrations == []
    assert scan_run(result) == []  # no sentinel in the error, logs or anything registered
    return result.error


@pytest.mark.parametrize(
    "key,value,command",
    [
        ("registryPassword", PUSH, "pulumi config set --secret teamspace:registryPassword"),
        ("pullPassword", PULL, "pulumi config set --secret teamspace:pullPassword"),
    ],
)
def test_plaintext_password_is_refused(key, value, command):
    """A password in plain text: a ConfigError at its key with the command; the value never printed."""
    overrides = {key: value}
    if key == "pullPassword":
        overrides["pullUsername"] = "reader"
    error = refused(minimal_config(**overrides))
    [problem] = [p for p in error.problems if p.path == key]
    assert command in problem.message and "plain text" in problem.message


def test_plaintext_secrets_entries_are_refused_each_by_name():
    """`teamspace:secrets` in plain text: each entry is named, with a --path command."""
    error = refused(minimal_config(secrets={"s3-key": OTHER, "db": OTHER + "2"}))
    assert {p.path for p in error.problems} == {"secrets.s3-key", "secrets.db"}
    assert "pulumi config set --secret --path teamspace:secrets.s3-key" in str(error)


def test_secret_marked_values_pass():
    """The same values marked secret (as `secure:` gives them) are accepted."""
    result = run_program(
        minimal_config(secrets={"s3-key": Secret(OTHER)}, pullUsername="r", pullPassword=Secret(PULL))
    )
    assert result.error is None


def test_a_plaintext_sibling_of_a_secure_entry_is_seen_only_in_the_file():
    """Under the CLI one `secure:` value makes the whole map secret (to_runtime mirrors it), so the
    runtime cannot tell; the stack file check can, and names only the plaintext entry."""
    config = {"teamspace:secrets": {"ok": {"secure": "v1:abc"}, "leaky": OTHER}}
    _, secret_keys = to_runtime(config)
    assert "teamspace:secrets" in secret_keys  # what the program is told: all secret
    [problem] = file_problems(config, "Pulumi.dev.yaml")
    assert problem.path == "secrets.leaky" and OTHER not in problem.message
    assert "in Pulumi.dev.yaml" in problem.message


def test_plan_refuses_plaintext_in_the_stack_file(tmp_path):
    """`make plan` on a stack file with a plaintext password and a plaintext sibling in secrets:
    exit 1, every key named, no sentinel in the output, nothing written."""
    root = copy_project(tmp_path / "teamspace", extra=("requirements",))
    shutil.copytree(
        PROJECT_ROOT / "devtools", root / "devtools", ignore=shutil.ignore_patterns("__pycache__")
    )
    config = with_sentinels(stack("prod"), ciphertext=True)
    config["teamspace:registryPassword"] = PUSH
    config["teamspace:secrets"] = {"fine": {"secure": "v1:abc"}, "leaky": OTHER}
    write_stack(root, "hostile", config)
    done = tool(root, "devtools.plan", "--stack", "hostile", "--out", str(tmp_path / "out"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "teamspace:registryPassword: is stored in plain text" in done.stderr
    assert "teamspace:secrets.leaky: is stored in plain text in Pulumi.hostile.yaml" in done.stderr
    assert "secrets.fine" not in done.stderr and "Traceback" not in done.stderr
    assert leaks(done.stdout + done.stderr) == []
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_stacks_carry_no_plaintext_secret(name):
    """The example stacks hold only `secure:` values under the secret keys."""
    assert file_problems(read_stack_file(PROJECT_ROOT / f"Pulumi.{name}.yaml"), f"Pulumi.{name}.yaml") == []


def test_stack_file_with_aliases_is_not_expanded(tmp_path):
    """An alias bomb in the stack file is refused by the reader, never expanded."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    (tmp_path / "Pulumi.bomb.yaml").write_text(f"config:\n  teamspace:x: 1\n{bomb}")
    [problem] = stack_file_problems(tmp_path, "bomb")
    assert "aliases" in problem.message
    assert stack_file_problems(tmp_path, "absent") == []


# --- the pull fallback warning ------------------------------------------------------------------


def fallback_warnings(result) -> list[str]:
    return [message for level, message in result.logs if level == "warning" and "push credential" in message]


def test_pull_fallback_logs_exactly_one_warning():
    """Several teams pulling with the push credential: one warning (not one per team), no secret in it."""
    config = minimal_config(
        teams={
            name: {"notebooks": [{"name": "lab", "type": "jupyter"}]} for name in ("data", "vision", "nlp")
        }
    )
    result = run_program(config)
    assert result.error is None
    [warning] = fallback_warnings(result)
    assert "pullUsername" in warning and leaks(warning) == []
    assert len(fallback_warnings(run_program(stack_config("dev")))) == 1


def test_no_fallback_warning_with_a_pull_credential():
    assert fallback_warnings(run_program(stack_config("prod"))) == []
    assert fallback_warnings(run_program(minimal_config(pullUsername="r", pullPassword=Secret(PULL)))) == []
