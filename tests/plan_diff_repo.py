"""A throwaway git repository holding a copy of the project, and runs of `devtools.plan_diff` in it.

Shared by the end-to-end plan-diff tests (tests/test_plan_diff.py, tests/test_plan_diff_hostile.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from devtools.runtime import PROJECT_ROOT

SENTINEL = "Sentinel-Pa55-7f3a9c"
PULL_SENTINEL = "Pull-Sentinel-2b8e41"
PULL_USER = "nexus-reader"

BASE_CONFIG = {
    "teamspace:kubeflowUrl": "https://kubeflow.dev.example.com",
    "teamspace:protectVolumes": True,
    "teamspace:registry": {"server": "nexus.dev.example.com:5000", "username": "nexus-pusher"},
    # The sentinels as ciphertext: the report must not show even that. (Plaintext passwords are
    # refused by the program itself: tests/test_hostile_secrets.py.)
    "teamspace:registryPassword": {"secure": SENTINEL},
    "teamspace:pullUsername": PULL_USER,
    "teamspace:pullPassword": {"secure": PULL_SENTINEL},
    "teamspace:images": {"jupyter": {"type": "jupyter"}, "rstudio": {"type": "rstudio"}},
    "teamspace:teams": {
        "matilda": {
            "volumes": {"datasets": {"size": "100Gi", "storageClass": "nfs-client"}},
            "notebooks": [
                {
                    "name": "analysis",
                    "type": "jupyter",
                    "size": "medium",
                    "homeSize": "20Gi",
                    "mounts": {"datasets": "/home/jovyan/datasets"},
                },
                {"name": "reports", "type": "rstudio"},
            ],
        },
        "vision": {"namespace": "team-vision", "notebooks": [{"name": "lab", "type": "jupyter"}]},
    },
}


def head_config() -> dict:
    config = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    teams = config["teamspace:teams"]
    analysis = teams["matilda"]["notebooks"][0]
    analysis["size"] = "large"  # changes the Notebook
    analysis["homeSize"] = "10Gi"  # shrinks a PVC
    del teams["matilda"]["notebooks"][1]  # removes a Notebook and its PVC
    teams["matilda"]["volumes"]["datasets"]["storageClass"] = "nfs-fast"  # replaces a PVC
    teams["vision"]["notebooks"].append({"name": "explore", "type": "jupyter"})  # adds a Notebook and a PVC
    return config


def write_stack(repo: Path, name: str, config: dict) -> None:
    (repo / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def project_files() -> list[str]:
    """The checkout's files (tracked, plus new ones not ignored), as `git ls-files` lists them."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted({f for f in out.split("\0") if f} | {"devtools/plan_diff.py"})


class Run:
    """One `python -m devtools.plan_diff` (or `make`) in `repo`, with a TMPDIR of its own."""

    def __init__(
        self, repo: Path, *args: str, env: dict[str, str] | None = None, command: list[str] | None = None
    ):
        self.tmpdir = repo.parent / f"tmp-{len(list(repo.parent.glob('tmp-*')))}"
        self.tmpdir.mkdir()
        self.report_file = repo / "build" / "plan-diff.md"
        environ = {**os.environ, **(env or {}), "TMPDIR": str(self.tmpdir)}
        done = subprocess.run(
            [*(command or [sys.executable, "-m", "devtools.plan_diff"]), *args],
            cwd=repo,
            env=environ,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.returncode, self.stdout, self.stderr = done.returncode, done.stdout, done.stderr
        self.report = self.report_file.read_text() if self.report_file.exists() else ""
        self.lines = self.stdout.splitlines()

    def section(self, stack: str) -> str:
        """The report's part for one stack."""
        match = re.search(rf"^## {stack}: .*?(?=^## |\Z)", self.stdout, re.S | re.M)
        assert match, f"no section for {stack} in:\n{self.stdout}"
        return match.group(0)


def copy_checkout(root: Path) -> None:
    """The checkout's files into `root` (not build/)."""
    for name in project_files():
        source = PROJECT_ROOT / name
        if source.is_file() and not name.startswith("build/"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)


def make_repo(root: Path) -> Path:
    """History: a README only (a base that cannot render); the project with BASE_CONFIG as
    Pulumi.dev.yaml; that stack file changed to head_config()."""
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("empty start\n")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "start")
    copy_checkout(root)
    write_stack(root, "dev", BASE_CONFIG)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    write_stack(root, "dev", head_config())
    git(root, "commit", "-q", "-am", "head")
    return root
