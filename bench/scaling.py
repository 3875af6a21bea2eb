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
     write one YAML file per object, format the notebook table (offline.plan's functions).
Reported per size: registrations, median wall seconds, ms per notebook, peak RSS during a
program run (VmHWM, reset before each run), the ratios, and the call-count ratios.
Not part of the test suite (see bench/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# What each timed run is: (floor plan, register outputs); None is the real program.
# The target (bench/README.md): the program makes at most this many times the typed floor's calls.
TYPED_FLOOR_TARGET = 1.10
RUNS: dict[str, Any] = {
    "program": None,
    "floor": ("plain", False),
    "floor_outputs": ("plain", True),
    "typed_floor": ("typed", True),
}

# ------------------------------------------------------------------------------ worker


def _signature(registrations: list) -> str:
    """A digest of everything a registration carries, independent of registration order."""
    from offline.runtime import unwrap_secrets

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

    from offline.plan import notebook_table, write_objects
    from offline.runtime import run_program
    from offline.stack_config import Secret, read_stack_file

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


def ratio(result: dict[str, Any], kind: str, measure: str = "wall") -> float:
    """Median over reps of program / `kind`, each pair from the same rep (a drift of the
    machine's speed during a size's runs cancels out)."""
    return statistics.median(
        p / f for p, f in zip(result[measure]["program"], result[measure][kind], strict=True)
    )


# -------------------------------------------------------------------------- orchestration


def machine() -> dict[str, str]:
    model = "unknown"
    with contextlib.suppress(OSError, StopIteration):  # no /proc or no model line: "unknown"
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    from importlib.metadata import version

    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "pulumi": version("pulumi"),
        "pulumi-kubernetes": version("pulumi-kubernetes"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def table(results: list[dict[str, Any]]) -> str:
    med = statistics.median
    rows = [
        "| notebooks | registrations | program s | ms/notebook | peak RSS MiB | floor s | program/floor "
        "| program/(floor+outputs) | program/(typed floor) | calls: program/floor "
        "| calls: program/(typed floor) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p, f = med(r["wall"]["program"]), med(r["wall"]["floor"])
        calls = r["calls"]
        by_calls = [f"{calls['program'] / calls[k]:.2f}" if calls else "-" for k in ("floor", "typed_floor")]
        rows.append(
            f"| {r['size']} | {r['registrations']} | {p:.2f} | {1000 * p / r['size']:.1f} "
            f"| {max(r['peak_rss']) / 2**20:.0f} | {f:.2f} | **{ratio(r, 'floor'):.2f}** "
            f"| {ratio(r, 'floor_outputs'):.2f} | {ratio(r, 'typed_floor'):.2f} "
            f"| {by_calls[0]} | {by_calls[1]} |"
        )
    return "\n".join(rows)


def report(results: list[dict[str, Any]], reps: int) -> None:
    """The table, then the targets and growth."""
    med = statistics.median
    print()
    print(table(results))
    print()
    by_size = {r["size"]: r for r in results}
    for r in results:
        for kind, same in r["identical"].items():
            if not same:
                print(f"WARNING: at {r['size']} the {kind} makes different engine calls from the program")
    for r in results:  # the target: what our code adds over the typed floor, in Python calls
        if r["calls"]:
            added = r["calls"]["program"] / r["calls"]["typed_floor"]
            print(
                f"calls program/(typed floor) at {r['size']}: {added:.3f} "
                f"(target <= {TYPED_FLOOR_TARGET}: {'ok' if added <= TYPED_FLOOR_TARGET else 'OVER'})"
            )
    for size in (1000, 3000):  # seconds, for reference (noisy on a shared VM)
        if size in by_size:
            r = by_size[size]
            spread = sorted(
                p / f for p, f in zip(r["wall"]["program"], r["wall"]["typed_floor"], strict=True)
            )
            print(
                f"ratio program/(typed floor) at {size}: {ratio(r, 'typed_floor'):.2f} (reps {spread[0]:.2f} "
                f"to {spread[-1]:.2f}); program/floor: {ratio(r, 'floor'):.2f}; program/(floor+outputs): "
                f"{ratio(r, 'floor_outputs'):.2f}"
            )
    if 1000 in by_size and 3000 in by_size:
        for kind in RUNS:
            growth = med(by_size[3000]["wall"][kind]) / med(by_size[1000]["wall"][kind])
            print(f"time(3000)/time(1000), {kind}: {growth:.2f}")
    for r in results:
        if "plan" in r:
            plan_ratio = med(r["plan"]) / med(r["wall"]["program"])
            print(
                f"make plan at {r['size']}: {med(r['plan']):.2f}s for {r['plan_objects']} files, "
                f"{plan_ratio:.2f}x the program (target < 2: {'ok' if plan_ratio < 2 else 'OVER'})"
            )
        if r["calls"]:
            print(f"python calls at {r['size']}: " + ", ".join(f"{k} {v:,}" for k, v in r["calls"].items()))
    if not all(r["exact_peak"] for r in results):
        print("note: peak RSS is the process's maximum (ru_maxrss); VmHWM could not be reset here")
    same = all(all(r["identical"].values()) for r in results)
    print(
        f"reps per size: {reps} (program and floors alternating); every floor's registrations (and, with "
        f"outputs, component outputs) identical to the program's: {same}"
    )


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
