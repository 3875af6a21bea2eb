"""Stop and start vs the culler and the web app: the Notebook inputs on each documented path.

What the cluster does with these inputs (server-side apply, field managers, force) cannot run
here; docs/kubeflow.md walks through it with the provider code it relies on. These tests pin
the inputs that walk-through assumes.
"""

from __future__ import annotations

import pytest

from .harness import NOTEBOOK, Template, minimal_config, stack_config

STOP = "kubeflow-resource-stopped"
FORCE = "pulumi.com/patchForce"


def notebook_inputs(stopped: bool, kind: str = "jupyter") -> dict:
    config = minimal_config(
        images={kind: {"type": kind}},
        teams={"data": {"notebooks": [{"name": "nb", "type": kind, "stopped": stopped}]}},
    )
    return Template.synth(config).notebook("nb")


@pytest.mark.parametrize("kind", ["jupyter", "vscode", "rstudio"])
def test_running_notebook_never_names_the_stop_key_and_is_never_forced(kind):
    """Path: culled, or stopped/started in the web app, while config says running. The apply has no
    opinion on the key (no conflict, no removal) and is not forced, so it takes nothing from the
    culler or the web app."""
    annotations = notebook_inputs(False, kind)["metadata"]["annotations"]
    assert STOP not in annotations and FORCE not in annotations


@pytest.mark.parametrize("kind", ["jupyter", "vscode", "rstudio"])
def test_stop_in_config_takes_the_key_over(kind):
    """Path: `stopped: true` for a notebook the culler or the web app already stopped. The fixed value
    differs from their timestamp, so the apply is forced: it takes the key over instead of failing."""
    annotations = notebook_inputs(True, kind)["metadata"]["annotations"]
    assert annotations[STOP] == "1970-01-01T00:00:00Z"
    assert annotations[FORCE] == "true"


def test_start_in_config_is_stop_then_start():
    """Path: start from config a notebook that was culled or stopped in the web app: run 1 with
    `stopped: true` (takes the key over, it stays stopped), run 2 with `stopped: false` (teamspace now
    owns both keys, so the apply removes them and the notebook starts). Only the stop key and the
    force differ between the runs."""
    first, second = notebook_inputs(True), notebook_inputs(False)
    assert {k: v for k, v in first["metadata"]["annotations"].items() if k not in (STOP, FORCE)} == second[
        "metadata"
    ]["annotations"]
    assert {**first, "metadata": None} == {**second, "metadata": None}
    assert first["metadata"]["labels"] == second["metadata"]["labels"]


@pytest.mark.parametrize("stopped", [False, True])
def test_web_app_stop_or_start_between_runs_changes_no_input(stopped):
    """Path: stop or start in the web app between two runs. The program reads no cluster state, so
    the next run's inputs equal the last run's: no diff, nothing applied, so no conflict."""
    assert notebook_inputs(stopped) == notebook_inputs(stopped)


def test_only_the_controllers_activity_annotations_are_ignored():
    """The stop key is not in ignore_changes: `stopped` in config must still reach the cluster."""
    config = minimal_config(
        teams={"data": {"notebooks": [{"name": "nb", "type": "jupyter", "stopped": True}]}}
    )
    (registration,) = Template.synth(config).resources(NOTEBOOK)
    assert not any(STOP in path for path in registration.ignore_changes)
    assert len(registration.ignore_changes) == 2


def test_stop_and_start_only_touch_the_stop_annotation():
    """stopped toggles the stop annotation and the force that takes it over (docs/kubeflow.md);
    a running notebook never claims the culler's key."""
    running, stopped = (
        Template.synth(
            minimal_config(
                teams={"data": {"notebooks": [{"name": "lab", "type": "jupyter", "stopped": flag}]}}
            )
        ).notebook("lab")
        for flag in (False, True)
    )
    assert "kubeflow-resource-stopped" not in running["metadata"]["annotations"]
    assert stopped["metadata"]["annotations"].pop("kubeflow-resource-stopped") == "1970-01-01T00:00:00Z"
    assert stopped["metadata"]["annotations"].pop("pulumi.com/patchForce") == "true"
    assert stopped == running


def test_culler_annotations_are_ignored_on_every_notebook():
    """ignore_changes for the culler's annotations is set on each Notebook resource itself."""
    template = Template.synth(stack_config("dev"))
    for registration in template.resources(NOTEBOOK):
        assert set(registration.ignore_changes) == {
            'metadata.annotations["notebooks.kubeflow.org/last-activity"]',
            'metadata.annotations["notebooks.kubeflow.org/last_activity_check_timestamp"]',
        }
