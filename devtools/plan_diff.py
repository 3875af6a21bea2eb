"""`make plan-diff`: what a change does to each stack's rendered plan, for review.

    python -m devtools.plan_diff [--base REV] [--fail-on-pvc-delete] [--stacks dev,prod]
                                [--out build/plan-diff.md] [--timeout SECONDS] [--from-env]

Renders every stack (each `Pulumi.<stack>.yaml` at either side) twice, offline, with each
side's own code: at REV in a temporary detached `git worktree`, and at the working tree.
The base side's code is executed: each render is `<python> -m devtools.plan --stack S --out
DIR` in a subprocess whose working directory is that side's tree, with an environment built
from an allow-list (devtools.side_render.RENDER_ENV) and a time limit. The objects are then
compared by the id each rendered file records: added, removed, changed (a unified diff).

What `pulumi up` would do to user data (claims deleted, replaced, shrunk, unprotected, a
notebook opening another's home) is on lines starting `!!` (devtools.claim_warnings).

Secret values are never printed: the rendered files already show them as "[secret]"; Secret
data and registry passwords are redacted again, and every secret of the stack files is masked
in the final report (devtools.secret_mask). A secret that changed between the two stack files
is listed by its config key only.

REV must name a commit (`git rev-parse --verify --end-of-options REV^{commit}`, no shell).
`--from-env` takes REV from TEAMSPACE_PLAN_DIFF_BASE and further options from
TEAMSPACE_PLAN_DIFF_FLAGS (split as a shell would, never run by one): how `make plan-diff`
hands over BASE and PLAN_DIFF_FLAGS, which may hold a hostile branch name.

Exit 0; 2 with --fail-on-pvc-delete when a `!!` line puts data at risk; 1 when an argument
is wrong or a render ran out of time. A side that cannot be rendered (e.g. invalid config)
is reported in the diff, not as a crash. No network, no cluster.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .git_worktree import BaseTree, GitError, default_base
from .manifest_diff import StackDiff, compare, report
from .secret_mask import MIN_MASKED, differing, mask, secret_config
from .side_render import DEFAULT_TIMEOUT, Renderer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "plan-diff.md"
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.yaml$")
STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
BASE_ENV, FLAGS_ENV = "TEAMSPACE_PLAN_DIFF_BASE", "TEAMSPACE_PLAN_DIFF_FLAGS"


class UsageError(Exception):
    """A wrong argument; the message names it."""


def stacks_in(tree: Path | None) -> set[str]:
    if tree is None or not tree.is_dir():
        return set()
    return {m["stack"] for p in tree.iterdir() if (m := STACK_FILE.match(p.name))}


def plan_diff(
    base_ref: str,
    stacks: list[str] | None = None,
    project_root: Path = ROOT,
    python: str = sys.executable,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[list[StackDiff], str, set[str]]:
    """Render and compare; returns (per-stack diffs, base commit, secrets to mask)."""
    base_tree = BaseTree(base_ref, project_root)
    renderer = Renderer(python, timeout)
    with base_tree, tempfile.TemporaryDirectory(prefix="teamspace-plan-diff-out-") as scratch:
        assert base_tree.path is not None
        trees = {"base": base_tree.path, "head": project_root}
        names = sorted(stacks_in(base_tree.path) | stacks_in(project_root)) if stacks is None else stacks
        jobs = [(stack, side) for stack in names for side in trees]
        workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                job: pool.submit(
                    renderer.render, trees[job[1]], job[0], Path(scratch) / job[1] / job[0], job[1]
                )
                for job in jobs
            }
            try:
                sides = {job: future.result() for job, future in futures.items()}
            except BaseException:  # Ctrl-C or SIGTERM: no render outlives plan-diff
                renderer.stop_all()
                raise
        # Each stack file is read once: its secrets are masked in the report, and the ones that
        # differ between the sides (when both files exist) are listed by key.
        files = {job: trees[job[1]] / f"Pulumi.{job[0]}.yaml" for job in jobs}
        configs = {job: secret_config(path) for job, path in files.items()}
        secrets = {
            value for config in configs.values() for value in config.values() if len(value) >= MIN_MASKED
        }
        diffs = [
            compare(
                stack,
                sides[(stack, "base")],
                sides[(stack, "head")],
                differing(configs[(stack, "base")], configs[(stack, "head")])
                if files[(stack, "base")].is_file() and files[(stack, "head")].is_file()
                else [],
            )
            for stack in names
        ]
    return diffs, base_tree.short, secrets


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # runs the cleanup of the worktree and of running renders


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default=None, help="git revision to compare with (default: origin/main, else HEAD~1)"
    )
    parser.add_argument(
        "--fail-on-pvc-delete",
        action="store_true",
        help="exit 2 when a `!!` line puts a claim's data at risk",
    )
    parser.add_argument(
        "--stacks", default=None, help="comma-separated stacks (default: every Pulumi.<stack>.yaml)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the Markdown report")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds each render may take")
    parser.add_argument(
        "--from-env",
        action="store_true",
        help=f"read the base from {BASE_ENV} and more "
        f"options from {FLAGS_ENV} (how `make plan-diff` passes them, never through a shell)",
    )
    return parser


def parse(argv: list[str], environ: dict[str, str]) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.from_env:
        try:
            flags = shlex.split(environ.get(FLAGS_ENV, ""))
        except ValueError as problem:
            raise UsageError(f"{FLAGS_ENV} (PLAN_DIFF_FLAGS): {problem}") from None
        base = environ.get(BASE_ENV, "")
        args = parser.parse_args(flags + ([f"--base={base}"] if base else []) + argv)
    if args.base is not None and not args.base:
        raise UsageError("--base is empty; name a branch, tag or commit")
    if not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    stacks = [s.strip() for s in args.stacks.split(",") if s.strip()] if args.stacks else None
    for stack in stacks or []:
        if not STACK_NAME.match(stack):
            raise UsageError(f"--stacks: {stack!r} is not a stack name (letters, digits, '.', '_', '-')")
    args.stacks = stacks
    return args


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        args = parse(sys.argv[1:] if argv is None else argv, dict(os.environ))
    except UsageError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    base_ref = args.base or default_base(ROOT)
    args.out.unlink(missing_ok=True)  # never leave a stale report behind for CI to post
    try:
        diffs, commit, secrets = plan_diff(base_ref, args.stacks, timeout=args.timeout)
    except GitError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    text = mask(report(diffs, base_ref, commit), secrets)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text, end="")
    late = [side.error for d in diffs for side in (d.base, d.head) if side.timed_out]
    if late:
        print("error: " + "; ".join(late) + f". Report (incomplete): {args.out}", file=sys.stderr)
        return 1
    if args.fail_on_pvc_delete and any(d.pvc_destroyed for d in diffs):
        print(
            f"plan-diff: a PersistentVolumeClaim's data is at risk (see `!!` above); failing as asked "
            f"(--fail-on-pvc-delete). Report: {args.out}",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
