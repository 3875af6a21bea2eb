"""A live Notebook's metadata as teamspace reads it (adopt/notebooks.py): the server type from
its routing annotations, the stopped flag, the PodDefault selections in its labels, and each
change, note or refusal (by field path) its labels, annotations and spec's outer keys make."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from adopt.notebooks import adopt_notebook
from components.notebook_server import STOPPED, STOPPED_VALUE
from tests.adoption import fixture_documents

TYPE, REWRITE, HEADERS = (
    "notebooks.kubeflow.org/server-type",
    "notebooks.kubeflow.org/http-rewrite-uri",
    "notebooks.kubeflow.org/http-headers-request-set",
)
PART_OF = "app.kubernetes.io/part-of"
ROOT = '{"X-RStudio-Root-Path":"/notebook/matilda/test-notebook/"}'


def _document(
    labels: dict[str, Any] | None = None, annotations: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The field notes' Notebook made exactly as teamspace renders it, with these labels and annotations."""
    document = copy.deepcopy(next(d for d in fixture_documents("field_notes") if d["kind"] == "Notebook"))
    pod = document["spec"]["template"]["spec"]
    pod["securityContext"]["fsGroup"] = 100
    pod["containers"][0]["securityContext"] = {"allowPrivilegeEscalation": False, "privileged": False}
    document["metadata"]["labels"] = (
        {"app": "test-notebook", PART_OF: "teamspace"} if labels is None else labels
    )
    document["metadata"]["annotations"] = {TYPE: "jupyter"} if annotations is None else annotations
    return document


def test_a_notebook_as_teamspace_renders_it_is_adopted_without_a_finding():
    outcome = adopt_notebook(_document())
    assert (outcome.findings.refused, outcome.findings.changes, outcome.findings.notes) == ([], [], [])
    assert outcome.entry == {
        "name": "test-notebook",
        "type": "jupyter",
        "image": "0.0.0.0:5000/jupyter-scipy",
        "cpu": "200m",
        "cpuLimit": "2",
        "memory": "500Mi",
        "memoryLimit": "5Gi",
        "imagePullSecrets": ["nexuscred"],
        "shm": False,
    }
    assert (outcome.namespace, outcome.referenced_claims, outcome.selection_labels) == (
        "matilda",
        {"test-notebook-vol"},
        [],
    )


@pytest.mark.parametrize(
    ("labels", "selections", "refused", "changes"),
    [
        ({}, [], [], ["label app: (none) -> test-notebook", f"label {PART_OF}: teamspace added"]),
        (
            {"app": "other", PART_OF: "kubeflow", "b-sel": "true", "a-sel": "true"},
            ["a-sel", "b-sel"],
            [],
            ["label app: other -> test-notebook", f"label {PART_OF}: teamspace added"],
        ),
        (
            {"app": "test-notebook", PART_OF: "teamspace", "team": "x", "on": "false"},
            [],
            [
                'metadata.labels.on: not modelled (only PodDefault selections, value "true")',
                'metadata.labels.team: not modelled (only PodDefault selections, value "true")',
            ],
            [],
        ),
    ],
    ids=["none", "selections", "other labels"],
)
def test_labels_name_the_app_and_select_poddefaults(labels, selections, refused, changes):
    outcome = adopt_notebook(_document(labels=labels))
    assert (outcome.selection_labels, outcome.findings.refused, outcome.findings.changes) == (
        selections,
        refused,
        changes,
    )


@pytest.mark.parametrize(
    ("annotations", "kind", "changes"),
    [
        ({TYPE: "group-one", REWRITE: "/"}, "vscode", []),
        ({TYPE: "group-two", REWRITE: "/", HEADERS: ROOT}, "rstudio", []),
        ({}, "jupyter", [f"annotation {TYPE}: jupyter added"]),
        (
            {REWRITE: "/x"},
            "vscode",
            [f"annotation {TYPE}: group-one added", f"annotation {REWRITE}: '/x' -> '/'"],
        ),
        (
            {HEADERS: '{"X-RStudio-Root-Path":"/"}'},
            "rstudio",
            [
                f"annotation {TYPE}: group-two added",
                f"annotation {REWRITE}: '(none)' -> '/'",
                f"annotation {HEADERS}: '{{\"X-RStudio-Root-Path\":\"/\"}}' -> '{ROOT}'",
            ],
        ),
        (
            {TYPE: "jupyter", REWRITE: "/", HEADERS: ROOT},
            "jupyter",
            [
                f"annotation {REWRITE}: removed (not used by a jupyter server)",
                f"annotation {HEADERS}: removed (not used by a jupyter server)",
            ],
        ),
        ({TYPE: "group-one"}, "vscode", [f"annotation {REWRITE}: '(none)' -> '/'"]),
    ],
    ids=[
        "vscode",
        "rstudio",
        "none",
        "hand-made vscode",
        "hand-made rstudio",
        "jupyter with routing",
        "vscode bare",
    ],
)
def test_the_server_type_comes_from_the_routing_annotations(annotations, kind, changes):
    outcome = adopt_notebook(_document(annotations=annotations))
    assert (outcome.entry["type"], outcome.findings.refused, outcome.findings.changes) == (kind, [], changes)


@pytest.mark.parametrize(
    ("annotations", "stopped", "changes", "notes", "refused"),
    [
        ({TYPE: "jupyter", STOPPED: STOPPED_VALUE, "pulumi.com/patchForce": "true"}, True, [], [], []),
        (
            {TYPE: "group-one", REWRITE: "/", STOPPED: "2026-12-01T10:00:00Z"},
            True,
            [f"annotation {STOPPED}: '2026-12-01T10:00:00Z' -> teamspace's fixed value (stays stopped)"],
            [],
            [],
        ),
        (
            {
                TYPE: "jupyter",
                "notebooks.kubeflow.org/last-activity": "t",
                "notebooks.kubeflow.org/last_activity_check_timestamp": "t",
                "notebooks.kubeflow.org/creator": "a@example.com",
                "kubectl.kubernetes.io/last-applied-configuration": "{}",
                "z/other": "1",
                "a/other": "1",
            },
            None,
            [],
            [
                "annotation kubectl.kubernetes.io/last-applied-configuration: "
                "kubectl's record; removed on the first up",
                "annotation notebooks.kubeflow.org/creator: kept by the web app's field manager, not managed",
            ],
            ["metadata.annotations.a/other: not modelled", "metadata.annotations.z/other: not modelled"],
        ),
        (
            {TYPE: "lab", REWRITE: "/"},
            None,
            [],
            [],
            [f"metadata.annotations.{TYPE}: 'lab' is not jupyter, group-one or group-two"],
        ),
    ],
    ids=["stopped", "stopped by the culler", "bookkeeping", "unknown type"],
)
def test_other_annotations_are_kept_noted_or_refused(annotations, stopped, changes, notes, refused):
    outcome = adopt_notebook(_document(annotations=annotations))
    findings = outcome.findings
    assert (outcome.entry.get("stopped"), findings.changes, findings.notes, findings.refused) == (
        stopped,
        changes,
        notes,
        refused,
    )


def _edited(edit) -> Any:
    document = _document()
    edit(document)
    return adopt_notebook(document)


@pytest.mark.parametrize(
    ("edit", "refused", "changes"),
    [
        (
            lambda d: d["metadata"].pop("namespace"),
            ["metadata.namespace: missing (export with kubectl get -o yaml, or set it in the file)"],
            [],
        ),
        (
            lambda d: d.update(apiVersion="kubeflow.org/v1beta1"),
            [],
            ["apiVersion kubeflow.org/v1beta1 -> kubeflow.org/v1 (the same stored object)"],
        ),
        (lambda d: d.pop("apiVersion"), [], ["apiVersion None -> kubeflow.org/v1 (the same stored object)"]),
        (lambda d: d["spec"].update(replicas=1), ["spec.replicas: not modelled"], []),
        (
            lambda d: d["spec"]["template"].update(metadata={"labels": {}}),
            ["spec.template.metadata: pod template metadata is not modelled"],
            [],
        ),
        (
            lambda d: d["metadata"].update(labels="app"),
            ["metadata: not valid object metadata: labels: 'app' is not of type 'object', 'null'"],
            [],
        ),
        (
            lambda d: d.update(spec=[]),
            ["spec.template.spec: not a valid pod spec: (top): 'containers' is a required property"],
            [],
        ),
    ],
    ids=[
        "no namespace",
        "older version",
        "no version",
        "spec field",
        "template metadata",
        "bad metadata",
        "spec a list",
    ],
)
def test_the_outer_fields_of_a_notebook_are_changed_or_refused_by_their_path(edit, refused, changes):
    findings = _edited(edit).findings
    assert (findings.refused, findings.changes) == (refused, changes)


def test_every_claim_the_pod_names_is_known_even_when_the_pod_is_refused():
    def two_containers(document):
        pod = document["spec"]["template"]["spec"]
        pod["containers"].append(dict(pod["containers"][0], name="sidecar"))
        pod["volumes"] += [
            {"name": "data", "persistentVolumeClaim": {"claimName": "shared"}},
            {"name": "empty", "persistentVolumeClaim": {"claimName": ""}},
            {"name": "dshm", "emptyDir": {"medium": "Memory"}},
        ]

    outcome = _edited(two_containers)
    assert outcome.referenced_claims == {"test-notebook-vol", "shared"}
    assert outcome.entry == {"name": "test-notebook", "type": "jupyter"}
    assert outcome.home is None
