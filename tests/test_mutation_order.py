"""Under `make mutation`, a mutant's tests run fastest first (tests/mutation_order.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from . import mutation_order


def _items(*nodeids):
    return [SimpleNamespace(nodeid=nodeid) for nodeid in nodeids]


def test_the_fastest_test_runs_first_and_unrecorded_tests_last():
    items = _items("t::slow", "t::new", "t::fast", "t::also_fast")
    durations = {"t::slow": 9.0, "t::fast": 0.1, "t::also_fast": 0.1}
    ordered = mutation_order.fastest_first(items, durations)
    assert [item.nodeid for item in ordered] == ["t::fast", "t::also_fast", "t::slow", "t::new"]


def test_only_a_mutant_under_test_reorders(monkeypatch):
    for phase in ("", "stats", "fail", "list_all_tests"):
        monkeypatch.setenv("MUTANT_UNDER_TEST", phase)
        assert not mutation_order.running_a_mutant()
    monkeypatch.delenv("MUTANT_UNDER_TEST")
    assert not mutation_order.running_a_mutant()
    monkeypatch.setenv("MUTANT_UNDER_TEST", "config.quantities.x_parse__mutmut_3")
    assert mutation_order.running_a_mutant()


def test_durations_come_from_mutmuts_stats_file(tmp_path):
    stats = tmp_path / "mutmut-stats.json"
    assert mutation_order.recorded_durations(stats) == {}
    stats.write_text(json.dumps({"duration_by_test": {"t::a": 1.5}, "stats_time": 3}))
    assert mutation_order.recorded_durations(stats) == {"t::a": 1.5}
