"""`make adopt` / `python -m adopt`: exit codes 0, 3 and 1, the stack file, hostile values."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from adopt.__main__ import main
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


def test_a_folder_is_read_recursively_and_refusals_exit_3_still_writing_the_rest(tmp_path, capsys):
    folder = tmp_path / "export" / "nested"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "refused.yaml", folder / "refused.yml")
    out = tmp_path / "out.yaml"
    assert main(["--kubeflow-url", URL, "--out", str(out), str(tmp_path / "export")]) == 3
    assert "notebook with-env (jupyter): REFUSED" in capsys.readouterr().out
    assert "Notebook/lab/fine" in out.read_text()


@pytest.mark.parametrize(
    "content, message",
    [
        ("kind: [unclosed", "not valid YAML"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "no object of a kind this tool reads"),
        ("- just\n- a list\n", "is a list, not a Kubernetes object"),
    ],
)
def test_bad_input_exits_1_with_a_clear_error(tmp_path, capsys, content, message):
    source = tmp_path / "in.yaml"
    source.write_text(content)
    assert main(["--kubeflow-url", URL, "--out", str(tmp_path / "out.yaml"), str(source)]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.yaml").exists()


def test_missing_file_and_missing_url_exit_1(tmp_path, capsys):
    assert main(["--kubeflow-url", URL, "--out", str(tmp_path / "o.yaml"), str(tmp_path / "nope.yaml")]) == 1
    assert "nope.yaml: no such file or folder" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "o.yaml"), str(FIXTURES / "gpu.yaml")]) == 1
    assert "--kubeflow-url (KUBEFLOW_URL)" in capsys.readouterr().err


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


def test_a_stack_file_not_written_by_the_tool_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "Pulumi.prod.yaml"
    out.write_text("config:\n  teamspace:kubeflowUrl: https://mine.example.com\n")
    assert main(["--kubeflow-url", URL, "--out", str(out), str(FIXTURES / "gpu.yaml")]) == 1
    assert "exists and was not written by this tool" in capsys.readouterr().err
    assert "mine.example.com" in out.read_text()
    out.unlink()
    assert main(["--kubeflow-url", URL, "--out", str(out), str(FIXTURES / "gpu.yaml")]) == 0
    assert (
        main(["--kubeflow-url", URL, "--out", str(out), str(FIXTURES / "stopped.yaml")]) == 0
    )  # its own: rewritten
    assert "Notebook/matilda/paused" in out.read_text()
