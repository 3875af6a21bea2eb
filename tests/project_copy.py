"""A copy of the project at another path, and the real program run from that copy.

`devtools.runtime.run_program(program=<copy>/__main__.py)` in this process would still import
the checkout's `components` and `config` (already in sys.modules), so the copy's `images/`
would never be read. `run_copy` runs the program in a fresh interpreter whose cwd is the
copy (as under `pulumi up`) and whose `components`/`config` come from the copy.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devtools.runtime import PROJECT_ROOT, RunResult

# What `pulumi up` needs from the project directory (devtools/ and tests/ are not part of it).
PROGRAM_PARTS = ("__main__.py", "Pulumi.yaml", "config", "components", "images")

_RUNNER = r"""
import pickle, sys
from pathlib import Path
root, checkout, config_file, result_file = sys.argv[1:]
sys.path[:0] = [root, checkout]  # the copy's components/ and config/ first; devtools/ from the checkout
import components
assert Path(components.__file__).resolve().is_relative_to(Path(root).resolve()), components.__file__
from devtools.runtime import run_program
result = run_program(pickle.loads(Path(config_file).read_bytes()), program=Path(root) / "__main__.py")
if result.error is not None:  # exceptions from the SDK need not pickle
    result.error = RuntimeError(repr(result.error))
Path(result_file).write_bytes(pickle.dumps(result))
"""


def copy_project(dest: Path, extra: tuple[str, ...] = ()) -> Path:
    """Copy the program's files (and the `extra` ones that exist, e.g. `requirements`) to `dest`
    with fresh mtimes and the same permission bits, as a git checkout with all of them tracked:
    `requirements:` files are only read when git tracks them, as in a clone."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in (*PROGRAM_PARTS, *(e for e in extra if (PROJECT_ROOT / e).exists())):
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(
                source,
                dest / part,
                copy_function=shutil.copyfile,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
            for path in source.rglob("*"):
                target = dest / part / path.relative_to(source)
                if target.exists() and not path.is_symlink():
                    shutil.copymode(path, target)
        else:
            shutil.copyfile(source, dest / part)
    track_all(dest)
    return dest


def track_all(root: Path) -> None:
    """Make `root` a git checkout whose index holds every file in it (nothing committed)."""
    for command in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)


def run_copy(root: Path, config: Mapping[str, Any], timeout: float = 120) -> RunResult:
    """Run `<root>/__main__.py` under mocks with cwd `root`; the result as run_program returns it."""
    io = root.parent / f".{root.name}-run"
    io.mkdir(exist_ok=True)
    config_file, result_file = io / "config.pickle", io / "result.pickle"
    config_file.write_bytes(pickle.dumps(dict(config)))
    result_file.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(root), str(PROJECT_ROOT), str(config_file), str(result_file)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or not result_file.exists():
        raise AssertionError(f"program copy at {root} failed to run:\n{done.stderr}")
    return pickle.loads(result_file.read_bytes())
