"""The Notebook's pod checks: the home volume, the security context, the resources of every
container and, advisory, the shared memory at /dev/shm.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .manifests import all_containers, as_list, as_map, get_path, pod_spec
from .quantities import parse_quantity

HOME = "/home/jovyan"
USER_ID = 1000
FS_GROUP = 100


# --- mandatory checks ----------------------------------------------------------------------------


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
