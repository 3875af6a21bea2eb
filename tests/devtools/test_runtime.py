"""devtools/runtime.py: how `run_program` runs a program (as `__main__`, on the dev stack, as an
update unless asked for a preview, logging to its own record), what it hands back when it fails, and
that it closes every event loop it opens."""

from __future__ import annotations

import asyncio
import logging

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


def _export_run_facts() -> None:
    pulumi.export("stack", pulumi.get_stack())
    pulumi.export("preview", pulumi.runtime.is_dry_run())


def test_by_default_a_run_is_an_update_of_the_dev_stack_recording_no_component_outputs():
    result = run_program({}, program=_export_run_facts)
    assert result.outputs == {"stack": "dev", "preview": False}
    assert result.component_outputs == {}


def test_a_preview_run_is_a_preview():
    result = run_program({}, stack="prod", preview=True, program=_export_run_facts)
    assert result.outputs == {"stack": "prod", "preview": True}


def test_a_runs_log_is_its_own(caplog):
    """The program's log lines are the run's, not the test process's root logger's."""
    root_handlers = list(logging.getLogger().handlers)

    def program() -> None:
        pulumi.log.warn("only for this run")

    with caplog.at_level(logging.DEBUG):
        result = run_program({}, program=program)
    assert ("warning", "only for this run") in result.logs
    assert "only for this run" not in caplog.text
    assert logging.getLogger().handlers == root_handlers


def test_every_event_loop_a_run_opens_is_closed_when_it_returns(monkeypatch):
    """The run's own loop and those the SDK gives the monitor's executor threads are all closed,
    so a test session of thousands of runs does not leave them to the garbage collector."""
    opened: list[asyncio.AbstractEventLoop] = []
    new_event_loop = asyncio.new_event_loop

    def recording_new_event_loop() -> asyncio.AbstractEventLoop:
        opened.append(new_event_loop())
        return opened[-1]

    monkeypatch.setattr(asyncio, "new_event_loop", recording_new_event_loop)

    def program() -> None:
        pulumi.CustomResource("test:index:Thing", "thing", {"size": 1})

    result = run_program({}, program=program)
    assert result.error is None
    assert [r.name for r in result.registrations] == ["thing"]
    assert len(opened) >= 2, "the run's loop and at least one executor thread's loop"
    assert [loop.is_closed() for loop in opened] == [True] * len(opened)
