"""plan-diff against a base from before `offline/` was renamed `devtools/`.

The base side runs the base commit's own plan module. A base that still has it under its
old package name must render with it, or every PVC of that stack would look new and a
real deletion in the same change would go unreported.
"""

from __future__ import annotations

import re
from pathlib import Path

from devtools.side_render import plan_package

from .plan_diff_repo import BASE_CONFIG, Run, copy_checkout, git, write_stack


def rename_package(root: Path, old: str, new: str) -> None:
    """Move package `old` to `new` in `root`, rewriting its own imports of itself."""
    git(root, "mv", old, new)
    for module in (root / new).glob("*.py"):
        text = module.read_text()
        module.write_text(re.sub(rf"\b{old}\.(?=[a-z_])", f"{new}.", text))


def test_base_with_the_old_package_name_renders_with_its_own_plan(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    copy_checkout(root)
    write_stack(root, "dev", BASE_CONFIG)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "project")
    rename_package(root, "devtools", "offline")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base: the package under its old name")
    assert plan_package(root) == "offline"
    rename_package(root, "offline", "devtools")
    # The head drops a notebook: its PVC goes away, which only a rendered base can show.
    config = {**BASE_CONFIG, "teamspace:teams": {**BASE_CONFIG["teamspace:teams"]}}
    config["teamspace:teams"]["vision"] = {"namespace": "team-vision", "notebooks": []}
    write_stack(root, "dev", config)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "head")

    run = Run(root, "--base", "HEAD~1", "--stacks", "dev", "--fail-on-pvc-delete")

    assert run.returncode == 2, run.stdout + run.stderr
    assert "dev: +0 ~0 -2" in run.lines
    assert "no devtools/plan.py" not in run.stdout
    assert any(line.startswith("!!") and "team-vision/lab-workspace" in line for line in run.lines)


def test_a_tree_without_either_package_has_no_plan(tmp_path: Path) -> None:
    (tmp_path / "offline").mkdir()
    assert plan_package(tmp_path) is None
    (tmp_path / "offline" / "plan.py").write_text("")
    assert plan_package(tmp_path) == "offline"
    (tmp_path / "devtools").mkdir()
    (tmp_path / "devtools" / "plan.py").write_text("")
    assert plan_package(tmp_path) == "devtools"
