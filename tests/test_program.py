"""The real program under Pulumi mocks: what it creates, checked against domain.md and real schemas."""

from __future__ import annotations

import json

import pytest

from .harness import (
    IMAGE,
    NOTEBOOK,
    PROFILE,
    PVC,
    QUOTA,
    SECRET,
    STACKS,
    Template,
    container,
    minimal_config,
    stack_config,
)
from .upstream_istio import validate_registered


@pytest.fixture(scope="module", params=STACKS)
def stack(request) -> Template:
    return Template.synth(stack_config(request.param), stack=request.param)


@pytest.fixture(scope="module")
def dev() -> Template:
    return Template.synth(stack_config("dev"))


def test_every_object_validates_against_real_schemas(stack):
    """Notebooks and Profiles match the upstream CRDs (with the
    install-time patch); the rest is strict Kubernetes.
    """
    kinds = validate_registered(stack.registrations)
    assert {"Notebook", "PersistentVolumeClaim", "Secret", "Profile"} <= kinds


def test_dev_stack_resource_counts(dev):
    """dev: 3+1 images, 5 notebooks with 5 home PVCs + 1 team volume, 2 pull secrets + 1 S3, 1 Profile."""
    dev.resource_count_is(IMAGE, 4)
    dev.resource_count_is(NOTEBOOK, 5)
    dev.resource_count_is(PVC, 6)
    dev.resource_count_is(SECRET, 3)
    dev.resource_count_is(PROFILE, 1)
    dev.resource_count_is(QUOTA, 0)  # matilda's quota lives in its Profile
    dev.resource_count_is("teamspace:index:TeamWorkspace", 2)
    dev.resource_count_is("teamspace:index:NotebookServer", 5)


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("jupyter", {"notebooks.kubeflow.org/server-type": "jupyter"}),
        (
            "vscode",
            {
                "notebooks.kubeflow.org/server-type": "group-one",
                "notebooks.kubeflow.org/http-rewrite-uri": "/",
            },
        ),
        (
            "rstudio",
            {
                "notebooks.kubeflow.org/server-type": "group-two",
                "notebooks.kubeflow.org/http-rewrite-uri": "/",
                "notebooks.kubeflow.org/http-headers-request-set": (
                    '{"X-RStudio-Root-Path":"/notebook/data/nb/"}'
                ),
            },
        ),
    ],
)
def test_annotations_per_type_are_exact(kind, expected):
    """Each server type gets exactly the web app's annotations, nothing more."""
    config = minimal_config(
        images={kind: {"type": kind}}, teams={"data": {"notebooks": [{"name": "nb", "type": kind}]}}
    )
    template = Template.synth(config)
    assert template.notebook("nb")["metadata"]["annotations"] == expected


def test_notebook_follows_the_kubeflow_template(dev):
    """Name, label, container, pull policy, service account, security context, home and /dev/shm mounts."""
    nb = dev.notebook("analysis")
    assert nb["metadata"] == {**nb["metadata"], "name": "analysis", "namespace": "matilda"}
    assert nb["metadata"]["labels"]["app"] == "analysis"
    pod = nb["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "default-editor"
    assert pod["securityContext"] == {"runAsUser": 1000, "fsGroup": 100}
    assert pod["imagePullSecrets"] == [{"name": "nexuscred"}]
    box = container(nb)
    assert box["name"] == "analysis" and box["imagePullPolicy"] == "IfNotPresent"
    assert box["securityContext"] == {"allowPrivilegeEscalation": False, "privileged": False}
    assert "env" not in box  # NB_PREFIX is the controller's
    mounts = {m["mountPath"]: m["name"] for m in box["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes[mounts["/home/jovyan"]]["persistentVolumeClaim"] == {"claimName": "analysis-workspace"}
    assert volumes[mounts["/dev/shm"]]["emptyDir"] == {"medium": "Memory"}
    assert volumes[mounts["/home/jovyan/datasets"]]["persistentVolumeClaim"] == {"claimName": "datasets"}


def test_requests_limits_and_gpus(dev):
    """medium with cpu override 2 and gpu 1: limits x1.2, GPU only as a limit."""
    resources = container(dev.notebook("analysis"))["resources"]
    assert resources == {
        "requests": {"cpu": "2", "memory": "8Gi"},
        "limits": {"cpu": "2400m", "memory": "9831Mi", "nvidia.com/gpu": "1"},
    }
    lab = container(dev.notebook("lab"))["resources"]
    assert lab["requests"] == {"cpu": "4", "memory": "16Gi"} and "nvidia.com/gpu" not in lab["limits"]


def test_stopped_notebook_has_a_fixed_stop_annotation(dev):
    """stopped: true adds kubeflow-resource-stopped with a constant value; running ones lack the key."""
    assert (
        dev.notebook("ide")["metadata"]["annotations"]["kubeflow-resource-stopped"] == "1970-01-01T00:00:00Z"
    )
    assert "kubeflow-resource-stopped" not in dev.notebook("analysis")["metadata"]["annotations"]


def test_controller_annotations_are_ignored(dev):
    """The culler's annotations never show as a diff."""
    registration = dev.resources(NOTEBOOK)[0]
    assert 'metadata.annotations["notebooks.kubeflow.org/last-activity"]' in registration.ignore_changes
    assert (
        'metadata.annotations["notebooks.kubeflow.org/last_activity_check_timestamp"]'
        in registration.ignore_changes
    )


def test_every_pvc_is_retained_and_protected(stack):
    """Removing a notebook never deletes its data; protectVolumes=true (default) protects every PVC."""
    for registration in stack.resources(PVC):
        assert registration.retain_on_delete and registration.protect, registration.name


def test_protect_volumes_false_still_retains():
    """protectVolumes: false drops protect but never retain_on_delete."""
    template = Template.synth(minimal_config(protectVolumes=False))
    (home,) = template.resources(PVC)
    assert home.retain_on_delete and not home.protect
    assert home.manifest["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "10Gi"}},
    }
    assert home.manifest["metadata"]["name"] == "lab-workspace"


def test_team_volume_pvc(dev):
    """Team volumes become PVCs with their access mode and storage class."""
    dev.has_resource_properties(
        PVC,
        {
            "metadata": {"name": "datasets", "namespace": "matilda"},
            "spec": {
                "accessModes": ["ReadWriteMany"],
                "storageClassName": "nfs-client",
                "resources": {"requests": {"storage": "100Gi"}},
            },
        },
    )


def test_profile_owns_the_namespace_with_quota(dev):
    """A team with a profile gets a cluster-scoped Profile with a User owner and its quota."""
    profile = dev.has_resource_properties(PROFILE, {"metadata": {"name": "matilda"}})
    assert "namespace" not in profile.manifest["metadata"]
    assert profile.manifest["spec"] == {
        "owner": {"kind": "User", "name": "lead@example.com", "apiGroup": "rbac.authorization.k8s.io"},
        "resourceQuotaSpec": {
            "hard": {
                "requests.cpu": "16",
                "requests.memory": "64Gi",
                "requests.nvidia.com/gpu": "2",
                "requests.storage": "500Gi",
            }
        },
    }
    # Namespaced objects wait for the Profile, whose controller creates the namespace.
    notebook_server = dev.by_name("matilda-analysis")
    assert profile.urn in notebook_server.depends_on or profile.urn in dev.by_name("matilda-pull").depends_on


def test_quota_without_profile_is_a_resource_quota():
    """A quota without a profile becomes a ResourceQuota in the namespace."""
    template = Template.synth(
        minimal_config(teams={"data": {"quota": {"cpu": "4", "gpu": {"amd.com/gpu": 1}}, "notebooks": []}})
    )
    template.resource_count_is(PROFILE, 0)
    template.has_resource_properties(
        QUOTA,
        {
            "metadata": {"namespace": "data"},
            "spec": {"hard": {"requests.cpu": "4", "requests.amd.com/gpu": "1"}},
        },
    )


def test_outputs(dev):
    """notebookUrls, notebooks and images as the contract says; no secret output."""
    outputs = dev.result.outputs
    assert (
        outputs["notebookUrls"]["vision/lab"] == "https://kubeflow.dev.example.com/notebook/team-vision/lab/"
    )
    assert outputs["notebooks"]["matilda/reports"] == {
        "namespace": "matilda",
        "name": "reports",
        "type": "rstudio",
        "url": "https://kubeflow.dev.example.com/notebook/matilda/reports/",
        "image": outputs["images"]["rstudio"],
        "size": "small",
        "stopped": False,
    }
    assert set(outputs["images"]) == {"jupyter", "rstudio", "vscode", "vision/lab"}
    assert dev.result.secret_outputs == set()


def test_same_config_registers_identical_inputs():
    """Determinism: two runs of a stack register the same URNs, inputs and options, in any order."""
    first, second = (Template.synth(stack_config("prod"), stack="prod") for _ in range(2))

    def view(template):
        return sorted(
            (r.urn, json.dumps(r.inputs, sort_keys=True), r.protect, r.retain_on_delete)
            for r in template.registrations
        )

    assert view(first) == view(second)
