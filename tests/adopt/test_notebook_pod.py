"""A live Notebook's pod template as its entry's fields (adopt/notebook_pod.py): the container,
its image and pull policy, resources and GPUs, security context, service account, pull
secrets, placement, each with the in-place change or the refusal (by field path) it makes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from adopt.findings import Findings
from adopt.notebook_outcome import NotebookOutcome
from adopt.notebook_pod import adopt_pod_spec
from adopt.pod_volumes import Mount

AT = "spec.template.spec"
C = f"{AT}.containers[0]"
R = f"{C}.resources"
ONE = "teamspace runs exactly one (sidecars and extra containers are not modelled)"
UNPRIVILEGED = "container securityContext: allowPrivilegeEscalation false, privileged false"
IMAGE = "registry.example.com/jupyter:1.0"
POD: dict[str, Any] = {
    "serviceAccountName": "default-editor",
    "containers": [
        {
            "name": "nb",
            "image": IMAGE,
            "imagePullPolicy": "IfNotPresent",
            "resources": {
                "requests": {"cpu": "500m", "memory": "1Gi"},
                "limits": {"cpu": "1", "memory": "2Gi"},
            },
            "volumeMounts": [
                {"name": "nb-home", "mountPath": "/home/jovyan"},
                {"name": "dshm", "mountPath": "/dev/shm"},
            ],
            "securityContext": {"allowPrivilegeEscalation": False, "privileged": False},
        }
    ],
    "securityContext": {"runAsUser": 1000, "fsGroup": 100},
    "volumes": [
        {"name": "nb-home", "persistentVolumeClaim": {"claimName": "nb-home"}},
        {"name": "dshm", "emptyDir": {"medium": "Memory"}},
    ],
}
ENTRY = dict(name="nb", image=IMAGE, cpu="500m", cpuLimit="1", memory="1Gi", memoryLimit="2Gi")


def _adopt(edit: Callable[[dict[str, Any], dict[str, Any]], Any]) -> NotebookOutcome:
    """teamspace's own pod for notebook `nb` with one edit (to the pod and its container)."""
    pod = copy.deepcopy(POD)
    edit(pod, pod["containers"][0])
    outcome = NotebookOutcome("team", "nb", {"name": "nb"}, Findings())
    adopt_pod_spec(pod, outcome)
    assert not outcome.findings.notes
    return outcome


def test_teamspace_s_own_pod_is_adopted_without_a_change():
    outcome = _adopt(lambda pod, container: None)
    assert (outcome.entry, outcome.findings.refused, outcome.findings.changes) == (ENTRY, [], [])
    assert (outcome.home, outcome.mounts, outcome.pull_secrets, outcome.affinity) == (
        Mount("nb-home", "/home/jovyan", False, "nb-home"),
        [],
        [],
        None,
    )


def test_pull_secrets_placement_and_tolerations_are_kept():
    def placed(pod, container):
        pod.update(
            serviceAccountName="team-sa",
            imagePullSecrets=[{"name": "a"}, {}, {"name": "b"}],
            nodeSelector={"disk": "ssd", "rack": 7},
            tolerations=[
                {
                    "key": "k",
                    "operator": "Equal",
                    "value": "v",
                    "effect": "NoExecute",
                    "tolerationSeconds": 30,
                },
                {"key": "spot", "value": None, "operator": "Exists"},
            ],
            affinity={"nodeAffinity": {"foo": {}}},
        )
        pod["volumes"].pop()
        container["volumeMounts"].pop()

    outcome = _adopt(placed)
    assert outcome.entry == {
        **ENTRY,
        "serviceAccountName": "team-sa",
        "imagePullSecrets": ["a", "b"],
        "shm": False,
        "nodeSelector": {"disk": "ssd", "rack": "7"},
        "tolerations": [
            {"key": "k", "operator": "Equal", "value": "v", "effect": "NoExecute", "tolerationSeconds": 30},
            {"key": "spot", "operator": "Exists"},
        ],
    }
    assert outcome.pull_secrets == ["a", "b"]
    assert outcome.findings.refused == [f"{AT}.affinity.nodeAffinity.foo: cannot be expressed"]


def _limits(**limits: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    return lambda pod, container: container["resources"]["limits"].update(limits)


@pytest.mark.parametrize(
    ("edit", "entry", "refused"),
    [
        (
            _limits(**{"nvidia.com/gpu": "2"}),
            {"gpu": 2, "gpuVendor": "nvidia.com/gpu", "tolerations": []},
            [],
        ),
        (
            lambda pod, container: (
                _limits(**{"amd.com/gpu": 1})(pod, container),
                pod.update(tolerations=[{"key": "gpu", "operator": "Exists", "extra": 1}]),
            ),
            {"gpu": 1, "gpuVendor": "amd.com/gpu", "tolerations": [{"key": "gpu", "operator": "Exists"}]},
            [f"{AT}.tolerations[0].extra: not a toleration field"],
        ),
        (
            _limits(**{"nvidia.com/gpu": "0.5", "amd.com/gpu": "1"}),
            {"gpu": 1, "gpuVendor": "amd.com/gpu", "tolerations": []},
            [
                f"{R}.limits: several extended resources (amd.com/gpu, nvidia.com/gpu)",
                f"{R}.limits.nvidia.com/gpu: '0.5' is not a whole number of devices",
            ],
        ),
        (_limits(cpu="500m", memory=1073741824), {"cpuLimit": "500m", "memoryLimit": "1073741824"}, []),
        (
            _limits(cpu="100m", memory="1G"),
            {"cpuLimit": "100m", "memoryLimit": "1G"},
            [
                f"{R}.limits.cpu: the limit is below the request",
                f"{R}.limits.memory: the limit is below the request",
            ],
        ),
        (
            _limits(cpu="lots"),
            {"cpuLimit": "lots"},
            [f"{R}.cpu: 'lots' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi, 512Mi)"],
        ),
        (
            lambda pod, container: container["resources"].update(
                requests={"memory": "1Gi", "nvidia.com/gpu": "1"}
            ),
            {"cpu": None, "cpuLimit": None},
            [
                f"{R}.requests.nvidia.com/gpu: teamspace requests only cpu and memory (GPUs are limits)",
                f"{R}: cpu needs both a request and a limit in teamspace",
            ],
        ),
        (
            lambda pod, container: container.update(resources={"limits": {"cpu": "1"}}),
            {"cpu": None, "cpuLimit": None, "memory": None, "memoryLimit": None},
            [
                f"{R}: cpu needs both a request and a limit in teamspace",
                f"{R}: memory needs both a request and a limit in teamspace",
            ],
        ),
    ],
    ids=[
        "gpu",
        "tolerated gpu",
        "two vendors",
        "equal",
        "below",
        "not a quantity",
        "gpu request",
        "no requests",
    ],
)
def test_resources_become_requests_limits_and_gpus(edit, entry, refused):
    outcome = _adopt(edit)
    expected = {key: value for key, value in {**ENTRY, **entry}.items() if value is not None}
    assert (outcome.entry, outcome.findings.refused, outcome.findings.changes) == (expected, refused, [])


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("registry.example.com/jupyter:latest", "Always"),
        ("registry.example.com:5000/jupyter", "Always"),
        ("registry.example.com:5000/jupyter:1.0", "IfNotPresent"),
        ("registry.example.com/jupyter:latest@sha256:" + "0" * 64, "Always"),  # more: tests/config
    ],
)
def test_a_pull_policy_left_to_kubernetes_is_stated_as_its_default(image, policy):
    def unset(pod, container):
        container.update(image=f" {image} ")
        del container["imagePullPolicy"]

    outcome = _adopt(unset)
    assert outcome.findings.changes == [f"imagePullPolicy: {policy} (the pod's default) set explicitly"]
    pinned = {"imagePullPolicy": policy} if policy == "Always" else {}
    assert outcome.entry == {**ENTRY, "image": image, **pinned}


@pytest.mark.parametrize(
    ("edit", "refused", "changes"),
    [
        (
            lambda pod, container: pod.update(initContainers=[], hostPID=True),
            [f"{AT}.hostPID: not modelled", f"{AT}.initContainers: init containers are not modelled"],
            [],
        ),
        (
            lambda pod, container: container.update(ports=[], env=[{"name": "A", "value": "1"}], name="main"),
            [
                f"{C}.ports: not modelled",
                f"{C}.env: container environment is not modelled (use a configuration)",
            ],
            ["container name main -> nb"],
        ),
        (
            lambda pod, container: (container.pop("name"), container.update(env=[], imagePullPolicy="Never")),
            [],
            ["container name None -> nb"],
        ),
        (
            lambda pod, container: container.update(image="Xgboost-notebook", imagePullPolicy="Always"),
            [f"{C}.image: 'Xgboost-notebook' is not a reference with a registry or tag"],
            [],
        ),
        (
            lambda pod, container: container.pop("image"),
            [f"{C}.image: '' is not a reference with a registry or tag"],
            [],
        ),
        (
            lambda pod, container: (
                container.update(resources={"requests": {}, "limits": {}, "claims": []}) or None
            ),
            [
                f"{R}.claims: not modelled",
                f"{R}: cpu needs both a request and a limit in teamspace",
                f"{R}: memory needs both a request and a limit in teamspace",
            ],
            [],
        ),
        (
            lambda pod, container: (pod.pop("securityContext"), container.pop("securityContext")),
            [],
            [
                "securityContext.runAsUser: (none) -> 1000",
                "securityContext.fsGroup: (none) -> 100",
                UNPRIVILEGED,
            ],
        ),
        (
            lambda pod, container: (
                pod.update(securityContext={"runAsUser": 0, "fsGroup": 100}),
                container.update(securityContext={"allowPrivilegeEscalation": False, "capabilities": {}}),
            ),
            [f"{C}.securityContext.capabilities: not modelled"],
            ["securityContext.runAsUser: 0 -> 1000", UNPRIVILEGED],
        ),
        (
            lambda pod, container: container.update(
                securityContext={"allowPrivilegeEscalation": True, "privileged": False}
            ),
            [],
            [UNPRIVILEGED],
        ),
        (
            lambda pod, container: pod.update(containers=[container, dict(container, name="sidecar")]),
            [f"{AT}.containers: 2 containers; {ONE}"],
            [],
        ),
        (
            lambda pod, container: pod.pop("containers"),
            [f"{AT}.containers: 0 containers; {ONE}"],
            [],
        ),
    ],
    ids=[
        "pod fields",
        "container fields",
        "no name",
        "bare image",
        "no image",
        "resource fields",
        "no security",
        "root",
        "escalation",
        "sidecar",
        "no containers",
    ],
)
def test_each_field_is_changed_in_place_or_refused_by_its_path(edit, refused, changes):
    findings = _adopt(edit).findings
    assert (findings.refused, findings.changes) == (refused, changes)
