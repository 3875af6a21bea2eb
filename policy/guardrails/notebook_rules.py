"""The Notebook rules: pure checks of a `kubeflow.org/v1` Notebook's manifest, and the
policies that run these and the image checks of images.py on every Notebook resource.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from .images import check_external_image_digest, check_image_pinned, check_pull_secret
from .manifests import all_containers, as_list, as_map, get_path, pod_spec
from .quantities import parse_quantity

NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"

HOME = "/home/jovyan"
USER_ID = 1000
FS_GROUP = 100
MAX_NOTEBOOK_NAME = 52  # a longer StatefulSet name breaks its controller-revision-hash label

SERVER_TYPE = "notebooks.kubeflow.org/server-type"
REWRITE_URI = "notebooks.kubeflow.org/http-rewrite-uri"
HEADERS_SET = "notebooks.kubeflow.org/http-headers-request-set"
RSTUDIO_ROOT = "X-RStudio-Root-Path"
SERVER_TYPES = ("jupyter", "group-one", "group-two")  # Jupyter, VS Code, RStudio
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


# --- mandatory checks ----------------------------------------------------------------------------


def check_notebook_name(props: Mapping) -> list[str]:
    """An explicit name (the URL is /notebook/<ns>/<name>/) that is a DNS label of at most 52 characters."""
    meta = as_map(props.get("metadata"))
    name, namespace = meta.get("name"), meta.get("namespace")
    problems = []
    if not isinstance(name, str) or not name:
        problems.append(
            "metadata.name is not set: the notebook URL /notebook/<namespace>/<name>/ needs a fixed name"
        )
    elif len(name) > MAX_NOTEBOOK_NAME or not _DNS_LABEL.match(name):
        problems.append(
            f"metadata.name '{name}' must be a DNS-1123 label of at most {MAX_NOTEBOOK_NAME} "
            "characters (the controller's StatefulSet breaks on longer names)"
        )
    if not isinstance(namespace, str) or not namespace:
        problems.append("metadata.namespace is not set: a notebook belongs in its team's namespace")
    return problems


def check_home_volume(props: Mapping) -> list[str]:
    """The notebook container mounts a PersistentVolumeClaim, writable, at /home/jovyan."""
    spec = pod_spec(props)
    containers = as_list(spec.get("containers"))
    if not containers:
        return ["spec.template.spec.containers is empty"]
    notebook = as_map(containers[0])  # the controller treats the first container as the notebook
    mounts = [as_map(m) for m in as_list(notebook.get("volumeMounts"))]
    home = [m for m in mounts if str(m.get("mountPath", "")).rstrip("/") == HOME]
    if not home:
        return [
            f"the notebook container mounts nothing at {HOME}: user files and installed packages "
            "would vanish with the pod"
        ]
    mount = home[0]
    volumes = {as_map(v).get("name"): as_map(v) for v in as_list(spec.get("volumes"))}
    volume = volumes.get(mount.get("name"))
    if volume is None:
        return [f"the {HOME} mount refers to volume '{mount.get('name')}', which the pod does not declare"]
    claim = get_path(volume, "persistentVolumeClaim", "claimName")
    problems = []
    if not claim:
        problems.append(
            f"{HOME} is backed by volume '{mount.get('name')}', which is not a PersistentVolumeClaim"
        )
    if mount.get("readOnly") is True:
        problems.append(f"{HOME} is mounted read-only")
    return problems


def check_security_context(props: Mapping) -> list[str]:
    """runAsUser 1000 (jovyan) with fsGroup 100; no container privileged or allowed to escalate."""
    spec = pod_spec(props)
    pod = as_map(spec.get("securityContext"))
    problems = []
    if pod.get("fsGroup") != FS_GROUP:
        problems.append(
            f"pod securityContext.fsGroup is {pod.get('fsGroup')!r}, not {FS_GROUP} (users): "
            "the controller only adds it when the pod has no securityContext at all"
        )
    for label, container in all_containers(spec):
        own = as_map(container.get("securityContext"))
        user = own.get("runAsUser", pod.get("runAsUser"))
        if user != USER_ID:
            problems.append(f"{label} runs as user {user!r}, not {USER_ID} (jovyan)")
        if own.get("privileged") is True:
            problems.append(f"{label} is privileged")
        if own.get("allowPrivilegeEscalation") is not False:
            problems.append(
                f"{label} does not set securityContext.allowPrivilegeEscalation: false "
                "(Kubernetes allows escalation by default)"
            )
    return problems


def check_resources(props: Mapping) -> list[str]:
    """Every container requests and limits cpu and memory, with each limit >= its request."""
    problems = []
    for label, container in all_containers(pod_spec(props)):
        resources = as_map(container.get("resources"))
        values = {"request": as_map(resources.get("requests")), "limit": as_map(resources.get("limits"))}
        for resource in ("cpu", "memory"):
            for kind in ("request", "limit"):
                if values[kind].get(resource) in (None, ""):
                    problems.append(f"{label} has no {resource} {kind}")
        parsed: dict[str, dict[str, Decimal]] = {"request": {}, "limit": {}}
        for kind in ("request", "limit"):
            for resource, value in values[kind].items():
                if value in (None, ""):
                    continue
                try:
                    parsed[kind][resource] = parse_quantity(value)
                except ValueError as bad:
                    problems.append(f"{label} {resource} {kind}: {bad}")
        for resource in sorted(set(parsed["request"]) & set(parsed["limit"])):
            if parsed["limit"][resource] < parsed["request"][resource]:
                problems.append(
                    f"{label} {resource} limit {values['limit'][resource]} is below its request "
                    f"{values['request'][resource]}"
                )
    return problems


def check_routing_annotations(props: Mapping) -> list[str]:
    """server-type set; VS Code / RStudio get rewrite-uri "/"; RStudio gets its root-path header."""
    meta = as_map(props.get("metadata"))
    annotations = as_map(meta.get("annotations"))
    kind = annotations.get(SERVER_TYPE)
    if kind not in SERVER_TYPES:
        return [f"annotation {SERVER_TYPE} is {kind!r}; the web app accepts only {', '.join(SERVER_TYPES)}"]
    problems = []
    rewrite = annotations.get(REWRITE_URI)
    headers = annotations.get(HEADERS_SET)
    if kind == "jupyter":
        if rewrite is not None:
            problems.append(
                f"a Jupyter notebook must not set {REWRITE_URI} (Jupyter serves under its NB_PREFIX)"
            )
        if headers is not None and RSTUDIO_ROOT in str(headers):
            problems.append(f"a Jupyter notebook must not set the {RSTUDIO_ROOT} header")
        return problems
    if rewrite != "/":
        problems.append(f'a {kind} notebook needs annotation {REWRITE_URI}: "/" (found {rewrite!r})')
    if kind == "group-two":
        expected = f"/notebook/{meta.get('namespace')}/{meta.get('name')}/"
        try:
            value = json.loads(headers) if isinstance(headers, str) else None
        except ValueError:
            value = None
        if not isinstance(value, Mapping) or value.get(RSTUDIO_ROOT) != expected:
            want = json.dumps({RSTUDIO_ROOT: expected}, separators=(",", ":"))
            problems.append(f"an RStudio notebook needs annotation {HEADERS_SET}: {want} (found {headers!r})")
    return problems


# --- advisory checks -----------------------------------------------------------------------------


def check_shared_memory(props: Mapping) -> list[str]:
    """Advisory: an in-memory emptyDir at /dev/shm (PyTorch data loaders fail on the 64Mi default)."""
    spec = pod_spec(props)
    containers = as_list(spec.get("containers"))
    if not containers:
        return []
    mounts = {
        as_map(m).get("mountPath"): as_map(m).get("name")
        for m in as_list(as_map(containers[0]).get("volumeMounts"))
    }
    volumes = {as_map(v).get("name"): as_map(v) for v in as_list(spec.get("volumes"))}
    volume = volumes.get(mounts.get("/dev/shm"), {})
    if get_path(volume, "emptyDir", "medium") != "Memory":
        return [
            "no in-memory emptyDir mounted at /dev/shm: shared memory stays at the container default (64Mi)"
        ]
    return []


# --- the policies --------------------------------------------------------------------------------

_PUBLIC_REGISTRIES_SCHEMA = PolicyConfigSchema(
    properties={
        "publicRegistries": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Extra registries that need no pull credentials",
        },
    }
)


def _public(args: ResourceValidationArgs) -> list[str]:
    return [str(r) for r in as_list(as_map(args.get_config()).get("publicRegistries"))]


def _notebook_policy(
    name: str,
    description: str,
    check: Callable[..., list[str]],
    level: EnforcementLevel,
    uses_registries: bool = False,
) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type != NOTEBOOK:
            return
        found = check(args.props, _public(args)) if uses_registries else check(args.props)
        for message in found:
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=level,
        config_schema=_PUBLIC_REGISTRIES_SCHEMA if uses_registries else None,
    )


MANDATORY, ADVISORY = EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY

notebook_name = _notebook_policy(
    "notebook-name",
    "A Notebook has an explicit name (a DNS label of at most 52 characters) and namespace.",
    check_notebook_name,
    MANDATORY,
)
notebook_home_volume = _notebook_policy(
    "notebook-home-volume",
    "A Notebook mounts a PersistentVolumeClaim at /home/jovyan.",
    check_home_volume,
    MANDATORY,
)
notebook_security_context = _notebook_policy(
    "notebook-security-context",
    "Notebooks run as UID 1000 with fsGroup 100, never privileged, with privilege escalation off.",
    check_security_context,
    MANDATORY,
)
notebook_resources = _notebook_policy(
    "notebook-resources",
    "Every container has cpu and memory requests and limits, each limit >= its request.",
    check_resources,
    MANDATORY,
)
notebook_image_pinned = _notebook_policy(
    "notebook-image-pinned",
    "Images are pinned by digest or content-<hex> tag: never latest, never a bare repository.",
    check_image_pinned,
    MANDATORY,
    uses_registries=True,
)
notebook_pull_secret = _notebook_policy(
    "notebook-pull-secret",
    "A private-registry image comes with an imagePullSecrets entry.",
    check_pull_secret,
    MANDATORY,
    uses_registries=True,
)
notebook_routing_annotations = _notebook_policy(
    "notebook-routing-annotations",
    "Notebooks carry the routing annotations of their server type "
    "(VS Code, RStudio: rewrite-uri, root path).",
    check_routing_annotations,
    MANDATORY,
)
external_image_digest = _notebook_policy(
    "external-image-digest",
    "External (public-registry) images are pulled by digest, not by tag.",
    check_external_image_digest,
    ADVISORY,
    uses_registries=True,
)
notebook_shared_memory = _notebook_policy(
    "notebook-shared-memory",
    "Notebooks mount an in-memory emptyDir at /dev/shm.",
    check_shared_memory,
    ADVISORY,
)
