"""Issue 13, point 3: what the web app can create is expressible in config and renders valid
objects (upstream CRDs, strict Kubernetes schemas)."""

from __future__ import annotations

import pytest

from tests.adoption import adopted, run_generated, web_app_without_external
from tests.harness import PVC, Template, container, minimal_config
from tests.upstream_istio import validate_registered


@pytest.mark.parametrize(
    "make",
    [lambda: adopted("field_notes", "gpu", "stopped", "profile_quota"), web_app_without_external],
    ids=["hand-made-gpu-stopped-profile", "web-app"],
)
def test_generated_stacks_render_objects_valid_for_the_real_schemas(make):
    kinds = validate_registered(run_generated(make()).registrations)
    assert {"Notebook", "PersistentVolumeClaim"} <= kinds


def _notebook(**fields):
    return minimal_config(
        teams={
            "data": {
                "volumes": {"shared": {"size": "5Gi"}},
                "notebooks": [{"name": "lab", "type": "jupyter", **fields}],
            }
        }
    )


def test_data_volumes_read_only_mounts_shm_policy_and_service_account():
    template = Template.synth(
        _notebook(
            mounts={"shared": "/home/jovyan/shared"},
            readOnlyMounts=["shared"],
            shm=False,
            imagePullPolicy="Always",
            serviceAccountName="notebook-runner",
            homeVolume="lab-vol",
            homeAccessMode="ReadWriteMany",
            dataVolumes={
                "lab-datavol-1": {
                    "mountPath": "/home/jovyan/data",
                    "size": "20Gi",
                    "readOnly": True,
                    "storageClass": "fast",
                }
            },
        )
    )
    notebook = template.notebook("lab")
    pod, main = notebook["spec"]["template"]["spec"], container(notebook)
    assert main["volumeMounts"] == [
        {"name": "lab-vol", "mountPath": "/home/jovyan"},
        {"name": "shared", "mountPath": "/home/jovyan/shared", "readOnly": True},
        {"name": "lab-datavol-1", "mountPath": "/home/jovyan/data", "readOnly": True},
    ]
    assert [v["name"] for v in pod["volumes"]] == ["lab-vol", "shared", "lab-datavol-1"]
    assert (main["imagePullPolicy"], pod["serviceAccountName"]) == ("Always", "notebook-runner")
    claim = template.has_resource_properties(PVC, {"metadata": {"name": "lab-datavol-1"}})
    assert claim.manifest["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "20Gi"}},
        "storageClassName": "fast",
    }
    assert claim.retain_on_delete and claim.protect
    home = template.has_resource_properties(PVC, {"metadata": {"name": "lab-vol"}})
    assert home.manifest["spec"]["accessModes"] == ["ReadWriteMany"]


def test_existing_pull_secrets_replace_the_registry_one_and_an_empty_list_means_none():
    named = Template.synth(_notebook(imagePullSecrets=["nexuscred", "mirror"]))
    assert named.notebook("lab")["spec"]["template"]["spec"]["imagePullSecrets"] == [
        {"name": "nexuscred"},
        {"name": "mirror"},
    ]
    none = Template.synth(_notebook(imagePullSecrets=[]))
    assert "imagePullSecrets" not in none.notebook("lab")["spec"]["template"]["spec"]


@pytest.mark.parametrize(
    "vendor, toleration",
    [
        ("nvidia.com/mig-1g.10gb", [{"key": "nvidia.com/gpu", "operator": "Exists"}]),
        ("amd.com/gpu", [{"key": "amd.com/gpu", "operator": "Exists"}]),
        ("example.com/fpga", None),
    ],
)
def test_any_gpu_resource_is_a_limit_and_a_known_vendor_keeps_its_taint(vendor, toleration):
    notebook = Template.synth(_notebook(gpu=1, gpuVendor=vendor)).notebook("lab")
    assert container(notebook)["resources"]["limits"][vendor] == "1"
    assert notebook["spec"]["template"]["spec"].get("tolerations") == toleration


def test_pod_anti_affinity_preset_renders_like_the_web_app():
    config = _notebook(affinity="dedicated")
    config["teamspace:affinities"] = {
        "dedicated": {
            "required": [{"key": "lifecycle", "values": ["kubeflow-notebook"]}],
            "podAntiAffinity": {
                "required": [
                    {
                        "topologyKey": "kubernetes.io/hostname",
                        "allNamespaces": True,
                        "match": [{"key": "notebook-name", "operator": "Exists"}],
                    }
                ],
                "preferred": [
                    {
                        "weight": 50,
                        "topologyKey": "topology.kubernetes.io/zone",
                        "match": [{"key": "app", "values": ["lab"]}],
                    }
                ],
            },
        }
    }
    affinity = Template.synth(config).notebook("lab")["spec"]["template"]["spec"]["affinity"]
    assert affinity["podAntiAffinity"] == {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {
                "labelSelector": {"matchExpressions": [{"key": "notebook-name", "operator": "Exists"}]},
                "namespaceSelector": {},
                "topologyKey": "kubernetes.io/hostname",
            }
        ],
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 50,
                "podAffinityTerm": {
                    "labelSelector": {
                        "matchExpressions": [{"key": "app", "operator": "In", "values": ["lab"]}]
                    },
                    "topologyKey": "topology.kubernetes.io/zone",
                },
            }
        ],
    }
    assert affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ] == [{"matchExpressions": [{"key": "lifecycle", "operator": "In", "values": ["kubeflow-notebook"]}]}]


def test_quota_counts_data_volumes():
    config = _notebook(dataVolumes={"big": {"mountPath": "/data", "size": "100Gi"}})
    config["teamspace:teams"]["data"]["quota"] = {"storage": "50Gi"}
    error = str(Template.synth(config, expect_error=True).result.error)
    assert "teamspace:teams.data.quota.storage: PVC sizes add up to 115Gi, above the quota 50Gi" in error
