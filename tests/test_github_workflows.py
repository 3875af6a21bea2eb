"""The GitHub workflows do what docs/ci.md says: PR checks, the gated preview, the comment, deploys."""

from __future__ import annotations

import pytest

from tests.ci_files import (
    COMMENT,
    DEPLOY,
    PREVIEW,
    PULUMI_PREVIEW,
    STACKS,
    first_index,
    github_files,
    load_github,
    pulumi_command_steps,
    steps_using,
    triggers,
    walk_strings,
)


def is_setup_python(step: dict) -> bool:
    return str(step.get("uses", "")).startswith("actions/setup-python@")


def is_pulumi_action(step: dict) -> bool:
    return str(step.get("uses", "")).startswith("pulumi/actions@")


# ---------------------------------------------------------------- preview.yml (no secrets)


def test_pr_checks_run_on_pull_request_read_only() -> None:
    """preview.yml triggers on pull_request with a read-only token and runs `make test`."""
    wf = load_github(PREVIEW)
    assert "pull_request" in triggers(wf)
    assert wf["permissions"] == {"contents": "read"}
    assert any("make test" in s.get("run", "") for s in wf["jobs"]["test"]["steps"])
    assert "preview" not in wf["jobs"], "the gated preview lives in pulumi-preview.yml"


def test_plan_diff_job_uses_no_secrets() -> None:
    """The plan-diff job references no `secrets.` and no fork guard, so it runs safely on forks."""
    job = load_github(PREVIEW)["jobs"]["plan-diff"]
    assert not any("secrets." in s for s in walk_strings(job))
    assert "if" not in job


def test_plan_diff_job_diffs_against_base_and_uploads_report() -> None:
    """plan-diff fetches full history, runs make plan-diff against
    the base branch and uploads report and PR number.
    """
    job = load_github(PREVIEW)["jobs"]["plan-diff"]
    checkout = steps_using(job, "actions/checkout")
    assert checkout and checkout[0]["with"]["fetch-depth"] == 0
    assert steps_using(job, "actions/setup-python")
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    envs = "\n".join(str(s.get("env", "")) for s in job["steps"])
    assert "make plan-diff BASE=" in runs and "origin/" in runs
    assert "github.base_ref" in envs
    assert "GITHUB_STEP_SUMMARY" in runs
    upload = steps_using(job, "actions/upload-artifact")
    assert upload
    assert upload[0]["with"]["name"] == "plan-diff"
    paths = upload[0]["with"]["path"]
    assert "build/plan-diff.md" in paths and "build/pr-number" in paths
    assert "pull_request.number" in envs


# ---------------------------------------------------------------- pulumi-preview.yml


def test_pulumi_preview_runs_for_both_stacks_with_secret_backend() -> None:
    """The preview job runs pulumi/actions `preview` per stack, into the job summary."""
    wf = load_github(PULUMI_PREVIEW)
    job = wf["jobs"]["preview"]
    assert set(job["strategy"]["matrix"]["stack"]) == STACKS
    [step] = pulumi_command_steps(job)
    args = step["with"]
    assert args["command"] == "preview"
    assert args["comment-on-summary"] is True
    assert "matrix.stack" in args["stack-name"]
    assert args["cloud-url"].replace(" ", "") == "${{secrets.PULUMI_BACKEND_URL}}"


def test_pulumi_preview_sets_up_python_first_and_skips_forks() -> None:
    """setup-python 3.11 precedes the Pulumi action; fork PRs (which get no secrets) are skipped."""
    job = load_github(PULUMI_PREVIEW)["jobs"]["preview"]
    setup = steps_using(job, "actions/setup-python")
    assert setup and str(setup[0]["with"]["python-version"]) == "3.11"
    assert first_index(job, is_setup_python) < first_index(job, is_pulumi_action)
    condition = job["if"].replace(" ", "")
    assert "github.event.pull_request.head.repo.full_name==github.repository" in condition


def test_pulumi_preview_cancels_superseded_runs() -> None:
    """A new push cancels the older run of the same PR, so reviewers approve only the newest commit."""
    concurrency = load_github(PULUMI_PREVIEW)["concurrency"]
    assert "pull_request.number" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is True


# ---------------------------------------------------------------- plan-diff-comment.yml


def test_comment_workflow_is_triggered_by_pr_checks_run() -> None:
    """plan-diff-comment.yml runs on completed runs of preview.yml, with least privilege."""
    wf = load_github(COMMENT)
    run = triggers(wf)["workflow_run"]
    assert run["workflows"] == [load_github(PREVIEW)["name"]]
    assert run["types"] == ["completed"]
    assert wf["permissions"] == {"pull-requests": "write", "actions": "read"}


def test_comment_workflow_downloads_by_run_id_and_edits_its_comment() -> None:
    """The comment job downloads the artifact of the triggering run and creates or updates one comment."""
    job = load_github(COMMENT)["jobs"]["comment"]
    [download] = steps_using(job, "actions/download-artifact")
    args = download["with"]
    assert args["name"] == "plan-diff"
    assert "workflow_run.id" in args["run-id"]
    assert "github-token" in args
    [script] = steps_using(job, "actions/github-script")
    body = script["with"]["script"]
    assert "createComment" in body and "updateComment" in body
    assert "/^[0-9]{1,10}$/" in body and "pr.head.sha !== run.head_sha" in body


# ---------------------------------------------------------------- deploy.yml


def test_deploy_runs_up_on_push_to_main_per_environment() -> None:
    """deploy.yml runs pulumi `up` on push to main, one job per stack behind an environment of that name."""
    wf = load_github(DEPLOY)
    on = triggers(wf)
    assert set(on) == {"push"}
    assert on["push"]["branches"] == ["main"]
    seen = {}
    for name, job in wf["jobs"].items():
        for step in pulumi_command_steps(job):
            args = step["with"]
            assert args["command"] == "up"
            assert args["cloud-url"].replace(" ", "") == "${{secrets.PULUMI_BACKEND_URL}}"
            assert "secrets.PULUMI_CONFIG_PASSPHRASE" in step["env"]["PULUMI_CONFIG_PASSPHRASE"]
            assert job["environment"] == args["stack-name"]
            assert first_index(job, is_setup_python) < first_index(job, is_pulumi_action)
            seen[args["stack-name"]] = name
    assert set(seen) == STACKS


def test_deploy_orders_prod_after_dev_and_serialises_per_stack() -> None:
    """prod needs dev, and each stack has its own non-cancelling concurrency group."""
    jobs = load_github(DEPLOY)["jobs"]
    by_stack = {
        step["with"]["stack-name"]: name for name, job in jobs.items() for step in pulumi_command_steps(job)
    }
    needs = jobs[by_stack["prod"]]["needs"]
    assert by_stack["dev"] in ([needs] if isinstance(needs, str) else needs)
    groups = set()
    for stack, name in by_stack.items():
        concurrency = jobs[name]["concurrency"]
        assert stack in concurrency["group"]
        assert concurrency["cancel-in-progress"] is False
        groups.add(concurrency["group"])
    assert len(groups) == len(STACKS)


# ---------------------------------------------------------------- all workflows


@pytest.mark.parametrize("path", github_files(), ids=lambda p: p.name)
def test_no_expressions_inside_shell_scripts(path) -> None:
    """No `run:` script interpolates `${{ }}` directly (values
    go through env, preventing script injection).
    """
    for job in load_github(path)["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step
