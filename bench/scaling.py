"""Scaling benchmark: the program under mocks vs. the SDK's own floor, 10 to 3000 notebooks.

    venv/bin/python bench/scaling.py [--sizes 10,100,1000,3000] [--reps 3] [--plan-size 1000]

For each size, a fresh interpreter (so sizes do not share heaps or caches):
  1. warms up (imports, one tiny run of the program and of the floor);
  2. runs the real program (`offline.runtime.run_program`) and the floor program
     (`bench/floor_program.py`: the same registrations made bare) alternately, `--reps` times
     each, after one untimed recording run whose registrations the floor replays (prepared
     before anything is timed); the floor's registrations are checked to equal the program's;
  3. at `--plan-size`, also times `make plan`'s work: read the stack file, run, render and
     write one YAML file per object, format the notebook table (offline.plan's functions).
Reported per size: registrations, median wall seconds, ms per notebook, peak RSS during a
program run (VmHWM, reset before each run), median CPU seconds, and program/floor ratios.
Not part of the test suite (see bench/README.md).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
FLOOR_PROGRAM = BENCH / "floor_program.py"

# ------------------------------------------------------------------------------ worker


def _status(field: str) -> int:
    """A VmXXX value of /proc/self/status in bytes (0 if unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    """Reset the peak RSS (VmHWM) to the current RSS; False if the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _timed(run: Callable[[], Any]) -> tuple[Any, float, float, int]:
    """(result, wall s, CPU s, peak RSS in bytes during the run)."""
    gc.collect()
    exact = _reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _status("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result, wall, cpu, peak


def _signature(registrations: list) -> str:
    """A digest of everything a registration carries, independent of registration order."""
    from offline.runtime import unwrap_secrets

    rows = sorted(json.dumps([r.urn, r.type, r.custom, r.parent, r.protect, r.retain_on_delete,
                              sorted(r.ignore_changes), sorted(r.depends_on), unwrap_secrets(r.inputs)],
                             sort_keys=True, default=str) for r in registrations)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _outputs_signature(calls: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(calls, sort_keys=True, default=str).encode()).hexdigest()


def worker(size: int, reps: int, plan: bool) -> dict[str, Any]:
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import floor_program
    from configs import make_config
    from offline.plan import notebook_table, write_objects
    from offline.runtime import run_program
    from offline.stack_config import Secret, read_stack_file

    def program(config, record_outputs=False):
        result = run_program(config, stack="bench", record_outputs=record_outputs)
        if result.error is not None:
            raise RuntimeError(f"the program failed: {result.error!r}")
        return result

    def floor(config, register_outputs=False, record_outputs=False):
        floor_program.REGISTER_OUTPUTS = register_outputs
        result = run_program(config, stack="bench", program=FLOOR_PROGRAM, record_outputs=record_outputs)
        if result.error is not None:
            raise RuntimeError(f"the floor failed: {result.error!r}")
        return result

    warm = make_config(10, secret=Secret)
    warm_run = program(warm, record_outputs=True)
    floor_program.PLAN = floor_program.prepare(warm_run.registrations, warm_run.component_outputs)
    floor(warm)
    floor(warm, register_outputs=True)

    config = make_config(size, secret=Secret)
    # The recording, outside every timed region: the floors replay it. PLAN stays alive for
    # the program's runs too, so all runs see the same long-lived heap (the GC's cost depends on it).
    recording = program(config, record_outputs=True)
    component_outputs = recording.component_outputs
    out: dict[str, Any] = {"size": size, "registrations": len(recording.registrations),
                           "component_outputs": len(component_outputs), "exact_peak": _reset_peak()}
    for key in ("program", "floor", "floor_outputs", "program_cpu", "floor_cpu", "floor_outputs_cpu", "peak_rss"):
        out[key] = []
    expected = _signature(recording.registrations)
    expected_outputs = _outputs_signature(component_outputs)
    floor_program.PLAN = floor_program.prepare(recording.registrations, component_outputs)
    del recording, component_outputs
    for rep in range(reps):
        result, wall, cpu, peak = _timed(lambda: program(config))
        out["program"].append(wall)
        out["program_cpu"].append(cpu)
        out["peak_rss"].append(peak)
        del result
        replayed, wall, cpu, _ = _timed(lambda: floor(config))
        out["floor"].append(wall)
        out["floor_cpu"].append(cpu)
        if rep == 0:
            out["floor_identical"] = _signature(replayed.registrations) == expected
        del replayed
        if rep == 0:  # checked once, untimed: the second floor makes the same engine calls
            replayed = floor(config, register_outputs=True, record_outputs=True)
            out["floor_outputs_identical"] = (_signature(replayed.registrations) == expected
                                              and _outputs_signature(replayed.component_outputs) == expected_outputs)
            del replayed
        replayed, wall, cpu, _ = _timed(lambda: floor(config, register_outputs=True))
        out["floor_outputs"].append(wall)
        out["floor_outputs_cpu"].append(cpu)
        del replayed
        print(f"  {size}: rep {rep + 1}/{reps} program {out['program'][-1]:.2f}s floor {out['floor'][-1]:.2f}s "
              f"floor+outputs {wall:.2f}s", file=sys.stderr, flush=True)
    floor_program.PLAN = ()

    if plan:
        with tempfile.TemporaryDirectory(prefix="teamspace-bench-") as scratch:
            stack_file = Path(scratch) / "Pulumi.bench.yaml"
            stack_file.write_text(yaml.safe_dump({"config": make_config(size, secret=lambda _: {"secure": "v1:x"})}))

            def make_plan():
                result = program(read_stack_file(stack_file))
                count = write_objects(result, Path(scratch) / "build" / "bench")
                notebook_table(result)
                return count

            out["plan"], out["plan_objects"] = [], 0
            for _ in range(reps):
                out["plan_objects"], wall, _, _ = _timed(make_plan)
                out["plan"].append(wall)
    return out


# -------------------------------------------------------------------------- orchestration


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from importlib.metadata import version

    return {"nproc": str(os.cpu_count()), "cpu": model, "python": platform.python_version(),
            "pulumi": version("pulumi"), "pulumi-kubernetes": version("pulumi-kubernetes"),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def table(results: list[dict[str, Any]]) -> str:
    med = statistics.median
    rows = ["| notebooks | registrations | program s | ms/notebook | peak RSS MiB | floor s | program/floor "
            "| floor+outputs s | program/(floor+outputs) | program/floor (CPU) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        p, f, fo = med(r["program"]), med(r["floor"]), med(r["floor_outputs"])
        cpu = med(r["program_cpu"]) / med(r["floor_cpu"])
        rows.append(f"| {r['size']} | {r['registrations']} | {p:.2f} | {1000 * p / r['size']:.1f} "
                    f"| {max(r['peak_rss']) / 2**20:.0f} | {f:.2f} | **{p / f:.2f}** | {fo:.2f} | {p / fo:.2f} "
                    f"| {cpu:.2f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,3000")
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each program per size (median)")
    parser.add_argument("--plan-size", type=int, default=1000, help="size at which `make plan` is timed")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print("RESULT " + json.dumps(worker(args.worker, args.reps, args.plan)), flush=True)
        return 0

    info = machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}, pulumi {info['pulumi']}, "
          f"pulumi-kubernetes {info['pulumi-kubernetes']}, load {info['load']}")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(size), "--reps", str(args.reps)]
        if size == args.plan_size:
            command.append("--plan")
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
        if done.returncode != 0 or line is None:
            print(f"size {size}: the worker failed (exit {done.returncode})", file=sys.stderr)
            return 1
        results.append(json.loads(line[len("RESULT "):]))

    med = statistics.median
    print()
    print(table(results))
    print()
    by_size = {r["size"]: r for r in results}
    for r in results:
        if not (r["floor_identical"] and r["floor_outputs_identical"]):
            print(f"WARNING: at {r['size']} a floor's engine calls differ from the program's")
    for size in (1000, 3000):
        if size in by_size:
            ratio = med(by_size[size]["program"]) / med(by_size[size]["floor"])
            second = med(by_size[size]["program"]) / med(by_size[size]["floor_outputs"])
            print(f"ratio program/floor at {size}: {ratio:.2f} (target <= 1.2: {'ok' if ratio <= 1.2 else 'OVER'}); "
                  f"program/(floor+outputs): {second:.2f}")
    if 1000 in by_size and 3000 in by_size:
        for kind in ("program", "floor", "floor_outputs"):
            growth = med(by_size[3000][kind]) / med(by_size[1000][kind])
            print(f"time(3000)/time(1000), {kind}: {growth:.2f}")
    for r in results:
        if "plan" in r:
            ratio = med(r["plan"]) / med(r["program"])
            print(f"make plan at {r['size']}: {med(r['plan']):.2f}s for {r['plan_objects']} files, "
                  f"{ratio:.2f}x the program (target < 2: {'ok' if ratio < 2 else 'OVER'})")
    if not all(r["exact_peak"] for r in results):
        print("note: peak RSS is the process's maximum (ru_maxrss); VmHWM could not be reset here")
    same = all(r["floor_identical"] and r["floor_outputs_identical"] for r in results)
    print(f"reps per size: {args.reps} (medians, program and floors alternating); the floors' registrations "
          f"(and the second floor's component outputs) identical to the program's: {same}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "reps": args.reps, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
