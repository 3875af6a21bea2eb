"""Each notebook rule of the policy pack, both ways, on hand-built Notebooks."""

from __future__ import annotations

import pytest
from pulumi_policy import (
    ResourceValidationPolicy,
)

from policy.guardrails import rules
from policy.guardrails.rules import NOTEBOOK, PVC

from .rule_cases import (
    BY_NAME,
    INIT_CONTAINER,
    NEXUS_IMAGE,
    annotate,
    drop,
    edit,
    main_container,
    notebook,
    pod,
    resource_args,
    set_image,
    violations,
)

# --- each notebook rule, both ways --------------------------------------------------------------

VIOLATING = [
    ("notebook-name", edit(lambda m: m["metadata"].pop("name")), "metadata.name is not set"),
    ("notebook-name", edit(lambda m: m["metadata"].update(name="x" * 53)), "at most 52"),
    ("notebook-name", edit(lambda m: m["metadata"].update(name="Lab")), "DNS-1123"),
    ("notebook-name", edit(lambda m: m["metadata"].pop("namespace")), "namespace is not set"),
    ("notebook-home-volume", edit(drop("containers.0.volumeMounts.0")), "mounts nothing at /home/jovyan"),
    (
        "notebook-home-volume",
        edit(lambda m: pod(m)["volumes"][0].update(persistentVolumeClaim=None, emptyDir={})),
        "not a PersistentVolumeClaim",
    ),
    ("notebook-home-volume", edit(drop("volumes.0")), "does not declare"),
    (
        "notebook-home-volume",
        edit(lambda m: main_container(m)["volumeMounts"][0].update(readOnly=True)),
        "read-only",
    ),
    ("notebook-home-volume", edit(lambda m: pod(m).update(containers=[])), "containers is empty"),
    (
        "notebook-security-context",
        edit(lambda m: pod(m)["securityContext"].update(runAsUser=0)),
        "runs as user 0",
    ),
    (
        "notebook-security-context",
        edit(lambda m: main_container(m)["securityContext"].update(runAsUser=0)),
        "runs as user 0",
    ),
    ("notebook-security-context", edit(drop("securityContext.runAsUser")), "runs as user None"),
    ("notebook-security-context", edit(drop("securityContext.fsGroup")), "fsGroup"),
    ("notebook-security-context", edit(lambda m: pod(m)["securityContext"].update(fsGroup=1000)), "fsGroup"),
    (
        "notebook-security-context",
        edit(lambda m: main_container(m)["securityContext"].update(privileged=True)),
        "is privileged",
    ),
    (
        "notebook-security-context",
        edit(drop("containers.0.securityContext.allowPrivilegeEscalation")),
        "allowPrivilegeEscalation",
    ),
    (
        "notebook-security-context",
        edit(lambda m: main_container(m)["securityContext"].update(allowPrivilegeEscalation=True)),
        "allowPrivilegeEscalation",
    ),
    (
        "notebook-security-context",
        edit(lambda m: pod(m).update(initContainers=[{**INIT_CONTAINER, "securityContext": {}}])),
        "init container 'init'",
    ),
    ("notebook-resources", edit(drop("containers.0.resources.limits.cpu")), "no cpu limit"),
    ("notebook-resources", edit(drop("containers.0.resources.requests.memory")), "no memory request"),
    ("notebook-resources", edit(drop("containers.0.resources")), "no cpu request"),
    (
        "notebook-resources",
        edit(lambda m: main_container(m)["resources"]["limits"].update(memory="1023Mi")),
        "memory limit 1023Mi is below its request 1Gi",
    ),
    (
        "notebook-resources",
        edit(lambda m: main_container(m)["resources"]["limits"].update(cpu="0.4")),
        "cpu limit 0.4 is below its request 500m",
    ),
    (
        "notebook-resources",
        edit(lambda m: main_container(m)["resources"]["requests"].update(cpu="two")),
        "not a quantity",
    ),
    (
        "notebook-resources",
        edit(lambda m: pod(m).update(initContainers=[{"name": "init", "image": NEXUS_IMAGE}])),
        "init container 'init' has no cpu request",
    ),
    ("notebook-image-pinned", edit(set_image("nexus.example.com:5000/teamspace/jupyter")), "bare repository"),
    ("notebook-image-pinned", edit(set_image("jupyter")), "bare repository"),
    ("notebook-image-pinned", edit(set_image("ghcr.io/kubeflow/notebook:latest")), "'latest'"),
    (
        "notebook-image-pinned",
        edit(set_image("nexus.example.com:5000/teamspace/jupyter:v2")),
        "mutable tag 'v2'",
    ),
    (
        "notebook-image-pinned",
        edit(set_image("nexus.example.com:5000/teamspace/jupyter@sha256:xyz")),
        "malformed digest",
    ),
    ("notebook-image-pinned", edit(drop("containers.0.image")), "has no image"),
    ("notebook-pull-secret", edit(drop("imagePullSecrets")), "no imagePullSecrets"),
    (
        "notebook-pull-secret",
        edit(lambda m: pod(m).update(imagePullSecrets=[{"name": ""}])),
        "no imagePullSecrets",
    ),
    (
        "notebook-pull-secret",
        edit(drop("imagePullSecrets"), set_image("localhost:5000/lab@sha256:" + "0" * 64)),
        "private registry localhost:5000",
    ),
    ("notebook-routing-annotations", edit(annotate(rules.SERVER_TYPE, None)), "server-type is None"),
    ("notebook-routing-annotations", edit(annotate(rules.SERVER_TYPE, "rstudio")), "accepts only"),
    ("notebook-routing-annotations", edit(annotate(rules.REWRITE_URI, "/")), "must not set"),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.REWRITE_URI, None), kind="vscode"),
        "http-rewrite-uri",
    ),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.REWRITE_URI, "/lab"), kind="rstudio"),
        "http-rewrite-uri",
    ),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.HEADERS_SET, None), kind="rstudio"),
        '{"X-RStudio-Root-Path":"/notebook/data/lab/"}',
    ),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.HEADERS_SET, '{"X-RStudio-Root-Path":"/notebook/data/lab"}'), kind="rstudio"),
        "http-headers-request-set",
    ),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.HEADERS_SET, "X-RStudio-Root-Path: /notebook/data/lab/"), kind="rstudio"),
        "http-headers-request-set",
    ),
    (
        "notebook-routing-annotations",
        edit(lambda m: m["metadata"].update(namespace="other"), kind="rstudio"),
        "/notebook/other/lab/",
    ),
    (
        "external-image-digest",
        edit(set_image("ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0")),
        "by tag",
    ),
    ("external-image-digest", edit(set_image("jupyter/scipy-notebook:2024-01-15")), "by tag"),
    ("notebook-shared-memory", edit(drop("containers.0.volumeMounts.1")), "/dev/shm"),
    ("notebook-shared-memory", edit(lambda m: pod(m)["volumes"][1].update(emptyDir={})), "/dev/shm"),
]

PASSING = [
    ("notebook-name", edit(lambda m: m["metadata"].update(name="x" * 52))),
    (
        "notebook-home-volume",
        edit(lambda m: main_container(m)["volumeMounts"][0].update(mountPath="/home/jovyan/")),
    ),
    (
        "notebook-security-context",
        edit(
            drop("securityContext.runAsUser"),
            lambda m: main_container(m)["securityContext"].update(runAsUser=1000),
        ),
    ),
    ("notebook-security-context", edit(lambda m: pod(m).update(initContainers=[INIT_CONTAINER]))),
    (
        "notebook-resources",
        edit(lambda m: main_container(m)["resources"].update(limits={"cpu": "0.5", "memory": "1073741824"})),
    ),  # equal to the requests, other spellings
    (
        "notebook-resources",
        edit(lambda m: main_container(m)["resources"]["limits"].update({"nvidia.com/gpu": "1"})),
    ),
    ("notebook-resources", edit(lambda m: pod(m).update(initContainers=[INIT_CONTAINER]))),
    (
        "notebook-image-pinned",
        edit(set_image("nexus.example.com:5000/teamspace/jupyter:content-0123456789abcdef0123")),
    ),
    (
        "notebook-image-pinned",
        edit(set_image("ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0")),
    ),
    ("notebook-image-pinned", edit(set_image("ghcr.io/kubeflow/notebook@sha256:" + "0" * 64))),
    (
        "notebook-pull-secret",
        edit(drop("imagePullSecrets"), set_image("quay.io/jupyter/scipy-notebook:2024-01-15")),
    ),
    (
        "notebook-pull-secret",
        edit(drop("imagePullSecrets"), set_image("public.ecr.aws/j1r0q0g6/notebooks/base:v1.5.0")),
    ),
    ("notebook-routing-annotations", notebook("jupyter")),
    ("notebook-routing-annotations", notebook("vscode")),
    ("notebook-routing-annotations", notebook("rstudio")),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.HEADERS_SET, '{"X-RStudio-Root-Path": "/notebook/data/lab/"}'), kind="rstudio"),
    ),
    ("external-image-digest", edit(set_image("ghcr.io/kubeflow/notebook@sha256:" + "0" * 64))),
    (
        "external-image-digest",
        edit(set_image("nexus.example.com:5000/teamspace/jupyter:v2")),
    ),  # mandatory's job
    ("notebook-shared-memory", notebook()),
]


@pytest.mark.parametrize(
    "rule,manifest,expected", VIOLATING, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(VIOLATING)]
)
def test_notebook_rule_reports_a_violating_notebook(rule, manifest, expected):
    """Each notebook rule reports the hand-built violation, naming what is wrong."""
    found = violations(BY_NAME[rule], resource_args(NOTEBOOK, manifest))
    assert found and any(expected in message for message in found), found


@pytest.mark.parametrize("rule,manifest", PASSING, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PASSING)])
def test_notebook_rule_passes_a_compliant_notebook(rule, manifest):
    """Each notebook rule accepts the compliant variants (other spellings, container-level settings)."""
    assert violations(BY_NAME[rule], resource_args(NOTEBOOK, manifest)) == []


@pytest.mark.parametrize("kind", ["jupyter", "vscode", "rstudio"])
def test_every_rule_passes_the_reference_notebook(kind):
    """The reference notebook of each type passes every rule, mandatory and advisory."""
    for policy in rules.POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            assert violations(policy, resource_args(NOTEBOOK, notebook(kind))) == [], policy.name


def test_notebook_rules_ignore_other_resource_types():
    """Notebook rules look only at Notebooks: a bare PVC or Secret is not judged by them."""
    broken = {"metadata": {}, "spec": {"template": {"spec": {"containers": [{"image": "x:latest"}]}}}}
    for policy in rules.POLICIES:
        if isinstance(policy, ResourceValidationPolicy) and not policy.name.startswith("pvc-"):
            for type_ in (PVC, "kubernetes:core/v1:Secret", "kubernetes:apps/v1:StatefulSet"):
                assert violations(policy, resource_args(type_, broken)) == [], (policy.name, type_)


def test_public_registries_are_configurable():
    """The policy config `publicRegistries` lets a pull-secret-less mirror pass the pull-secret rule."""
    manifest = edit(drop("imagePullSecrets"))
    policy = BY_NAME["notebook-pull-secret"]
    assert violations(policy, resource_args(NOTEBOOK, manifest))
    config = {"publicRegistries": ["nexus.example.com:5000"]}
    assert violations(policy, resource_args(NOTEBOOK, manifest, config=config)) == []


@pytest.mark.sdk_internals
def test_unknown_values_during_preview_propagate():
    """An image digest unknown at preview raises the analyzer's UnknownValueError, never a false verdict."""
    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

    manifest = edit(set_image(UNKNOWN_STRING_VALUE))
    args = resource_args(NOTEBOOK, manifest)
    args.props = unknown_checking_proxy(manifest)  # the analyzer's own view, which knows the sentinels
    with pytest.raises(UnknownValueError):
        violations(BY_NAME["notebook-image-pinned"], args)
