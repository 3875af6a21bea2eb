"""`python -m adopt` in process (adopt/__main__.py): what it refuses before reading anything
(exit 1, naming the argument), what it writes and prints (exit 0, or 3 with refusals), and
that it never overwrites a stack file it did not write. tests/test_adopt_cli.py runs it as a
process and through `make adopt`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from adopt.__main__ import main
from adopt.reader import read_documents
from adopt.stack_file import HEADER, dump, read_config
from tests.adoption import FIXTURES, URL, adopted

GPU = str(FIXTURES / "gpu.yaml")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def test_all_adopted_exits_0_and_writes_the_stack_file_it_reports(tmp_path: Path, capsys):
    out = tmp_path / "Pulumi.adopted.yaml"
    code, stdout, stderr = run(
        capsys, "--kubeflow-url", URL, "--out", str(out), str(FIXTURES / "field_notes.yaml"), GPU
    )
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"adopt: 3 of 3 notebooks and 3 claims adopted into {out}\n")
    assert stdout.endswith("switch adoption off (docs/adopt.md, step 7).\n")
    text = out.read_text(encoding="utf-8")
    assert text == dump(adopted("field_notes", "gpu"))
    assert text.startswith("# " + HEADER.splitlines()[0] + "\n")
    config = read_config(text)
    assert config["teamspace:kubeflowUrl"] == URL
    assert config["kubernetes:enablePatchForce"] == "true"
    assert set(config["teamspace:teams"]) == {"matilda", "ml"}


def test_refusals_exit_3_and_the_rest_is_still_written(tmp_path: Path, capsys):
    out = tmp_path / "out.yaml"
    code, stdout, stderr = run(
        capsys, "--kubeflow-url", URL, "--out", str(out), str(FIXTURES / "refused.yaml")
    )
    assert (code, stderr) == (3, "")
    assert "notebook with-env (jupyter): REFUSED, not in the stack file" in stdout
    assert "Notebook/lab/fine" in out.read_text() and "with-env" not in read_config(out.read_text())


def test_a_folder_is_read_recursively_yaml_yml_and_json_only(tmp_path: Path, capsys):
    folder = tmp_path / "export" / "nested"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "refused.yaml", folder / "refused.yml")
    shutil.copy(FIXTURES / "gpu.yaml", tmp_path / "export" / "gpu.txt")  # not read: not YAML by name
    items = read_documents([FIXTURES / "stopped.yaml"])
    (tmp_path / "export" / "stopped.json").write_text(json.dumps({"kind": "List", "items": items}))
    out = tmp_path / "out.yaml"
    code, stdout, _ = run(capsys, "--kubeflow-url", URL, "--out", str(out), str(tmp_path / "export"))
    assert code == 3
    assert stdout.startswith(f"adopt: 2 of 6 notebooks and 2 claims adopted into {out}\n")
    assert "Notebook/matilda/paused" in out.read_text() and "gpu" not in out.read_text()


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--kubeflow-url", URL, "--out", "o.yaml"],
            "no input: name YAML files or folders (make adopt FROM=...)",
        ),
        (["--kubeflow-url", URL, GPU], "no output file: --out (make adopt OUT=Pulumi.<stack>.yaml)"),
        (
            ["--out", "o.yaml", GPU],
            "--kubeflow-url (KUBEFLOW_URL): '' must be an http:// or https:// URL, e.g. https://kubeflow.example.com",
        ),
        (
            ["--kubeflow-url", "ftp://kubeflow.example.com", "--out", "o.yaml", GPU],
            "--kubeflow-url (KUBEFLOW_URL): 'ftp://kubeflow.example.com' must be an http:// or https:// URL, "
            "e.g. https://kubeflow.example.com",
        ),
        (["--kubeflow-url", URL, "--out", "o.yaml", "nope.yaml"], "nope.yaml: no such file or folder"),
        (["--kubeflow-url", URL, "--out", "o.yaml", "."], None),  # a folder of no YAML: below
    ],
)
def test_a_wrong_argument_exits_1_naming_it_and_writes_nothing(
    tmp_path: Path, capsys, monkeypatch, argv: list[str], message: str | None
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("kind: Notebook\n")
    code, stdout, stderr = run(capsys, *argv)
    assert (code, stdout) == (1, "")
    expected = message or "no YAML files given (FROM names files or folders of .yaml/.yml/.json)"
    assert stderr == f"adopt: error: {expected}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("kind: [unclosed", "not valid YAML"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "no object of a kind this tool reads"),
        ("- just\n- a list\n", "is a list, not a Kubernetes object"),
    ],
)
def test_unusable_input_exits_1_with_a_clear_error(tmp_path: Path, capsys, content: str, message: str):
    source = tmp_path / "in.yaml"
    source.write_text(content)
    code, stdout, stderr = run(
        capsys, "--kubeflow-url", URL, "--out", str(tmp_path / "out.yaml"), str(source)
    )
    assert (code, stdout) == (1, "")
    assert stderr.startswith("adopt: error: ") and message in stderr
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize(
    "existing",
    [
        "config:\n  teamspace:kubeflowUrl: https://mine.example.com\n",
        "\n# " + HEADER,  # the header, but not where the tool writes it
        HEADER,  # the header without its comment mark
        "# " + HEADER.splitlines()[0][:-1],
    ],
)
def test_a_stack_file_not_written_by_the_tool_is_never_overwritten(tmp_path: Path, capsys, existing: str):
    out = tmp_path / "Pulumi.prod.yaml"
    out.write_text(existing)
    code, stdout, stderr = run(capsys, "--kubeflow-url", URL, "--out", str(out), GPU)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"adopt: error: {out} exists and was not written by this tool; name a new stack file "
        "(merging into an existing stack is done by hand: docs/adopt.md, step 4)\n"
    )
    assert out.read_text() == existing


def test_an_unreadable_existing_file_is_refused_not_a_crash(tmp_path: Path, capsys):
    out = tmp_path / "Pulumi.prod.yaml"
    out.write_bytes(b"\xff\xfe# binary")
    assert run(capsys, "--kubeflow-url", URL, "--out", str(out), GPU)[0] == 1
    assert out.read_bytes() == b"\xff\xfe# binary"


def test_a_stack_file_the_tool_wrote_is_rewritten(tmp_path: Path, capsys):
    out = tmp_path / "Pulumi.prod.yaml"
    assert run(capsys, "--kubeflow-url", URL, "--out", str(out), GPU)[0] == 0
    assert "Notebook/matilda/paused" not in out.read_text()
    assert run(capsys, "--kubeflow-url", URL, "--out", str(out), str(FIXTURES / "stopped.yaml"))[0] == 0
    assert out.read_text() == dump(adopted("stopped"))


def test_help_names_the_command_and_says_what_each_argument_takes(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps the help to the terminal's width
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == (
        "usage: python -m adopt [-h] [--kubeflow-url KUBEFLOW_URL] [--out OUT] [sources ...]\n"
        "\n"
        "`make adopt`: python -m adopt --kubeflow-url URL --out FILE FILE_OR_FOLDER...\n"
        "\n"
        "positional arguments:\n"
        "  sources               YAML files or folders (kubectl get -o yaml, multi-document)\n"
        "\n"
        "options:\n"
        "  -h, --help            show this help message and exit\n"
        "  --kubeflow-url KUBEFLOW_URL\n"
        "                        base of notebook URLs, e.g. https://kubeflow.example.com\n"
        "  --out OUT             the stack file to write, e.g. Pulumi.prod.yaml\n"
    )
