"""A `requirements:` file (on an image or a notebook): which files may be read, and reading one.

Its text becomes the PIP_REQUIREMENTS build arg, so it is written to `build/<stack>/`, the
plan-diff report CI posts on a pull request, `pulumi preview --diff` and the image history.
A path is therefore only read when it names a regular file that git tracks inside this
repository: never a symlink (a one-line PR could point one at /proc/self/environ), never
anything under `.git/` (remote URLs, tokens in `.git/config`), never outside the repository,
never more than MAX_BYTES, only UTF-8 text, and only package specs (no pip options such as
`--index-url`, config/packages.py). Git is asked without a shell, with the path
as one literal argument (`--literal-pathspecs`: no glob or `:(magic)` pathspec).
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Annotated

from .packages import requirements_text_problem
from .quoting import shown
from .refusing import refusing

MAX_BYTES = 64 * 1024
MAX_PATH = 255
_TRACKED_MODES = ("100644", "100755")  # git's regular files; 120000 is a symlink, 160000 a submodule
_TEXT_CONTROLS = {"\t", "\n", "\r"}


def path_problem(value: str) -> str | None:
    """Why `value` cannot be a requirements path, from its spelling alone; None if it can be."""
    parts = value.split("/")
    if len(value) > MAX_PATH:
        return f"'{shown(value)}' is longer than {MAX_PATH} characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return f"'{shown(value)}' contains control characters"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        # A lone surrogate (JSON config may carry one) names no file git would list: refused
        # here, it cannot reach os.lstat as undecodable bytes or crash encoding for it.
        return f"'{shown(value)}' is not Unicode text (it holds a lone surrogate)"
    if value.startswith("/") or "\\" in value or any(part in ("", ".", "..") for part in parts):
        return f"'{shown(value)}' must be a path inside this repository, relative to its root (no '..')"
    if any(part.lower() == ".git" for part in parts):
        return f"'{shown(value)}' is inside .git/, which is never read"
    return None


RequirementsPath = Annotated[str, refusing(path_problem)]


def requirements_problem(root: Path, relative: str) -> str | None:
    """Why the file at `relative` (under `root`) may not be read; None when it may be."""
    try:
        read_requirements(root, relative)
    except ValueError as refused:
        return str(refused)
    return None


def read_requirements(root: Path, relative: str) -> str:
    """The text of a requirements file that passes every rule of this module; ValueError otherwise."""
    problem = path_problem(relative)
    if problem:
        raise ValueError(problem)
    where = f"'{relative}'"
    target = root
    for part in relative.split("/"):  # lstat each level: a symlinked directory is refused too
        target = target / part
        try:
            info = os.lstat(target)
        except OSError:
            raise ValueError(f"file {where} not found (paths are relative to the project root)") from None
        if stat.S_ISLNK(info.st_mode):
            raise ValueError(
                f"{where} is or goes through a symlink; only regular files in the repository are read"
            )
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"{where} is not a regular file")
    if not target.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"{where} resolves outside the repository")
    if info.st_size > MAX_BYTES:
        raise ValueError(f"{where} is {info.st_size} bytes; at most {MAX_BYTES} (64 KiB) allowed")
    _require_tracked(root, relative)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags)
    except OSError:  # replaced since it was checked, e.g. by a symlink (O_NOFOLLOW)
        raise ValueError(f"{where} changed while it was being read") from None
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{where} is larger than {MAX_BYTES} bytes (64 KiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not UTF-8 text") from None
    if any(ord(ch) < 32 and ch not in _TEXT_CONTROLS for ch in text):
        raise ValueError(f"{where} is not text (it contains control characters or NUL bytes)")
    problem = requirements_text_problem(text)
    if problem:
        raise ValueError(f"{where}: {problem}")
    return text


def _require_tracked(root: Path, relative: str) -> None:
    """`relative` is a regular file in git's index of the checkout at `root`."""
    # GIT_DIR, GIT_INDEX_FILE etc. from the caller's environment would point git elsewhere.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    command = [
        "git",
        "-c",
        "core.fsmonitor=false",
        "--literal-pathspecs",
        "-C",
        str(root),
        "ls-files",
        "--stage",
        "-z",
        "--",
        relative,
    ]
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        raise ValueError(
            f"'{relative}' cannot be checked: git is not available to confirm it is tracked"
        ) from None
    if done.returncode != 0:
        raise ValueError(
            f"'{relative}' cannot be checked: the project is not a git checkout "
            "(requirements files must be committed)"
        )
    for entry in done.stdout.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if path.decode("utf-8", "replace") == relative:
            if meta.split(b" ")[0].decode() in _TRACKED_MODES:
                return
            raise ValueError(f"'{relative}' is tracked by git, but not as a regular file")
    raise ValueError(f"'{relative}' is not tracked by git; commit it (only committed files are read)")
