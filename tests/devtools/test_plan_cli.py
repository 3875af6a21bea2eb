"""`make plan` (devtools/plan.py) in process: which stack and program it renders, the files it
writes, the notebook table it prints, and for each way it can fail the one `error:` line on
stderr and the exit code (1 for the user's stack file or config, 2 for anything else)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from devtools import plan
from devtools.render import file_name, rendered_objects
from devtools.runtime import PROJECT_ROOT, RunResult

from ..test_hostile_claims import pvc, run_with

REAL_RENDER = plan.render_stack


def project_with(tmp_path: Path, program: str | None = None, **stack_files: str) -> Path:
    """A root holding the given Pulumi.<stack>.yaml files and a program (by default the real one)."""
    root = tmp_path / "project"
    root.mkdir()
    for stack, text in stack_files.items():
        (root / f"Pulumi.{stack}.yaml").write_text(text)
    if program is None:
        shutil.copy(PROJECT_ROOT / "__main__.py", root / "__main__.py")
    else:
        (root / "__main__.py").write_text(program)
    return root


def plan_in(root: Path, monkeypatch, argv: list[str]) -> int:
    """`make plan` with its stacks and program taken from `root`."""
    monkeypatch.setattr(plan, "render_stack", lambda stack: REAL_RENDER(stack, root=root))
    return plan.main(argv)


def test_plan_without_flags_renders_dev_into_the_projects_build_folder(tmp_path, monkeypatch, capsys):
    """Every object as sorted YAML under build/dev (made with its parents, stale files gone),
    then one summary line, a blank line and the notebook table."""
    monkeypatch.setattr(plan, "PROJECT_ROOT", tmp_path)
    out = tmp_path / "build" / "dev"
    assert plan.main([]) == 0
    written = capsys.readouterr().out
    result = REAL_RENDER("dev")
    objects = rendered_objects(result)
    assert written == (
        f"stack dev: {len(objects)} objects written to {out}\n\n{plan.notebook_table(result)}\n"
    )
    assert "\nmatilda/analysis  " in written
    texts = {path.name: path.read_text() for path in out.iterdir()}
    documents = {name: yaml.safe_load(text) for name, text in texts.items()}
    assert documents == {file_name(key): document for key, document in objects.items()} != {}
    assert all(text == yaml.safe_dump(documents[name], sort_keys=True) for name, text in texts.items())
    assert any(list(doc) != sorted(doc) for doc in objects.values()), "a rendered object with sorted keys"

    (out / "stale.yaml").write_text("old: true\n")
    assert plan.main([]) == 0
    assert not (out / "stale.yaml").exists() and len(list(out.iterdir())) == len(objects)


def test_render_stack_runs_the_roots_program_as_the_named_stack(tmp_path):
    """The stack's name reaches the program (URNs, `pulumi.get_stack()`), and the program is
    the one in `root`, not this checkout's."""
    root = project_with(
        tmp_path, "import pulumi\npulumi.export('stack', pulumi.get_stack())\n", prod="config: {}\n"
    )
    assert REAL_RENDER("prod", root=root).outputs == {"stack": "prod"}
    urns = [r.urn for r in REAL_RENDER("prod").registrations]
    assert urns and all(urn.startswith("urn:pulumi:prod::teamspace::") for urn in urns)


def test_an_unknown_stack_lists_the_stacks_there_or_none(tmp_path):
    root = project_with(tmp_path, "", prod="config: {}\n", stage="config: {}\n")
    with pytest.raises(FileNotFoundError) as error:
        REAL_RENDER("dev", root=root)
    assert str(error.value) == (
        f"no stack file Pulumi.dev.yaml in {root}; stacks here: prod, stage (`make plan STACK=<stack>`)"
    )
    with pytest.raises(FileNotFoundError) as error:
        REAL_RENDER("dev", root=tmp_path)
    assert "; stacks here: none (`make plan STACK=<stack>`)" in str(error.value)


BAD_SIZE = (
    "config:\n  teamspace:kubeflowUrl: https://kf.example.com\n"
    "  teamspace:teams:\n    data:\n      notebooks:\n        - {name: lab, type: jupyter, size: huge}\n"
)


@pytest.mark.parametrize(
    ("stack_file", "program", "code", "message", "lines"),
    [
        ("config:\n  - [unclosed\n", None, 1, "error: Pulumi.broken.yaml: line 3: not valid YAML: ", 1),
        (BAD_SIZE, None, 1, "\n  - teamspace:teams.data.notebooks[0] (lab).size: unknown size 'huge'", 3),
        (
            "config: {}\n",
            "raise RuntimeError('boom')\n",
            2,
            "error: the program failed: RuntimeError: boom",
            1,
        ),
    ],
    ids=["broken-stack-file", "bad-config", "program-fails"],
)
def test_a_failure_is_one_error_message_and_an_exit_code(
    tmp_path, monkeypatch, capsys, stack_file, program, code, message, lines
):
    """A broken stack file or a bad config (the user's to fix) exit 1, a failing program 2:
    one `error:` message on stderr (a line per config problem), nothing on stdout, no
    traceback, no files."""
    root = project_with(tmp_path, program, broken=stack_file)
    assert plan_in(root, monkeypatch, ["--stack", "broken", "--out", str(tmp_path / "out")]) == code
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err.startswith("error: ") and message in printed.err
    assert "Traceback" not in printed.err and printed.err.count("\n") == lines
    assert not (tmp_path / "out").exists()


def test_warnings_and_errors_the_program_logs_reach_stderr(tmp_path, monkeypatch, capsys):
    program = "import pulumi\npulumi.log.info('fyi')\npulumi.log.warn('careful')\npulumi.log.error('bad')\n"
    root = project_with(tmp_path, program, tiny="config: {}\n")
    assert plan_in(root, monkeypatch, ["--stack", "tiny", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr()
    assert printed.err == "warning: careful\nerror: bad\n"
    assert printed.out.endswith("\n\nTEAM/NOTEBOOK  TYPE  SIZE  STATE  URL\n")


def test_a_duplicate_on_a_first_plan_is_one_error_line(tmp_path, monkeypatch, capsys):
    """No build folder yet: the clean-up after a duplicate object must not fail in turn."""
    monkeypatch.setattr(plan, "render_stack", lambda stack: run_with(pvc("w", "a"), pvc("w", "b")))
    assert plan.main(["--out", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: PersistentVolumeClaim/data/w is registered twice") and err.count("\n") == 1


def test_help_says_what_make_plan_does(capsys):
    with pytest.raises(SystemExit) as done:
        plan.main(["--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "`make plan`: render a stack offline, one YAML file per object, and print its notebooks." in shown
    assert "--stack" in shown and "--out" in shown


def notebooks(**entries: dict) -> RunResult:
    return RunResult([], {"notebooks": entries}, set(), [], None)


def test_notebook_table_is_sorted_aligned_and_without_trailing_blanks():
    table = plan.notebook_table(
        notebooks(
            **{
                "vision/train-gpu": {
                    "type": "jupyter",
                    "size": "gpu",
                    "stopped": True,
                    "url": "https://k/v/t/",
                },
                "data/lab": {
                    "type": "rstudio",
                    "size": "small",
                    "stopped": False,
                    "url": "https://k/data/lab/",
                },
            }
        )
    )
    assert table == (
        "TEAM/NOTEBOOK     TYPE     SIZE   STATE    URL\n"
        "data/lab          rstudio  small  running  https://k/data/lab/\n"
        "vision/train-gpu  jupyter  gpu    stopped  https://k/v/t/"
    )


def test_a_stack_without_notebooks_prints_the_header_only():
    assert plan.notebook_table(notebooks()) == "TEAM/NOTEBOOK  TYPE  SIZE  STATE  URL"
    assert plan.notebook_table(RunResult([], {}, set(), [], None)) == "TEAM/NOTEBOOK  TYPE  SIZE  STATE  URL"
