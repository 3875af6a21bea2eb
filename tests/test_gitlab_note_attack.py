"""The GitLab note job's own script, run for real against a loopback stand-in for the GitLab API,
with the attacks an MR can put into plan-diff's artifact (docs/security.md).

The script is taken from .gitlab-ci.yml as GitLab would run it: its `script:` lines in one shell,
in $CI_PROJECT_DIR, where the runner unpacked the artifact.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.ci_files import load_gitlab

TOKEN = "glpat-note-token-for-tests"
BOT_ID = 7
MARKER = "<!-- teamspace-plan-diff -->"


class FakeGitLab(ThreadingHTTPServer):
    """Answers the four calls the note job makes and records every request."""

    def __init__(self, existing_notes: list[dict]) -> None:
        super().__init__(("127.0.0.1", 0), NoteApiHandler)
        self.existing_notes = existing_notes
        self.requests: list[dict] = []


class NoteApiHandler(BaseHTTPRequestHandler):
    server: FakeGitLab

    def _answer(self, payload) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null")
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "token": self.headers.get("PRIVATE-TOKEN"),
                "body": body,
            }
        )
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer({"id": BOT_ID} if self.path.endswith("/user") else self.server.existing_notes)

    def do_POST(self) -> None:  # noqa: N802
        self._answer({"id": 100})

    def do_PUT(self) -> None:  # noqa: N802
        self._answer({"id": int(self.path.rsplit("/", 1)[1])})

    def log_message(self, *args) -> None:
        pass


@functools.cache
def note_script() -> str:
    """The note job's script lines, joined as the runner's shell runs them."""
    return "\n".join(load_gitlab()["plan-diff:note"]["script"])


def run_note_job(
    project: Path,
    existing: list[dict] | None = None,
    token: str | None = TOKEN,
    extra_env: dict | None = None,
) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Run the note job in `project` (its CI_PROJECT_DIR) against a fresh fake API."""
    server = FakeGitLab(existing or [])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    bindir = project.parent / "bin"
    bindir.mkdir(exist_ok=True)
    if not (bindir / "python3").exists():
        (bindir / "python3").symlink_to(sys.executable)
    env = {
        "PATH": f"{bindir}:/usr/bin:/bin",
        "CI_PROJECT_DIR": str(project),
        "CI_API_V4_URL": f"http://127.0.0.1:{server.server_address[1]}/api/v4",
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "5",
        "CI_PIPELINE_URL": "https://gitlab.example/p/-/pipelines/9",
        **({"GITLAB_NOTE_TOKEN": token} if token else {}),
        **(extra_env or {}),
    }
    try:
        result = subprocess.run(
            ["bash", "-e", "-c", note_script()],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
        server.server_close()
    return result, server.requests


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An unpacked artifact: $CI_PROJECT_DIR/build/plan-diff.md."""
    root = tmp_path / "project"
    (root / "build").mkdir(parents=True)
    (root / "build" / "plan-diff.md").write_text("dev: +1 ~0 -0\n", encoding="utf-8")
    return root


def writes(requests: list[dict]) -> list[dict]:
    return [r for r in requests if r["method"] in ("POST", "PUT")]


def test_posts_one_note_with_the_report(project: Path) -> None:
    """A plain report is posted as a new note on the MR, authenticated by the token."""
    result, requests = run_note_job(project)
    assert result.returncode == 0, result.stderr
    [post] = writes(requests)
    assert post["method"] == "POST" and post["path"] == "/api/v4/projects/42/merge_requests/5/notes"
    assert post["token"] == TOKEN
    assert post["body"]["body"].startswith(MARKER) and "dev: +1 ~0 -0" in post["body"]["body"]


def test_updates_only_its_own_note(project: Path) -> None:
    """A note by someone else that starts with the marker is left alone; the bot's note is updated."""
    existing = [
        {"id": 11, "author": {"id": 99}, "body": MARKER + " forged"},
        {"id": 12, "author": {"id": BOT_ID}, "body": MARKER + " old"},
    ]
    result, requests = run_note_job(project, existing)
    assert result.returncode == 0, result.stderr
    assert [(r["method"], r["path"].rsplit("/", 1)[1]) for r in writes(requests)] == [("PUT", "12")]
    result, requests = run_note_job(project, existing[:1])
    assert [r["method"] for r in writes(requests)] == ["POST"]


def test_without_token_posts_nothing(project: Path) -> None:
    """No token configured (e.g. fork pipelines): the job succeeds and calls nothing."""
    result, requests = run_note_job(project, token=None)
    assert result.returncode == 0 and requests == []


def test_symlinked_report_is_refused(project: Path, tmp_path: Path) -> None:
    """Attack: plan-diff.md is a symlink to a secret-holding file (like /proc/self/environ)."""
    secret = tmp_path / "environ"
    secret.write_text("GITLAB_NOTE_TOKEN=" + TOKEN, encoding="utf-8")
    report = project / "build" / "plan-diff.md"
    report.unlink()
    report.symlink_to(secret)
    result, requests = run_note_job(project)
    assert result.returncode != 0 and "refusing" in result.stderr
    assert writes(requests) == []
    assert TOKEN not in result.stdout + result.stderr


def test_symlinked_build_folder_is_refused(project: Path, tmp_path: Path) -> None:
    """Attack: build/ itself is a symlink to a folder outside the artifact."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "plan-diff.md").write_text("SECRET-OUTSIDE", encoding="utf-8")
    for child in (project / "build").iterdir():
        child.unlink()
    (project / "build").rmdir()
    (project / "build").symlink_to(elsewhere, target_is_directory=True)
    result, requests = run_note_job(project)
    assert result.returncode != 0 and "not a plain directory" in result.stderr
    assert writes(requests) == []


def test_fifo_report_is_refused_without_hanging(project: Path) -> None:
    """Attack: plan-diff.md is a FIFO (a read would block the job forever)."""
    report = project / "build" / "plan-diff.md"
    report.unlink()
    os.mkfifo(report)
    result, requests = run_note_job(project)
    assert result.returncode != 0 and "not a regular file" in result.stderr
    assert writes(requests) == []


def test_planted_modules_are_not_imported(project: Path) -> None:
    """Attack: the artifact plants json.py / sitecustomize.py where a plain `python3 -` would import them."""
    pwned = project.parent / "pwned"
    payload = f"open({str(pwned)!r}, 'w').write('ran')\n"
    for folder in (project, project / "build"):
        for module in ("json.py", "sitecustomize.py", "usercustomize.py", "urllib.py"):
            (folder / module).write_text(payload, encoding="utf-8")
    result, requests = run_note_job(project, extra_env={"PYTHONPATH": str(project / "build")})
    assert result.returncode == 0, result.stderr
    assert not pwned.exists(), "a module from the artifact ran inside the note job"
    assert len(writes(requests)) == 1


def test_quick_actions_in_the_report_are_defused(project: Path) -> None:
    """Attack: report lines such as `/merge` would run as GitLab quick actions with the bot's rights."""
    (project / "build" / "plan-diff.md").write_text(
        "dev: +0 ~0 -0\n/merge\n  /approve\nnot /a quick action\n", encoding="utf-8"
    )
    result, requests = run_note_job(project)
    assert result.returncode == 0, result.stderr
    body = writes(requests)[0]["body"]["body"]
    lines = body.splitlines()
    assert "\\/merge" in lines and "  \\/approve" in lines and "not /a quick action" in lines
    assert not any(line.lstrip().startswith("/") for line in lines)


def test_huge_or_binary_report_is_bounded(project: Path) -> None:
    """A 2 MB binary report is truncated to the limit and decoded without failing."""
    (project / "build" / "plan-diff.md").write_bytes(b"\xff\xfe" * 1_000_000)
    result, requests = run_note_job(project)
    assert result.returncode == 0, result.stderr
    body = writes(requests)[0]["body"]["body"]
    assert len(body) < 1_000_000 and "truncated" in body
