"""`make plan-diff`: what a change does to each stack's rendered plan, for review.

    python -m offline.plan_diff --base REF [--fail-on-pvc-delete] [--stacks dev,prod] [--out build/plan-diff.md]

Renders every stack (each `Pulumi.<stack>.yaml` at either side) twice, offline, with each
side's own code: at REF in a temporary detached `git worktree`, and at the working tree.
Each render is `<python> -m offline.plan --stack S --out DIR` in a subprocess whose working
directory is that side's tree, so the two sides never share Python modules. The objects are
then compared file by file: added, removed, changed (with a unified diff of the YAML).

PersistentVolumeClaims hold user data, so every claim that disappears, is replaced (a change
to a field pulumi-kubernetes cannot update in place), or shrinks is flagged on a line that
starts with `!!`.

Secret values are never printed: the rendered files already show them as "[secret]"; this
tool also redacts Secret data and registry passwords it finds in a document, and masks any
plaintext secret of the stack files (keys named like a password or token, `secure:` values).
A secret that changed between the two stack files (rotated, set, removed) is listed by its
config key only, since the rendered objects look the same on both sides.

Exit 0, or 2 with --fail-on-pvc-delete when a claim disappears or is replaced;
1 when the base cannot be resolved. A side that cannot be rendered (e.g. invalid config)
is reported in the diff, not as a crash. No network, no cluster.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from .git_worktree import BaseTree, GitError, default_base
from .manifest_diff import Side, StackDiff, compare, report
from .stack_config import REDACTED

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "plan-diff.md"
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.yaml$")
# Config keys whose plaintext values must never appear in a report.
SECRET_KEY = re.compile(r"(?i)(password|passwd|passphrase|secret|token|credential|api_?key|private_?key)s?$")
# Config the Pulumi CLI would pass through the environment; a render must only see the stack file.
PULUMI_ENV = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")


def stacks_in(tree: Optional[Path]) -> set[str]:
    if tree is None or not tree.is_dir():
        return set()
    return {m["stack"] for p in tree.iterdir() if (m := STACK_FILE.match(p.name))}


def render(tree: Path, stack: str, out: Path, python: str = sys.executable, isolated: bool = False) -> Side:
    """Render `stack` with the code in `tree` (a subprocess of that tree's offline.plan)."""
    if not (tree / "offline" / "plan.py").is_file():
        return Side({}, note="no offline/plan.py")
    if not (tree / f"Pulumi.{stack}.yaml").is_file():
        return Side({}, note=f"no Pulumi.{stack}.yaml")
    env = {k: v for k, v in os.environ.items() if k not in PULUMI_ENV}
    if isolated:  # a throwaway tree: no bytecode caches left behind
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run([python, "-m", "offline.plan", "--stack", stack, "--out", str(out)],
                          cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return Side(None, error=_error_message(done.stderr, done.returncode))
    folder = out / stack
    objects = {}
    for path in sorted(folder.glob("*.yaml")):
        objects[path.name] = yaml.safe_load(path.read_text()) or {}
    return Side(objects)


def _error_message(stderr: str, returncode: int) -> str:
    """What offline.plan said went wrong, without warnings and without a traceback."""
    lines = [line for line in stderr.splitlines() if not line.startswith("warning:")]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        last = next((line.strip() for line in reversed(lines) if line.strip()), "")
        return f"the plan crashed: {last}"
    start = next((i for i, line in enumerate(lines) if line.startswith("error:")), 0)
    text = "\n".join(lines[start:]).strip().removeprefix("error:").strip()
    return text or f"offline.plan exited with code {returncode} and no message"


def secret_config(path: Path) -> dict[str, str]:
    """Config path -> value of every secret a stack file holds: `secure:` ciphertexts and
    plaintext under password-like keys. Only the paths are ever shown."""
    found: dict[str, str] = {}

    def collect(value: Any, at: str, sensitive: bool) -> None:
        if isinstance(value, dict):
            if set(value) == {"secure"} and isinstance(value["secure"], str):
                found[at] = value["secure"]
                return
            for key, item in value.items():
                collect(item, f"{at}.{key}" if at else str(key),
                        sensitive or key == "secure" or bool(SECRET_KEY.search(str(key))))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                collect(item, f"{at}[{index}]", sensitive)
        elif sensitive and isinstance(value, str):
            found[at] = value

    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return found
    if isinstance(document, dict):
        collect(document.get("config") or {}, "", False)
    return found


def _differing(base: dict[str, str], head: dict[str, str]) -> list[str]:
    return sorted(key for key in base.keys() | head.keys() if base.get(key) != head.get(key))


def changed_secrets(base_file: Path, head_file: Path) -> list[str]:
    """Config paths whose secret value differs between the two stack files (set, removed,
    rotated or re-encrypted). The rendered objects cannot show it: both sides say [secret]."""
    if not (base_file.is_file() and head_file.is_file()):
        return []
    return _differing(secret_config(base_file), secret_config(head_file))


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def plan_diff(base_ref: str, stacks: Optional[list[str]] = None, project_root: Path = ROOT,
              python: str = sys.executable) -> tuple[list[StackDiff], str, set[str]]:
    """Render and compare; returns (per-stack diffs, base commit, secrets to mask)."""
    base_tree = BaseTree(base_ref, project_root)
    with base_tree, tempfile.TemporaryDirectory(prefix="teamspace-plan-diff-out-") as scratch:
        assert base_tree.path is not None
        trees = {"base": base_tree.path, "head": project_root}
        names = sorted(stacks_in(base_tree.path) | stacks_in(project_root)) if stacks is None else stacks
        jobs = [(stack, side) for stack in names for side in trees]
        workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                job: pool.submit(render, trees[job[1]], job[0], Path(scratch) / job[1] / job[0], python,
                                 job[1] == "base")
                for job in jobs
            }
            sides = {job: future.result() for job, future in futures.items()}
        # Each stack file is read once: its secrets are masked in the report, and the ones that
        # differ between the sides (when both files exist) are listed by key.
        files = {job: trees[job[1]] / f"Pulumi.{job[0]}.yaml" for job in jobs}
        configs = {job: secret_config(path) for job, path in files.items()}
        secrets = {value for config in configs.values() for value in config.values() if len(value) >= 4}
        diffs = [compare(stack, sides[(stack, "base")], sides[(stack, "head")],
                         _differing(configs[(stack, "base")], configs[(stack, "head")])
                         if files[(stack, "base")].is_file() and files[(stack, "head")].is_file() else [])
                 for stack in names]
    return diffs, base_tree.short, secrets


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # runs the cleanup of the worktree


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=None, help="git ref to compare with (default: origin/main, else HEAD~1)")
    parser.add_argument("--fail-on-pvc-delete", action="store_true",
                        help="exit 2 when a PersistentVolumeClaim disappears or is replaced")
    parser.add_argument("--stacks", default=None, help="comma-separated stacks (default: every Pulumi.<stack>.yaml)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the Markdown report")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    base_ref = args.base or default_base(ROOT)
    stacks = [s.strip() for s in args.stacks.split(",") if s.strip()] if args.stacks else None
    args.out.unlink(missing_ok=True)  # never leave a stale report behind for CI to post
    try:
        diffs, commit, secrets = plan_diff(base_ref, stacks)
    except GitError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    text = mask(report(diffs, base_ref, commit), secrets)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text, end="")
    if args.fail_on_pvc_delete and any(d.pvc_destroyed for d in diffs):
        print(f"plan-diff: a PersistentVolumeClaim would be destroyed (see `!!` above); failing as asked "
              f"(--fail-on-pvc-delete). Report: {args.out}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
