"""A scratch git repository whose `devtools/plan.py` is a stand-in renderer, for the in-process
tests of plan-diff's and image-builds' orchestration (tests/devtools/).

The stand-in takes the place of the real plan module (a whole-program render per stack, seconds
each; tests/test_plan_diff*.py run that end to end). It is run the way the real one is, by
devtools.side_render in a subprocess, and writes what the tree's `rendered.json` lists for the
stack; it can also fail, print, read its stdin, record its environment or wait, as a `make plan` may.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import yaml

from tests.plan_diff_repo import git

PLAN = """\
import json, os, sys

MARKER = {marker!r}
assert sys.argv[1::2] == ["--stack", "--out"], sys.argv  # as devtools.side_render calls it
stack, out = sys.argv[2], sys.argv[4]
with open("rendered.json") as rendered:
    spec = json.load(rendered)[stack]
stdin_read = sys.stdin.read() if spec.get("read_stdin") else None
print(spec.get("print", ""), end="", flush=True)
if spec.get("pid_file"):  # its own pid and a child's, which must not outlive a stopped render
    import subprocess, time

    child = subprocess.Popen(["sleep", "60"])
    with open(spec["pid_file"] + ".tmp", "w") as pids:
        pids.write(f"{{os.getpid()}} {{child.pid}}")
    os.replace(spec["pid_file"] + ".tmp", spec["pid_file"])
    time.sleep(spec.get("sleep", 0))
sys.stderr.write(spec.get("stderr", ""))
if spec.get("exit"):
    sys.exit(spec["exit"])
objects = dict(spec.get("objects", {{}}))
probe = {{"apiVersion": "v1", "kind": "ConfigMap"}}
if MARKER:
    objects["ConfigMap_renderer.yaml"] = {{**probe, "metadata": {{"namespace": "probe", "name": "renderer"}},
                                          "data": {{"code": MARKER}}}}
if spec.get("record_env"):
    objects["ConfigMap_env.yaml"] = {{**probe, "metadata": {{"namespace": "probe", "name": "env"}},
                                     "data": dict(os.environ)}}
    objects["ConfigMap_process.yaml"] = {{**probe, "metadata": {{"namespace": "probe", "name": "process"}},
                                         "data": {{"sessionLeader": os.getsid(0) == os.getpid()}}}}
if stdin_read is not None:
    objects["ConfigMap_stdin.yaml"] = {{**probe, "metadata": {{"namespace": "probe", "name": "stdin"}},
                                       "data": {{"read": stdin_read}}}}
os.makedirs(os.path.join(out, stack))
for name, document in objects.items():
    with open(os.path.join(out, stack, name), "w") as file:
        json.dump(document, file)
"""


def configmap(name: str, data: dict[str, str], namespace: str = "probe") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"namespace": namespace, "name": name},
        "data": data,
    }


def claim(name: str, namespace: str = "probe", size: str = "10Gi") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"namespace": namespace, "name": name},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}},
    }


def write_tree(tree: Path, stacks: dict[str, dict[str, Any]], marker: str = "") -> None:
    """The stand-in plan module, and per stack its stack file (`config`, default none) and what
    the plan renders (the rest of the spec). Stack files of other stacks are removed."""
    (tree / "devtools").mkdir(parents=True, exist_ok=True)
    (tree / "devtools" / "plan.py").write_text(PLAN.format(marker=marker))
    for old in tree.glob("Pulumi.*.yaml"):
        old.unlink()
    for stack, spec in stacks.items():
        (tree / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": spec.get("config", {})}))
    rendered = {stack: {k: v for k, v in spec.items() if k != "config"} for stack, spec in stacks.items()}
    (tree / "rendered.json").write_text(json.dumps(rendered))


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def new_repo(path: Path, stacks: dict[str, dict[str, Any]], marker: str = "") -> str:
    """A repository at `path` whose one commit (branch main) holds `stacks`; returns the commit."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write_tree(path, stacks, marker)
    return commit_all(path, "base")


def wait_for_pids(pid_file: Path) -> tuple[int, int]:
    """The stand-in's pid and its child's, once it has started (`pid_file` in its spec)."""
    deadline = time.monotonic() + 60
    while not pid_file.exists():
        assert time.monotonic() < deadline, "the render did not start"
        time.sleep(0.02)
    plan, child = pid_file.read_text().split()
    return int(plan), int(child)


def gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped by init has ended too)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.02)
    return False
