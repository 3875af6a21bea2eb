"""A detached git worktree of another commit, for rendering "before" with its own code."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional


class GitError(Exception):
    """A problem with the request itself (unknown base, not a git checkout)."""


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.strip() or f'exit code {done.returncode}'}")
    return done.stdout.strip()


def default_base(cwd: Path) -> str:
    """`origin/main` if it exists, else `HEAD~1` (as the Makefile computes it)."""
    probe = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "origin/main^{commit}"],
                           cwd=cwd, capture_output=True, text=True)
    return "origin/main" if probe.returncode == 0 else "HEAD~1"


class BaseTree:
    """A detached worktree at `ref`, removed on exit (also when rendering fails)."""

    def __init__(self, ref: str, project_root: Path):
        self.ref = ref
        self.toplevel = Path(_git("rev-parse", "--show-toplevel", cwd=project_root)).resolve()
        self.prefix = project_root.resolve().relative_to(self.toplevel)
        try:
            self.commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.toplevel)
        except GitError:
            raise GitError(f"base '{ref}' is not a commit here (fetch it first?)") from None
        self.short = self.commit[:12]
        self._tmp: Optional[Path] = None
        self.path: Optional[Path] = None

    def __enter__(self) -> "BaseTree":
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
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=self.toplevel,
                       capture_output=True)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=self.toplevel, capture_output=True)
