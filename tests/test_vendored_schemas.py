"""The project stands alone: vendored upstream schemas match their SOURCE.md, nothing reads outside."""

from __future__ import annotations

import hashlib
import re
import subprocess

from devtools.runtime import PROJECT_ROOT

from .harness import UPSTREAM_SCHEMAS
from .schemas import crd_schema


def _source_table() -> dict[str, str]:
    """file name -> sha256, from the table in schemas/upstream/SOURCE.md."""
    text = (UPSTREAM_SCHEMAS / "SOURCE.md").read_text()
    return {
        m[1]: m[2] for m in re.finditer(r"^\| `([^`]+\.(?:yaml|json))` .*\| `([0-9a-f]{64})` \|$", text, re.M)
    }


def test_every_vendored_file_is_listed_with_its_sha256():
    table = _source_table()
    files = sorted(p.name for p in UPSTREAM_SCHEMAS.iterdir() if p.is_file() and p.name != "SOURCE.md")
    assert (
        files
        == sorted(table)
        == [
            "kubeflow.org_notebooks.yaml",
            "kubeflow.org_poddefaults.yaml",
            "kubeflow.org_profiles.yaml",
            "pulumi-project.schema.json",
        ]
    )
    for name, digest in table.items():
        assert hashlib.sha256((UPSTREAM_SCHEMAS / name).read_bytes()).hexdigest() == digest, name


def test_source_names_repository_tag_commit_and_licence():
    text = (UPSTREAM_SCHEMAS / "SOURCE.md").read_text()
    for needle in (
        "https://github.com/kubeflow/notebooks",
        "https://github.com/kubeflow/dashboard",
        "v1.11.0",
        "3454bb75696a6f76efe0b483fc44f577c9596807",
        "v2.0.0",
        "c80e2c3d545145e9814840933aa781965c88f821",
        "Apache License 2.0",
        "validation_patches.yaml",
        "https://github.com/pulumi/pulumi",
        "0ac56e876614aedf12771d73ef7e80959b8a6fd4",
    ):
        assert needle in text


def test_notebook_schema_carries_the_install_time_patch():
    containers = crd_schema("kubeflow.org/v1", "Notebook")["properties"]["spec"]["properties"]["template"][
        "properties"
    ]["spec"]["properties"]["containers"]
    assert containers["minItems"] == 1 and containers["items"]["required"] == ["name", "image"]


def test_nothing_in_the_project_reads_outside_it():
    """No tracked file points at a `shared/` folder beside the checkout (a fresh clone has none)."""
    folder = "sha" + "red"  # spelt apart so that this test is no hit of its own search
    patterns = ["-e", f"../{folder}", "-e", f"/work/{folder}", "-e", f'/ "{folder}"']
    found = subprocess.run(
        ["git", "grep", "-n", "-F", *patterns, "--", ".", ":!*.md"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert found.returncode in (0, 1), found.stderr
    assert found.stdout.splitlines() == []
