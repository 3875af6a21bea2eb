"""`make mutation-report`: the score tables of docs/mutation/README.md, recomputed from mutmut's
results and the verdict tables in docs/mutation/mut-*.md.

mutmut knows what its run killed; only a reader knows which survivors are equivalent and which a
later test kills. Each survivor's verdict is one row of a table in docs/mutation/, and this tool
joins the two, so the published numbers are computed, not typed.

A full run of the scope takes longer than a working day on 2 cores, so the part never run is
estimated from a seeded random sample drawn per package (`--draw`); the sample file records the
population it was drawn from, which the estimate needs. Only the sample's survivors have been
triaged, so the estimate counts the sample's kills by the run, not its later kills.
"""

from __future__ import annotations

import argparse
import collections
import math
import random
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGES = ("config", "components", "devtools", "policy", "adopt")
COLUMNS = ("mutants", "checked", "no tests", "killed", "timeout", "survived", "killed later", "equivalent")
_RESULT = re.compile(r"\s*(\S+__mutmut_\d+): (.+)$")
_VERDICT = re.compile(r"\|\s*`?([a-z_]+\.[\w.ǁ]+__mutmut_\d+)`?(?:\s*\([^)|]*\))?\s*\|\s*`?([^|`]+?)`?\s*\|")
_POPULATION = re.compile(r"#\s*population\s+(\w+)\s+(\d+)")


def parse_results(text: str) -> dict[str, str]:
    """`mutmut results --all true` → {mutant: status}."""
    return {m[1]: m[2].strip() for m in map(_RESULT.match, text.splitlines()) if m}


def parse_verdicts(tables: Iterable[str]) -> dict[str, str]:
    """Verdict rows (`| mutant | killed/equivalent/not triaged | how |`) → {mutant: verdict}."""
    verdicts = {}
    for table in tables:
        for line in table.splitlines():
            found = _VERDICT.match(line)
            if found:
                verdict = found[2].strip()
                verdicts[found[1]] = next(
                    (v for v in ("killed", "equivalent") if verdict.startswith(v)), "not triaged"
                )
    return verdicts


def tally(
    status: Mapping[str, str], verdicts: Mapping[str, str], names: Iterable[str]
) -> collections.Counter:
    """Counts per column for `names`; a survivor or a mutant no test reaches, without a verdict
    row, counts as not triaged."""
    counts = collections.Counter()
    for name in names:
        counts["mutants"] += 1
        state = status.get(name, "not checked")
        if state == "not checked":
            continue
        counts["checked"] += 1
        counts[state] += 1
        if state in ("survived", "no tests"):
            verdict = verdicts.get(name, "not triaged")
            counts["killed later" if verdict == "killed" else verdict] += 1
    return counts


def detected(counts: Mapping[str, float]) -> float:
    """Killed by the run, stopped as looping, or killed by a later test."""
    return counts["killed"] + counts["timeout"] + counts["killed later"]


def countable(counts: Mapping[str, float]) -> float:
    """Checked, less the equivalent ones. A mutant that no test reaches counts: a bug planted
    there would pass the suite."""
    return counts["checked"] - counts["equivalent"]


def score(counts: Mapping[str, float]) -> float | None:
    """Detected over countable; None when nothing counts."""
    denominator = countable(counts)
    return detected(counts) / denominator if denominator > 0 else None


def wilson(successes: float, trials: float, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval of a proportion (sound for proportions near 1)."""
    if trials <= 0:
        return (0.0, 1.0)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


def package_of(name: str) -> str:
    return name.split(".", 1)[0]


def draw(status: Mapping[str, str], size: int, seed: int) -> str:
    """A sample file: `size` not-checked mutants drawn per package in proportion, seeded."""
    unchecked = collections.defaultdict(list)
    for name in sorted(status):
        if status[name] == "not checked":
            unchecked[package_of(name)].append(name)
    total = sum(map(len, unchecked.values()))
    rng = random.Random(seed)
    lines, chosen = [], []
    for package in sorted(unchecked):
        lines.append(f"# population {package} {len(unchecked[package])}")
        chosen += rng.sample(unchecked[package], round(size * len(unchecked[package]) / total))
    head = f"# seed {seed}; {len(chosen)} drawn in proportion from {total} not-checked mutants"
    return "\n".join([head, *lines, *sorted(chosen)]) + "\n"


def read_sample(text: str) -> tuple[list[str], dict[str, int]]:
    """A sample file → (mutant names, not-checked population per package when it was drawn)."""
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return names, {m[1]: int(m[2]) for m in map(_POPULATION.match, text.splitlines()) if m}


def table(rows: Mapping[str, Mapping[str, float]]) -> str:
    out = ["| package | " + " | ".join(COLUMNS) + " | score |", "|---" + "|---:" * (len(COLUMNS) + 1) + "|"]
    for label, counts in rows.items():
        value = score(counts)
        cells = [f"{counts[c]:,.0f}" for c in COLUMNS] + ["–" if value is None else f"{100 * value:.1f}%"]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def report(status: Mapping[str, str], verdicts: Mapping[str, str], sample_text: str | None) -> str:
    by_package = collections.defaultdict(list)
    for name in status:
        by_package[package_of(name)].append(name)
    rows = {p: tally(status, verdicts, by_package[p]) for p in PACKAGES}
    rows["all"] = sum(rows.values(), collections.Counter())
    parts = ["Everything checked so far:", "", table(rows)]
    if sample_text is not None:
        names, population = read_sample(sample_text)
        in_sample = set(names)
        sampled = {p: tally(status, verdicts, [n for n in names if package_of(n) == p]) for p in PACKAGES}
        sampled["all"] = sum(sampled.values(), collections.Counter())
        # The unrun part's survivors have had no one write tests for them: its estimate counts
        # the sample's kills by the run only, never its later kills.
        estimate, to_triage = collections.Counter(), 0.0
        for package in PACKAGES:
            outside = tally(status, verdicts, [n for n in by_package[package] if n not in in_sample])
            drawn = sampled[package]["checked"]
            weight = population.get(package, 0) / drawn if drawn else 0
            as_run = sampled[package] - collections.Counter(
                {"killed later": sampled[package]["killed later"]}
            )
            for column in COLUMNS:
                estimate[column] += outside[column] + weight * as_run[column]
            to_triage += weight * (as_run["survived"] + as_run["no tests"] - as_run["equivalent"])
        counts = sampled["all"]
        low, high = wilson(detected(counts), countable(counts))
        run_low, run_high = wilson(detected(counts) - counts["killed later"], countable(counts))
        parts += ["", "The random sample alone:", "", table(sampled), ""]
        parts.append(f"Sample score, 95% interval: {100 * low:.1f}% to {100 * high:.1f}%.")
        parts.append(
            "Killed by the run alone, before any triage, 95% interval: "
            f"{100 * run_low:.1f}% to {100 * run_high:.1f}%."
        )
        full = score(estimate)
        if full is not None:
            parts.append(
                f"Whole scope if the rest were run today, estimated: {100 * full:.1f}%, "
                f"leaving about {to_triage:,.0f} survivors to kill or explain."
            )
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mutation-report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, help="saved `mutmut results --all true` output")
    parser.add_argument(
        "--verdicts",
        type=Path,
        action="append",
        help="folder of mut-*.md, repeated for more (a later one's row wins); "
        "default docs/mutation, then its full/",
    )
    parser.add_argument("--sample", type=Path, help="a sample file: also report the sample and the estimate")
    parser.add_argument(
        "--draw", type=int, metavar="N", help="print a sample of N not-checked mutants instead"
    )
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    if args.results:
        text = args.results.read_text(encoding="utf-8")
    else:
        command = [sys.executable, "-m", "mutmut", "results", "--all", "true"]
        text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    status = parse_results(text)
    if args.draw is not None:
        sys.stdout.write(draw(status, args.draw, args.seed))
        return 0
    folders = args.verdicts or [Path("docs/mutation"), Path("docs/mutation/full")]
    tables = [p.read_text(encoding="utf-8") for folder in folders for p in sorted(folder.glob("mut-*.md"))]
    sample = args.sample.read_text(encoding="utf-8") if args.sample else None
    sys.stdout.write(report(status, parse_verdicts(tables), sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
