"""NotebookServer (components/notebook_server.py), stated whole: the Notebook, its claims and their
options for one notebook using every feature, the aliases a renamed server gives its children, and
the routing annotations of each server type."""

from __future__ import annotations

import json

import pulumi
import pytest

from components import NotebookServer, NotebookServerArgs
from components.claims import UNSET_CLAIM_FIELDS
from components.notebook_server import routing_annotations
from config import resolve
from tests.harness import Template, alias_names

IMAGE = "r.example.com/r@sha256:" + "1" * 64
LABELS = {"app": "lab", "app.kubernetes.io/part-of": "teamspace"}
TYPE = "notebooks.kubeflow.org/server-type"
REWRITE = "notebooks.kubeflow.org/http-rewrite-uri"
HEADERS = "notebooks.kubeflow.org/http-headers-request-set"
STOPPED = {"kubeflow-resource-stopped": "1970-01-01T00:00:00Z", "pulumi.com/patchForce": "true"}


def plan(**values):
    """An RStudio notebook, stopped, with a GPU size, shared memory, a read-only team volume,
    a home storage class and a data volume of its own; `values` adds stack config."""
    notebook = {
        "name": "lab",
        "type": "rstudio",
        "image": "r.example.com/r:1",
        "size": "gpu",
        "stopped": True,
        "mounts": {"shared": "/data"},
        "readOnlyMounts": ["shared"],
        "homeStorageClass": "fast",
        "dataVolumes": {
            "lab-data": {
                "mountPath": "/home/jovyan/data",
                "size": "7Gi",
                "accessMode": "ReadWriteMany",
                "storageClass": "shared-fs",
            }
        },
    }
    team = {"namespace": "data-ns", "volumes": {"shared": {"size": "5Gi"}}, "notebooks": [notebook]}
    values = {
        "kubeflowUrl": "https://kf.example.com",
        "sizes": json.dumps({"gpu": {"cpu": "2", "memory": "4Gi", "gpu": 1}}),
        "teams": json.dumps({"data": team}),
        **values,
    }
    return resolve(values).notebooks["data"][0]


def registered(opts: pulumi.ResourceOptions | None = None, **values) -> dict:
    args = NotebookServerArgs(
        plan=plan(**values), image=IMAGE, pull_secret="teamspace-pull", protect_volumes=True
    )
    return Template.of_component(lambda: NotebookServer("data-lab", args, opts)).named


def claim(name: str, size: str, access_mode: str, **spec) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "data-ns", "labels": LABELS},
        "spec": {"accessModes": [access_mode], "resources": {"requests": {"storage": size}}, **spec},
    }


def test_every_feature_of_a_notebook_is_rendered_exactly():
    by_name = registered()
    assert sorted(by_name) == ["data-lab", "data-lab-data-lab-data", "data-lab-home", "data-lab-notebook"]
    home, data, notebook = (
        by_name["data-lab-home"],
        by_name["data-lab-data-lab-data"],
        by_name["data-lab-notebook"],
    )
    assert home.manifest == claim("lab-workspace", "10Gi", "ReadWriteOnce", storageClassName="fast")
    assert data.manifest == claim("lab-data", "7Gi", "ReadWriteMany", storageClassName="shared-fs")
    for volume in (home, data):  # user data: kept when dropped from config, protected, never replaced
        assert (volume.protect, volume.retain_on_delete) == (True, True)
        assert volume.ignore_changes == list(UNSET_CLAIM_FIELDS)
        assert volume.parent == by_name["data-lab"].urn
    assert notebook.ignore_changes == [
        'metadata.annotations["notebooks.kubeflow.org/last-activity"]',
        'metadata.annotations["notebooks.kubeflow.org/last_activity_check_timestamp"]',
    ]
    assert (notebook.protect, notebook.retain_on_delete, notebook.parent) == (
        False,
        False,
        by_name["data-lab"].urn,
    )

    def pvc(name: str) -> dict:
        return {"name": name, "persistentVolumeClaim": {"claimName": name}}

    assert notebook.manifest == {
        "apiVersion": "kubeflow.org/v1",
        "kind": "Notebook",
        "metadata": {
            "name": "lab",
            "namespace": "data-ns",
            "labels": LABELS,
            "annotations": {
                TYPE: "group-two",
                REWRITE: "/",
                HEADERS: '{"X-RStudio-Root-Path":"/notebook/data-ns/lab/"}',
                **STOPPED,
            },
        },
        "spec": {
            "template": {
                "spec": {
                    "serviceAccountName": "default-editor",
                    "containers": [
                        {
                            "name": "lab",
                            "image": IMAGE,
                            "imagePullPolicy": "IfNotPresent",
                            "resources": {
                                "requests": {"cpu": "2", "memory": "4Gi"},
                                "limits": {"cpu": "2400m", "memory": "4916Mi", "nvidia.com/gpu": "1"},
                            },
                            "volumeMounts": [
                                {"name": "lab-workspace", "mountPath": "/home/jovyan"},
                                {"name": "dshm", "mountPath": "/dev/shm"},
                                {"name": "shared", "mountPath": "/data", "readOnly": True},
                                {"name": "lab-data", "mountPath": "/home/jovyan/data"},
                            ],
                            "securityContext": {"allowPrivilegeEscalation": False, "privileged": False},
                        }
                    ],
                    "imagePullSecrets": [{"name": "teamspace-pull"}],
                    "securityContext": {"runAsUser": 1000, "fsGroup": 100},
                    "volumes": [
                        pvc("lab-workspace"),
                        {"name": "dshm", "emptyDir": {"medium": "Memory"}},
                        pvc("shared"),
                        pvc("lab-data"),
                    ],
                    "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists"}],
                }
            }
        },
    }


def test_a_renamed_server_aliases_each_child_to_its_former_name():
    """The component's former names (its options' aliases) become its children's, role by role."""
    by_name = registered(pulumi.ResourceOptions(aliases=[pulumi.Alias(name="data-old")]))
    assert alias_names(by_name["data-lab"]) == ["data-old"]
    for child, role in (
        ("data-lab-home", "home"),
        ("data-lab-data-lab-data", "data-lab-data"),
        ("data-lab-notebook", "notebook"),
    ):
        assert alias_names(by_name[child]) == [f"data-old-{role}"], child


def test_adopted_notebook_and_claims_are_imported_by_namespace_and_name():
    """`teamspace:adopt` entries become each object's import id (docs/adopt.md)."""
    adopt = [
        "Notebook/data-ns/lab",
        "PersistentVolumeClaim/data-ns/lab-workspace",
        "PersistentVolumeClaim/data-ns/lab-data",
    ]
    by_name = registered(adopt=json.dumps(adopt))
    assert {name: r.import_id for name, r in by_name.items()} == {
        "data-lab": "",
        "data-lab-home": "data-ns/lab-workspace",
        "data-lab-data-lab-data": "data-ns/lab-data",
        "data-lab-notebook": "data-ns/lab",
    }


@pytest.mark.parametrize(
    "kind, stopped, annotations",
    [
        ("jupyter", False, {TYPE: "jupyter"}),
        ("jupyter", True, {TYPE: "jupyter", **STOPPED}),
        ("vscode", False, {TYPE: "group-one", REWRITE: "/"}),
        (
            "rstudio",
            False,
            {TYPE: "group-two", REWRITE: "/", HEADERS: '{"X-RStudio-Root-Path":"/notebook/ns/a/"}'},
        ),
    ],
)
def test_routing_annotations_of_each_server_type(kind, stopped, annotations):
    """As the Kubeflow web app sets them: VS Code and RStudio are served at `/` behind a rewrite,
    RStudio learns its root path from a header (compact JSON); a stopped server is forced to own the key."""
    assert routing_annotations(kind, "/notebook/ns/a/", stopped) == annotations
