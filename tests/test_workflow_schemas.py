"""Every CI definition validates against its published schema (check-jsonschema, offline)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ci_files import GITLAB, github_files, local_includes, parse_gitlab


def check_jsonschema() -> str:
    """Path of the check-jsonschema executable (venv first, then PATH)."""
    candidate = Path(sys.executable).parent / "check-jsonschema"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("check-jsonschema")
    if not found:
        pytest.fail("check-jsonschema is not installed (pip install -r requirements-dev.txt)")
    return found


def run_schema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    """Run check-jsonschema with a builtin (offline) schema on files."""
    return subprocess.run(
        [check_jsonschema(), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


def gitlab_files() -> list[Path]:
    """.gitlab-ci.yml and the local files it includes."""
    return [GITLAB, *local_includes(parse_gitlab(GITLAB.read_text(encoding="utf-8")))]


def test_github_workflows_match_schema() -> None:
    """Each GitHub workflow validates against the vendor.github-workflows schema."""
    result = run_schema("vendor.github-workflows", *github_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_ci_matches_schema() -> None:
    """.gitlab-ci.yml (and its local includes) validate against the vendor.gitlab-ci schema."""
    result = run_schema("vendor.gitlab-ci", *gitlab_files())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        ("on: push\njobs:\n  build:\n    steps:\n      - run: echo hi\n", "'runs-on' is a required property"),
        (
            "on: push\njob:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
            "'jobs' is a required property",
        ),
    ],
    ids=["runs-on-missing", "jobs-misspelled"],
)
def test_schema_rejects_broken_github_workflow(tmp_path: Path, broken: str, complaint: str) -> None:
    """check-jsonschema rejects a deliberately broken GitHub workflow."""
    bad = tmp_path / "broken.yml"
    bad.write_text(broken, encoding="utf-8")
    result = run_schema("vendor.github-workflows", bad)
    assert result.returncode != 0, "broken workflow was accepted:\n" + result.stdout
    assert complaint in result.stdout + result.stderr, "rejected for another reason"


def test_schema_rejects_broken_gitlab_ci(tmp_path: Path) -> None:
    """check-jsonschema rejects a GitLab job with an invalid `when` value."""
    bad = tmp_path / ".gitlab-ci.yml"
    bad.write_text("build:\n  script: [make]\n  when: sometimes\n", encoding="utf-8")
    result = run_schema("vendor.gitlab-ci", bad)
    assert result.returncode != 0, "broken .gitlab-ci.yml was accepted:\n" + result.stdout
    assert "'sometimes' is not one of" in result.stdout + result.stderr, "rejected for another reason"
