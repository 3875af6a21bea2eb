"""One live Notebook as a teamspace notebook entry, or refused with the fields it cannot keep."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from config.quantities import parse_quantity

from .affinity import affinity_preset
from .findings import Findings, text, unknown_keys
from .pod_volumes import Mount, pod_volumes
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
POD_FIELDS = (
    "containers",
    "volumes",
    "serviceAccountName",
    "imagePullSecrets",
    "securityContext",
    "tolerations",
    "affinity",
    "nodeSelector",
)
CONTAINER_FIELDS = ("name", "image", "imagePullPolicy", "resources", "volumeMounts", "env", "securityContext")
PART_OF = "app.kubernetes.io/part-of"
_NAME = TypeAdapter(NotebookName)


@dataclass
class NotebookOutcome:
    """A notebook's config entry (without its claims' sizes: those come from the PVCs)."""

    namespace: str
    name: str
    entry: dict[str, Any]
    findings: Findings
    home: Mount | None = None
    mounts: list[Mount] = field(default_factory=list)
    selection_labels: list[str] = field(default_factory=list)
    """Label keys with value "true": PodDefault selections."""
    affinity: dict[str, Any] | None = None
    pull_secrets: list[str] = field(default_factory=list)
    referenced_claims: set[str] = field(default_factory=set)
    """Every claim the pod names, even when the notebook is refused before its volumes are read."""


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
    _pod(pod, outcome)
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


def _pod(pod: dict[str, Any], outcome: NotebookOutcome) -> None:
    findings, entry = outcome.findings, outcome.entry
    at = "spec.template.spec"
    for key in unknown_keys(pod, POD_FIELDS):
        why = {"initContainers": "init containers are not modelled"}.get(key, "not modelled")
        findings.refuse(f"{at}.{key}", why)
    containers = pod.get("containers") or []
    if len(containers) != 1:
        findings.refuse(
            f"{at}.containers",
            f"{len(containers)} containers; teamspace runs exactly one "
            "(sidecars and extra containers are not modelled)",
        )
        return
    container = containers[0]
    _container(container, outcome)
    account = pod.get("serviceAccountName")
    if account is None:
        findings.change("serviceAccountName: default (implicit) -> set explicitly")
        account = "default"
    if account != "default-editor":
        entry["serviceAccountName"] = account
    _security(pod.get("securityContext") or {}, container.get("securityContext") or {}, outcome)
    outcome.pull_secrets = [s.get("name") for s in pod.get("imagePullSecrets") or [] if s.get("name")]
    if outcome.pull_secrets:
        entry["imagePullSecrets"] = list(outcome.pull_secrets)
    volumes = pod_volumes(pod.get("volumes") or [], container.get("volumeMounts") or [], findings)
    outcome.home, outcome.mounts = volumes.home, volumes.claims
    if not volumes.shm:
        entry["shm"] = False
    if pod.get("nodeSelector"):
        entry["nodeSelector"] = {str(k): text(v) for k, v in pod["nodeSelector"].items()}
    tolerations = [
        _toleration(t, f"{at}.tolerations[{i}]", findings) for i, t in enumerate(pod.get("tolerations") or [])
    ]
    if tolerations or entry.get("gpu"):
        entry["tolerations"] = tolerations  # an empty list keeps teamspace's GPU toleration away
    outcome.affinity = affinity_preset(pod.get("affinity"), f"{at}.affinity", findings)


def _container(container: dict[str, Any], outcome: NotebookOutcome) -> None:
    findings, entry = outcome.findings, outcome.entry
    at = "spec.template.spec.containers[0]"
    for key in unknown_keys(container, CONTAINER_FIELDS):
        findings.refuse(f"{at}.{key}", "not modelled")
    if container.get("env"):
        findings.refuse(f"{at}.env", "container environment is not modelled (use a configuration)")
    if container.get("name") != outcome.name:
        findings.change(f"container name {container.get('name')} -> {outcome.name}")
    image = str(container.get("image") or "").strip()
    if not image or not any(mark in image for mark in "/:@"):
        findings.refuse(f"{at}.image", f"'{image}' is not a reference with a registry or tag")
    entry["image"] = image
    policy = container.get("imagePullPolicy")
    if policy is None:  # what Kubernetes defaults it to in the pod
        policy = (
            "Always" if image.endswith(":latest") or ":" not in image.rsplit("/", 1)[-1] else "IfNotPresent"
        )
        findings.change(f"imagePullPolicy: {policy} (the pod's default) set explicitly")
    if policy != "IfNotPresent":
        entry["imagePullPolicy"] = policy
    _resources(container.get("resources") or {}, outcome)


def _resources(resources: dict[str, Any], outcome: NotebookOutcome) -> None:
    findings, entry = outcome.findings, outcome.entry
    at = "spec.template.spec.containers[0].resources"
    for key in unknown_keys(resources, ("requests", "limits")):
        findings.refuse(f"{at}.{key}", "not modelled")
    requests = {k: text(v) for k, v in (resources.get("requests") or {}).items()}
    limits = {k: text(v) for k, v in (resources.get("limits") or {}).items()}
    for key in unknown_keys(requests, ("cpu", "memory")):
        findings.refuse(f"{at}.requests.{key}", "teamspace requests only cpu and memory (GPUs are limits)")
    for field_name, request_key, limit_key in (
        ("cpu", "cpu", "cpuLimit"),
        ("memory", "memory", "memoryLimit"),
    ):
        if field_name not in requests or field_name not in limits:
            findings.refuse(at, f"{field_name} needs both a request and a limit in teamspace")
            continue
        try:
            if parse_quantity(limits[field_name]) < parse_quantity(requests[field_name]):
                findings.refuse(f"{at}.limits.{field_name}", "the limit is below the request")
        except ValueError as error:
            findings.refuse(f"{at}.{field_name}", str(error))
        entry[request_key], entry[limit_key] = requests[field_name], limits[field_name]
    extended = {k: v for k, v in limits.items() if k not in ("cpu", "memory")}
    if len(extended) > 1:
        findings.refuse(f"{at}.limits", f"several extended resources ({', '.join(sorted(extended))})")
    for resource, count in extended.items():
        if not count.isdigit():
            findings.refuse(f"{at}.limits.{resource}", f"'{count}' is not a whole number of devices")
            continue
        entry["gpu"], entry["gpuVendor"] = int(count), resource


def _security(pod: dict[str, Any], container: dict[str, Any], outcome: NotebookOutcome) -> None:
    findings = outcome.findings
    for key in unknown_keys(pod, ("runAsUser", "fsGroup")):
        findings.refuse(f"spec.template.spec.securityContext.{key}", "not modelled")
    for key, wanted in (("runAsUser", 1000), ("fsGroup", 100)):
        if pod.get(key) != wanted:
            findings.change(f"securityContext.{key}: {pod.get(key, '(none)')} -> {wanted}")
    for key in unknown_keys(container, ("allowPrivilegeEscalation", "privileged")):
        findings.refuse(f"spec.template.spec.containers[0].securityContext.{key}", "not modelled")
    if container.get("allowPrivilegeEscalation") is not False or container.get("privileged") is not False:
        findings.change("container securityContext: allowPrivilegeEscalation false, privileged false")


def _toleration(toleration: dict[str, Any], where: str, findings: Findings) -> dict[str, Any]:
    for key in unknown_keys(toleration, ("key", "operator", "value", "effect", "tolerationSeconds")):
        findings.refuse(f"{where}.{key}", "not a toleration field")
    return {
        key: toleration[key]
        for key in ("key", "operator", "value", "effect", "tolerationSeconds")
        if toleration.get(key) is not None
    }
