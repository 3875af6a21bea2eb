"""One live Notebook as a teamspace notebook entry, or refused with the fields it cannot keep:
its metadata (name, labels, annotations) here, its pod template in notebook_pod.py.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from components.notebook_server import (
    CONTROLLER_ANNOTATIONS,
    SERVER_TYPES,
    STOPPED,
    STOPPED_VALUE,
    routing_annotations,
)
from config.fields import NotebookName
from config.plan import notebook_path

from .findings import Findings, text, unknown_keys
from .notebook_outcome import NotebookOutcome
from .notebook_pod import adopt_pod_spec
from .shapes import mapping, shape_problem

TYPES_BY_SERVER = {server: kind for kind, server in SERVER_TYPES.items()}
ROUTING = (
    "notebooks.kubeflow.org/server-type",
    "notebooks.kubeflow.org/http-rewrite-uri",
    "notebooks.kubeflow.org/http-headers-request-set",
)
# Annotations that are not the notebook's configuration: the web app's record of who made it,
# kubectl's copy of the last applied manifest. Under server-side apply the first stays with the
# web app's field manager; kubectl's is taken over by the provider and dropped.
BOOKKEEPING = {
    "notebooks.kubeflow.org/creator": "kept by the web app's field manager, not managed",
    "kubectl.kubernetes.io/last-applied-configuration": "kubectl's record; removed on the first up",
}
PART_OF = "app.kubernetes.io/part-of"
_NAME = TypeAdapter(NotebookName)


def adopt_notebook(document: dict[str, Any]) -> NotebookOutcome:
    meta = document["metadata"]  # the reader kept only objects with a name
    name, namespace = meta["name"], meta.get("namespace") or ""
    findings = Findings()
    outcome = NotebookOutcome(namespace, name, {"name": name}, findings)
    try:
        _NAME.validate_python(name)
    except ValidationError as error:
        findings.refuse("metadata.name", error.errors()[0]["msg"].removeprefix("Value error, "))
    if not namespace:
        findings.refuse(
            "metadata.namespace", "missing (export with kubectl get -o yaml, or set it in the file)"
        )
    if document.get("apiVersion") != "kubeflow.org/v1":
        findings.change(
            f"apiVersion {document.get('apiVersion')} -> kubeflow.org/v1 (the same stored object)"
        )
    problem = shape_problem("objectmeta-meta-v1", meta)
    if problem:
        findings.refuse("metadata", f"not valid object metadata: {problem}")
        return outcome
    _labels(meta.get("labels") or {}, outcome)
    _annotations(meta.get("annotations") or {}, outcome)
    spec = mapping(document.get("spec"))
    for key in unknown_keys(spec, ("template",)):
        findings.refuse(f"spec.{key}", "not modelled")
    template = mapping(spec.get("template"))
    for key in unknown_keys(template, ("spec",)):
        findings.refuse(f"spec.template.{key}", "pod template metadata is not modelled")
    pod = mapping(template.get("spec"))
    problem = shape_problem("podspec-v1", pod)
    if problem or not pod.get("containers"):
        findings.refuse("spec.template.spec", f"not a valid pod spec: {problem or 'no containers'}")
        return outcome
    outcome.referenced_claims = {
        v["persistentVolumeClaim"]["claimName"]
        for v in pod.get("volumes") or []
        if (v.get("persistentVolumeClaim") or {}).get("claimName")
    }
    adopt_pod_spec(pod, outcome)
    return outcome


def _labels(labels: dict[str, Any], outcome: NotebookOutcome) -> None:
    findings = outcome.findings
    if text(labels.get("app", "")) != outcome.name:
        findings.change(f"label app: {labels.get('app', '(none)')!s} -> {outcome.name}")
    if labels.get(PART_OF) != "teamspace":
        findings.change(f"label {PART_OF}: teamspace added")
    for key, value in sorted(labels.items()):
        if key in ("app", PART_OF):
            continue
        if text(value) == "true":
            outcome.selection_labels.append(key)
        else:
            findings.refuse(
                f"metadata.labels.{key}", 'not modelled (only PodDefault selections, value "true")'
            )


def _annotations(annotations: dict[str, Any], outcome: NotebookOutcome) -> None:
    findings, entry = outcome.findings, outcome.entry
    server = annotations.get(ROUTING[0])
    if server in TYPES_BY_SERVER:
        entry["type"] = TYPES_BY_SERVER[server]
    elif server:
        findings.refuse(
            f"metadata.annotations.{ROUTING[0]}", f"'{server}' is not jupyter, group-one or group-two"
        )
    else:  # hand-made: the type shows in the routing annotations the field notes add
        headers = str(annotations.get(ROUTING[2], ""))
        entry["type"] = (
            "rstudio"
            if "X-RStudio-Root-Path" in headers
            else ("vscode" if ROUTING[1] in annotations else "jupyter")
        )
        findings.change(f"annotation {ROUTING[0]}: {SERVER_TYPES[entry['type']]} added")
    stopped = STOPPED in annotations
    if stopped:
        entry["stopped"] = True
        if annotations[STOPPED] != STOPPED_VALUE:
            findings.change(
                f"annotation {STOPPED}: '{annotations[STOPPED]}' -> teamspace's fixed value (stays stopped)"
            )
    if "type" in entry:
        wanted = routing_annotations(entry["type"], notebook_path(outcome.namespace, outcome.name), stopped)
        for key in ROUTING[1:]:
            if key in wanted and annotations.get(key) != wanted[key]:
                findings.change(f"annotation {key}: {annotations.get(key, '(none)')!r} -> {wanted[key]!r}")
            elif key not in wanted and key in annotations:
                findings.change(f"annotation {key}: removed (not used by a {entry['type']} server)")
    # Pulumi's own switch (`pulumi.com/patchForce`) is teamspace's to set or not, never a setting.
    known = {*ROUTING, STOPPED, *CONTROLLER_ANNOTATIONS, "pulumi.com/patchForce"}
    for key in sorted(annotations):
        if key in BOOKKEEPING:
            findings.note(f"annotation {key}: {BOOKKEEPING[key]}")
        elif key not in known:
            findings.refuse(f"metadata.annotations.{key}", "not modelled")
