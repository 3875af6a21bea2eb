"""Scaling benchmark: the program under mocks vs. the SDK's own floor, 10 to 3000 notebooks.

    venv/bin/python bench/scaling.py [--sizes 10,100,1000,3000] [--reps 3] [--plan-size 1000]

For each size, a fresh interpreter (so sizes do not share heaps or caches):
  1. warms up (imports, one tiny run of the program and of each floor);
  2. records one untimed run of the real program; the floors (`bench/floor_program.py`) replay
     its registrations, prepared before anything is timed, and are checked to make exactly
     the program's registrations (and, with outputs, its component outputs);
  3. alternates `--reps` times: the program, the floor (bare), the floor plus every
     component's `register_outputs`, and the typed floor (outputs, and inputs as the SDK's
     input types); ratios are medians over reps of program / floor from the same rep;
  4. counts the Python calls of one run of each (deterministic: see measure.count_calls);
  5. at `--plan-size`, also times `make plan`'s work: read the stack file, run, render and
     write one YAML file per object, format the notebook table (devtools.plan's functions).
Reported per size: registrations, median wall seconds, ms per notebook, peak RSS during a
program run (VmHWM, reset before each run), the ratios, and the call-count ratios.
Not part of the test suite (see bench/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from scaling_report import RUNS, machine, report

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# ------------------------------------------------------------------------------ worker


def _signature(registrations: list) -> str:
    """A digest of everything a registration carries, independent of registration order."""
    from devtools.secret_envelopes import unwrap_secrets

    rows = sorted(
        json.dumps(
            [
                r.urn,
                r.type,
                r.custom,
                r.parent,
                r.protect,
                r.retain_on_delete,
                sorted(r.ignore_changes),
                sorted(r.depends_on),
                unwrap_secrets(r.inputs),
            ],
            sort_keys=True,
            default=str,
        )
        for r in registrations
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _outputs_signature(calls: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(calls, sort_keys=True, default=str).encode()).hexdigest()


def worker(size: int, reps: int, plan: bool, calls: bool) -> dict[str, Any]:
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import floor_program
    from configs import make_config
    from measure import count_calls, reset_peak, timed

    from devtools.plan import notebook_table, write_objects
    from devtools.runtime import run_program
    from devtools.stack_config import Secret, read_stack_file

    plans: dict[str, list] = {}

    def run(kind: str, config: dict, record_outputs: bool = False, program: Any = None):
        if RUNS[kind] is not None:
            plan_name, register_outputs = RUNS[kind]
            program = floor_program.floor(plans[plan_name], register_outputs)
        result = run_program(
            config, stack="bench", record_outputs=record_outputs, **({"program": program} if program else {})
        )
        if result.error is not None:
            raise RuntimeError(f"{kind} failed: {result.error!r}")
        return result

    def record(config: dict):
        """An untimed run of the program that also catches its typed inputs; prepares the plans."""
        caught = floor_program.TypedInputs()
        recording = run(
            "program", config, record_outputs=True, program=floor_program.recording_program(caught)
        )
        for name in ("plain", "typed"):
            plans[name] = floor_program.prepare(
                recording.registrations,
                recording.component_outputs,
                typed_inputs=caught if name == "typed" else None,
            )
        return recording

    warm = make_config(10, secret=Secret)
    record(warm)
    for kind in RUNS:
        run(kind, warm)

    config = make_config(size, secret=Secret)
    # The recording, outside every timed region: the floors replay it. The plans stay alive for
    # the program's runs too, so all runs see the same long-lived heap (the GC's cost depends on it).
    recording = record(config)
    out: dict[str, Any] = {
        "size": size,
        "registrations": len(recording.registrations),
        "component_outputs": len(recording.component_outputs),
        "exact_peak": reset_peak(),
        "wall": {k: [] for k in RUNS},
        "cpu": {k: [] for k in RUNS},
        "peak_rss": [],
        "identical": {},
        "calls": {},
    }
    expected = _signature(recording.registrations)
    expected_outputs = _outputs_signature(recording.component_outputs)
    del recording
    for kind in RUNS:  # untimed: each floor makes the program's engine calls
        if RUNS[kind] is not None:
            replayed = run(kind, config, record_outputs=True)
            out["identical"][kind] = _signature(replayed.registrations) == expected and (
                not RUNS[kind][1] or _outputs_signature(replayed.component_outputs) == expected_outputs
            )
            del replayed
    for rep in range(reps):
        for kind in RUNS:
            result, wall, cpu, peak = timed(lambda kind=kind: run(kind, config))
            del result
            out["wall"][kind].append(wall)
            out["cpu"][kind].append(cpu)
            if kind == "program":
                out["peak_rss"].append(peak)
        print(
            f"  {size}: rep {rep + 1}/{reps} " + " ".join(f"{k} {out['wall'][k][-1]:.2f}s" for k in RUNS),
            file=sys.stderr,
            flush=True,
        )
    if calls:
        out["calls"] = {kind: count_calls(lambda kind=kind: run(kind, config)) for kind in RUNS}
    plans.clear()

    if plan:
        with tempfile.TemporaryDirectory(prefix="teamspace-bench-") as scratch:
            stack_file = Path(scratch) / "Pulumi.bench.yaml"
            stack_file.write_text(
                yaml.safe_dump({"config": make_config(size, secret=lambda _: {"secure": "v1:x"})})
            )

            def make_plan():
                result = run_program(read_stack_file(stack_file), stack="bench")
                count = write_objects(result, Path(scratch) / "build" / "bench")
                notebook_table(result)
                return count

            out["plan"], out["plan_objects"] = [], 0
            for _ in range(reps):
                out["plan_objects"], wall, _, _ = timed(make_plan)
                out["plan"].append(wall)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,3000")
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each program per size (median)")
    parser.add_argument("--plan-size", type=int, default=1000, help="size at which `make plan` is timed")
    parser.add_argument("--no-calls", action="store_true", help="skip the (slow) call counts")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        result = worker(args.worker, args.reps, args.plan, calls=not args.no_calls)
        print("RESULT " + json.dumps(result), flush=True)
        return 0

    info = machine()
    print(
        f"machine: {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}, pulumi {info['pulumi']}, "
        f"pulumi-kubernetes {info['pulumi-kubernetes']}, load {info['load']}"
    )
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            str(size),
            "--reps",
            str(args.reps),
        ]
        command += ["--plan"] if size == args.plan_size else []
        command += ["--no-calls"] if args.no_calls else []
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = next((out for out in done.stdout.splitlines() if out.startswith("RESULT ")), None)
        if done.returncode != 0 or line is None:
            print(f"size {size}: the worker failed (exit {done.returncode})", file=sys.stderr)
            return 1
        results.append(json.loads(line[len("RESULT ") :]))
    report(results, args.reps)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "reps": args.reps, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
