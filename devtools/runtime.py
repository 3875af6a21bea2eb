"""Run the real program under the Pulumi SDK's mock runtime and record what it registers."""

from __future__ import annotations

import asyncio
import logging
import runpy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks
from pulumi.runtime.stack import run_pulumi_func

from .recording_monitor import ProviderMocks, RecordingMonitor, Registration
from .stack_config import to_runtime
from .stack_outputs import resolve_stack_outputs

PROJECT = "teamspace"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class RunResult:
    registrations: list[Registration]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    logs: list[tuple[str, str]]
    error: BaseException | None
    component_outputs: dict[str, Any] = field(default_factory=dict)
    """URN -> what a component passed to register_outputs (only with record_outputs=True)."""


class _LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelname.lower(), record.getMessage()))


def run_program(
    config: Mapping[str, Any],
    stack: str = "dev",
    preview: bool = False,
    record_outputs: bool = False,
    program: Path | Callable[[], None] = PROJECT_ROOT / "__main__.py",
) -> RunResult:
    """Run `program` with `config` (a Pulumi.<stack>.yaml `config:` map) and record everything.

    `program` is a Pulumi program file (run as `__main__`) or a function that makes the
    resources itself (the benchmark's floors hand over their plan this way).

    Runs in a fresh thread so the SDK's context-local state never leaks between runs.
    """
    box: dict[str, RunResult] = {}
    thread = threading.Thread(
        target=lambda: box.update(result=_run(config, stack, preview, program, record_outputs))
    )
    thread.start()
    thread.join()
    return box["result"]


def _run(
    config: Mapping[str, Any],
    stack: str,
    preview: bool,
    program: Path | Callable[[], None],
    record_outputs: bool,
) -> RunResult:
    registrations: list[Registration] = []
    logs = _LogCollector()
    logger = logging.getLogger(f"teamspace.mock.{threading.get_ident()}")
    logger.propagate, logger.handlers = False, [logs]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    component_outputs: dict[str, Any] | None = {} if record_outputs else None
    monitor = RecordingMonitor(registrations, component_outputs)
    mocks.set_mocks(
        ProviderMocks(), project=PROJECT, stack=stack, preview=preview, logger=logger, monitor=monitor
    )
    values, secret_keys = to_runtime(config)
    pulumi.runtime.set_all_config(values, secret_keys)
    error: BaseException | None = None
    try:
        body = program if callable(program) else lambda: runpy.run_path(str(program), run_name="__main__")
        loop.run_until_complete(run_pulumi_func(body))
    except Exception as exc:  # noqa: BLE001 - reported to the caller, who decides
        error = exc
    outputs, secret_outputs = ({}, set()) if error else loop.run_until_complete(resolve_stack_outputs())
    loop.run_until_complete(loop.shutdown_default_executor())
    for thread_loop in monitor.thread_loops | {loop}:
        thread_loop.close()
    return RunResult(registrations, outputs, secret_outputs, logs.records, error, component_outputs or {})
