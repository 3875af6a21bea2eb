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

Exit 0, or 2 with --fail-on-pvc-delete when a claim disappears or is replaced;
1 when the base cannot be resolved. A side that cannot be rendered (e.g. invalid config)
is reported in the diff, not as a crash. No network, no cluster.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from .stack_config import REDACTED

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "plan-diff.md"
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.yaml$")
PVC = "PersistentVolumeClaim"
# Changing any of these makes pulumi-kubernetes replace a claim (delete, then create): see
# forceNewProperties of the v4 provider. Requests may change in place (growing only).
PVC_REPLACE_FIELDS = ("accessModes", "selector", "storageClassName", "volumeName")
# Config keys whose plaintext values must never appear in a report.
SECRET_KEY = re.compile(r"(?i)(password|passwd|passphrase|secret|token|credential|api_?key|private_?key)s?$")
# Config the Pulumi CLI would pass through the environment; a render must only see the stack file.
PULUMI_ENV = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")
_QUANTITY = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$")
_UNITS = {
    "Ki": Decimal(2**10), "Mi": Decimal(2**20), "Gi": Decimal(2**30), "Ti": Decimal(2**40),
    "Pi": Decimal(2**50), "Ei": Decimal(2**60), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
}


class PlanDiffError(Exception):
    """A problem with the request itself (unknown base, not a git checkout)."""


@dataclass
class Side:
    """One stack rendered at one side: file name -> document, or why there is none."""

    objects: Optional[dict[str, dict[str, Any]]]
    note: str = ""
    """Why the side is empty although it rendered (no stack file, no offline/plan.py)."""
    error: str = ""
    """Why the side could not be rendered (objects is None)."""


@dataclass
class StackDiff:
    stack: str
    base: Side
    head: Side
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    pvc_destroyed: bool = False

    @property
    def compared(self) -> bool:
        return self.base.objects is not None and self.head.objects is not None

    @property
    def summary(self) -> str:
        if not self.compared:
            failed = [name for name, side in (("base", self.base), ("head", self.head)) if side.objects is None]
            return f"{self.stack}: not compared ({' and '.join(failed)} could not be rendered)"
        return f"{self.stack}: +{len(self.added)} ~{len(self.changed)} -{len(self.removed)}"


# ------------------------------------------------------------------------------- git


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise PlanDiffError(f"git {' '.join(args)}: {done.stderr.strip() or f'exit code {done.returncode}'}")
    return done.stdout.strip()


def default_base(cwd: Path = ROOT) -> str:
    """`origin/main` if it exists, else `HEAD~1` (as the Makefile computes it)."""
    probe = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "origin/main^{commit}"],
                           cwd=cwd, capture_output=True, text=True)
    return "origin/main" if probe.returncode == 0 else "HEAD~1"


class BaseTree:
    """A detached worktree at `ref`, removed on exit (also when rendering fails)."""

    def __init__(self, ref: str, project_root: Path = ROOT):
        self.ref = ref
        self.toplevel = Path(_git("rev-parse", "--show-toplevel", cwd=project_root)).resolve()
        self.prefix = project_root.resolve().relative_to(self.toplevel)
        try:
            self.commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.toplevel)
        except PlanDiffError:
            raise PlanDiffError(f"base '{ref}' is not a commit here (fetch it first?)") from None
        self.short = self.commit[:12]
        self._tmp: Optional[Path] = None
        self.path: Optional[Path] = None

    def __enter__(self) -> "BaseTree":
        self._tmp = Path(tempfile.mkdtemp(prefix="teamspace-plan-diff-"))
        worktree = self._tmp / "base"
        try:
            _git("worktree", "add", "--detach", str(worktree), self.commit, cwd=self.toplevel)
        except BaseException:
            self._remove(worktree)
            raise
        self.path = worktree / self.prefix
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._tmp is not None
        self._remove(self._tmp / "base")

    def _remove(self, worktree: Path) -> None:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=self.toplevel,
                       capture_output=True)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=self.toplevel, capture_output=True)


# ---------------------------------------------------------------------------- render


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


# --------------------------------------------------------------------------- compare


def redact_document(document: dict[str, Any]) -> dict[str, Any]:
    """Belt and braces: Secret data and registry passwords, whatever the side rendered."""
    if document.get("kind") == "Secret":
        document = dict(document)
        for key in ("data", "stringData"):
            if isinstance(document.get(key), dict):
                document[key] = {k: REDACTED for k in document[key]}
            elif key in document:
                document[key] = REDACTED
    inputs = document.get("inputs")
    if isinstance(inputs, dict) and isinstance(inputs.get("registry"), dict) and "password" in inputs["registry"]:
        document = {**document, "inputs": {**inputs, "registry": {**inputs["registry"], "password": REDACTED}}}
    return document


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(redact_document(document), sort_keys=True)


def object_label(file_name: str, document: dict[str, Any]) -> str:
    """`Kind/namespace/name` (namespace `_cluster` if none), or `Type/pulumi-name`."""
    meta = document.get("metadata")
    if "kind" in document and isinstance(meta, dict):
        return f"{document['kind']}/{meta.get('namespace') or '_cluster'}/{meta.get('name')}"
    return Path(file_name).stem.replace("_", "/", 1)


def parse_quantity(text: Any) -> Optional[Decimal]:
    match = _QUANTITY.match(str(text).strip()) if text is not None else None
    return Decimal(match["num"]) * _UNITS[match["suffix"] or ""] if match else None


def _storage(document: dict[str, Any]) -> Any:
    spec = document.get("spec") or {}
    return ((spec.get("resources") or {}).get("requests") or {}).get("storage")


def _options(document: dict[str, Any]) -> dict[str, bool]:
    options = document.get("x-pulumi-options") or {}
    return {"protect": bool(options.get("protect")), "retainOnDelete": bool(options.get("retainOnDelete"))}


def _destroy_consequence(options: dict[str, bool]) -> str:
    if options["protect"]:
        return ("protect is set, so `pulumi up` stops with an error on it until someone runs "
                "`pulumi state unprotect`")
    if options["retainOnDelete"]:
        return ("retainOnDelete is set, so Pulumi forgets the claim and leaves it, with its data, "
                "in the cluster unmanaged")
    return "neither protect nor retainOnDelete is set: `pulumi up` DELETES the claim and the data on it"


def _flag_list(options: dict[str, bool]) -> str:
    return ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in options.items())


def compare(stack: str, base: Side, head: Side) -> StackDiff:
    diff = StackDiff(stack, base, head)
    if not diff.compared:
        return diff
    assert base.objects is not None and head.objects is not None
    for name in sorted(set(base.objects) | set(head.objects)):
        old, new = base.objects.get(name), head.objects.get(name)
        label = object_label(name, new if new is not None else old)
        if old is None:
            diff.added.append(label)
            continue
        if new is None:
            diff.removed.append(label)
            if old.get("kind") == PVC:
                options = _options(old)
                diff.pvc_destroyed = True
                diff.flags.append(f"!! {stack}: {label} DISAPPEARS (old claim: {_flag_list(options)}); "
                                  f"{_destroy_consequence(options)}.")
            continue
        old_text, new_text = dump(old), dump(new)
        if old_text == new_text:
            continue
        lines = difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                     fromfile=f"base/{stack}/{name}", tofile=f"head/{stack}/{name}")
        diff.changed.append((label, "".join(line if line.endswith("\n") else line + "\n" for line in lines)))
        if new.get("kind") == PVC:
            diff.flags += _pvc_change_flags(stack, label, old, new, diff)
    return diff


def _pvc_change_flags(stack: str, label: str, old: dict, new: dict, diff: StackDiff) -> list[str]:
    flags = []
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    replaced = [f for f in PVC_REPLACE_FIELDS if old_spec.get(f) != new_spec.get(f)]
    if replaced:
        diff.pvc_destroyed = True
        options = _options(old)
        flags.append(f"!! {stack}: {label} is REPLACED (delete, then create) because spec."
                     f"{', spec.'.join(replaced)} cannot change in place (old claim: {_flag_list(options)}); "
                     f"{_destroy_consequence(options)}.")
    before, after = _storage(old), _storage(new)
    old_size, new_size = parse_quantity(before), parse_quantity(after)
    if old_size is not None and new_size is not None and new_size < old_size:
        flags.append(f"!! {stack}: {label} SHRINKS from {before} to {after}; Kubernetes rejects "
                     "shrinking a claim, so `pulumi up` will fail on it.")
    return flags


# ---------------------------------------------------------------------------- secrets


def secret_values(stack_files: Iterable[Path]) -> set[str]:
    """Plaintext secrets a stack file may hold: password-like keys and `secure:` values."""
    found: set[str] = set()

    def collect(value: Any, sensitive: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                collect(item, sensitive or key == "secure" or bool(SECRET_KEY.search(str(key))))
        elif isinstance(value, list):
            for item in value:
                collect(item, sensitive)
        elif sensitive and isinstance(value, str) and len(value) >= 4:
            found.add(value)

    for path in stack_files:
        try:
            document = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(document, dict):
            collect(document.get("config") or {}, False)
    return found


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


# ----------------------------------------------------------------------------- report


def _fence(text: str, info: str) -> str:
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def report(diffs: list[StackDiff], base_ref: str, base_commit: str) -> str:
    out = ["# Plan diff", "",
           f"Base `{base_ref}` (`{base_commit}`) → head: the working tree. Every stack rendered offline "
           "under Pulumi mocks with each side's own code; secret values appear only as `[secret]`.", "",
           _fence("\n".join(d.summary for d in diffs) or "(no stacks)", "text"), ""]
    flagged = sum(len(d.flags) for d in diffs)
    if flagged:
        out += [f"**{flagged} PersistentVolumeClaim warning(s): see the lines starting with `!!`.**", ""]
    for d in diffs:
        out += [f"## {d.summary}", ""]
        for name, side in (("base", d.base), ("head", d.head)):
            if side.note:
                out += [f"_{name}: {side.note}; that side has no objects._", ""]
            if side.objects is None:
                out += [f"!! {d.stack}: the {name} side could not be rendered, so nothing is compared:", "",
                        _fence(side.error, "text"), ""]
        for flag in d.flags:
            out += [flag, ""]
        if d.compared and not (d.added or d.changed or d.removed):
            out += ["No changes.", ""]
        if d.added:
            out += [f"### Added ({len(d.added)})", ""] + [f"- `{label}`" for label in d.added] + [""]
        if d.changed:
            out += [f"### Changed ({len(d.changed)})", ""]
            for label, text in d.changed:
                out += [f"#### `{label}`", "", _fence(text, "diff"), ""]
        if d.removed:
            out += [f"### Removed ({len(d.removed)})", ""] + [f"- `{label}`" for label in d.removed] + [""]
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------------------- main


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
        secrets = secret_values(tree / f"Pulumi.{stack}.yaml" for stack in names for tree in trees.values())
    diffs = [compare(stack, sides[(stack, "base")], sides[(stack, "head")]) for stack in names]
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
    base_ref = args.base or default_base()
    stacks = [s.strip() for s in args.stacks.split(",") if s.strip()] if args.stacks else None
    args.out.unlink(missing_ok=True)  # never leave a stale report behind for CI to post
    try:
        diffs, commit, secrets = plan_diff(base_ref, stacks)
    except PlanDiffError as problem:
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
