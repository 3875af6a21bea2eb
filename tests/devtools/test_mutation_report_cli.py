"""devtools/mutation_report.py's command line, `make mutation-report`: its help, mutmut asked for
the results and docs/mutation read by default, the sample options, and files read as UTF-8."""

from __future__ import annotations

import json
import subprocess

import pytest

from devtools import mutation_report as mr

# What mutmut's meta file records per mutant: its test run's exit code.
EXIT_CODES = {
    "config.a.x_f__mutmut_1": 1,  # killed
    "config.a.x_f__mutmut_2": 0,  # survived
    "config.a.x_f__mutmut_3": 33,  # no tests
    "config.a.x_f__mutmut_4": None,  # not checked
}


def test_help_names_the_make_target_and_what_each_option_takes(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exited:
        mr.main(["--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for expected in (
        "usage: make mutation-report [-h] [--results RESULTS] [--verdicts VERDICTS] "
        "[--sample SAMPLE] [--draw N] [--seed SEED] ",
        # the docstring's first paragraph only
        " `make mutation-report`: the score tables of docs/mutation/README.md, recomputed from "
        "mutmut's results and the verdict tables in docs/mutation/mut-*.md. options: ",
        " --results RESULTS saved `mutmut results --all true` output ",
        " --verdicts VERDICTS folder of mut-*.md, repeated for more (a later one's row wins); default "
        "docs/mutation, then its full/ ",
        " --sample SAMPLE a sample file: also report the sample and the estimate ",
        " --draw N print a sample of N not-checked mutants instead --seed SEED",
    ):
        assert expected in text


def test_without_saved_results_it_asks_mutmut_and_reads_the_verdicts_in_docs_mutation(
    tmp_path, monkeypatch, capsys
):
    # A project as mutmut leaves it: its settings, a source folder, the run's meta file.
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nsource_paths = ["config/"]\n')
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "a.py").write_text("def f():\n    return 1\n")
    meta = {"exit_code_by_key": EXIT_CODES, "durations_by_key": {}, "estimated_durations_by_key": {}}
    (tmp_path / "mutants" / "config").mkdir(parents=True)
    (tmp_path / "mutants" / "config" / "a.py.meta").write_text(json.dumps(meta))
    (tmp_path / "docs" / "mutation").mkdir(parents=True)
    (tmp_path / "docs" / "mutation" / "mut-a.md").write_text(
        "| config.a.x_f__mutmut_2 | killed | tests/test_a.py::test_f |\n"
    )
    monkeypatch.chdir(tmp_path)
    assert mr.main([]) == 0
    # 3 checked: 1 killed by the run, 1 later, the one no test reaches undetected.
    assert "| config | 4 | 3 | 1 | 1 | 0 | 1 | 1 | 0 | 66.7% |" in capsys.readouterr().out
    # The full run's verdicts, in docs/mutation/full, come after the earlier ones and win.
    (tmp_path / "docs" / "mutation" / "full").mkdir()
    (tmp_path / "docs" / "mutation" / "full" / "mut-b.md").write_text(
        "| config.a.x_f__mutmut_3 | equivalent | f is never called |\n"
    )
    assert mr.main([]) == 0
    assert "| config | 4 | 3 | 1 | 1 | 0 | 1 | 1 | 1 | 100.0% |" in capsys.readouterr().out


def test_a_failing_mutmut_is_an_error_not_an_empty_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing here tells mutmut what to mutate: it exits 1
    with pytest.raises(subprocess.CalledProcessError):
        mr.main([])


def test_a_draw_takes_the_seed_given_or_the_default_one(tmp_path, capsys):
    status = {f"config.m.x_f__mutmut_{i}": "not checked" for i in range(40)}
    results = tmp_path / "results.txt"
    results.write_text("".join(f"    {name}: {state}\n" for name, state in status.items()))
    assert mr.main(["--results", str(results), "--draw", "10"]) == 0
    assert capsys.readouterr().out == mr.draw(status, 10, seed=20261201)
    assert mr.main(["--results", str(results), "--draw", "10", "--seed", "7"]) == 0
    assert capsys.readouterr().out == mr.draw(status, 10, seed=7)


def test_results_verdicts_and_sample_are_read_as_utf8_whatever_the_locale(tmp_path, capsys, ascii_locale):
    # mutmut names a method's mutants with "ǁ"; verdicts are prose.
    results = tmp_path / "results.txt"
    results.write_text(
        "    adopt.r.Cǁx_h__mutmut_1: survived\n    adopt.r.Cǁx_h__mutmut_2: killed\n", "utf-8"
    )
    (tmp_path / "mut-a.md").write_text(
        "| adopt.r.Cǁx_h__mutmut_1 | equivalent | the name is lower-cased – later |\n", "utf-8"
    )
    sample = tmp_path / "sample.txt"
    sample.write_text("# population adopt 4\nadopt.r.Cǁx_h__mutmut_1\n", "utf-8")
    arguments = ["--results", str(results), "--verdicts", str(tmp_path), "--sample", str(sample)]
    assert mr.main(arguments) == 0
    out = capsys.readouterr().out
    assert "| adopt | 2 | 2 | 0 | 1 | 0 | 1 | 0 | 1 | 100.0% |" in out
    # The sample holds the equivalent survivor alone: no score, and nothing left to triage.
    assert "| adopt | 1 | 1 | 0 | 0 | 0 | 1 | 0 | 1 | – |" in out
    assert "Sample score, 95% interval: 0.0% to 100.0%." in out


def test_verdicts_of_several_folders_count_and_a_later_folders_row_wins(tmp_path, capsys):
    results = tmp_path / "results.txt"
    results.write_text("".join(f"    config.a.x_f__mutmut_{i}: survived\n" for i in (1, 2, 3)))
    earlier, later = tmp_path / "earlier", tmp_path / "later"
    earlier.mkdir()
    later.mkdir()
    (earlier / "mut-a.md").write_text(
        "| config.a.x_f__mutmut_1 | equivalent | same value |\n| config.a.x_f__mutmut_2 | not triaged | |\n"
    )
    (later / "mut-b.md").write_text("| config.a.x_f__mutmut_2 | killed | tests/test_a.py::test_f |\n")
    arguments = ["--results", str(results), "--verdicts", str(earlier), "--verdicts", str(later)]
    assert mr.main(arguments) == 0
    # 1 equivalent, 2 killed later (the later folder's row), 3 without a row: 1 of 2 detected.
    assert "| config | 3 | 3 | 0 | 0 | 0 | 3 | 1 | 1 | 50.0% |" in capsys.readouterr().out
