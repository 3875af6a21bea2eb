"""A live Notebook's pod template (`spec.template.spec`) as its entry's fields: the one
container, its image, resources and security context, the service account, pull secrets,
volumes and placement.
"""

from __future__ import annotations

from typing import Any

from config.image_reference import default_pull_policy
from config.quantities import parse_quantity

from .affinity import affinity_preset
from .findings import Findings, text, unknown_keys
from .notebook_outcome import NotebookOutcome
from .pod_volumes import pod_volumes

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


def adopt_pod_spec(pod: dict[str, Any], outcome: NotebookOutcome) -> None:
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
        policy = default_pull_policy(image)
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
