"""The order a mutant's tests run in under `make mutation`.

mutmut hands pytest the tests that reach a mutated function as an unordered set and stops at
the first failure (`-x`). Running the fastest first makes a killed mutant die after seconds
instead of after whichever slow whole-program test happened to come first. Which tests run,
and so which mutants are killed, does not change."""

from __future__ import annotations

import json
import os
from pathlib import Path

# mutmut runs each mutant's tests from inside ./mutants, where it keeps this file.
STATS_FILE = Path("mutmut-stats.json")


def running_a_mutant() -> bool:
    """mutmut names the mutant under test in the environment; its other phases (the clean run,
    the stats run) use names without the mutant marker."""
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


def recorded_durations(stats_file: Path = STATS_FILE) -> dict[str, float]:
    if not stats_file.is_file():
        return {}
    return json.loads(stats_file.read_text(encoding="utf-8")).get("duration_by_test", {})


def fastest_first(items: list, duration_by_test: dict[str, float]) -> list:
    """Tests without a recorded duration go last; equal durations keep the collection order."""
    return sorted(items, key=lambda item: duration_by_test.get(item.nodeid, float("inf")))
