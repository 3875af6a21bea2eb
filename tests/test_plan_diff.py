"""`python -m offline.plan_diff` end to end, in a throwaway git repository holding a copy of the project.

History of the throwaway repo:
  1. a README only (no offline/plan.py: a base that cannot render),
  2. the project with a controlled Pulumi.dev.yaml (the base),
  3. that stack file edited: a notebook added, a size changed, a notebook removed, a home
     volume shrunk, a team volume's storage class changed (the head, committed).
Each CLI run renders in subprocesses (about 1-2 s per stack and side), so runs are shared.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from offline.runtime import PROJECT_ROOT

SENTINEL = "Sentinel-Pa55-7f3a9c"
PULL_SENTINEL = "Pull-Sentinel-2b8e41"
PULL_USER = "nexus-reader"

BASE_CONFIG = {
    "teamspace:kubeflowUrl": "https://kubeflow.dev.example.com",
    "teamspace:protectVolumes": True,
    "teamspace:registry": {"server": "nexus.dev.example.com:5000", "username": "nexus-pusher"},
    # Plaintext on purpose: the report must not show them although nothing encrypts them.
    "teamspace:registryPassword": SENTINEL,
    "teamspace:pullUsername": PULL_USER,
    "teamspace:pullPassword": PULL_SENTINEL,
    "teamspace:images": {"jupyter": {"type": "jupyter"}, "rstudio": {"type": "rstudio"}},
    "teamspace:teams": {
        "matilda": {
            "volumes": {"datasets": {"size": "100Gi", "storageClass": "nfs-client"}},
            "notebooks": [
                {"name": "analysis", "type": "jupyter", "size": "medium", "homeSize": "20Gi",
                 "mounts": {"datasets": "/home/jovyan/datasets"}},
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
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def project_files() -> list[str]:
    """The checkout's files (tracked, plus new ones not ignored), as `git ls-files` lists them."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=PROJECT_ROOT, check=True, capture_output=True, text=True).stdout
    return sorted({f for f in out.split("\0") if f} | {"offline/plan_diff.py"})


class Run:
    def __init__(self, repo: Path, *args: str):
        self.tmpdir = repo.parent / f"tmp-{len(list(repo.parent.glob('tmp-*')))}"
        self.tmpdir.mkdir()
        self.report_file = repo / "build" / "plan-diff.md"
        env = {**os.environ, "TMPDIR": str(self.tmpdir)}
        done = subprocess.run([sys.executable, "-m", "offline.plan_diff", *args], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)
        self.returncode, self.stdout, self.stderr = done.returncode, done.stdout, done.stderr
        self.report = self.report_file.read_text() if self.report_file.exists() else ""
        self.lines = self.stdout.splitlines()

    def section(self, stack: str) -> str:
        """The report's part for one stack."""
        match = re.search(rf"^## {stack}: .*?(?=^## |\Z)", self.stdout, re.S | re.M)
        assert match, f"no section for {stack} in:\n{self.stdout}"
        return match.group(0)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plan-diff") / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("empty start\n")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "start")
    for name in project_files():
        source = PROJECT_ROOT / name
        if source.is_file() and not name.startswith("build/"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    write_stack(root, "dev", BASE_CONFIG)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    write_stack(root, "dev", head_config())
    git(root, "commit", "-q", "-am", "head")
    return root


@pytest.fixture(scope="module")
def failing(repo: Path) -> Run:
    """Every stack, default base (no origin/main here, so HEAD~1), failing on a PVC delete."""
    return Run(repo, "--fail-on-pvc-delete")


def test_summary_lines_and_exit_code_two(failing: Run) -> None:
    """One summary line per stack with added/changed/removed counts; a destroyed PVC exits 2."""
    assert failing.returncode == 2, failing.stderr
    assert "dev: +2 ~3 -2" in failing.lines
    assert "prod: +0 ~0 -0" in failing.lines
    assert "Base `HEAD~1`" in failing.stdout
    assert "PersistentVolumeClaim" in failing.stderr and "Traceback" not in failing.stderr


def test_added_changed_removed_sections(failing: Run) -> None:
    """Objects are grouped per stack into Added, Changed (with a YAML diff) and Removed."""
    dev = failing.section("dev")
    added = dev.split("### Added (2)")[1].split("###")[0]
    assert "`Notebook/team-vision/explore`" in added
    assert "`PersistentVolumeClaim/team-vision/explore-workspace`" in added
    changed = dev.split("### Changed (3)")[1].split("### Removed")[0]
    for label in ("Notebook/matilda/analysis", "PersistentVolumeClaim/matilda/analysis-workspace",
                  "PersistentVolumeClaim/matilda/datasets"):
        assert f"#### `{label}`" in changed
    assert "```diff\n--- base/dev/Notebook_matilda_analysis.yaml\n+++ head/dev/Notebook_matilda_analysis.yaml" in changed
    assert re.search(r"^-\s+memory: 8Gi$", changed, re.M) and re.search(r"^\+\s+memory: 16Gi$", changed, re.M)
    assert re.search(r"^-\s+storage: 20Gi\n\+\s+storage: 10Gi$", changed, re.M)
    removed = dev.split("### Removed (2)")[1]
    assert "`Notebook/matilda/reports`" in removed
    assert "`PersistentVolumeClaim/matilda/reports-workspace`" in removed
    assert "No changes." in failing.section("prod")


def test_pvc_destroy_replace_and_shrink_are_flagged(failing: Run) -> None:
    """Every PVC that disappears, is replaced or shrinks gets its own `!!` line naming its protection."""
    flags = [line for line in failing.lines if line.startswith("!!")]
    assert len(flags) == 3, flags
    gone = next(f for f in flags if "reports-workspace" in f)
    assert "DISAPPEARS" in gone and "protect=yes, retainOnDelete=yes" in gone
    shrink = next(f for f in flags if "analysis-workspace" in f)
    assert "SHRINKS from 20Gi to 10Gi" in shrink
    replaced = next(f for f in flags if "PersistentVolumeClaim/matilda/datasets" in f)
    assert "REPLACED" in replaced and "spec.storageClassName" in replaced


def test_report_file_matches_stdout_and_leaks_no_secret(failing: Run) -> None:
    """The Markdown report equals what was printed; no password, plain or base64, appears anywhere."""
    assert failing.report == failing.stdout
    encoded = base64.b64encode(f"{PULL_USER}:{PULL_SENTINEL}".encode()).decode()
    for text in (failing.stdout, failing.stderr, failing.report):
        for secret in (SENTINEL, PULL_SENTINEL, encoded):
            assert secret not in text


def test_worktree_and_temporary_files_are_removed(repo: Path, failing: Run) -> None:
    """After the run only the main worktree is registered and the temporary directory is empty."""
    worktrees = [line for line in git(repo, "worktree", "list", "--porcelain").splitlines()
                 if line.startswith("worktree ")]
    assert worktrees == [f"worktree {repo}"]
    assert list(failing.tmpdir.iterdir()) == []


def test_without_the_flag_a_pvc_delete_still_exits_zero(repo: Path) -> None:
    """Without --fail-on-pvc-delete the same diff (one stack, explicit base and out) exits 0."""
    out = repo / "build" / "custom.md"
    run = Run(repo, "--base", "HEAD~1", "--stacks", "dev", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "dev: +2 ~3 -2" in run.lines and not any(line.startswith("prod:") for line in run.lines)
    assert sum(line.startswith("!!") for line in run.lines) == 3
    assert out.read_text() == run.stdout


def test_base_without_offline_plan_is_empty(repo: Path) -> None:
    """A base that has no offline/plan.py renders nothing: every object is added and no PVC disappears."""
    run = Run(repo, "--base", "HEAD~2", "--stacks", "dev", "--fail-on-pvc-delete")
    assert run.returncode == 0, run.stderr
    summary = next(line for line in run.lines if line.startswith("dev: "))
    assert re.fullmatch(r"dev: \+\d+ ~0 -0", summary)
    assert "_base: no offline/plan.py; that side has no objects._" in run.stdout
    assert not any(line.startswith("!!") and "PersistentVolumeClaim" in line for line in run.lines)


def test_invalid_config_is_reported_not_raised(repo: Path) -> None:
    """A stack new at head with a bad config: the base is empty, the head's error message is shown, no traceback."""
    broken = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    broken["teamspace:teams"]["vision"]["notebooks"][0]["size"] = "huge"
    write_stack(repo, "staging", broken)
    try:
        run = Run(repo, "--base", "HEAD", "--stacks", "staging", "--fail-on-pvc-delete")
    finally:
        (repo / "Pulumi.staging.yaml").unlink()
    assert run.returncode == 0, run.stderr
    assert "staging: not compared (head could not be rendered)" in run.lines
    assert "_base: no Pulumi.staging.yaml; that side has no objects._" in run.stdout
    assert "teamspace:teams.vision.notebooks[0].size" in run.stdout and "'huge'" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    for secret in (SENTINEL, PULL_SENTINEL):
        assert secret not in run.stdout


def test_a_rotated_secret_is_listed_by_key_only(repo: Path) -> None:
    """A new `secure:` ciphertext (and a new plaintext password) is named by its config key; no
    value, old or new, is printed, and nothing else counts as changed."""
    stack_file = repo / "Pulumi.prod.yaml"
    original = stack_file.read_text()
    document = yaml.safe_load(original)
    document["config"]["teamspace:registryPassword"] = {"secure": "v1:Rotated-Ciphertext-91c2"}
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))
    try:
        run = Run(repo, "--base", "HEAD", "--stacks", "prod")
    finally:
        stack_file.write_text(original)
    assert run.returncode == 0, run.stderr
    assert "prod: +0 ~0 -0 (secrets changed: 1)" in run.lines
    section = run.section("prod")
    assert "Secret config changed (values not shown): `teamspace:registryPassword`." in section
    assert "No changes." not in section
    old = yaml.safe_load(original)["config"]["teamspace:registryPassword"]["secure"]
    for value in ("Rotated-Ciphertext-91c2", old):
        assert value not in run.stdout


def test_changed_secret_paths(tmp_path: Path):
    """Which secret config paths differ: ciphertexts, plaintext under password-like keys, nested maps."""
    from offline.plan_diff import changed_secrets

    def stack(name: str, config: dict) -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"config": config}))
        return path

    base = stack("base.yaml", {
        "teamspace:pullPassword": {"secure": "v1:aaaa"}, "teamspace:registryPassword": "plain-one",
        "teamspace:secrets": {"s3": {"secure": "v1:bbbb"}, "gone": {"secure": "v1:cccc"}},
        "teamspace:kubeflowUrl": "https://a.example.com"})
    head = stack("head.yaml", {
        "teamspace:pullPassword": {"secure": "v1:aaaa"}, "teamspace:registryPassword": "plain-two",
        "teamspace:secrets": {"s3": {"secure": "v1:dddd"}, "new": {"secure": "v1:eeee"}},
        "teamspace:kubeflowUrl": "https://b.example.com"})
    assert changed_secrets(base, head) == [
        "teamspace:registryPassword", "teamspace:secrets.gone", "teamspace:secrets.new", "teamspace:secrets.s3"]
    assert changed_secrets(base, base) == []
    assert changed_secrets(base, tmp_path / "missing.yaml") == []


def test_unknown_base_is_an_error(repo: Path) -> None:
    """A base that is not a commit exits 1 with a message and leaves no report behind."""
    run = Run(repo, "--base", "no-such-ref", "--stacks", "dev")
    assert run.returncode == 1
    assert "base 'no-such-ref' is not a commit" in run.stderr
    assert not run.report_file.exists()


def test_a_claim_that_changes_identity_is_flagged_unless_aliased():
    """A PVC whose URN changes without an alias (e.g. a renamed team key) is a destroy; with an alias it is not."""
    from offline.manifest_diff import Side, compare
    from offline.render import rendered_objects

    from .harness import Template, minimal_config

    def render(team, **notebook):
        config = minimal_config(teams={team: {"namespace": "data", "notebooks": [
            {"name": "lab", "type": "jupyter", **notebook}]}})
        return Side(rendered_objects(Template.synth(config).result))

    moved = compare("dev", render("data"), render("renamed"))
    assert moved.pvc_destroyed and any("changes its Pulumi identity (data-lab-home -> renamed-lab-home)" in f
                                       for f in moved.flags), moved.flags
    renamed = compare("dev", render("data", name="lab"), render("data", name="lab2", previousName="lab"))
    assert not renamed.pvc_destroyed and not renamed.flags, renamed.flags

    def render_team(key, **team):
        config = minimal_config(teams={key: {"namespace": "data", **team, "notebooks": [
            {"name": "lab", "type": "jupyter"}]}})
        return Side(rendered_objects(Template.synth(config).result))

    rekeyed = compare("dev", render_team("data"), render_team("renamed", previousKey="data"))
    assert not rekeyed.pvc_destroyed and not rekeyed.flags, rekeyed.flags
