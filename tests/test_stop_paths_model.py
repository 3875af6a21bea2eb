"""Every stop/start path of docs/kubeflow.md, played with the program's real Notebook annotations
through the field-ownership model in tests/ssa_model.py (a model of the documented rules,
not the API server)."""

from __future__ import annotations

import functools

import pytest

from .harness import Template, minimal_config
from .ssa_model import Conflict, LiveObject, PulumiNotebook

STOP = "kubeflow-resource-stopped"
CULLER = "manager"  # the notebook controller's binary: its Updates carry that manager name
WEB_APP = "OpenAPI-Generator"  # the web app's Python client
NIGHTLY = "teamspace-stop-schedule"


@functools.cache
def annotations(stopped: bool) -> tuple[tuple[str, str], ...]:
    config = minimal_config(
        images={"vscode": {"type": "vscode"}},
        teams={"data": {"notebooks": [{"name": "nb", "type": "vscode", "stopped": stopped}]}},
    )
    return tuple(sorted(Template.synth(config).notebook("nb")["metadata"]["annotations"].items()))


def up(notebook: PulumiNotebook, stopped: bool, **kwargs) -> bool:
    return notebook.up(dict(annotations(stopped)), **kwargs)


def created(stopped: bool = False) -> PulumiNotebook:
    notebook = PulumiNotebook(LiveObject())
    assert up(notebook, stopped)
    return notebook


def is_stopped(notebook: PulumiNotebook) -> bool:
    return STOP in notebook.live.fields  # the controller only checks that the key exists


def test_the_old_design_conflicts():
    """Without the force, `stopped: true` on a culled notebook fails (the issue's report)."""
    notebook = created()
    notebook.live.update(CULLER, STOP, "2026-11-30T17:02:11Z")
    unforced = {k: v for k, v in annotations(True) if k != "pulumi.com/patchForce"}
    with pytest.raises(Conflict):
        notebook.up(unforced)


def test_stop_in_config_a_culled_notebook():
    notebook = created()
    notebook.live.update(CULLER, STOP, "2026-11-30T17:02:11Z")
    assert up(notebook, True)
    assert notebook.live.fields[STOP] == "1970-01-01T00:00:00Z"
    assert notebook.live.owners[STOP] == {notebook.manager}
    assert not up(notebook, True)  # the next run: no diff


@pytest.mark.parametrize("who", [CULLER, WEB_APP])
def test_start_in_config_a_notebook_stopped_elsewhere_takes_two_runs(who):
    notebook = created()
    notebook.live.update(who, STOP, "2026-11-30T17:02:11Z")
    assert not up(notebook, False) and is_stopped(notebook)  # config unchanged: one run does nothing
    assert up(notebook, True) and is_stopped(notebook)  # run 1 takes the key over
    assert up(notebook, False) and not is_stopped(notebook)  # run 2 removes it: started
    assert "pulumi.com/patchForce" not in notebook.live.fields


def test_start_in_config_a_notebook_stopped_in_config():
    notebook = created(stopped=True)
    assert up(notebook, False) and not is_stopped(notebook)


@pytest.mark.parametrize("refresh", [False, True])
def test_web_app_stop_between_runs_stays(refresh):
    """Config says running; the web app stops it. The next run, with or without refresh, and
    even a later update of the Notebook, neither conflicts nor starts it."""
    notebook = created()
    notebook.live.update(WEB_APP, STOP, "2026-12-01T08:00:00Z")
    assert not up(notebook, False, refresh=refresh)
    assert up(notebook, False, other_change=True)  # e.g. a new image
    assert is_stopped(notebook)


def test_web_app_start_between_runs_of_a_stopped_notebook():
    """Config says stopped; the web app starts it. No diff on the next run; config wins again
    on the next update of the Notebook or on a refresh."""
    notebook = created(stopped=True)
    notebook.live.update(WEB_APP, STOP, None)
    assert not up(notebook, True) and not is_stopped(notebook)
    assert up(notebook, True, refresh=True) and is_stopped(notebook)


def test_web_app_stop_after_a_takeover_then_start_in_config():
    """The documented corner: the web app's later stop is its own, so config cannot lift it."""
    notebook = created(stopped=True)
    notebook.live.update(WEB_APP, STOP, None)
    notebook.live.update(WEB_APP, STOP, "2026-12-01T08:00:00Z")
    assert up(notebook, False) and is_stopped(notebook)


@pytest.mark.parametrize(
    "manager,survives", [(NIGHTLY, True), ("kubectl-patch", False), ("kubectl-annotate", False)]
)
def test_a_scheduled_stop_survives_the_next_update_only_under_its_own_manager(manager, survives):
    """The nightly job's manager is kept; kubectl's default managers are taken over by the
    provider before an update, and the update then removes the stop."""
    notebook = created()
    notebook.live.update(manager, STOP, "2026-12-01T19:00:00Z")
    assert not up(notebook, False)  # no change in config: nothing applied either way
    assert up(notebook, False, other_change=True)
    assert is_stopped(notebook) is survives
