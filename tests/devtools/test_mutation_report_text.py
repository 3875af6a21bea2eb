"""devtools/mutation_report.py: the exact text `make mutation-report` prints, with and without a
sample, every number in it worked out by hand below."""

from __future__ import annotations

from devtools import mutation_report as mr

HEAD = (
    "| package | mutants | checked | no tests | killed | timeout | survived | killed later "
    "| equivalent | score |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)

# Run before the sample was drawn: 8 config mutants killed, one survivor killed later by a new
# test, one survivor without a verdict.
STATUS = {f"config.m.x_f__mutmut_{i}": "killed" for i in range(1, 9)}
STATUS |= {"config.m.x_f__mutmut_9": "survived", "config.m.x_f__mutmut_10": "survived"}
# The sample, 7 config mutants out of a population of 70 and 2 adopt out of 20 (weight 10 each):
# 3 killed, 1 timeout, an equivalent survivor, a survivor killed later, one no test reaches;
# in adopt one killed and a survivor without a verdict.
SAMPLED = {
    "config.m.x_g__mutmut_1": "killed",
    "config.m.x_g__mutmut_2": "killed",
    "config.m.x_g__mutmut_3": "killed",
    "config.m.x_g__mutmut_4": "timeout",
    "config.m.x_g__mutmut_5": "survived",
    "config.m.x_g__mutmut_6": "survived",
    "config.m.x_g__mutmut_7": "no tests",
    "adopt.r.Cǁx_h__mutmut_1": "killed",
    "adopt.r.Cǁx_h__mutmut_2": "survived",
}
VERDICTS = {
    "config.m.x_f__mutmut_9": "killed",
    "config.m.x_g__mutmut_5": "equivalent",
    "config.m.x_g__mutmut_6": "killed",
}
SAMPLE = "# seed 1\n# population adopt 20\n# population config 70\n" + "\n".join(SAMPLED) + "\n"

# config: 17 checked, detected 11 killed + 1 timeout + 2 killed later, over 17 - 1 equivalent.
EVERYTHING = f"""Everything checked so far:

{HEAD}
| config | 17 | 17 | 1 | 11 | 1 | 4 | 2 | 1 | 87.5% |
| components | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | – |
| devtools | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | – |
| policy | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | – |
| adopt | 2 | 2 | 0 | 1 | 0 | 1 | 0 | 0 | 50.0% |
| all | 19 | 19 | 1 | 12 | 1 | 5 | 2 | 1 | 83.3% |
"""

# The sample: Wilson intervals of 6 detected in 9 checked less 1 equivalent, and of the 5 the
# run killed alone. The unrun part:
# killed 8 + 10 x 3 + 10 x 1 (adopt), timeout 10, killed later only the 1 outside the sample,
# over 10 + 10 x 7 + 10 x 2 checked less 10 equivalent: 59 / 90. Left to triage: 10 x (2
# survivors + 1 no tests - 1 equivalent) in config, 10 x 1 in adopt.
SAMPLE_PART = f"""
The random sample alone:

{HEAD}
| config | 7 | 7 | 1 | 3 | 1 | 2 | 1 | 1 | 83.3% |
| components | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | – |
| devtools | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | – |
| policy | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | – |
| adopt | 2 | 2 | 0 | 1 | 0 | 1 | 0 | 0 | 50.0% |
| all | 9 | 9 | 1 | 4 | 1 | 3 | 1 | 1 | 75.0% |

Sample score, 95% interval: 40.9% to 92.9%.
Killed by the run alone, before any triage, 95% interval: 30.6% to 86.3%.
Whole scope if the rest were run today, estimated: 65.6%, leaving about 30 survivors to kill or explain.
"""


def test_the_report_without_a_sample_is_the_table_of_everything_checked():
    assert mr.report(STATUS | SAMPLED, VERDICTS, None) == EVERYTHING


def test_the_report_with_a_sample_adds_its_table_intervals_and_the_estimate():
    assert mr.report(STATUS | SAMPLED, VERDICTS, SAMPLE) == EVERYTHING + SAMPLE_PART


def test_a_package_the_sample_records_no_population_for_adds_nothing_to_the_estimate():
    stray = "devtools.x.x_f__mutmut_1"
    text = mr.report(STATUS | SAMPLED | {stray: "killed"}, VERDICTS, SAMPLE + stray + "\n")
    assert "| devtools | 1 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 100.0% |" in text
    assert text.endswith("estimated: 65.6%, leaving about 30 survivors to kill or explain.\n")
