"""The GitHub comment workflow's own github-script, run for real under Node with stand-ins for the
GitHub API, against hostile `plan-diff` artifacts (docs/security.md).

actions/github-script runs the `script:` text as the body of an async function that receives
`require`, `github`, `context` and `core`; this test does the same, in the directory where the
download step put the artifact (`plan-diff/`). Node comes from `.ci/run` (Debian `nodejs`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ci_files import COMMENT, load_github, steps_using

MARKER = "<!-- teamspace-plan-diff -->"
HEAD = "a" * 40

# Stand-ins for github-script's arguments; every API call is recorded and printed as JSON.
RUNNER = r"""
const fs = require('fs');
const scenario = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const script = fs.readFileSync(process.argv[3], 'utf8');
const calls = [];
const github = {
  rest: {
    pulls: { get: async (a) => { calls.push(['pulls.get', a.pull_number]);
      return { data: { head: { sha: scenario.prHeads[String(a.pull_number)] || 'f'.repeat(40) } } }; } },
    issues: {
      listComments: 'listComments',
      createComment: async (a) => { calls.push(['createComment', a.issue_number, a.body]); return { data: { id: 1 } }; },
      updateComment: async (a) => { calls.push(['updateComment', a.comment_id, a.body]); return { data: {} }; },
    },
  },
  paginate: async () => scenario.comments,
};
const core = { failed: null, setFailed(m) { this.failed = m; }, info() {} };
const context = { repo: { owner: 'o', repo: 'r' },
  payload: { workflow_run: { head_sha: scenario.runHead, conclusion: 'success', html_url: 'https://x/run' } } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core)
  .then(() => console.log(JSON.stringify({ calls, failed: core.failed })))
  .catch((e) => { console.error(e); process.exit(3); });
"""  # noqa: E501 - the Node script is kept byte for byte


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found:
        return found
    reason = "node is not installed (Debian package nodejs)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so the comment-script tests must run, but {reason}; .ci/run installs it")
    pytest.skip(f"{reason}; .ci/run installs it; with CI=true this is an error")


def run_comment(
    tmp_path: Path,
    pr_number: str | None,
    report: str | None = "dev: +1 ~0 -0\n",
    comments: list | None = None,
    pr_heads: dict | None = None,
) -> dict:
    """Run the workflow's script with `plan-diff/` holding the given artifact files."""
    artifact = tmp_path / "plan-diff"
    artifact.mkdir(parents=True)
    if pr_number is not None:
        (artifact / "pr-number").write_text(pr_number, encoding="utf-8")
    if report is not None:
        (artifact / "plan-diff.md").write_text(report, encoding="utf-8")
    script = steps_using(load_github(COMMENT)["jobs"]["comment"], "actions/github-script")[0]["with"][
        "script"
    ]
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    (tmp_path / "runner.js").write_text(RUNNER, encoding="utf-8")
    scenario = {"runHead": HEAD, "comments": comments or [], "prHeads": pr_heads or {"7": HEAD}}
    (tmp_path / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    done = subprocess.run(
        [node(), "runner.js", "scenario.json", "script.js"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def writes(result: dict) -> list:
    return [c for c in result["calls"] if c[0] in ("createComment", "updateComment")]


def test_comments_on_the_tested_pr(tmp_path: Path) -> None:
    """A plain number whose PR head is the tested commit gets one marked comment with the report."""
    result = run_comment(tmp_path, "7\n")
    [(call, number, body)] = writes(result)
    assert call == "createComment" and number == 7
    assert body.startswith(MARKER) and "dev: +1 ~0 -0" in body
    assert result["failed"] is None


@pytest.mark.parametrize("pr_number", ["7; rm -rf /", "../7", "7e3", "", "12345678901", "-7"])
def test_a_forged_pr_number_is_refused(tmp_path: Path, pr_number: str) -> None:
    """Attack: the artifact's PR number is not a plain 1-10 digit number; nothing is posted."""
    result = run_comment(tmp_path, pr_number)
    assert writes(result) == [] and "no valid PR number" in result["failed"]
    assert not any(c[0] == "pulls.get" for c in result["calls"])


def test_another_prs_number_is_ignored(tmp_path: Path) -> None:
    """Attack: the artifact names another PR (whose head is not the tested commit); nothing is posted."""
    result = run_comment(tmp_path, "8", pr_heads={"7": HEAD, "8": "b" * 40})
    assert writes(result) == [] and result["failed"] is None


def test_only_the_bots_own_comment_is_updated(tmp_path: Path) -> None:
    """A user's comment that starts with the marker is not edited; the bot's is."""
    forged = {"id": 5, "user": {"type": "User", "login": "mallory"}, "body": MARKER + " forged"}
    own = {"id": 6, "user": {"type": "Bot", "login": "github-actions[bot]"}, "body": MARKER + " old"}
    assert [c[:2] for c in writes(run_comment(tmp_path / "a", "7", comments=[forged, own]))] == [
        ["updateComment", 6]
    ]
    assert [c[0] for c in writes(run_comment(tmp_path / "b", "7", comments=[forged]))] == ["createComment"]


def test_a_huge_report_is_truncated(tmp_path: Path) -> None:
    """A 200 000-character report is cut below GitHub's 65 536-character comment limit."""
    body = writes(run_comment(tmp_path, "7", report="x" * 200_000))[0][2]
    assert len(body) < 65_536 and "truncated" in body
