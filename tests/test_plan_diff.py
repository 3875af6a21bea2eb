"""`python -m devtools.plan_diff` end to end, in a throwaway git repository holding a copy of the
project (tests/plan_diff_repo.py): the base with a controlled Pulumi.dev.yaml, and a head that
adds a notebook, changes a size, removes a notebook, shrinks a home volume and changes a team
volume's storage class. Each CLI run renders in subprocesses (about 1-2 s per stack and side),
so runs are shared.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import yaml

from .plan_diff_repo import BASE_CONFIG, PULL_SENTINEL, PULL_USER, SENTINEL, Run, git, make_repo, write_stack


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("plan-diff") / "repo")


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
    for label in (
        "Notebook/matilda/analysis",
        "PersistentVolumeClaim/matilda/analysis-workspace",
        "PersistentVolumeClaim/matilda/datasets",
    ):
        assert f"#### `{label}`" in changed
    assert (
        "```diff\n--- base/dev/Notebook_matilda_analysis.yaml\n+++ head/dev/Notebook_matilda_analysis.yaml"
        in changed
    )
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
    worktrees = [
        line
        for line in git(repo, "worktree", "list", "--porcelain").splitlines()
        if line.startswith("worktree ")
    ]
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


def test_base_without_a_plan_module_is_empty(repo: Path) -> None:
    """A base that has no devtools/plan.py renders nothing: every object is added and no PVC disappears."""
    run = Run(repo, "--base", "HEAD~2", "--stacks", "dev", "--fail-on-pvc-delete")
    assert run.returncode == 0, run.stderr
    summary = next(line for line in run.lines if line.startswith("dev: "))
    assert re.fullmatch(r"dev: \+\d+ ~0 -0", summary)
    assert "_base: no devtools/plan.py; that side has no objects._" in run.stdout
    assert not any(line.startswith("!!") and "PersistentVolumeClaim" in line for line in run.lines)


def test_invalid_config_is_reported_not_raised(repo: Path) -> None:
    """A stack new at head with a bad config: the base is empty, the head's error is shown, no traceback."""
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
    assert "teamspace:teams.vision.notebooks[0] (lab).size" in run.stdout and "'huge'" in run.stdout
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


def test_unknown_base_is_an_error(repo: Path) -> None:
    """A base that is not a commit exits 1 with a message and leaves no report behind."""
    run = Run(repo, "--base", "no-such-ref", "--stacks", "dev")
    assert run.returncode == 1
    assert "base 'no-such-ref' is not a commit" in run.stderr
    assert not run.report_file.exists()
