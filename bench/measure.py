"""How one run is measured: wall and CPU seconds, peak RSS, and (noise-free) Python calls."""

from __future__ import annotations

import gc
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _status(field: str) -> int:
    """A VmXXX value of /proc/self/status in bytes (0 if unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak() -> bool:
    """Reset the peak RSS (VmHWM) to the current RSS; False if the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def timed(run: Callable[[], Any]) -> tuple[Any, float, float, int]:
    """(result, wall s, CPU s, peak RSS in bytes during the run)."""
    gc.collect()
    exact = reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _status("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result, wall, cpu, peak


def count_calls(run: Callable[[], Any]) -> int:
    """Python and C function calls made by `run` in every thread it starts (the mock runtime
    runs each program in a thread of its own, and the SDK calls the monitor from executor
    threads). Deterministic for a given program and config, unlike seconds on a shared VM;
    it leaves out the GC's work, which follows allocations rather than calls."""
    calls = [0]

    def profiler(frame: Any, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            calls[0] += 1

    threading.setprofile(profiler)
    sys.setprofile(profiler)
    try:
        run()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    return calls[0]
