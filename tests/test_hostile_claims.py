"""Issue 11.4: one claim, one owner.

The attack: a second notebook given another notebook's home claim (through `homeVolume` or
`previousName`) mounts that user's home. Config refuses it; `homeVolume` must be a DNS label
(it is also the pod's volume name); and the offline renderer refuses two registrations of one
Kubernetes object instead of silently keeping the last.
"""

from __future__ import annotations

import pytest

from config import ConfigError
from devtools import plan
from devtools.recording_monitor import Registration
from devtools.render import DuplicateObjectError, rendered_objects
from devtools.runtime import RunResult

from .harness import PVC, Template, minimal_config

AT = "teams.data.notebooks"


def problems_of(*notebooks, **team) -> list[tuple[str, str]]:
    result = Template.synth(
        minimal_config(teams={"data": {"notebooks": list(notebooks), **team}}), expect_error=True
    ).result
    if result.error is None:
        return []
    assert isinstance(result.error, ConfigError), repr(result.error)
    assert result.registrations == []
    return [(p.path, p.message) for p in result.error.problems]


def nb(name: str, **fields):
    return {"name": name, "type": "jupyter", **fields}


@pytest.mark.parametrize(
    "notebooks,path",
    [
        ([nb("alice"), nb("mallory", homeVolume="alice-workspace")], f"{AT}[1].homeVolume"),
        ([nb("mallory", homeVolume="alice-workspace"), nb("alice")], f"{AT}[1].name"),
        ([nb("alice", previousName="ann"), nb("mallory", homeVolume="ann-workspace")], f"{AT}[1].homeVolume"),
        ([nb("alice", homeVolume="home-a"), nb("mallory", homeVolume="home-a")], f"{AT}[1].homeVolume"),
        ([nb("alice", homeVolume="home-a"), nb("home", previousName="x")], None),  # x-workspace: no clash
    ],
)
def test_two_notebooks_may_not_share_a_home_claim(notebooks, path):
    """A second owner of one home claim is a ConfigError at the key that chose the claim."""
    found = problems_of(*notebooks)
    if path is None:
        assert found == []
    else:
        assert [p for p, _ in found] == [path]
        assert "two notebooks cannot share one home claim" in found[0][1]


def test_a_renamed_notebook_keeps_its_claim_and_no_one_else_takes_it():
    """previousName keeps the old claim; a new notebook with the old name is a clash (reported once)."""
    found = problems_of(nb("alice2", previousName="alice"), nb("alice"))
    assert [p for p, _ in found] == [f"{AT}[1].name"]


def test_same_claim_name_in_two_teams_is_fine():
    """Claims are per namespace: two teams may each have a `lab-workspace`."""
    config = minimal_config(teams={"data": {"notebooks": [nb("lab")]}, "other": {"notebooks": [nb("lab")]}})
    Template.synth(config).resource_count_is(PVC, 2)


@pytest.mark.parametrize("volume", ["a.b", "Home", "-home", "home-", "x" * 64, "home_1", "dshm"])
def test_home_volume_must_be_a_dns_label(volume):
    """homeVolume is also the pod's volume name: a DNS-1123 label of at most 63 characters, not `dshm`."""
    found = problems_of(nb("lab", homeVolume=volume))
    assert [p for p, _ in found] == [f"{AT}[0].homeVolume"], found


def test_home_volume_of_63_characters_passes():
    assert problems_of(nb("lab", homeVolume="h" * 63)) == []


# --- the renderer ---------------------------------------------------------------------------------


def pvc(name: str, pulumi_name: str) -> Registration:
    inputs = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "data"},
        "spec": {},
    }
    return Registration(
        urn=f"urn:pulumi:dev::teamspace::{PVC}::{pulumi_name}",
        type=PVC,
        name=pulumi_name,
        custom=True,
        inputs=inputs,
    )


def run_with(*registrations: Registration) -> RunResult:
    return RunResult(list(registrations), {}, set(), [], None)


def test_renderer_refuses_two_registrations_of_one_object():
    """Two Pulumi resources for one Kubernetes object: an error naming both, nothing merged."""
    with pytest.raises(DuplicateObjectError) as error:
        rendered_objects(run_with(pvc("lab-workspace", "a-home"), pvc("lab-workspace", "b-home")))
    assert "a-home" in str(error.value) and "b-home" in str(error.value)
    assert len(rendered_objects(run_with(pvc("lab-workspace", "a-home"), pvc("x-workspace", "b-home")))) == 2


def test_plan_reports_a_duplicate_and_writes_nothing(tmp_path, monkeypatch, capsys):
    """`make plan` on such a run: exit 2, one `error:` line, no traceback, no stale files left."""
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "stale.yaml").write_text("old: true\n")
    monkeypatch.setattr(plan, "render_stack", lambda stack: run_with(pvc("w", "a"), pvc("w", "b")))
    assert plan.main(["--stack", "dev", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("error: PersistentVolumeClaim/data/w is registered twice") and "Traceback" not in err
    )
    assert not (tmp_path / "dev").exists()
