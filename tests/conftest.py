"""Suite-wide hooks. `make test` runs on pytest-xdist workers, and the controller collects no
tests: what a worker has to print at the end comes back in its `workeroutput`."""

from __future__ import annotations

import locale

import pytest

from . import mutation_order
from .integration import tool_versions


def pytest_collection_modifyitems(config, items):
    if mutation_order.running_a_mutant():
        items[:] = mutation_order.fastest_first(items, mutation_order.recorded_durations())


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["tool_versions"] = dict(tool_versions.USED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    tool_versions.USED.update(getattr(node, "workeroutput", {}).get("tool_versions", {}))


def pytest_terminal_summary(terminalreporter):
    if tool_versions.USED:
        terminalreporter.write_sep("-", "integration tools used")
        for name, version in sorted(tool_versions.USED.items()):
            terminalreporter.write_line(f"{name}: {version}")


@pytest.fixture
def ascii_locale():
    """A user whose locale is C (ASCII): Python's default file encoding follows it."""
    saved = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, saved)
