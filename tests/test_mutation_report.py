"""devtools/mutation_report.py: the published mutation scores are computed from mutmut's results
and the verdict tables, and the sample estimate weighs each package by its population."""

from __future__ import annotations

import collections

import pytest

from devtools import mutation_report as mr

RESULTS = """\
    config.a.x_f__mutmut_1: killed
    config.a.x_f__mutmut_2: survived
    config.a.x_f__mutmut_3: survived
    config.a.x_f__mutmut_4: survived
    config.a.x_f__mutmut_5: timeout
    config.a.x_f__mutmut_6: not checked
    adopt.b.x_g__mutmut_1: no tests
    adopt.b.x_g__mutmut_2: not checked
"""
VERDICTS = """\
| mutant | verdict | how |
|---|---|---|
| config.a.x_f__mutmut_2 | killed | tests/test_a.py::test_f |
| `config.a.x_f__mutmut_3` (by hand) | equivalent | the value is lowercased later |
"""


def test_results_and_verdicts_are_read_row_by_row():
    status = mr.parse_results(RESULTS + "Running mutation testing\n")
    assert len(status) == 8 and status["adopt.b.x_g__mutmut_1"] == "no tests"
    assert mr.parse_verdicts([VERDICTS, "| config.a.x_f__mutmut_9 | ? | later |"]) == {
        "config.a.x_f__mutmut_2": "killed",
        "config.a.x_f__mutmut_3": "equivalent",
        "config.a.x_f__mutmut_9": "not triaged",
    }


def test_a_survivor_without_a_verdict_counts_as_not_triaged_and_against_the_score():
    status, verdicts = mr.parse_results(RESULTS), mr.parse_verdicts([VERDICTS])
    counts = mr.tally(status, verdicts, [n for n in status if n.startswith("config.")])
    assert counts["mutants"] == 6 and counts["checked"] == 5 and counts["survived"] == 3
    assert (counts["killed later"], counts["equivalent"], counts["not triaged"]) == (1, 1, 1)
    # killed 1 + timeout 1 + killed later 1, over 5 checked less 1 equivalent
    assert mr.score(counts) == pytest.approx(3 / 4)


def test_a_mutant_not_checked_or_unknown_to_the_run_is_a_mutant_but_not_checked():
    # A sampled name the run no longer lists (mutmut renumbers a changed function's mutants).
    status = {"config.a.x_f__mutmut_1": "not checked"}
    status |= {"config.a.x_f__mutmut_2": "survived", "config.a.x_f__mutmut_3": "survived"}
    counts = mr.tally(status, {}, ["config.a.x_f__mutmut_0", *status])
    assert dict(counts) == {"mutants": 4, "checked": 2, "survived": 2, "not triaged": 2}


def test_one_checked_mutant_has_a_score():
    assert mr.score(collections.Counter(checked=1, killed=1)) == 1.0
    assert mr.score(collections.Counter(checked=1, equivalent=1)) is None


def test_a_mutant_no_test_reaches_counts_against_the_score_until_it_has_a_verdict():
    status = mr.parse_results(RESULTS)
    names = ["adopt.b.x_g__mutmut_1", "adopt.b.x_g__mutmut_2"]
    counts = mr.tally(status, {}, names)
    assert (counts["no tests"], counts["not triaged"], mr.score(counts)) == (1, 1, 0.0)
    assert mr.score(mr.tally(status, {"adopt.b.x_g__mutmut_1": "killed"}, names)) == 1.0
    assert mr.score(mr.tally(status, {"adopt.b.x_g__mutmut_1": "equivalent"}, names)) is None


def test_wilson_interval_matches_its_formula_and_stays_inside_zero_and_one():
    low, high = mr.wilson(95, 100)
    assert (round(low, 4), round(high, 4)) == (0.8882, 0.9785)  # the textbook interval of 95 in 100
    assert mr.wilson(10, 10)[1] == 1.0 and mr.wilson(0, 0) == (0.0, 1.0)
    assert [round(x, 4) for x in mr.wilson(1, 1)] == [0.2065, 1.0]  # one trial is an interval too
    # Computed as written, these bounds fall outside [0, 1] by a rounding error.
    assert mr.wilson(5, 5)[1] == 1.0 and mr.wilson(0, 5)[0] == 0.0


def test_a_draw_is_seeded_proportional_and_only_of_unchecked_mutants():
    status = {f"config.m.x_f__mutmut_{i}": "not checked" for i in range(300)}
    status |= {f"adopt.m.x_f__mutmut_{i}": "not checked" for i in range(100)}
    status["config.m.x_f__mutmut_0"] = "killed"
    first = mr.draw(status, 40, seed=7)
    assert first == mr.draw(status, 40, seed=7) and first != mr.draw(status, 40, seed=8)
    names, population = mr.read_sample(first)
    assert population == {"adopt": 100, "config": 299}
    assert sum(n.startswith("adopt.") for n in names) == 10 and len(names) == 40
    assert "config.m.x_f__mutmut_0" not in names and len(set(names)) == 40


def test_the_estimate_weighs_the_sample_by_its_population_and_counts_no_later_kills():
    # Checked before the sample: 10 killed in config. Sample: 4 of a population of 100: 2 killed,
    # one survivor killed later by a new test, one without a verdict. The unrun part is estimated
    # at 50 killed and 50 survivors to triage, since nobody wrote tests for its survivors.
    status = {f"config.m.x_f__mutmut_{i}": "killed" for i in range(10)}
    status |= {f"config.m.x_g__mutmut_{i}": "killed" for i in (1, 2)}
    status |= {f"config.m.x_g__mutmut_{i}": "survived" for i in (3, 4)}
    sample = "# population config 100\n" + "\n".join(f"config.m.x_g__mutmut_{i}" for i in range(1, 5))
    text = mr.report(status, {"config.m.x_g__mutmut_3": "killed"}, sample)
    assert "| config | 14 | 14 | 0 | 12 | 0 | 2 | 1 | 0 | 92.9% |" in text
    assert "| config | 4 | 4 | 0 | 2 | 0 | 2 | 1 | 0 | 75.0% |" in text
    assert "Killed by the run alone, before any triage, 95% interval: 15.0% to 85.0%." in text
    assert "Whole scope if the rest were run today, estimated: 54.5%, leaving about 50 survivors" in text


def test_main_reads_saved_results_and_the_verdict_folder(tmp_path, capsys):
    (tmp_path / "results.txt").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "mut-x.md").write_text(VERDICTS, encoding="utf-8")
    (tmp_path / "notes.md").write_text("| config.a.x_f__mutmut_4 | killed | ignored: not a mut-*.md |")
    assert mr.main(["--results", str(tmp_path / "results.txt"), "--verdicts", str(tmp_path)]) == 0
    assert "| config | 6 | 5 | 0 | 1 | 1 | 3 | 1 | 1 | 75.0% |" in capsys.readouterr().out
    assert mr.main(["--results", str(tmp_path / "results.txt"), "--draw", "2"]) == 0
    assert mr.read_sample(capsys.readouterr().out)[1] == {"adopt": 1, "config": 1}


def test_in_the_sample_interval_a_mutant_no_test_reaches_counts_and_an_equivalent_one_does_not():
    status = {"config.a.x_f__mutmut_1": "killed", "config.a.x_f__mutmut_2": "no tests"}
    status |= {"config.a.x_f__mutmut_3": "survived", "config.a.x_f__mutmut_4": "survived"}
    equivalent = {"config.a.x_f__mutmut_3": "equivalent", "config.a.x_f__mutmut_4": "equivalent"}
    text = mr.report(status, equivalent, "# population config 4\n" + "\n".join(status))
    # 1 detected in 4 checked less 2 equivalent
    assert "Sample score, 95% interval: 9.5% to 90.5%." in text
