"""What `make adopt` does with the PVCs it reads (adopt/claims.py, adopt/teams.py): the refusals
that keep a claim from being planned for replacement, the labels set in place, and a home
claim's access mode written to the stack file."""

from __future__ import annotations

import copy

import pytest

from adopt import adopt
from adopt.claims import ClaimSpec, claim_spec, is_team_volume_name
from adopt.findings import Findings
from tests.adoption import URL, adopted, fixture_documents

WHERE = "PersistentVolumeClaim/matilda/test-notebook-vol"


def _field_notes(edit) -> list[dict]:
    documents = copy.deepcopy(fixture_documents("field_notes"))
    edit(next(d for d in documents if d["kind"] == "PersistentVolumeClaim"))
    return documents


@pytest.mark.parametrize(
    ("edit", "refusal"),
    [
        (
            lambda c: c["metadata"].update(deletionTimestamp="2026-12-01T10:00:00Z"),
            f"{WHERE}: is being deleted",
        ),
        (lambda c: c["spec"].pop("resources"), f"{WHERE} spec.resources.requests.storage: missing"),
    ],
    ids=["being deleted", "no size"],
)
def test_a_claim_that_cannot_be_declared_is_refused_saying_why(edit, refusal):
    documents = _field_notes(edit)
    findings = Findings()
    assert claim_spec(next(d for d in documents if d["kind"] == "PersistentVolumeClaim"), findings) is None
    assert findings.refused == [refusal]
    assert adopt(documents, URL).exit_code == 3


def test_every_missing_label_of_a_claim_is_listed_in_one_in_place_change():
    team = adopted("field_notes").teams[0]
    assert team.findings.changes == [
        "claim test-notebook-vol: label app: test-notebook, app.kubernetes.io/part-of: teamspace "
        "set (in place)"
    ]


def test_labels_a_claim_already_has_are_kept_and_only_the_missing_ones_set():
    """A label already right is not set again; one teamspace does not render is left to its owner."""
    labels = {"app": "test-notebook", "owner": "someone"}
    adoption = adopt(_field_notes(lambda c: c["metadata"].update(labels=labels)), URL)
    (team,) = adoption.teams
    assert team.findings.changes == [
        "claim test-notebook-vol: label app.kubernetes.io/part-of: teamspace set (in place)"
    ]
    assert (
        "claim test-notebook-vol: label owner is not managed (kept while another field manager owns it)"
        in (team.findings.notes)
    )


def test_a_notebooks_own_data_volume_mounted_read_only_stays_read_only():
    documents = fixture_documents("web_app")
    for document in documents:
        for volume in document.get("spec", {}).get("template", {}).get("spec", {}).get("volumes", []):
            if volume.get("persistentVolumeClaim", {}).get("claimName") == "analysis-datavol-1":
                volume["persistentVolumeClaim"]["readOnly"] = True
    adoption = adopt(documents, URL)
    entries = {e["name"]: e for team in adoption.config["teams"].values() for e in team["notebooks"]}
    volume = entries["analysis"]["dataVolumes"]["analysis-datavol-1"]
    assert volume == {
        "mountPath": "/home/jovyan/datavol-1",
        "size": "5Gi",
        "storageClass": "standard",
        "readOnly": True,
    }
    assert "readOnly" not in entries["code"]["dataVolumes"]["code-datavol-1"]


def test_a_claim_several_notebooks_mount_needs_a_team_volume_name_or_each_is_refused():
    documents = fixture_documents("web_app")
    for document in documents:
        if document["kind"] == "PersistentVolumeClaim" and document["metadata"]["name"] == "team-data":
            document["metadata"]["name"] = "team_data"
        for volume in document.get("spec", {}).get("template", {}).get("spec", {}).get("volumes", []):
            if volume.get("persistentVolumeClaim", {}).get("claimName") == "team-data":
                volume["persistentVolumeClaim"]["claimName"] = "team_data"
    refused = {o.name: o.findings.refused for team in adopt(documents, URL).teams for o in team.notebooks}
    why = (
        "mounted by several notebooks, so a team volume, "
        "whose name must be a DNS label of at most 63 characters"
    )
    assert refused["code"] == refused["reports"] == [f"claim team_data: {why}"]
    assert refused["analysis"] == []


def test_a_notebook_mounting_another_notebooks_home_is_refused_naming_it():
    documents = fixture_documents("web_app")
    code = next(d for d in documents if d["kind"] == "Notebook" and d["metadata"]["name"] == "code")
    for volume in code["spec"]["template"]["spec"]["volumes"]:
        if volume.get("persistentVolumeClaim", {}).get("claimName") == "team-data":
            volume["persistentVolumeClaim"]["claimName"] = "analysis-workspace"
    refused = {o.name: o.findings.refused for team in adopt(documents, URL).teams for o in team.notebooks}
    assert refused["code"] == ["claim analysis-workspace: is the home volume of notebook analysis"]


def test_every_unmounted_claim_that_cannot_be_a_team_volume_is_refused():
    def spare(name: str) -> dict:
        spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "8Gi"}}}
        return {"kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": "ml"}, "spec": spec}

    (team,) = adopt([*fixture_documents("gpu"), spare("old.a"), spare("old.b")], URL).teams
    assert team.findings.refused == [
        f"claim {name}: mounted by no notebook, so a team volume, whose name must be a DNS label"
        for name in ("old.a", "old.b")
    ]


def test_a_home_claim_shared_read_write_keeps_its_access_mode():
    adoption = adopt(_field_notes(lambda c: c["spec"].update(accessModes=["ReadWriteMany"])), URL)
    assert adoption.exit_code == 0 and not adoption.problems
    (entry,) = adoption.config["teams"]["matilda"]["notebooks"]
    assert entry["homeAccessMode"] == "ReadWriteMany"


def _claim(**spec) -> dict:
    """A bound claim as `kubectl get -o yaml` shows it, with `spec` replaced where given."""
    claim = copy.deepcopy(
        next(d for d in fixture_documents("field_notes") if d["kind"] == "PersistentVolumeClaim")
    )
    claim["spec"].update(spec)
    return {k: v for k, v in claim.items() if v is not None}


ONE_MODE = "teamspace declares exactly one access mode, and a different list would replace the claim"


@pytest.mark.parametrize(
    ("spec", "declared", "refused"),
    [
        ({}, ClaimSpec("10Gi", "ReadWriteOnce", "local-path"), []),
        ({"accessModes": ["ReadOnlyMany"]}, ClaimSpec("10Gi", "ReadOnlyMany", "local-path"), []),
        ({"resources": {"requests": {"storage": 5}}}, ClaimSpec("5", "ReadWriteOnce", "local-path"), []),
        ({"storageClassName": None}, ClaimSpec("10Gi", "ReadWriteOnce", None), []),
        (
            {"accessModes": []},
            None,
            [f"{WHERE} spec.accessModes: []: {ONE_MODE}"],
        ),
        (
            {"accessModes": ["ReadWriteOnce", "ReadOnlyMany"]},
            None,
            [f"{WHERE} spec.accessModes: ['ReadWriteOnce', 'ReadOnlyMany']: {ONE_MODE}"],
        ),
        (
            {"accessModes": ["Everywhere"]},
            None,
            [f"{WHERE} spec.accessModes: ['Everywhere']: {ONE_MODE}"],
        ),
        (
            {"storageClassName": ""},
            None,
            [
                f"{WHERE} spec.storageClassName: '' cannot be declared (an empty class binds "
                "statically), and a different value would replace the claim"
            ],
        ),
        (
            {"accessModes": None, "resources": {}},
            None,
            [
                f"{WHERE} spec.accessModes: []: {ONE_MODE}",
                f"{WHERE} spec.resources.requests.storage: missing",
            ],
        ),
        (
            {"accessModes": "ReadWriteOnce"},
            None,
            [
                f"{WHERE}: not a valid PersistentVolumeClaim: "
                "spec.accessModes: 'ReadWriteOnce' is not of type 'array', 'null'"
            ],
        ),
    ],
    ids=[
        "as is",
        "read-only many",
        "bare number size",
        "no class",
        "no mode",
        "two modes",
        "unknown mode",
        "empty class",
        "two refusals",
        "malformed",
    ],
)
def test_a_claim_is_declared_exactly_or_refused_with_every_reason(spec, declared, refused):
    findings = Findings()
    assert claim_spec(_claim(**spec), findings) == declared
    assert findings.refused == refused


def test_a_claim_without_a_namespace_is_named_by_an_empty_one():
    claim = _claim()
    del claim["metadata"]["namespace"]
    claim["metadata"]["deletionTimestamp"] = "2026-12-01T10:00:00Z"
    findings = Findings()
    assert claim_spec(claim, findings) is None
    assert findings.refused == ["PersistentVolumeClaim//test-notebook-vol: is being deleted"]


@pytest.mark.parametrize(("name", "is_label"), [("data", True), ("Data", False), ("a" * 64, False)])
def test_team_volume_names_are_dns_labels(name, is_label):
    assert is_team_volume_name(name) is is_label
