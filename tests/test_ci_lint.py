"""CI runs ruff before the tests, on every pipeline that tests (GitHub and GitLab), and the
Makefile's `lint` target is what both call."""

from __future__ import annotations

import re

from .ci_files import DEPLOY, PREVIEW, ROOT, load_github, load_gitlab


def _steps(path, job: str) -> list[str]:
    return [step.get("run", "") for step in load_github(path)["jobs"][job]["steps"]]


def test_github_test_jobs_lint_before_testing():
    for path in (PREVIEW, DEPLOY):
        runs = _steps(path, "test")
        assert "make lint" in runs and "make test" in runs, path.name
        assert runs.index("make lint") < runs.index("make test"), path.name


def test_gitlab_test_job_lints_before_testing():
    script = load_gitlab()["test"]["script"]
    assert script.index("make lint") < script.index("make test")


def test_make_lint_runs_ruff_check_and_format_check():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "no lint target"
    assert "ruff check ." in recipe.group(1) and "ruff format --check ." in recipe.group(1)
