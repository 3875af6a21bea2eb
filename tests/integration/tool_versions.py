"""The versions of the real tools an integration run used, printed at the end of the run (the
closing notes quote them). `tests/conftest.py` prints them, also from pytest-xdist workers."""

from __future__ import annotations

from .tools import run

USED: dict[str, str] = {}


def record(name: str, command: list[str]) -> None:
    """Ask a tool for its version once; '?' if it cannot say."""
    if name not in USED:
        done = run(command, check=False)
        USED[name] = (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"
