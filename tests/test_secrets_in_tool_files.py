"""Sentinel secrets never reach the files and output of the offline tools (make plan, make plan-diff)."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from devtools.runtime import PROJECT_ROOT

from .project_copy import copy_project
from .secret_sentinels import PULL, PUSH, leaks, stack, with_sentinels

# --- files the offline tools write (make plan, make plan-diff) -------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with the offline tools and plaintext-sentinel stack files."""
    # requirements/: files the stack configs refer to, when the project has them
    root = copy_project(tmp_path_factory.mktemp("secrets") / "teamspace", extra=("requirements",))
    shutil.copytree(
        PROJECT_ROOT / "devtools", root / "devtools", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("dev", "prod"):
        write_stack(root, f"sentinel-{name}", with_sentinels(stack(name), ciphertext=True))
    broken = with_sentinels(stack("prod"), plaintext=True)
    broken["teamspace:kubeflowUrl"] = "ftp://nowhere"
    broken["teamspace:registry"] = {**broken["teamspace:registry"], "password": PUSH}
    write_stack(root, "sentinel-broken", broken)
    return root


def write_stack(root: Path, name: str, config: dict[str, Any]) -> None:
    (root / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))


def tool(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def scan_tree(folder: Path) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found += [f"{path.relative_to(folder)}: {s}" for s in leaks(path.read_text(errors="replace"))]
    return found


@pytest.mark.parametrize("name", ["sentinel-dev", "sentinel-prod"])
def test_plan_files_and_output_hold_no_sentinel(project, name, tmp_path):
    """`make plan` (devtools.plan) with sentinel ciphertexts: no file, stdout or stderr holds one."""
    done = tool(project, "devtools.plan", "--stack", name, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    files = list((tmp_path / name).glob("*.yaml"))
    assert any(path.name.startswith("Secret_") for path in files)
    assert scan_tree(tmp_path) == []
    assert leaks(done.stdout + done.stderr) == []
    assert "[secret]" in "".join(path.read_text() for path in files if path.name.startswith("Secret_"))


def test_plan_error_output_holds_no_sentinel(project, tmp_path):
    """`make plan` on an invalid stack file carrying sentinels: the error names keys, never values."""
    done = tool(project, "devtools.plan", "--stack", "sentinel-broken", "--out", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "teamspace:kubeflowUrl" in done.stderr and "teamspace:registry.password" in done.stderr
    assert leaks(done.stdout + done.stderr) == []
    assert scan_tree(tmp_path) == []


def test_plan_diff_report_holds_no_sentinel(project, tmp_path):
    """`make plan-diff` between two commits with rotated sentinel passwords: the report holds none."""
    if not (PROJECT_ROOT / "devtools" / "plan_diff.py").exists():
        pytest.skip("devtools/plan_diff.py does not exist yet")
    repo = tmp_path / "repo"
    shutil.copytree(project, repo)
    for stale in repo.glob("Pulumi.sentinel-*.yaml"):
        stale.unlink()
    base = with_sentinels(stack("prod"), ciphertext=True)
    write_stack(repo, "sentinel", base)
    git = ["git", "-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(git + command, cwd=repo, check=True, capture_output=True)
    head = copy.deepcopy(base)  # rotate the passwords (each sentinel swapped) and change a notebook
    head["teamspace:registryPassword"], head["teamspace:pullPassword"] = {"secure": PULL}, {"secure": PUSH}
    head["teamspace:teams"]["matilda"]["notebooks"][0]["size"] = "medium"
    write_stack(repo, "sentinel", head)
    out = tmp_path / "plan-diff.md"
    done = tool(repo, "devtools.plan_diff", "--base", "HEAD", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    report = out.read_text()
    assert "sentinel" in report
    assert leaks(report) == []
    assert leaks(done.stdout + done.stderr) == []
