"""devtools.plan_diff's orchestration in process, on scratch repositories with the stand-in plan
of tests/devtools/stand_in_plan.py: which stacks are compared, each side rendered by its own
code, the secrets read from both stack files, and no render or worktree outliving plan-diff.
(tests/test_plan_diff_args.py covers the command line; tests/test_plan_diff*.py run the real
renders end to end.)"""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from devtools import plan_diff
from devtools.git_worktree import GitError
from devtools.side_render import Side
from tests.devtools.stand_in_plan import (
    claim,
    commit_all,
    configmap,
    gone,
    new_repo,
    wait_for_pids,
    write_tree,
)
from tests.plan_diff_repo import git

OLD_SECRET, NEW_SECRET = "cipher-old-1234", "cipher-new-5678"
BASE = {
    "dev": {
        "config": {
            "teamspace:registryPassword": {"secure": OLD_SECRET},
            "teamspace:pullPassword": {"secure": "abcd"},
        },
        "objects": {
            "a.yaml": configmap("a", {"k": "1"}),
            "b.yaml": configmap("b", {"k": "1"}),
            "home.yaml": claim("home-x"),
        },
    },
    "gone": {"objects": {"g.yaml": configmap("g", {})}},
}
HEAD = {
    "dev": {
        "config": {
            "teamspace:registryPassword": {"secure": NEW_SECRET},
            "teamspace:pullPassword": {"secure": "abcd"},
        },
        "objects": {
            "a.yaml": configmap("a", {"k": "2", "leak": NEW_SECRET}),  # a renderer bug the report masks
            "b.yaml": configmap("b", {"k": "1"}),
            "c.yaml": configmap("c", {}),
        },
    },
    "fresh": {"config": {"teamspace:token": {"secure": "abc"}}, "objects": {"f.yaml": configmap("f", {})}},
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """BASE committed on main by the plan module "base-code"; HEAD in the working tree, not
    committed, by "head-code"."""
    root = tmp_path / "repo"
    new_repo(root, BASE, marker="base-code")
    write_tree(root, HEAD, marker="head-code")
    return root


def run(repo: Path, base: str = "main", stacks: list[str] | None = None, **options) -> tuple:
    return plan_diff.plan_diff(base, stacks, project_root=repo, python=sys.executable, **options)


def no_worktree_left(repo: Path, scratch: Path) -> bool:
    listed = git(repo, "worktree", "list", "--porcelain").splitlines()
    return list(scratch.iterdir()) == [] and [x for x in listed if x.startswith("worktree ")] == [
        f"worktree {repo.resolve()}"
    ]


def test_stacks_are_the_stack_files_of_a_tree(tmp_path: Path):
    for name in (
        "Pulumi.dev.yaml",
        "Pulumi.prod.eu.yaml",
        "Pulumi.yaml",
        "Pulumi.dev.yaml.bak",
        "XPulumi.x.yaml",
    ):
        (tmp_path / name).write_text("")
    assert plan_diff.stacks_in(tmp_path) == {"dev", "prod.eu"}
    assert plan_diff.stacks_in(tmp_path / "missing") == set()
    assert plan_diff.stacks_in(tmp_path / "Pulumi.dev.yaml") == set()
    assert plan_diff.stacks_in(None) == set()


def test_every_stack_of_either_side_is_compared_each_with_its_own_code(repo: Path, scratch: Path):
    base_commit = git(repo, "rev-parse", "main").strip()
    diffs, commit, secrets = run(repo)
    assert commit == base_commit[:12]
    assert [d.stack for d in diffs] == ["dev", "fresh", "gone"]
    dev, fresh, gone_stack = diffs
    assert dev.added == ["ConfigMap/probe/c"]
    assert dev.removed == ["PersistentVolumeClaim/probe/home-x"]
    assert [label for label, _ in dev.changed] == ["ConfigMap/probe/a", "ConfigMap/probe/renderer"]
    renderer_diff = dict(dev.changed)["ConfigMap/probe/renderer"]
    assert "-  code: base-code\n" in renderer_diff and "+  code: head-code\n" in renderer_diff
    assert dev.pvc_destroyed and any("home-x" in flag for flag in dev.flags)
    assert dev.secrets_changed == ["teamspace:registryPassword"]
    assert fresh.base == Side({}, note="no Pulumi.fresh.yaml")
    assert fresh.added == ["ConfigMap/probe/f", "ConfigMap/probe/renderer"] and fresh.secrets_changed == []
    assert gone_stack.head == Side({}, note="no Pulumi.gone.yaml") and gone_stack.removed == [
        "ConfigMap/probe/g",
        "ConfigMap/probe/renderer",
    ]
    # Secrets of both sides' stack files, the ones too short to mask left out.
    assert secrets == {OLD_SECRET, NEW_SECRET, "abcd"}
    assert no_worktree_left(repo, scratch)


def test_only_the_named_stacks_are_rendered(repo: Path, scratch: Path):
    diffs, _, secrets = run(repo, stacks=["gone", "nowhere"])
    assert [d.stack for d in diffs] == ["gone", "nowhere"]
    nowhere = diffs[1]
    assert (nowhere.base, nowhere.head) == (Side({}, note="no Pulumi.nowhere.yaml"),) * 2
    assert secrets == set()
    assert no_worktree_left(repo, scratch)


def test_unchanged_secrets_are_not_listed(repo: Path, scratch: Path):
    write_tree(repo, BASE, marker="base-code")
    (dev,) = run(repo, stacks=["dev"])[0]
    assert (dev.added, dev.changed, dev.removed, dev.secrets_changed) == ([], [], [], [])


def test_a_base_without_a_plan_module_has_no_objects(repo: Path, scratch: Path):
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rfq", "--cached", ".")
    (repo / "README").write_text("nothing to render yet\n")
    git(repo, "add", "README")
    git(repo, "commit", "-qm", "empty")
    git(repo, "checkout", "-qf", "main")
    write_tree(repo, HEAD, marker="head-code")
    (dev,) = run(repo, base="empty", stacks=["dev"])[0]
    assert dev.base == Side({}, note="no devtools/plan.py")
    assert dev.added == [
        "ConfigMap/probe/a",
        "ConfigMap/probe/b",
        "ConfigMap/probe/c",
        "ConfigMap/probe/renderer",
    ]


def test_a_side_that_fails_to_render_is_reported_not_compared(repo: Path, scratch: Path):
    broken = {**BASE, "dev": {**BASE["dev"], "stderr": "error: teamspace:teams: bad\n", "exit": 1}}
    write_tree(repo, broken, marker="base-code")
    base = commit_all(repo, "a base that does not render")
    write_tree(repo, HEAD, marker="head-code")
    (dev,) = run(repo, base=base, stacks=["dev"])[0]
    assert dev.base == Side(None, error="teamspace:teams: bad")
    assert not dev.compared and dev.added == [] and dev.secrets_changed == ["teamspace:registryPassword"]


def test_a_render_out_of_time_is_stopped_and_named_by_its_side(repo: Path, scratch: Path):
    write_tree(repo, {"dev": {"sleep": 5, "pid_file": str(repo.parent / "base.pids")}})
    base = commit_all(repo, "a slow base")
    write_tree(repo, HEAD, marker="head-code")
    seen: set[str] = set()
    done = threading.Event()

    def watch_scratch() -> None:  # the folders plan-diff works in, named for it
        while not done.is_set():
            seen.update(
                path.name.rstrip("0123456789abcdefghijklmnopqrstuvwxyz_") for path in scratch.iterdir()
            )
            time.sleep(0.01)

    watcher = threading.Thread(target=watch_scratch)
    watcher.start()
    try:
        (dev,) = run(repo, base=base, stacks=["dev"], timeout=1)[0]
    finally:
        done.set()
        watcher.join()
    assert dev.base == Side(
        None,
        error="the base side's render of stack dev did not finish within 1 s (--timeout) and was stopped",
        timed_out=True,
    )
    assert dev.head.objects is not None and not dev.compared
    assert seen == {"teamspace-plan-diff-", "teamspace-plan-diff-out-"}
    assert no_worktree_left(repo, scratch)


def test_a_hostile_base_is_refused_before_anything_renders(repo: Path, scratch: Path):
    with pytest.raises(GitError, match=r"^--base '--output=x; touch pwned' is not a commit here"):
        run(repo, base="--output=x; touch pwned")
    assert no_worktree_left(repo, scratch) and not (repo / "pwned").exists()


class Stopped(BaseException):
    """What a signal handler raises in the main thread (as plan-diff's SIGTERM handler does)."""


def test_an_interrupted_plan_diff_stops_its_renders_and_removes_the_worktree(repo: Path, scratch: Path):
    pid_files = {side: repo.parent / f"{side}.pids" for side in ("base", "head")}
    write_tree(repo, {"dev": {"sleep": 60, "pid_file": str(pid_files["base"])}})
    commit_all(repo, "slow base")
    write_tree(repo, {"dev": {"sleep": 60, "pid_file": str(pid_files["head"])}})

    def stop(signum, frame):
        raise Stopped

    previous = signal.signal(signal.SIGUSR1, stop)
    try:
        threading.Thread(target=send_when_rendering, args=(pid_files.values(), signal.SIGUSR1)).start()
        with pytest.raises(Stopped):
            run(repo, base="main")
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert all(gone(pid) for path in pid_files.values() for pid in wait_for_pids(path))
    assert no_worktree_left(repo, scratch)


def send_when_rendering(pid_files, signum: int) -> None:
    for path in pid_files:  # both sides render at once
        wait_for_pids(path)
    os.kill(os.getpid(), signum)


@pytest.fixture
def main_on(monkeypatch, scratch: Path):
    """`plan_diff.main` working on a scratch repository; its SIGTERM handler removed afterwards."""
    previous = signal.getsignal(signal.SIGTERM)

    def on(repo: Path):
        monkeypatch.setattr(plan_diff, "plan_diff", functools.partial(plan_diff.plan_diff, project_root=repo))
        return plan_diff.main

    yield on
    signal.signal(signal.SIGTERM, previous)


def test_main_writes_the_masked_report_and_fails_on_claim_deletion_as_asked(
    repo: Path, main_on, tmp_path, capsys
):
    out = tmp_path / "report" / "plan-diff.md"
    assert main_on(repo)(["--base", "main", "--out", str(out), "--fail-on-pvc-delete"]) == 2
    printed = capsys.readouterr()
    assert printed.out == out.read_text()
    assert "!! dev:" in printed.out and "home-x" in printed.out
    assert "Secret config changed (values not shown): `teamspace:registryPassword`" in printed.out
    assert NEW_SECRET not in printed.out and "+  leak: [secret]\n" in printed.out
    assert printed.err.startswith("plan-diff: a PersistentVolumeClaim's data is at risk")
    assert main_on(repo)(["--base", "main", "--out", str(out)]) == 0


def test_sigterm_stops_main_with_128_plus_its_number_and_leaves_nothing_behind(
    repo: Path, main_on, scratch: Path, tmp_path: Path
):
    pid_file = tmp_path / "head.pids"
    write_tree(repo, {"dev": {"sleep": 60, "pid_file": str(pid_file)}})
    out = tmp_path / "plan-diff.md"
    out.write_text("a stale report")
    threading.Thread(target=send_when_rendering, args=([pid_file], signal.SIGTERM)).start()
    with pytest.raises(SystemExit) as stopped:
        main_on(repo)(["--base", "main", "--stacks", "dev", "--out", str(out)])
    assert stopped.value.code == 128 + signal.SIGTERM
    assert all(gone(pid) for pid in wait_for_pids(pid_file))
    assert no_worktree_left(repo, scratch) and not out.exists()
