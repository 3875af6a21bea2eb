"""What `make adopt` does with the PVCs it reads (adopt/claims.py, adopt/teams.py): the refusals
that keep a claim from being planned for replacement, the labels set in place, and a home
claim's access mode written to the stack file."""

from __future__ import annotations

import copy

import pytest

from adopt import adopt
from adopt.claims import claim_spec
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


def test_a_home_claim_shared_read_write_keeps_its_access_mode():
    adoption = adopt(_field_notes(lambda c: c["spec"].update(accessModes=["ReadWriteMany"])), URL)
    assert adoption.exit_code == 0 and not adoption.problems
    (entry,) = adoption.config["teams"]["matilda"]["notebooks"]
    assert entry["homeAccessMode"] == "ReadWriteMany"
