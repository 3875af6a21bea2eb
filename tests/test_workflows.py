"""Validate the CI/CD definitions: schema checks via check-jsonschema plus structural rules."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PREVIEW = WORKFLOWS / "preview.yml"
COMMENT = WORKFLOWS / "plan-diff-comment.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
GITHUB_FILES = [PREVIEW, COMMENT, DEPLOY]
STACKS = {"dev", "prod"}


# ---------------------------------------------------------------- helpers


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
    )


def load(path: Path) -> dict:
    """Load a YAML file as a dict."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def triggers(workflow: dict) -> dict:
    """The `on:` block; YAML 1.1 loads the bare key `on` as True."""
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "workflow has no `on:` block"
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    return on


def steps_using(job: dict, action: str) -> list[dict]:
    """Steps of a job whose `uses:` is the given action (any ref)."""
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).split("@")[0] == action]


def pulumi_command_steps(job: dict) -> list[dict]:
    """pulumi/actions steps that run a command (not the CLI-only install)."""
    return [s for s in steps_using(job, "pulumi/actions") if (s.get("with") or {}).get("command")]


def first_index(job: dict, action: str) -> int:
    """Index of the first step using an action, or a large number if absent."""
    for i, step in enumerate(job.get("steps", [])):
        if str(step.get("uses", "")).split("@")[0] == action:
            return i
    return 10**6


def deep_merge(base: dict, over: dict) -> dict:
    """GitLab `extends` semantics: hashes merge deeply, everything else is replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def gitlab_job(config: dict, name: str) -> dict:
    """A GitLab job with its `extends` chain resolved."""
    job = config[name]
    parents = job.get("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    merged: dict = {}
    for parent in parents:
        merged = deep_merge(merged, gitlab_job(config, parent))
    own = {k: v for k, v in job.items() if k != "extends"}
    return deep_merge(merged, own)


def rule_ifs(job: dict) -> list[str]:
    """The `if:` expressions of a job's rules."""
    return [r.get("if", "") for r in job.get("rules", [])]


GITLAB_KEYWORDS = {"stages", "workflow", "variables", "default", "include", "image", "services", "cache"}


def gitlab_jobs(config: dict) -> dict[str, dict]:
    """All visible (non-template) GitLab jobs, resolved."""
    return {
        name: gitlab_job(config, name)
        for name in config
        if name not in GITLAB_KEYWORDS and not name.startswith(".")
    }


# ---------------------------------------------------------------- schema validation


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_github_workflow_matches_schema(path: Path) -> None:
    """Each GitHub workflow validates against the vendor.github-workflows schema."""
    result = run_schema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_ci_matches_schema() -> None:
    """.gitlab-ci.yml validates against the vendor.gitlab-ci schema."""
    result = run_schema("vendor.gitlab-ci", GITLAB)
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


# ---------------------------------------------------------------- GitHub: preview.yml


def test_preview_runs_on_pull_request_with_minimal_permissions() -> None:
    """preview.yml triggers on pull_request; the preview job may only read code and write PR comments."""
    wf = load(PREVIEW)
    assert "pull_request" in triggers(wf)
    assert wf["permissions"] == {"contents": "read"}
    assert wf["jobs"]["preview"]["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_preview_job_runs_pulumi_preview_for_both_stacks() -> None:
    """The preview job runs pulumi/actions `preview` with a PR comment and a secret backend URL per stack."""
    job = load(PREVIEW)["jobs"]["preview"]
    assert set(job["strategy"]["matrix"]["stack"]) == STACKS
    steps = pulumi_command_steps(job)
    assert len(steps) == 1
    step = steps[0]
    assert step["uses"] == "pulumi/actions@v6"
    args = step["with"]
    assert args["command"] == "preview"
    assert args["comment-on-pr"] is True
    assert "matrix.stack" in args["stack-name"]
    assert args["cloud-url"].replace(" ", "") == "${{secrets.PULUMI_BACKEND_URL}}"
    assert "secrets.PULUMI_CONFIG_PASSPHRASE" in step["env"]["PULUMI_CONFIG_PASSPHRASE"]


def test_preview_job_sets_up_python_and_is_skipped_on_forks() -> None:
    """setup-python 3.11 precedes the Pulumi action, and the secret-using job is skipped for fork PRs."""
    job = load(PREVIEW)["jobs"]["preview"]
    setup = steps_using(job, "actions/setup-python")
    assert setup and str(setup[0]["with"]["python-version"]) == "3.11"
    assert first_index(job, "actions/setup-python") < first_index(job, "pulumi/actions")
    condition = job["if"].replace(" ", "")
    assert "github.event.pull_request.head.repo.full_name==github.repository" in condition


def test_plan_diff_job_uses_no_secrets() -> None:
    """The plan-diff job references no `secrets.` and no fork guard, so it runs safely on forks."""
    job = load(PREVIEW)["jobs"]["plan-diff"]
    text = yaml.safe_dump(job)
    assert "secrets." not in text
    assert "if" not in job


def test_plan_diff_job_diffs_against_base_and_uploads_report() -> None:
    """plan-diff fetches full history, runs make plan-diff against the base branch and uploads report and PR number."""
    job = load(PREVIEW)["jobs"]["plan-diff"]
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


def test_preview_has_test_job() -> None:
    """preview.yml runs `make test`."""
    job = load(PREVIEW)["jobs"]["test"]
    assert any("make test" in s.get("run", "") for s in job["steps"])


# ---------------------------------------------------------------- GitHub: plan-diff-comment.yml


def test_comment_workflow_is_triggered_by_preview_run() -> None:
    """plan-diff-comment.yml runs on completed runs of the preview workflow, with least privilege."""
    wf = load(COMMENT)
    run = triggers(wf)["workflow_run"]
    assert run["workflows"] == [load(PREVIEW)["name"]]
    assert run["types"] == ["completed"]
    assert wf["permissions"] == {"pull-requests": "write", "actions": "read"}


def test_comment_workflow_never_runs_pr_code() -> None:
    """The privileged comment workflow downloads the artifact by run id and never checks out code."""
    jobs = load(COMMENT)["jobs"]
    for job in jobs.values():
        assert not steps_using(job, "actions/checkout")
        assert not any("run" in s for s in job["steps"]), "no shell steps in the privileged workflow"
    job = jobs["comment"]
    download = steps_using(job, "actions/download-artifact")
    assert download and download[0]["uses"] == "actions/download-artifact@v4"
    args = download[0]["with"]
    assert args["name"] == "plan-diff"
    assert "workflow_run.id" in args["run-id"]
    assert "github-token" in args
    script = steps_using(job, "actions/github-script")
    assert script and script[0]["uses"] == "actions/github-script@v7"
    body = script[0]["with"]["script"]
    assert "createComment" in body and "updateComment" in body


# ---------------------------------------------------------------- GitHub: deploy.yml


def test_deploy_runs_up_on_push_to_main_per_environment() -> None:
    """deploy.yml runs pulumi `up` on push to main, one job per stack behind an environment of that name."""
    wf = load(DEPLOY)
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
            assert first_index(job, "actions/setup-python") < first_index(job, "pulumi/actions")
            seen[args["stack-name"]] = name
    assert set(seen) == STACKS


def test_deploy_orders_prod_after_dev_and_serialises_per_stack() -> None:
    """prod needs dev, and each stack has its own non-cancelling concurrency group."""
    jobs = load(DEPLOY)["jobs"]
    by_stack = {
        step["with"]["stack-name"]: name
        for name, job in jobs.items()
        for step in pulumi_command_steps(job)
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


# ---------------------------------------------------------------- GitHub: all workflows


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_no_expressions_inside_shell_scripts(path: Path) -> None:
    """No `run:` script interpolates `${{ }}` directly (values go through env, preventing script injection)."""
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step


# ---------------------------------------------------------------- GitLab


def test_gitlab_up_jobs_are_manual_serialised_and_default_branch_only() -> None:
    """GitLab `up` jobs are manual, use resource_group teamspace-<stack>, an environment per stack, default branch only."""
    config = load(GITLAB)
    ups = {
        name: job
        for name, job in gitlab_jobs(config).items()
        if any("pulumi up" in line for line in job.get("script", []))
    }
    stacks = set()
    for name, job in ups.items():
        stack = job["variables"]["STACK"]
        stacks.add(stack)
        assert job["resource_group"] == f"teamspace-{stack}", name
        assert job["environment"]["name"] == stack, name
        rules = job["rules"]
        assert rules, name
        for rule in rules:
            assert rule.get("when") == "manual", name
            assert rule["if"].replace(" ", "") == "$CI_COMMIT_BRANCH==$CI_DEFAULT_BRANCH", name
    assert stacks == STACKS
    prod = next(j for j in ups.values() if j["variables"]["STACK"] == "prod")
    dev_name = next(n for n, j in ups.items() if j["variables"]["STACK"] == "dev")
    assert dev_name in prod["needs"]


def test_gitlab_preview_and_plan_diff_run_on_merge_requests() -> None:
    """GitLab preview (both stacks) and plan-diff run only in merge request pipelines."""
    config = load(GITLAB)
    jobs = gitlab_jobs(config)
    mr = '$CI_PIPELINE_SOURCE == "merge_request_event"'
    for name in ("preview", "plan-diff"):
        assert rule_ifs(jobs[name]) == [mr], name
    preview = jobs["preview"]
    assert "pulumi preview --diff" in " ".join(preview["script"])
    setup = " ".join(preview["before_script"])
    assert 'pulumi login "$PULUMI_BACKEND_URL"' in setup and "pulumi stack select" in setup
    matrix_stacks = {s for entry in preview["parallel"]["matrix"] for s in entry["STACK"]}
    assert matrix_stacks == STACKS


def test_gitlab_plan_diff_fetches_target_and_stores_report() -> None:
    """GitLab plan-diff fetches the MR target, diffs against it, keeps the report and posts a note only with a token."""
    job = gitlab_jobs(load(GITLAB))["plan-diff"]
    script = "\n".join(job["script"])
    assert "git fetch" in script and "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in script.replace("{", "").replace("}", "")
    assert 'make plan-diff BASE="origin/${CI_MERGE_REQUEST_TARGET_BRANCH_NAME}"' in script
    assert job["artifacts"]["paths"] == ["build/plan-diff.md"]
    assert job["artifacts"]["when"] == "always"
    note = "\n".join(job["after_script"])
    assert '[ -z "${GITLAB_NOTE_TOKEN:-}" ]' in note and "merge_requests" in note
    assert script.index("unset GITLAB_NOTE_TOKEN") < script.index("make plan-diff"), "token must not reach MR code"


def test_gitlab_test_job_runs_make_test() -> None:
    """GitLab runs `make test` in the test stage."""
    jobs = gitlab_jobs(load(GITLAB))
    assert jobs["test"]["stage"] == "test"
    assert "make test" in jobs["test"]["script"]
