"""`make adopt` / `python -m adopt` as processes: the stack file written, and values passed
literally by make. The command in process (every exit code and refusal) is tested in
tests/adopt/test_cli_main.py, where mutation testing sees it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from devtools.runtime import PROJECT_ROOT
from tests.adoption import FIXTURES, URL


def _adopt(*args: str, cwd=PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "adopt", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )


def test_all_adopted_exits_0_and_writes_a_yaml_1_2_stack_file(tmp_path):
    out = tmp_path / "Pulumi.adopted.yaml"
    run = _adopt(
        "--kubeflow-url",
        URL,
        "--out",
        str(out),
        str(FIXTURES / "field_notes.yaml"),
        str(FIXTURES / "gpu.yaml"),
    )
    assert run.returncode == 0, run.stderr
    assert "adopt: 3 of 3 notebooks and 3 claims adopted" in run.stdout
    config = YAML(typ="safe", pure=True).load(out.read_text())["config"]
    assert config["teamspace:kubeflowUrl"] == URL
    assert config["kubernetes:enablePatchForce"] == "true"
    assert set(config["teamspace:teams"]) == {"matilda", "ml"}


def test_make_adopt_shows_the_tools_code_and_passes_values_literally(tmp_path):
    make = shutil.which("make")
    if make is None:
        if os.environ.get("CI") == "true":
            pytest.fail("make is required under CI")
        pytest.skip("make is not installed")
    # Were the values parsed by make or the shell, `$(shell ...)` or `$(...)` would create the marker
    # in make's working directory; instead they reach the tool literally, as a file name.
    out = tmp_path / "a b $(shell touch adopt-pwned) $(touch adopt-pwned).yaml"
    run = subprocess.run(
        [make, "-s", "adopt", f"FROM={FIXTURES / 'refused.yaml'}", f"KUBEFLOW_URL={URL}", f"OUT={out}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    pwned = PROJECT_ROOT / "adopt-pwned"
    assert not pwned.exists(), pwned.unlink()
    assert run.returncode == 2 and "Error 3" in run.stderr
    assert out.exists()
