"""The pull-request image builds: the GitHub and GitLab job definitions (schemas and safety
rules) and `devtools.image_builds`, which picks the images a change touches."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from devtools.image_builds import docker_build_command, image_builds
from devtools.runtime import PROJECT_ROOT
from devtools.side_render import Side

GITHUB = PROJECT_ROOT / ".github" / "workflows" / "images.yml"
GITLAB = PROJECT_ROOT / ".gitlab" / "images.yml"
GITLAB_MAIN = PROJECT_ROOT / ".gitlab-ci.yml"
# What `make image-builds` needs from a checkout, copied to a scratch git repository.
PROJECT_PARTS = (
    "__main__.py",
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "config",
    "components",
    "images",
    "devtools",
    "requirements",
)


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).parent / "check-jsonschema"
    found = str(tool) if tool.is_file() else shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed (pip install -r requirements-dev.txt)")
    return subprocess.run(
        [found, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True, timeout=60
    )


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB), ("vendor.gitlab-ci", GITLAB_MAIN)],
)
def test_job_definitions_match_their_schemas(schema, path):
    """check-jsonschema with its built-in (offline) schemas accepts both job files."""
    done = check_jsonschema(schema, path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_check_can_fail(tmp_path):
    """The same check rejects a job whose runs-on is missing: the test above can fail."""
    broken = load(GITHUB)
    del broken["jobs"]["build-changed-images"]["runs-on"]
    (tmp_path / "broken.yml").write_text(yaml.safe_dump(broken))
    assert check_jsonschema("vendor.github-workflows", tmp_path / "broken.yml").returncode != 0


def test_github_job_runs_on_pull_requests_read_only_without_secrets_or_push():
    """pull_request only (never _target), contents: read, no secrets, no login or push, no stored
    checkout credential; the base ref reaches the shell through env, not inside the script."""
    text = GITHUB.read_text()
    workflow = load(GITHUB)
    assert list(workflow[True]) == ["pull_request"]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read"}
    for forbidden in ("secrets.", "docker push", "docker login", "pull_request_target", "id-token"):
        assert forbidden not in text, forbidden
    (job,) = workflow["jobs"].values()
    checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    (build,) = [s for s in job["steps"] if "run" in s]
    assert build["run"] == 'make image-builds BASE="origin/${BASE_REF}"'
    assert build["env"] == {"BASE_REF": "${{ github.base_ref }}"}


def test_gitlab_job_is_included_runs_on_merge_requests_and_never_pushes():
    """.gitlab-ci.yml includes the file; the job runs only in MR pipelines, fetches the target,
    declares no environment (so no environment-scoped secret) and neither logs in nor pushes."""
    assert {"local": ".gitlab/images.yml"} in load(GITLAB_MAIN)["include"]
    (job,) = load(GITLAB).values()
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["stage"] in load(GITLAB_MAIN)["stages"]
    script = job["script"]
    assert script[-1] == 'make image-builds BASE="origin/${CI_MERGE_REQUEST_TARGET_BRANCH_NAME}"'
    assert "environment" not in job
    assert any("git fetch" in line and "CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in line for line in script)
    text = GITLAB.read_text()
    for forbidden in ("docker push", "docker login", "secrets:", "id_tokens"):
        assert forbidden not in text, forbidden


def test_build_command_is_argv_with_every_input():
    """One argv element per value (requirements text with newlines and quotes included), `--`
    before the context: nothing from config is parsed by a shell."""
    hostile = "pandas==2.2.3\n$(touch /tmp/owned) ; rm -rf / \"'"
    image = {
        "imageName": "nexus:5000/teamspace/jupyter:content-0123",
        "build": {
            "context": "images/jupyter",
            "dockerfile": "images/jupyter/Dockerfile",
            "platform": "linux/amd64",
            "args": {"PIP_REQUIREMENTS": hostile, "BASE_IMAGE": "b:1"},
        },
    }
    assert docker_build_command(image) == [
        "docker",
        "build",
        "--platform",
        "linux/amd64",
        "-f",
        "images/jupyter/Dockerfile",
        "-t",
        "nexus:5000/teamspace/jupyter:content-0123",
        "--build-arg",
        "BASE_IMAGE=b:1",
        "--build-arg",
        f"PIP_REQUIREMENTS={hostile}",
        "--",
        "images/jupyter",
    ]


def test_image_builds_reads_rendered_images_by_content_tag():
    """Only docker Image documents count, keyed by the tag of their imageName."""
    side = Side(
        {
            "Image_jupyter.yaml": {
                "pulumiType": "docker:index/image:Image",
                "inputs": {"imageName": "r:5000/t/jupyter:content-aa", "build": {"x": 1}},
            },
            "Notebook_a_b.yaml": {"kind": "Notebook"},
        }
    )
    assert image_builds(side) == {
        "content-aa": {"imageName": "r:5000/t/jupyter:content-aa", "build": {"x": 1}}
    }
    assert image_builds(Side(None, error="bad config")) == {}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_a_change_to_the_shared_dockerfile_lists_rstudio_and_vscode_images_only(tmp_path):
    """In a scratch repository, editing images/packages lists the rstudio and vscode images and
    not the unchanged jupyter ones (one stack, one run: each render is a subprocess)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for part in PROJECT_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, repo / part)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")

    dockerfile = repo / "images" / "packages" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# a comment is a change to the context\n")
    done = subprocess.run(
        [sys.executable, "-m", "devtools.image_builds", "--base", "main", "--dry-run"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    listed = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("- ")]
    repositories = {name.rsplit(":", 1)[0].rsplit("/", 1)[1] for name in listed}
    assert repositories == {"rstudio", "vscode"}, listed


def test_make_passes_a_hostile_base_ref_as_one_argument(tmp_path):
    """`make image-builds BASE=...` hands the ref to the tool as one argv element: neither make
    nor the shell expands it (a branch name may hold `$(...)` or `;`)."""
    fake_python = tmp_path / "python"
    fake_python.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args"\n')
    fake_python.chmod(0o755)
    hostile = f"origin/$(shell touch {tmp_path}/by-make)x;touch {tmp_path}/by-shell"
    done = subprocess.run(
        ["make", "-s", "-C", str(PROJECT_ROOT), "image-builds", f"PY={fake_python}", f"BASE={hostile}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "args").read_text().splitlines() == ["-m", "devtools.image_builds", "--base", hostile]
    assert not (tmp_path / "by-make").exists() and not (tmp_path / "by-shell").exists()
