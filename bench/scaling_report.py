"""What bench/scaling.py prints: ratios (medians of per-rep pairs), the machine, the table."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
from pathlib import Path
from typing import Any

# The target (bench/README.md): the program makes at most this many times the typed floor's calls.
TYPED_FLOOR_TARGET = 1.10
# What each timed run is: (floor plan, register outputs); None is the real program.
RUNS: dict[str, Any] = {
    "program": None,
    "floor": ("plain", False),
    "floor_outputs": ("plain", True),
    "typed_floor": ("typed", True),
}


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
