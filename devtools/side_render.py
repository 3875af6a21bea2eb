"""Rendering one side of a plan diff: that side's own plan module, in a subprocess.

The base side's code is whatever the base commit holds, and the head's is the change under
review: both run with an environment built from RENDER_ENV only (no Pulumi passphrase or
backend, no cloud or CI tokens) and under a time limit, with their whole process group
stopped when it is exceeded or when plan-diff itself is stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# All a render needs: a PATH, a locale, a time zone and temporary space. Nothing else of the
# caller's environment is passed on.
RENDER_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
DEFAULT_TIMEOUT = 300.0
# The plan module's package, newest name first: a base commit from before the rename of
# `offline/` to `devtools/` still renders with its own plan, so its PVCs are compared.
PLAN_PACKAGES = ("devtools", "offline")


@dataclass
class Side:
    """One stack rendered at one side: file name -> document, or why there is none."""

    objects: dict[str, dict[str, Any]] | None
    note: str = ""
    """Why the side is empty although it rendered (no stack file, no plan module)."""
    error: str = ""
    """Why the side could not be rendered (objects is None)."""
    timed_out: bool = False


def plan_package(tree: Path) -> str | None:
    """The package whose `plan` module renders `tree`, or None if it has none."""
    return next((name for name in PLAN_PACKAGES if (tree / name / "plan.py").is_file()), None)


def render_env(environ: dict[str, str], isolated: bool) -> dict[str, str]:
    env = {key: environ[key] for key in RENDER_ENV if key in environ}
    if isolated:  # a throwaway tree: no bytecode caches left behind
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class Renderer:
    """Runs renders; `stop_all` ends every one still running (on Ctrl-C or SIGTERM)."""

    def __init__(self, python: str, timeout: float = DEFAULT_TIMEOUT):
        self.python, self.timeout = python, timeout
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def render(self, tree: Path, stack: str, out: Path, side: str) -> Side:
        """Render `stack` with the code in `tree`."""
        package = plan_package(tree)
        if package is None:
            return Side({}, note="no devtools/plan.py")
        if not (tree / f"Pulumi.{stack}.yaml").is_file():
            return Side({}, note=f"no Pulumi.{stack}.yaml")
        process = subprocess.Popen(
            [self.python, "-m", f"{package}.plan", "--stack", stack, "--out", str(out)],
            cwd=tree,
            env=render_env(dict(os.environ), isolated=side == "base"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        with self._lock:
            self._running.add(process)
        try:
            _, stderr = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._stop(process)
            process.communicate()
            return Side(
                None,
                error=f"the {side} side's render of stack {stack} did not finish within "
                f"{self.timeout:g} s (--timeout) and was stopped",
                timed_out=True,
            )
        finally:
            with self._lock:
                self._running.discard(process)
        if process.returncode != 0:
            return Side(None, error=error_message(stderr, process.returncode))
        objects = {}
        for path in sorted((out / stack).glob("*.yaml")):
            objects[path.name] = yaml.safe_load(path.read_text()) or {}
        return Side(objects)

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):  # it ended by itself meanwhile
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        with self._lock:
            for process in self._running:
                self._stop(process)


def error_message(stderr: str, returncode: int) -> str:
    """What devtools.plan said went wrong, without warnings and without a traceback."""
    lines = [line for line in stderr.splitlines() if not line.startswith("warning:")]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        last = next((line.strip() for line in reversed(lines) if line.strip()), "")
        return f"the plan crashed: {last}"
    start = next((i for i, line in enumerate(lines) if line.startswith("error:")), 0)
    text = "\n".join(lines[start:]).strip().removeprefix("error:").strip()
    return text or f"devtools.plan exited with code {returncode} and no message"
