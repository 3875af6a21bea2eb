"""A detached git worktree of another commit, for rendering "before" with its own code."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path


class GitError(Exception):
    """A problem with the request itself (unknown base, not a git checkout)."""


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.strip() or f'exit code {done.returncode}'}")
    return done.stdout.strip()


def default_base(cwd: Path) -> str:
    """`origin/main` if it exists, else `HEAD~1` (as the Makefile computes it)."""
    probe = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "origin/main^{commit}"],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    return "origin/main" if probe.returncode == 0 else "HEAD~1"


def resolve_commit(ref: str, cwd: Path) -> str:
    """The commit `ref` names. The ref may be hostile (a branch name from CI): it is one list
    argument after `--end-of-options`, so it can be neither an option nor shell text."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    commit = done.stdout.strip()
    if done.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise GitError(f"--base {ref!r} is not a commit here: name a branch, tag or commit (fetch it first?)")
    return commit


class BaseTree:
    """A detached worktree at `ref`, removed on exit (also when rendering fails)."""

    def __init__(self, ref: str, project_root: Path):
        self.ref = ref
        self.toplevel = Path(_git("rev-parse", "--show-toplevel", cwd=project_root)).resolve()
        self.prefix = project_root.resolve().relative_to(self.toplevel)
        self.commit = resolve_commit(ref, self.toplevel)
        self.short = self.commit[:12]
        self._tmp: Path | None = None
        self.path: Path | None = None

    def __enter__(self) -> BaseTree:
        self._tmp = Path(tempfile.mkdtemp(prefix="teamspace-plan-diff-"))
        worktree = self._tmp / "base"
        try:
            _git("worktree", "add", "--detach", str(worktree), self.commit, cwd=self.toplevel)
        except BaseException:
            self._remove(worktree)
            raise
        self.path = worktree / self.prefix
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._tmp is not None
        self._remove(self._tmp / "base")

    def _remove(self, worktree: Path) -> None:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(worktree)], cwd=self.toplevel, capture_output=True
        )
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=self.toplevel, capture_output=True)
