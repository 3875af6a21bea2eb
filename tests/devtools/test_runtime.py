"""devtools/runtime.py: what `run_program` hands back for a program file and for a failing program."""

from __future__ import annotations

import pulumi

from devtools.runtime import run_program


def test_a_program_file_runs_as_main(tmp_path):
    """A Pulumi program is run as the CLI runs it: `__name__` is `__main__`."""
    program = tmp_path / "__main__.py"
    program.write_text('import pulumi\n\npulumi.export("module", __name__)\n')
    result = run_program({}, program=program)
    assert result.error is None
    assert result.outputs == {"module": "__main__"}


def test_a_failing_program_reports_its_error_and_no_outputs():
    """Outputs exported before the failure are not handed on as if the run had finished."""
    failure = RuntimeError("broken half way")

    def program() -> None:
        pulumi.export("url", "https://example.test")
        pulumi.export("token", pulumi.Output.secret("s3cr3t"))
        raise failure

    result = run_program({}, program=program)
    assert result.error is failure
    assert result.outputs == {}
    assert result.secret_outputs == set()
