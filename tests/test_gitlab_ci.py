"""The GitLab pipeline does what docs/ci.md says: test, plan-diff and its note, gated preview, up."""

from __future__ import annotations

from tests.ci_files import STACKS, environment_name, gitlab_jobs, load_gitlab, rule_ifs

MR = '$CI_PIPELINE_SOURCE == "merge_request_event"'


def test_gitlab_test_job_runs_make_test() -> None:
    """GitLab runs `make test` in the test stage, in every pipeline."""
    job = gitlab_jobs(load_gitlab())["test"]
    assert job["stage"] == "test"
    assert "make test" in job["script"]
    assert "rules" not in job


def test_gitlab_up_jobs_are_manual_serialised_and_default_branch_only() -> None:
    """GitLab `up` jobs are manual, use resource_group
    teamspace-<stack>, an environment per stack, default branch only.
    """
    jobs = gitlab_jobs(load_gitlab())
    ups = {
        name: job for name, job in jobs.items() if any("pulumi up" in line for line in job.get("script", []))
    }
    stacks = set()
    for name, job in ups.items():
        stack = job["variables"]["STACK"]
        stacks.add(stack)
        assert job["resource_group"] == f"teamspace-{stack}", name
        assert environment_name(job) == stack, name
        assert job["rules"], name
        for rule in job["rules"]:
            assert rule.get("when") == "manual", name
            assert rule["if"].replace(" ", "") == "$CI_COMMIT_BRANCH==$CI_DEFAULT_BRANCH", name
    assert stacks == STACKS
    prod = next(j for j in ups.values() if j["variables"]["STACK"] == "prod")
    dev_name = next(n for n, j in ups.items() if j["variables"]["STACK"] == "dev")
    assert dev_name in prod["needs"]


def test_gitlab_preview_runs_per_stack_on_merge_requests() -> None:
    """GitLab preview (both stacks) logs in to the backend and runs only in MR pipelines."""
    preview = gitlab_jobs(load_gitlab())["preview"]
    assert rule_ifs(preview) == [MR]
    assert "pulumi preview --diff" in " ".join(preview["script"])
    setup = " ".join(preview["before_script"])
    assert 'pulumi login "$PULUMI_BACKEND_URL"' in setup and "pulumi stack select" in setup
    assert {s for entry in preview["parallel"]["matrix"] for s in entry["STACK"]} == STACKS


def test_gitlab_plan_diff_fetches_target_and_stores_report() -> None:
    """GitLab plan-diff fetches the MR target, diffs against it and keeps the report as an artifact."""
    job = gitlab_jobs(load_gitlab())["plan-diff"]
    assert rule_ifs(job) == [MR]
    script = "\n".join(job["script"])
    assert "git fetch" in script and "${CI_MERGE_REQUEST_TARGET_BRANCH_NAME}" in script
    assert 'make plan-diff BASE="origin/${CI_MERGE_REQUEST_TARGET_BRANCH_NAME}"' in script
    assert job["artifacts"]["paths"] == ["build/plan-diff.md"]
    assert job["artifacts"]["when"] == "always"
    assert "after_script" not in job, "the note is posted by plan-diff:note, not by MR code's job"


def test_gitlab_note_runs_after_plan_diff_even_when_it_failed() -> None:
    """plan-diff:note runs in MR pipelines after plan-diff, also when plan-diff failed (a PVC delete)."""
    config = load_gitlab()
    job = gitlab_jobs(config)["plan-diff:note"]
    assert job["rules"] == [{"if": MR, "when": "always"}]
    assert config["stages"].index(job["stage"]) > config["stages"].index("plan")
    script = "\n".join(job["script"])
    assert '[ -z "${GITLAB_NOTE_TOKEN:-}" ]' in script and "merge_requests" in script
