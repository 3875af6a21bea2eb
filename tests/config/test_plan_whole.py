"""The resolved notebook stated whole: every field of a NotebookPlan, for a notebook using every
feature and for one using none, and where its placement comes from. `config.plan` through
`config.resolve`, no Pulumi runtime."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import resolve
from config.model import ImageSpec
from config.notebook_plan import (
    ClaimMount,
    DataClaim,
    HomeClaim,
    NotebookPlacement,
    NotebookPlan,
    OwnImage,
    Resources,
)
from config.scheduling import AffinityPreset, NodeRequirement, Toleration

PART_OF = {"app.kubernetes.io/part-of": "teamspace"}
SIZES = {
    "gpu": {
        "cpu": "1",
        "memory": "8Gi",
        "cpuLimit": "2",
        "memoryLimit": "10Gi",
        "gpu": 2,
        "gpuVendor": "amd.com/gpu",
        "affinity": "fast",
        "nodeSelector": {"pool": "gpu"},
        "tolerations": [{"key": "pool", "operator": "Exists"}],
    },
    "bare-gpu": {"cpu": "1", "memory": "1Gi", "gpu": 1},
}
AFFINITIES = {
    "fast": {"required": [{"key": "disk", "values": ["ssd"]}]},
    "slow": {"required": [{"key": "disk", "values": ["hdd"]}]},
}
FAST = AffinityPreset(required=(NodeRequirement(key="disk", values=("ssd",)),))
SLOW = AffinityPreset(required=(NodeRequirement(key="disk", values=("hdd",)),))


def plans(*notebooks: dict[str, Any], **values: Any) -> tuple[NotebookPlan, ...]:
    """The plans of team `data` (namespace `ds`) holding `notebooks`."""
    team = {
        "namespace": "ds",
        "configurations": {"env": {"env": {"A": "1"}}},
        "externalConfigurations": [{"name": "pipelines", "label": "access-ml-pipeline"}],
        "volumes": {"b": {"size": "1Gi"}, "a": {"size": "1Gi"}},
        "notebooks": list(notebooks),
    }
    config = {
        "kubeflowUrl": "https://kf.example.com/",
        "registry": {"server": "r.example.com", "username": "u"},
        "images": {"jupyter": {"type": "jupyter"}},
        "sizes": SIZES,
        "affinities": AFFINITIES,
        "teams": {"data": team},
        **values,
    }
    encoded = {k: json.dumps(v) for k, v in config.items()} | {"registryPassword": "pw-123456"}
    return resolve({**encoded, "kubeflowUrl": "https://kf.example.com/"}).notebooks["data"]


EVERYTHING = {
    "name": "lab",
    "type": "jupyter",
    "previousName": "old",
    "size": "gpu",
    "cpu": "3",
    "memoryLimit": "9Gi",
    "nodeSelector": {"zone": "a"},
    "homeSize": "20Gi",
    "homeStorageClass": "fast",
    "homeAccessMode": "ReadWriteOncePod",
    "mounts": {"b": "/home/jovyan/b", "a": "/home/jovyan/a"},
    "readOnlyMounts": ["b"],
    "dataVolumes": {
        "z-data": {"mountPath": "/z", "size": "5Gi"},
        "y-data": {
            "mountPath": "/y",
            "size": "2Gi",
            "accessMode": "ReadWriteMany",
            "storageClass": "slow",
            "readOnly": True,
        },
    },
    "imagePullPolicy": "Always",
    "imagePullSecrets": ["mine"],
    "serviceAccountName": "runner",
    "shm": False,
    "stopped": True,
    "configurations": ["pipelines", "env"],
    "requirements": "requirements/vision-lab.txt",
}


def test_a_notebook_using_every_feature_resolves_to_exactly_this_plan():
    """cpu set on the notebook drops the size's cpuLimit (3 x 1.2); its memoryLimit wins over the
    size's; the size's tolerations and affinity hold; adopted claims carry their import ids."""
    adopt = ["Notebook/ds/lab", "PersistentVolumeClaim/ds/old-workspace", "PersistentVolumeClaim/ds/y-data"]
    (plan,) = plans(EVERYTHING, adopt=adopt)
    image = ImageSpec(type="jupyter", requirements="requirements/vision-lab.txt")
    assert plan == NotebookPlan(
        team_key="data",
        namespace="ds",
        name="lab",
        former_names=("old",),
        type="jupyter",
        size="gpu",
        image="data/lab",
        own_image=OwnImage("data/lab", image),
        resources=Resources("3", "8Gi", "3600m", "9Gi", 2, "amd.com/gpu"),
        placement=NotebookPlacement({"zone": "a"}, (Toleration(key="pool", operator="Exists"),), FAST),
        path="/notebook/ds/lab/",
        url="https://kf.example.com/notebook/ds/lab/",
        home=HomeClaim("old-workspace", "20Gi", "fast", "ReadWriteOncePod", "ds/old-workspace"),
        mounts=(ClaimMount("a", "/home/jovyan/a", False), ClaimMount("b", "/home/jovyan/b", True)),
        labels={"app": "lab", **PART_OF, "access-ml-pipeline": "true", "env": "true"},
        stopped=True,
        data_claims=(
            DataClaim(
                "y-data", "2Gi", "ReadWriteMany", "slow", ClaimMount("y-data", "/y", True), "ds/y-data"
            ),
            DataClaim("z-data", "5Gi", "ReadWriteOnce", None, ClaimMount("z-data", "/z", False), None),
        ),
        image_pull_policy="Always",
        pull_secrets=("mine",),
        service_account_name="runner",
        shm=False,
        import_id="ds/lab",
    )


def test_a_notebook_using_no_feature_resolves_to_the_defaults():
    (plan,) = plans({"name": "lab", "type": "jupyter"})
    assert plan == NotebookPlan(
        team_key="data",
        namespace="ds",
        name="lab",
        former_names=(),
        type="jupyter",
        size="small",
        image="jupyter",
        own_image=None,
        resources=Resources("0.5", "1Gi", "600m", "1229Mi", 0, "nvidia.com/gpu"),
        placement=NotebookPlacement({}, (), None),
        path="/notebook/ds/lab/",
        url="https://kf.example.com/notebook/ds/lab/",
        home=HomeClaim("lab-workspace", "10Gi", None, "ReadWriteOnce", None),
        mounts=(),
        labels={"app": "lab", **PART_OF},
        stopped=False,
        data_claims=(),
        image_pull_policy="IfNotPresent",
        pull_secrets=None,
        service_account_name="default-editor",
        shm=True,
        import_id=None,
    )


NVIDIA = Toleration(key="nvidia.com/gpu", operator="Exists")  # every effect of the vendor's taint


@pytest.mark.parametrize(
    "fields, placement, gpu",
    [
        (
            {"size": "gpu"},
            NotebookPlacement({"pool": "gpu"}, (Toleration(key="pool", operator="Exists"),), FAST),
            2,
        ),
        (
            {"size": "gpu", "affinity": "slow", "nodeSelector": {}, "tolerations": []},
            NotebookPlacement({}, (), SLOW),
            2,
        ),
        ({"size": "bare-gpu"}, NotebookPlacement({}, (NVIDIA,), None), 1),
        ({"size": "bare-gpu", "gpu": 0}, NotebookPlacement({}, (), None), 0),
        ({"size": "bare-gpu", "tolerations": []}, NotebookPlacement({}, (), None), 1),
        ({"gpu": 1, "affinity": "slow"}, NotebookPlacement({}, (NVIDIA,), SLOW), 1),
    ],
    ids=["the-sizes", "emptied-on-the-notebook", "vendor-taint", "gpu-0", "no-tolerations", "gpu-on-small"],
)
def test_placement_is_the_notebooks_own_over_its_sizes(fields, placement, gpu):
    """An empty list or map on the notebook overrides the size's; a GPU notebook without
    tolerations tolerates its vendor's taint; `gpu: 0` means no GPU, so no toleration."""
    (plan,) = plans({"name": "lab", "type": "jupyter", **fields})
    assert (plan.placement, plan.resources.gpu) == (placement, gpu)
