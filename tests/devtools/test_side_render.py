"""devtools.side_render in process: which plan module renders a tree, the allow-listed
environment a render gets, how its output and its errors are read, and that a render out of
time or stopped ends with its whole process group. The render itself stays a subprocess (the
base side's code is untrusted); here it is the stand-in plan of tests/devtools/stand_in_plan.py."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from devtools.side_render import DEFAULT_TIMEOUT, Renderer, Side, error_message, plan_package, render_env
from tests.devtools.stand_in_plan import claim, configmap, gone, wait_for_pids, write_tree


@pytest.mark.parametrize(
    "plans, package",
    [
        (["devtools/plan.py"], "devtools"),
        (["offline/plan.py"], "offline"),  # a base from before the rename of offline/
        (["offline/plan.py", "devtools/plan.py"], "devtools"),
        (["devtools/plan.py/"], None),  # a folder is not a module
        (["devtools/render.py"], None),
        ([], None),
    ],
)
def test_plan_package_prefers_devtools_then_offline(tmp_path: Path, plans: list[str], package: str | None):
    for plan in plans:
        path = tmp_path / plan
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if plan.endswith("/") else path.write_text("")
    assert plan_package(tmp_path) == package


HOSTILE_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "LC_CTYPE": "C.UTF-8",
    "TZ": "UTC",
    "TMPDIR": "/scratch",
    "PULUMI_CONFIG_PASSPHRASE": "hunter2",
    "PULUMI_ACCESS_TOKEN": "pul-123",
    "PULUMI_BACKEND_URL": "s3://state",
    "AWS_SECRET_ACCESS_KEY": "aws",
    "GITHUB_TOKEN": "ghp",
    "CI_JOB_TOKEN": "glcbt",
    "PYTHONPATH": "/evil",
    "HOME": "/root",
}


def test_render_env_passes_the_allow_list_only():
    assert render_env(HOSTILE_ENV, isolated=False) == {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LC_CTYPE": "C.UTF-8",
        "TZ": "UTC",
        "TMPDIR": "/scratch",
    }
    assert render_env({"GITHUB_TOKEN": "ghp"}, isolated=False) == {}


def test_an_isolated_render_writes_no_bytecode():
    assert render_env({"PATH": "/bin", "HOME": "/root"}, isolated=True) == {
        "PATH": "/bin",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@pytest.mark.parametrize(
    "stderr, message",
    [
        (
            "warning: a deprecation\nerror: teamspace:teams.a.size: no such size\n",
            "teamspace:teams.a.size: no such size",
        ),
        ("loading...\nerror: bad key\n  allowed: small, large\n", "bad key\n  allowed: small, large"),
        ("something broke\nwarning: ignore me\nbadly\n", "something broke\nbadly"),
        (
            'warning: w\nTraceback (most recent call last):\n  File "x.py", line 1\nValueError: boom\n\n',
            "the plan crashed: ValueError: boom",
        ),
        ("warning: only this\n", "devtools.plan exited with code 2 and no message"),
        ("error:   \n", "devtools.plan exited with code 2 and no message"),
        ("", "devtools.plan exited with code 2 and no message"),
    ],
)
def test_error_message_keeps_what_the_plan_said_went_wrong(stderr: str, message: str):
    assert error_message(stderr, 2) == message


def test_error_message_names_the_exit_code():
    assert error_message("", -9) == "devtools.plan exited with code -9 and no message"


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(sys.executable)


def test_renders_run_with_the_given_python_under_the_documented_time_limit(renderer: Renderer):
    assert (renderer.python, renderer.timeout) == (sys.executable, 300.0)
    assert DEFAULT_TIMEOUT == 300.0


def test_a_tree_without_a_plan_module_or_stack_file_renders_nothing(renderer: Renderer, tmp_path: Path):
    assert renderer.render(tmp_path, "dev", tmp_path / "out", "base") == Side({}, note="no devtools/plan.py")
    write_tree(tmp_path, {"prod": {}})
    assert renderer.render(tmp_path, "dev", tmp_path / "out", "base") == Side({}, note="no Pulumi.dev.yaml")
    assert not (tmp_path / "out").exists()


def test_a_render_reads_every_yaml_file_the_plan_wrote(renderer: Renderer, tmp_path: Path):
    objects = {
        "ConfigMap_probe_a.yaml": configmap("a", {"k": "v"}),
        "PVC_b.yaml": claim("b"),
        "Empty.yaml": None,
    }
    write_tree(tmp_path / "tree", {"dev": {"objects": {**objects, "notes.txt": "not an object"}}})
    side = renderer.render(tmp_path / "tree", "dev", tmp_path / "out", "head")
    assert side == Side({**objects, "Empty.yaml": {}})
    assert list(side.objects or {}) == ["ConfigMap_probe_a.yaml", "Empty.yaml", "PVC_b.yaml"]


@pytest.mark.parametrize("side, extra", [("base", {"PYTHONDONTWRITEBYTECODE": "1"}), ("head", {})])
def test_the_plan_sees_only_the_allow_listed_environment(
    renderer: Renderer, tmp_path: Path, monkeypatch, side: str, extra: dict[str, str]
):
    for key in ("LC_ALL", "LC_CTYPE", "TZ"):
        monkeypatch.delenv(key, raising=False)
    for key, value in HOSTILE_ENV.items():
        if key not in ("PATH", "LC_ALL", "LC_CTYPE", "TMPDIR"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    write_tree(tmp_path / "tree", {"dev": {"record_env": True}})
    rendered = renderer.render(tmp_path / "tree", "dev", tmp_path / "out", side)
    assert rendered.objects is not None
    seen = rendered.objects["ConfigMap_env.yaml"]["data"]
    assert seen == {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "TMPDIR": str(tmp_path),
        **extra,
    }
    # In a session of its own: it cannot signal plan-diff's process group, and stopping its
    # group reaches every process it started.
    assert rendered.objects["ConfigMap_process.yaml"]["data"] == {"sessionLeader": True}


def test_a_render_reads_no_input_and_prints_nothing_of_its_own(renderer: Renderer, tmp_path: Path, capfd):
    """Whatever waits on plan-diff's stdin (a terminal, a CI job's input) is not the plan's to
    read, and what the plan prints does not end up in plan-diff's report."""
    write_tree(tmp_path / "tree", {"dev": {"read_stdin": True, "print": "rendering dev...\n"}})
    typed, typing = os.pipe()
    os.write(typing, b"yes\n")
    os.close(typing)
    own_stdin = os.dup(0)
    os.dup2(typed, 0)
    try:
        side = renderer.render(tmp_path / "tree", "dev", tmp_path / "out", "head")
    finally:
        os.dup2(own_stdin, 0)
        os.close(own_stdin)
        os.close(typed)
    assert side.objects is not None
    assert side.objects["ConfigMap_stdin.yaml"]["data"] == {"read": ""}
    assert capfd.readouterr().out == ""


def test_a_finished_render_is_not_stopped_again(renderer: Renderer, tmp_path: Path, monkeypatch):
    """Once a render has ended its pid is free for another process: stop_all must not signal it."""
    signalled: list[int] = []
    monkeypatch.setattr(os, "killpg", lambda pgid, signum: signalled.append(pgid))
    write_tree(tmp_path / "tree", {"dev": {}})
    assert renderer.render(tmp_path / "tree", "dev", tmp_path / "out", "head") == Side({})
    renderer.stop_all()
    assert signalled == []


def test_a_failed_render_says_why_without_objects(renderer: Renderer, tmp_path: Path):
    stderr = "warning: old key\nerror: teamspace:teams.matilda.notebooks[0].size: 'huge' is not a size\n"
    write_tree(
        tmp_path / "tree", {"dev": {"stderr": stderr, "exit": 1, "objects": {"a.yaml": configmap("a", {})}}}
    )
    side = renderer.render(tmp_path / "tree", "dev", tmp_path / "out", "head")
    assert side == Side(None, error="teamspace:teams.matilda.notebooks[0].size: 'huge' is not a size")


def test_a_render_out_of_time_is_stopped_with_its_children(tmp_path: Path):
    pid_file = tmp_path / "pids"
    write_tree(tmp_path / "tree", {"dev": {"sleep": 60, "pid_file": str(pid_file)}})
    side = Renderer(sys.executable, timeout=0.5).render(tmp_path / "tree", "dev", tmp_path / "out", "base")
    assert side == Side(
        None,
        error="the base side's render of stack dev did not finish within 0.5 s (--timeout) and was stopped",
        timed_out=True,
    )
    plan, child = wait_for_pids(pid_file)
    assert gone(plan) and gone(child)


def test_a_render_that_ends_as_it_is_stopped_is_still_reported_out_of_time(tmp_path: Path, monkeypatch):
    # The process group can vanish between the time limit and the kill: ESRCH is no crash.
    kill = os.killpg

    def killpg_as_the_group_ends(pgid: int, signum: int) -> None:
        kill(pgid, signum)
        raise ProcessLookupError(3, "No such process")

    monkeypatch.setattr(os, "killpg", killpg_as_the_group_ends)
    write_tree(tmp_path / "tree", {"dev": {"sleep": 60, "pid_file": str(tmp_path / "pids")}})
    side = Renderer(sys.executable, timeout=0.5).render(tmp_path / "tree", "dev", tmp_path / "out", "head")
    assert side.timed_out and side.objects is None
    assert side.error.startswith("the head side's render of stack dev did not finish within 0.5 s")


def test_stop_all_ends_every_running_render_and_its_children(renderer: Renderer, tmp_path: Path):
    stacks = {stack: {"sleep": 60, "pid_file": str(tmp_path / f"{stack}.pids")} for stack in ("dev", "prod")}
    write_tree(tmp_path / "tree", stacks)
    sides: dict[str, Side] = {}

    def render(stack: str) -> None:
        sides[stack] = renderer.render(tmp_path / "tree", stack, tmp_path / "out" / stack, "head")

    threads = [threading.Thread(target=render, args=(stack,)) for stack in stacks]
    for thread in threads:
        thread.start()
    pids = [pid for stack in stacks for pid in wait_for_pids(tmp_path / f"{stack}.pids")]
    renderer.stop_all()
    for thread in threads:
        thread.join(timeout=30)
    assert sides == {
        stack: Side(None, error="devtools.plan exited with code -9 and no message") for stack in stacks
    }
    assert all(gone(pid) for pid in pids)
    renderer.stop_all()  # nothing left to stop: no error
