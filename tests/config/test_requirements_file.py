"""config/requirements_file.py: which requirements paths are read, each refusal with its exact
message, against a scratch git checkout (the attacks through the program: test_hostile_files.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from config.requirements_file import (
    MAX_BYTES,
    MAX_PATH,
    path_problem,
    read_requirements,
    requirements_problem,
)

GOOD = "requirements/good.txt"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    (root / "requirements").mkdir(parents=True)
    (root / GOOD).write_text("pandas==2.2.3\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def add(root: Path, relative: str, data: bytes) -> None:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(data)
    git(root, "add", "--", relative)


@pytest.mark.parametrize("value", [GOOD, "a b.txt", "a" * MAX_PATH, "x/.gitignore", "r\ud7ff\ue000.txt"])
def test_paths_that_may_be_read(value):
    assert path_problem(value) is None


INSIDE = "must be a path inside this repository, relative to its root (no '..')"


@pytest.mark.parametrize(
    "value, message",
    [
        ("a\x1fb", "contains control characters"),
        ("a\x7fb", "contains control characters"),
        ("r\udcff.txt", "is not Unicode text (it holds a lone surrogate)"),
        ("r\ud800.txt", "is not Unicode text (it holds a lone surrogate)"),
        ("r\udfff.txt", "is not Unicode text (it holds a lone surrogate)"),
        ("/etc/passwd", INSIDE),
        ("a\\b", INSIDE),
        ("a//b", INSIDE),
        ("./a", INSIDE),
        ("a/../b", INSIDE),
        ("", INSIDE),
        (".git/config", "is inside .git/, which is never read"),
        ("a/.GIT/HEAD", "is inside .git/, which is never read"),
    ],
)
def test_paths_refused_by_spelling(value, message):
    assert path_problem(value) == f"'{value.encode('unicode_escape').decode('ascii')}' {message}"


def test_an_overlong_path():
    assert path_problem("a" * (MAX_PATH + 1)).endswith("...(256 characters)' is longer than 255 characters")


def test_a_tracked_text_file_is_read(repo):
    assert read_requirements(repo, GOOD) == "pandas==2.2.3\n"
    assert requirements_problem(repo, GOOD) is None
    largest = b"numpy\t\r\n#" + b"x" * (MAX_BYTES - 10) + b"\n"
    add(repo, "big.txt", largest)
    assert read_requirements(repo, "big.txt") == largest.decode()


def test_git_is_asked_about_this_checkout_only(repo, monkeypatch):
    monkeypatch.setenv("GIT_DIR", str(repo / "nowhere"))
    assert requirements_problem(repo, GOOD) is None


def test_a_path_is_a_literal_pathspec(repo):
    (repo / "requirements" / "*.txt").write_text("numpy\n")
    assert requirements_problem(repo, "requirements/*.txt") == (
        "'requirements/*.txt' is not tracked by git; commit it (only committed files are read)"
    )


@pytest.mark.parametrize(
    "relative, message",
    [
        ("missing.txt", "file 'missing.txt' not found (paths are relative to the project root)"),
        (
            "requirements/missing.txt",
            "file 'requirements/missing.txt' not found (paths are relative to the project root)",
        ),
        ("requirements", "'requirements' is not a regular file"),
        ("..x", "file '..x' not found (paths are relative to the project root)"),
    ],
)
def test_what_is_not_there_or_not_a_file(repo, relative, message):
    assert requirements_problem(repo, relative) == message


def test_a_spelling_problem_comes_first(repo):
    assert requirements_problem(repo, "../x") == f"'../x' {INSIDE}"


def test_symlinks_are_never_followed(repo):
    (repo / "link.txt").symlink_to(repo / GOOD)
    (repo / "linked").symlink_to(repo / "requirements")
    for relative in ("link.txt", "linked/good.txt"):
        assert requirements_problem(repo, relative) == (
            f"'{relative}' is or goes through a symlink; only regular files in the repository are read"
        )


def test_a_file_larger_than_the_limit(repo):
    add(repo, "big.txt", b"#" * (MAX_BYTES + 1))
    assert requirements_problem(repo, "big.txt") == (
        f"'big.txt' is {MAX_BYTES + 1} bytes; at most {MAX_BYTES} (64 KiB) allowed"
    )


def test_only_committed_regular_files(repo):
    (repo / "untracked.txt").write_text("numpy\n")
    assert requirements_problem(repo, "untracked.txt") == (
        "'untracked.txt' is not tracked by git; commit it (only committed files are read)"
    )
    (repo / "was-link.txt").symlink_to(repo / GOOD)
    git(repo, "add", "was-link.txt")
    os.unlink(repo / "was-link.txt")
    (repo / "was-link.txt").write_text("numpy\n")
    assert requirements_problem(repo, "was-link.txt") == (
        "'was-link.txt' is tracked by git, but not as a regular file"
    )


def test_outside_a_git_checkout(tmp_path):
    (tmp_path / "r.txt").write_text("numpy\n")
    assert requirements_problem(tmp_path, "r.txt") == (
        "'r.txt' cannot be checked: the project is not a git checkout (requirements files must be committed)"
    )


def test_without_git(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    assert requirements_problem(repo, GOOD) == (
        f"'{GOOD}' cannot be checked: git is not available to confirm it is tracked"
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"numpy\xff\n", "is not UTF-8 text"),
        (b"numpy\x00\n", "is not text (it contains control characters or NUL bytes)"),
        (b"numpy\x1f\n", "is not text (it contains control characters or NUL bytes)"),
        (
            b"numpy\n--index-url http://evil\n",
            ": line 2 is a pip option; only package specs (and --hash) are allowed, as options "
            "such as --index-url would fetch packages from elsewhere",
        ),
    ],
)
def test_only_package_specs_in_text(repo, data, message):
    add(repo, "r.txt", data)
    separator = "" if message.startswith(":") else " "
    assert requirements_problem(repo, "r.txt") == f"'r.txt'{separator}{message}"


@pytest.fixture
def after_git(monkeypatch):
    """Runs a change to the checkout right after git was asked (between the checks and the read)."""
    changes = []
    run = subprocess.run

    def run_then_change(*args, **kwargs):
        done = run(*args, **kwargs)
        while changes:
            changes.pop()()
        return done

    monkeypatch.setattr(subprocess, "run", run_then_change)
    return changes


def test_a_file_swapped_for_a_symlink_after_the_checks_is_not_followed(repo, after_git):
    secret = repo.parent / "secret.txt"
    secret.write_text("CANARY==1\n")

    def swap():
        os.unlink(repo / GOOD)
        (repo / GOOD).symlink_to(secret)

    after_git.append(swap)
    assert requirements_problem(repo, GOOD) == f"'{GOOD}' changed while it was being read"


def test_a_file_grown_after_the_checks_is_refused(repo, after_git):
    after_git.append(lambda: (repo / GOOD).write_bytes(b"#" * (MAX_BYTES + 1)))
    assert requirements_problem(repo, GOOD) == f"'{GOOD}' is larger than {MAX_BYTES} bytes (64 KiB)"


def test_a_file_named_like_an_option_is_read_as_a_path(repo):
    add(repo, "-x.txt", b"numpy==2.1.3\n")
    assert read_requirements(repo, "-x.txt") == "numpy==2.1.3\n"


def test_the_checkouts_fsmonitor_hook_is_never_run(repo, tmp_path):
    """A cloned project's git config may name an fsmonitor command, which `ls-files` would run."""
    marker = tmp_path / "hook-ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    assert requirements_problem(repo, GOOD) is None
    assert not marker.exists()


def test_git_gets_a_minute_at_most(repo, monkeypatch):
    """A git that hangs (a network file system, a lock) must not hang the program."""
    given: list[float | None] = []
    run = subprocess.run

    def recording_run(*args, **kwargs):
        given.append(kwargs.get("timeout"))
        return run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording_run)
    assert requirements_problem(repo, GOOD) is None
    assert given == [60]
