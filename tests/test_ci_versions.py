"""CI enforces what the repository promises (issue 10, point 5): one Pulumi CLI version everywhere,
equal to the SDK pin; every preview and up runs the policy pack; `make policy` runs its tests.
"""

from __future__ import annotations

import copy
import re
import subprocess

import pytest

from tests.ci_files import (
    POLICY_DIR,
    ROOT,
    github_files,
    gitlab_jobs,
    load_github,
    load_gitlab,
    pulumi_command_steps,
    requirement_pin,
    script_text,
    steps_using,
)

IMAGE_TAG = re.compile(r"^[\w./-]+:(?P<version>\d+\.\d+\.\d+)(?:@sha256:[0-9a-f]{64})?$")


def cli_versions(workflows: dict[str, dict], gitlab: dict) -> dict[str, str | None]:
    """Where each CI system chooses its Pulumi CLI -> the version it pins (None: unpinned)."""
    found: dict[str, str | None] = {}
    for name, workflow in workflows.items():
        for job_id, job in workflow["jobs"].items():
            for i, step in enumerate(steps_using(job, "pulumi/actions")):
                found[f"{name}:{job_id}:pulumi/actions[{i}]"] = (step.get("with") or {}).get("pulumi-version")
    image = gitlab["variables"]["PULUMI_IMAGE"]
    match = IMAGE_TAG.match(image)
    found[".gitlab-ci.yml:PULUMI_IMAGE"] = match["version"] if match else None
    return found


def policy_gaps(workflows: dict[str, dict], gitlab: dict) -> list[str]:
    """Preview and up runs without the policy pack, or without its venv installed first."""
    out = []
    for name, workflow in workflows.items():
        for job_id, job in workflow["jobs"].items():
            steps = job.get("steps", [])
            for step in pulumi_command_steps(job):
                if step["with"]["command"] not in ("preview", "up"):
                    continue
                if str(step["with"].get("policyPacks", "")).strip() != POLICY_DIR:
                    out.append(
                        f"{name}:{job_id} runs {step['with']['command']} without policyPacks: {POLICY_DIR}"
                    )
                installs = [
                    s
                    for s in steps[: steps.index(step)]
                    if s.get("working-directory") == POLICY_DIR and "pulumi install" in s.get("run", "")
                ]
                if not installs:
                    out.append(f"{name}:{job_id} does not install the policy pack's venv first")
    for job_name, job in gitlab_jobs(gitlab).items():
        for line in job.get("script", []):
            if re.search(r"\bpulumi (preview|up)\b", line) and f"--policy-pack {POLICY_DIR}" not in line:
                out.append(f".gitlab-ci.yml:{job_name} runs `{line}` without --policy-pack {POLICY_DIR}")
        if re.search(
            r"\bpulumi (preview|up)\b", script_text(job)
        ) and f"cd {POLICY_DIR} && pulumi install" not in script_text(job):
            out.append(f".gitlab-ci.yml:{job_name} does not install the policy pack's venv")
    return out


def real_workflows() -> dict[str, dict]:
    return {p.name: load_github(p) for p in github_files()}


def test_cli_version_is_pinned_everywhere_and_equals_the_sdk_pin() -> None:
    """Every pulumi/actions step and the GitLab Pulumi image pin the CLI to requirements.txt's `pulumi`."""
    sdk = requirement_pin("pulumi")
    versions = cli_versions(real_workflows(), load_gitlab())
    assert len(versions) >= 7, versions  # 2 steps x (preview, up dev, up prod) + the image
    assert {where: v for where, v in versions.items() if v != sdk} == {}


def test_policy_pack_runs_on_the_same_sdk() -> None:
    """The policy pack's own venv pins the same pulumi SDK as the program."""
    assert requirement_pin("pulumi", ROOT / POLICY_DIR / "requirements.txt") == requirement_pin("pulumi")


def test_version_check_names_a_drifted_or_missing_pin() -> None:
    """A step left on the action's default `^3`, or an image tag of another version, is named."""
    workflows, gitlab = real_workflows(), copy.deepcopy(load_gitlab())
    step = steps_using(workflows["deploy.yml"]["jobs"]["up-prod"], "pulumi/actions")[1]
    del step["with"]["pulumi-version"]
    gitlab["variables"]["PULUMI_IMAGE"] = "pulumi/pulumi-python-3.11:3.271.0"
    sdk = requirement_pin("pulumi")
    wrong = {w: v for w, v in cli_versions(workflows, gitlab).items() if v != sdk}
    assert wrong == {"deploy.yml:up-prod:pulumi/actions[1]": None, ".gitlab-ci.yml:PULUMI_IMAGE": "3.271.0"}


def test_every_preview_and_up_runs_the_policy_pack() -> None:
    """policyPacks: policy on pulumi/actions, --policy-pack policy in GitLab, its venv installed first."""
    workflows, gitlab = real_workflows(), load_gitlab()
    assert policy_gaps(workflows, gitlab) == []
    assert (ROOT / POLICY_DIR / "PulumiPolicy.yaml").is_file()
    ran = [
        s["with"]["command"]
        for w in workflows.values()
        for j in w["jobs"].values()
        for s in pulumi_command_steps(j)
    ]
    assert sorted(ran) == ["preview", "up", "up"]
    gitlab_runs = [j for j in gitlab_jobs(gitlab).values() if "--policy-pack" in script_text(j)]
    assert len(gitlab_runs) == 3  # preview, up:dev, up:prod


@pytest.mark.parametrize("system", ["github", "gitlab"])
def test_policy_check_names_a_run_without_the_pack(system: str) -> None:
    """Attack: the pack is dropped from an up; the check names the job."""
    workflows, gitlab = real_workflows(), copy.deepcopy(load_gitlab())
    if system == "github":
        step = pulumi_command_steps(workflows["deploy.yml"]["jobs"]["up-prod"])[0]
        del step["with"]["policyPacks"]
        expected = "deploy.yml:up-prod runs up without policyPacks: policy"
    else:
        gitlab[".up"]["script"] = ["pulumi up --yes --diff --non-interactive"]
        expected = (
            ".gitlab-ci.yml:up:dev runs `pulumi up --yes --diff --non-interactive` "
            "without --policy-pack policy"
        )
    assert expected in policy_gaps(workflows, gitlab)


def test_make_policy_runs_the_policy_tests() -> None:
    """`make policy` runs pytest over the policy pack's tests (tests/policy/) and nothing else."""
    result = subprocess.run(["make", "-n", "policy"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = [ln for ln in result.stdout.splitlines() if "pytest" in ln]
    targets = [arg for arg in line.split() if arg.startswith("tests/")]
    assert targets and all(re.fullmatch(r"tests/policy/test_\w+\.py", t) for t in targets)
    assert "tests/policy/test_notebook_rules.py" in targets
