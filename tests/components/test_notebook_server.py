"""NotebookServer: it renders a resolved notebook (NotebookPlan) and looks nothing up; and the
outputs it registers."""

from __future__ import annotations

import json

from components import NotebookServer, NotebookServerArgs
from config import resolve
from devtools.runtime import run_program

from ..harness import minimal_config
from .mock_render import of_type, render

NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"
PVC = "kubernetes:core/v1:PersistentVolumeClaim"


def plan_of(**notebook):
    values = {
        "kubeflowUrl": "https://kf.example.com",
        "sizes": json.dumps({"gpu": {"cpu": "2", "memory": "4Gi", "gpu": 1}}),
        "affinities": json.dumps(
            {"ssd": {"required": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}}
        ),
        "teams": json.dumps(
            {
                "data": {
                    "namespace": "data-ns",
                    "volumes": {"shared": {"size": "5Gi"}},
                    "notebooks": [
                        {"name": "lab", "type": "rstudio", "image": "r.example.com/r:1", **notebook}
                    ],
                }
            }
        ),
    }
    return resolve(values).notebooks["data"][0]


def server(plan, **args):
    registered = render(
        lambda: NotebookServer(
            "data-lab",
            NotebookServerArgs(
                plan=plan,
                image=args.get("image", "r.example.com/r@sha256:" + "1" * 64),
                pull_secret=args.get("pull_secret"),
                protect_volumes=True,
            ),
        )
    )
    (notebook,) = of_type(registered, NOTEBOOK)
    return registered, notebook


def test_one_notebook_and_its_home_claim():
    registered, notebook = server(plan_of())
    (claim,) = of_type(registered, PVC)
    assert sorted(r.name for r in registered if r.typ != "teamspace:index:NotebookServer") == [
        "data-lab-home",
        "data-lab-notebook",
    ]
    assert claim["metadata"] == {
        "name": "lab-workspace",
        "namespace": "data-ns",
        "labels": {"app": "lab", "app.kubernetes.io/part-of": "teamspace"},
    }
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert notebook["metadata"]["name"] == "lab" and notebook["metadata"]["namespace"] == "data-ns"


def test_renders_the_plans_resources_and_path():
    plan = plan_of(cpu="1500m", memory="3Gi", memoryLimit="5Gi")
    _, notebook = server(plan)
    container = notebook["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"] == {
        "requests": {"cpu": "1500m", "memory": "3Gi"},
        "limits": {"cpu": plan.resources.cpu_limit, "memory": "5Gi"},
    }
    header = json.loads(
        notebook["metadata"]["annotations"]["notebooks.kubeflow.org/http-headers-request-set"]
    )
    assert header == {"X-RStudio-Root-Path": plan.path} and plan.path == "/notebook/data-ns/lab/"


def test_placement_comes_resolved():
    plan = plan_of(size="gpu", affinity="ssd", nodeSelector={"pool": "a"})
    _, notebook = server(plan)
    spec = notebook["spec"]["template"]["spec"]
    assert spec["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists"}]
    assert spec["nodeSelector"] == {"pool": "a"}
    terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ]
    assert terms == [{"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]
    assert spec["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"


def test_a_notebooks_own_toleration_is_rendered_whole():
    """Every field of a toleration reaches the pod: without its effect a NoExecute toleration
    would tolerate every effect of the taint, and its seconds would be refused."""
    toleration = {
        "key": "spot",
        "operator": "Equal",
        "value": "yes",
        "effect": "NoExecute",
        "tolerationSeconds": 60,
    }
    _, notebook = server(plan_of(tolerations=[toleration]))
    assert notebook["spec"]["template"]["spec"]["tolerations"] == [toleration]


def test_team_volume_mounts_and_pull_secret():
    _, notebook = server(plan_of(mounts={"shared": "/data"}), pull_secret="nexuscred")
    spec = notebook["spec"]["template"]["spec"]
    assert {"name": "shared", "mountPath": "/data"} in spec["containers"][0]["volumeMounts"]
    assert {"name": "shared", "persistentVolumeClaim": {"claimName": "shared"}} in spec["volumes"]
    assert spec["imagePullSecrets"] == [{"name": "nexuscred"}]


def test_stopped_and_configuration_labels_from_the_plan():
    plan = plan_of(stopped=True)
    _, notebook = server(plan)
    assert notebook["metadata"]["annotations"]["kubeflow-resource-stopped"] == "1970-01-01T00:00:00Z"
    assert notebook["metadata"]["labels"] == dict(plan.labels)


def test_own_data_claims_are_children_and_existing_pull_secrets_win():
    plan = plan_of(
        dataVolumes={
            "lab-data": {
                "mountPath": "/home/jovyan/data",
                "size": "7Gi",
                "accessMode": "ReadWriteMany",
                "readOnly": True,
            }
        },
        imagePullSecrets=["nexuscred"],
        shm=False,
    )
    registered, notebook = server(plan, pull_secret="teamspace-pull")
    claims = {r.name: r.inputs for r in registered if r.typ == PVC}
    assert claims["data-lab-data-lab-data"]["spec"] == {
        "accessModes": ["ReadWriteMany"],
        "resources": {"requests": {"storage": "7Gi"}},
    }
    pod = notebook["spec"]["template"]["spec"]
    assert pod["imagePullSecrets"] == [{"name": "nexuscred"}]
    assert [m["mountPath"] for m in pod["containers"][0]["volumeMounts"]] == [
        "/home/jovyan",
        "/home/jovyan/data",
    ]
    assert pod["containers"][0]["volumeMounts"][1]["readOnly"] is True


def test_the_component_registers_its_url_and_home_claim_as_outputs():
    """What `pulumi stack` shows for each notebook's component."""
    result = run_program(minimal_config(), record_outputs=True)
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == "teamspace:index:NotebookServer"]
    assert result.component_outputs[component.urn] == {
        "url": "https://kubeflow.example.com/notebook/data/lab/",
        "home_claim": "lab-workspace",
    }
