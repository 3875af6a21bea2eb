"""The command a plaintext-secret error offers: for an entry of `teamspace:secrets` whose name
needs brackets in the key path, it is a `--path` command whose key is one quoted shell word."""

from __future__ import annotations

import re
import shlex

import pytest

from config.secrecy import file_problems, runtime_problems, stack_file_problems


def offered_command(message: str) -> list[str]:
    """The words the shell would see for the command between backticks."""
    return shlex.split(re.search(r"`([^`]*)`", message)[1])


@pytest.mark.parametrize("name", ["s3 key", "$(id)", "a'b"])
def test_a_bracketed_entry_name_gets_a_quoted_path_command(name):
    """Without `--path` the CLI would store one top-level key named `secrets["..."]`."""
    path = f'teamspace:secrets["{name}"]'
    from_file = file_problems({"teamspace:secrets": {name: "plain"}}, "Pulumi.dev.yaml")
    from_runtime = runtime_problems({"secrets": {name: "plain"}}, secret_keys=())
    for problem in (*from_file, *from_runtime):
        assert str(problem).startswith(f"{path}: is stored in plain text")
        assert offered_command(problem.message) == ["pulumi", "config", "set", "--secret", "--path", path]
    assert len(from_file) == len(from_runtime) == 1


def test_a_stack_file_is_read_for_plaintext_secrets(tmp_path):
    """`Pulumi.<stack>.yaml`'s `config:` map is checked: a plain secret is named, an encrypted one is not."""
    (tmp_path / "Pulumi.x.yaml").write_text(
        "config:\n  teamspace:registryPassword: hunter2\n  teamspace:pullPassword:\n    secure: v1:abc\n"
    )
    [problem] = stack_file_problems(tmp_path, "x")
    assert str(problem).startswith("teamspace:registryPassword: is stored in plain text in Pulumi.x.yaml;")
    assert "hunter2" not in str(problem)
