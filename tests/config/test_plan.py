"""The resolved notebook (NotebookPlan): built once by the config layer, no Pulumi runtime."""

from __future__ import annotations

import json

import pytest

from config import ConfigError, resolve


def resolved(notebook: dict, team: dict | None = None, **values):
    team = {
        "namespace": "ds",
        "volumes": {"b": {"size": "1Gi"}, "a": {"size": "1Gi"}},
        "notebooks": [{"name": "lab", "type": "jupyter", **notebook}],
        **(team or {}),
    }
    base = {
        "kubeflowUrl": "https://kf.example.com/",
        "registry": json.dumps({"server": "r.example.com", "username": "u"}),
        "registryPassword": "pw-123456",
        "images": json.dumps({"jupyter": {"type": "jupyter"}}),
        "teams": json.dumps({"data": team}),
    }
    return resolve({**base, **{k: json.dumps(v) for k, v in values.items()}})


def test_url_and_path_are_built_once():
    plan = resolved({}).notebooks["data"][0]
    assert plan.path == "/notebook/ds/lab/"
    assert plan.url == "https://kf.example.com/notebook/ds/lab/"


def test_own_image_is_keyed_team_slash_notebook_and_extends_its_image():
    stack = resolved({"requirements": "requirements/vision-lab.txt"})
    plan = stack.notebooks["data"][0]
    assert plan.image == "data/lab" and plan.own_image is not None
    assert plan.own_image.repository == "data-lab"
    assert plan.own_image.spec.requirements == "requirements/vision-lab.txt"
    assert list(stack.images) == ["jupyter", "data/lab"]


def test_without_requirements_the_image_key_is_the_type():
    plan = resolved({}).notebooks["data"][0]
    assert (plan.image, plan.own_image) == ("jupyter", None)


def test_affinity_preset_is_resolved_from_the_size():
    plan = resolved(
        {"size": "ssd"},
        sizes={"ssd": {"cpu": "1", "memory": "1Gi", "affinity": "fast"}},
        affinities={"fast": {"required": [{"key": "disk", "values": ["ssd"]}]}},
    ).notebooks["data"][0]
    assert plan.placement.affinity is not None
    assert plan.placement.affinity.required[0].key == "disk"


def test_mounts_are_sorted_by_claim_and_labels_carry_configurations():
    plan = resolved(
        {"mounts": {"b": "/b", "a": "/a"}, "configurations": ["env"]},
        {"configurations": {"env": {"env": {"A": "1"}}}},
    ).notebooks["data"][0]
    assert [(m.claim, m.path) for m in plan.mounts] == [("a", "/a"), ("b", "/b")]
    assert plan.labels == {"app": "lab", "app.kubernetes.io/part-of": "teamspace", "env": "true"}


def test_home_claim_follows_a_rename():
    plan = resolved({"previousName": "old"}).notebooks["data"][0]
    assert (plan.home.name, plan.former_names) == ("old-workspace", ("old",))


def test_limits_are_checked_on_the_plan():
    with pytest.raises(
        ConfigError, match=r"notebooks\[0\] \(lab\)\.cpuLimit: limit 1 is below the request 2"
    ):
        resolved({"cpu": "2", "cpuLimit": "1"})


def test_adopted_objects_carry_their_import_ids_in_the_plan():
    stack = resolved(
        {
            "homeVolume": "lab-vol",
            "mounts": {"a": "/home/jovyan/a"},
            "readOnlyMounts": ["a"],
            "dataVolumes": {"lab-data": {"mountPath": "/data", "size": "5Gi", "readOnly": True}},
        },
        adopt=["Notebook/ds/lab", "PersistentVolumeClaim/ds/lab-vol", "PersistentVolumeClaim/ds/lab-data"],
    )
    plan = stack.notebooks["data"][0]
    assert plan.import_id == "ds/lab" and plan.home.import_id == "ds/lab-vol"
    assert [(c.name, c.mount.path, c.mount.read_only, c.import_id) for c in plan.data_claims] == [
        ("lab-data", "/data", True, "ds/lab-data")
    ]
    assert [(m.claim, m.read_only) for m in plan.mounts] == [("a", True)]
    assert resolved({}).notebooks["data"][0].import_id is None


def test_a_mig_slice_keeps_the_nvidia_taint_and_an_unknown_vendor_gets_none():
    mig = resolved({"gpu": 1, "gpuVendor": "nvidia.com/mig-1g.10gb"}).notebooks["data"][0]
    # Exists: the vendor's taint is tolerated whatever its value (Equal would need value "").
    assert [(t.key, t.operator) for t in mig.placement.tolerations] == [("nvidia.com/gpu", "Exists")]
    fpga = resolved({"gpu": 1, "gpuVendor": "example.com/fpga"}).notebooks["data"][0]
    assert fpga.placement.tolerations == ()


def test_an_external_configuration_is_selected_by_its_declared_label():
    plan = resolved(
        {"configurations": ["pipelines", "env"]},
        {
            "configurations": {"env": {"env": {"A": "1"}}},
            "externalConfigurations": [{"name": "pipelines", "label": "access-ml-pipeline"}],
        },
    ).notebooks["data"][0]
    assert plan.labels == {
        "app": "lab",
        "app.kubernetes.io/part-of": "teamspace",
        "access-ml-pipeline": "true",
        "env": "true",
    }


def test_a_sizes_limits_hold_until_the_notebook_sets_its_own_request():
    sizes = {"big": {"cpu": "1", "memory": "1Gi", "cpuLimit": "3", "memoryLimit": "3Gi"}}
    preset = resolved({"size": "big"}, sizes=sizes).notebooks["data"][0].resources
    assert (preset.cpu_limit, preset.memory_limit) == ("3", "3Gi")
    # A bigger request drops the preset's limits: request x 1.2, not a limit below the request.
    own = resolved({"size": "big", "cpu": "4", "memory": "4Gi"}, sizes=sizes).notebooks["data"][0].resources
    assert (own.cpu_limit, own.memory_limit) == ("4800m", "4916Mi")
