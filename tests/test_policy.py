"""The policy pack's rules, offline: each rule both ways on hand-built resources, then every
rule over everything the real program registers. Never constructs PolicyPack (it would
start the analyzer's gRPC server and block)."""

from __future__ import annotations

import ast
import base64
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import yaml
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Secret,
    StackValidationArgs,
    StackValidationPolicy,
)

from config.quantities import parse_quantity as program_parse_quantity
from offline.runtime import PROJECT_ROOT, Registration, RunResult
from policy.guardrails import rules
from policy.guardrails.rules import NOTEBOOK, PVC, STACK

from .harness import Template, minimal_config, stack_config
from .policy_args import NotApplicable, rule_args

POLICY_DIR = PROJECT_ROOT / "policy"
BY_NAME = {policy.name: policy for policy in rules.POLICIES}
NEXUS_IMAGE = "nexus.example.com:5000/teamspace/jupyter@sha256:" + "ab" * 32


# --- building analyzer arguments by hand ---------------------------------------------------------


def options(
    protect: bool = False, retain: bool | None = None, aliases=(), parent=None
) -> PolicyResourceOptions:
    """PolicyResourceOptions as pulumi-policy 1.21 builds them; `retain` adds the option it lacks."""
    opts = PolicyResourceOptions(protect, [], None, list(aliases), PolicyCustomTimeouts(0, 0, 0), [], parent)
    if retain is not None:
        opts.retain_on_delete = retain
    return opts


def resource_args(
    type_: str,
    props: dict,
    name: str = "res",
    opts: PolicyResourceOptions | None = None,
    config: dict | None = None,
) -> ResourceValidationArgs:
    urn = f"urn:pulumi:test::teamspace::{type_}::{name}"
    return rule_args(type_, props, urn, name, opts or options(), config)


def violations(policy, args) -> list[str] | None:
    """Messages the policy reports for `args`; None when it declares itself not applicable."""
    found: list[str] = []
    try:
        policy.validate(args, lambda message, urn=None: found.append(message))
    except NotApplicable:
        return None
    return found


def notebook(kind: str = "jupyter", name: str = "lab", namespace: str = "data") -> dict[str, Any]:
    """A Notebook manifest that passes every rule, shaped like the program's."""
    server = {"jupyter": "jupyter", "vscode": "group-one", "rstudio": "group-two"}[kind]
    annotations = {rules.SERVER_TYPE: server}
    if kind != "jupyter":
        annotations[rules.REWRITE_URI] = "/"
    if kind == "rstudio":
        annotations[rules.HEADERS_SET] = json.dumps(
            {"X-RStudio-Root-Path": f"/notebook/{namespace}/{name}/"}, separators=(",", ":")
        )
    return {
        "apiVersion": "kubeflow.org/v1",
        "kind": "Notebook",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app": name},
            "annotations": annotations,
        },
        "spec": {
            "template": {
                "spec": {
                    "serviceAccountName": "default-editor",
                    "containers": [
                        {
                            "name": name,
                            "image": NEXUS_IMAGE,
                            "imagePullPolicy": "IfNotPresent",
                            "resources": {
                                "requests": {"cpu": "500m", "memory": "1Gi"},
                                "limits": {"cpu": "600m", "memory": "1229Mi"},
                            },
                            "volumeMounts": [
                                {"name": f"{name}-workspace", "mountPath": "/home/jovyan"},
                                {"name": "dshm", "mountPath": "/dev/shm"},
                            ],
                            "securityContext": {"allowPrivilegeEscalation": False, "privileged": False},
                        }
                    ],
                    "imagePullSecrets": [{"name": "nexuscred"}],
                    "securityContext": {"runAsUser": 1000.0, "fsGroup": 100.0},  # numbers arrive as doubles
                    "volumes": [
                        {
                            "name": f"{name}-workspace",
                            "persistentVolumeClaim": {"claimName": f"{name}-workspace"},
                        },
                        {"name": "dshm", "emptyDir": {"medium": "Memory"}},
                    ],
                }
            }
        },
    }


def pod(manifest: dict) -> dict:
    return manifest["spec"]["template"]["spec"]


def main_container(manifest: dict) -> dict:
    return pod(manifest)["containers"][0]


def edit(*changes: Callable[[dict], Any], kind: str = "jupyter") -> dict:
    manifest = notebook(kind)
    for change in changes:
        change(manifest)
    return manifest


def set_image(image: str) -> Callable[[dict], None]:
    return lambda m: main_container(m).update(image=image)


def drop(path: str) -> Callable[[dict], None]:
    """Delete a dotted path inside the pod spec, e.g. 'securityContext.fsGroup'."""

    def change(manifest: dict) -> None:
        *parents, last = path.split(".")
        node: Any = pod(manifest)
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[int(last) if last.isdigit() else last]

    return change


def annotate(key: str, value: str | None) -> Callable[[dict], None]:
    def change(manifest: dict) -> None:
        annotations = manifest["metadata"]["annotations"]
        if value is None:
            annotations.pop(key, None)
        else:
            annotations[key] = value

    return change


INIT_CONTAINER = {
    "name": "init",
    "image": NEXUS_IMAGE,
    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}},
    "securityContext": {"allowPrivilegeEscalation": False},
}


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


# --- PVC rules (resource options) ------------------------------------------------------------

PVC_PROPS = {
    "apiVersion": "v1",
    "kind": "PersistentVolumeClaim",
    "metadata": {"name": "lab-workspace", "namespace": "data"},
    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}},
}


def test_pvc_retain_on_delete_both_ways():
    """pvc-retain-on-delete reports a PVC that is not retain_on_delete and passes one that is."""
    policy = BY_NAME["pvc-retain-on-delete"]
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(retain=False)))
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(retain=True))) == []


def test_pvc_retain_on_delete_is_not_applicable_where_the_analyzer_cannot_see_it():
    """With pulumi-policy 1.21's options (no retainOnDelete field) the rule says not-applicable, not 'ok'."""
    assert not hasattr(options(), "retain_on_delete")
    assert violations(BY_NAME["pvc-retain-on-delete"], resource_args(PVC, PVC_PROPS)) is None


def test_pvc_protected_is_advisory_both_ways():
    """pvc-protected (advisory) reports an unprotected PVC and passes a protected one."""
    policy = BY_NAME["pvc-protected"]
    assert policy.enforcement_level == EnforcementLevel.ADVISORY
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(protect=False)))
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(protect=True))) == []


# --- the stack rule -------------------------------------------------------------------------------

PASSWORD = "pull-S3cret-9e1f"


def stack_resources(outputs: dict) -> list[PolicyResource]:
    config_json = json.dumps(
        {
            "auths": {
                "nexus.example.com:5000": {
                    "username": "reader",
                    "password": PASSWORD,
                    "auth": base64.b64encode(f"reader:{PASSWORD}".encode()).decode(),
                }
            }
        }
    )
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/dockerconfigjson",
        "metadata": {"name": "nexuscred", "namespace": "data"},
        "data": {".dockerconfigjson": base64.b64encode(config_json.encode()).decode()},
    }
    return [
        policy_resource("kubernetes:core/v1:Secret", secret, "data-pull-secret"),
        policy_resource(STACK, outputs, "teamspace-dev"),
    ]


def policy_resource(
    type_: str, props: dict, name: str, opts: PolicyResourceOptions | None = None
) -> PolicyResource:
    return PolicyResource(
        type_,
        props,
        f"urn:pulumi:test::teamspace::{type_}::{name}",
        name,
        opts or options(),
        None,
        None,
        [],
        {},
    )


def stack_violations(resources: list[PolicyResource]) -> list[str]:
    found: list[str] = []
    BY_NAME["stack-no-secret-outputs"].validate(
        StackValidationArgs(resources), lambda m, urn=None: found.append(m)
    )
    return found


CLEAN_OUTPUTS = {
    "notebookUrls": {"data/lab": "https://kubeflow.example.com/notebook/data/lab/"},
    "notebooks": {
        "data/lab": {
            "namespace": "data",
            "name": "lab",
            "image": NEXUS_IMAGE,
            "stopped": False,
            "pullSecret": "nexuscred",
        }
    },
    "images": {"jupyter": NEXUS_IMAGE},
}
USERPASS = f"reader:{PASSWORD}".encode()
LEAKY_OUTPUTS = {
    "plain": {"debug": f"pulled with {PASSWORD}"},
    "base64": {"header": base64.b64encode(USERPASS).decode()},
    "base64-in-text": {"note": "Authorization: Basic " + base64.b64encode(USERPASS).decode()},
    "urlsafe": {"x": base64.urlsafe_b64encode(b"~~" + PASSWORD.encode() + b"??").decode()},
    "secret-marked": {"registry": Secret("anything")},
    "credential-key": {"nexus": {"password": "whatever-it-is"}},
    "dockerconfig": {"cfg": json.dumps({"auths": {"other.example.com": {"auth": "eDp5"}}})},
    "dockerconfig-base64": {"cfg": base64.b64encode(b'{"auths":{}}' * 2).decode()},
}


def test_stack_rule_passes_clean_outputs():
    """stack-no-secret-outputs accepts URLs, image digests and secret *names*."""
    assert stack_violations(stack_resources(CLEAN_OUTPUTS)) == []


@pytest.mark.parametrize("case", sorted(LEAKY_OUTPUTS))
def test_stack_rule_reports_secret_material(case):
    """stack-no-secret-outputs reports outputs carrying credentials in any encoding or marking."""
    found = stack_violations(stack_resources({**CLEAN_OUTPUTS, **LEAKY_OUTPUTS[case]}))
    assert found, case


def test_stack_rule_ignores_non_credential_secret_entries():
    """An S3 Secret's region or endpoint may appear in outputs; its secretAccessKey may not."""
    s3 = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": "s3", "namespace": "data"},
        "data": {
            key: base64.b64encode(value.encode()).decode()
            for key, value in {
                "region": "us-east-1",
                "endpoint": "https://minio.example.com:9000",
                "secretAccessKey": "wJalrXUtnFEMI-K7MDENG",
            }.items()
        },
    }
    resources = [policy_resource("kubernetes:core/v1:Secret", s3, "data-s3-secret")]
    clean = {
        **CLEAN_OUTPUTS,
        "storage": {"region": "us-east-1", "endpoint": "https://minio.example.com:9000"},
    }
    assert stack_violations(resources + [policy_resource(STACK, clean, "teamspace-dev")]) == []
    leaky = {**CLEAN_OUTPUTS, "storage": {"note": "key wJalrXUtnFEMI-K7MDENG"}}
    assert stack_violations(resources + [policy_resource(STACK, leaky, "teamspace-dev")])


def test_stack_rule_is_a_mandatory_stack_policy():
    """The output rule is a mandatory StackValidationPolicy; the pack has both kinds of rules."""
    policy = BY_NAME["stack-no-secret-outputs"]
    assert isinstance(policy, StackValidationPolicy)
    assert policy.enforcement_level == EnforcementLevel.MANDATORY
    assert {p.enforcement_level for p in rules.POLICIES} == {
        EnforcementLevel.MANDATORY,
        EnforcementLevel.ADVISORY,
    }


# --- everything the real program registers ------------------------------------------------------


def registration_opts(registration: Registration, expose_retain: bool = True) -> PolicyResourceOptions:
    """The options the analyzer would get, plus retain_on_delete (which 1.21 does not pass on)."""
    return options(
        protect=registration.protect,
        retain=registration.retain_on_delete if expose_retain else None,
        aliases=registration.aliases,
        parent=registration.parent or None,
    )


def analyze(result: RunResult, expose_retain: bool = True) -> dict[str, list[tuple[str, str]]]:
    """policy name -> [(resource name, message)] for every rule over one program run."""
    found: dict[str, list[tuple[str, str]]] = {policy.name: [] for policy in rules.POLICIES}
    resources = []
    for registration in result.registrations:
        opts = registration_opts(registration, expose_retain)
        props = registration.manifest
        resources.append(policy_resource(registration.type, props, registration.name, opts))
        for policy in rules.POLICIES:
            if isinstance(policy, ResourceValidationPolicy):
                args = rule_args(registration.type, props, registration.urn, registration.name, opts)
                for message in violations(policy, args) or ():
                    found[policy.name].append((registration.name, message))
    outputs = {
        key: Secret(value) if key in result.secret_outputs else value for key, value in result.outputs.items()
    }
    resources.append(policy_resource(STACK, outputs, "teamspace"))
    for policy in rules.POLICIES:
        if isinstance(policy, StackValidationPolicy):
            policy.validate(
                StackValidationArgs(resources),
                lambda m, urn=None, p=policy: found[p.name].append(("stack", m)),
            )
    return found


PROGRAM_CONFIGS = {
    "dev": lambda: stack_config("dev"),
    "prod": lambda: stack_config("prod"),
    "minimal": lambda: minimal_config(),
    "minimal-all-types": lambda: minimal_config(
        images={"jupyter": {"type": "jupyter"}, "rstudio": {"type": "rstudio"}, "vscode": {"type": "vscode"}},
        teams={
            "data": {
                "notebooks": [
                    {"name": "lab", "type": "jupyter"},
                    {"name": "rs", "type": "rstudio"},
                    {"name": "code", "type": "vscode", "stopped": True},
                ]
            }
        },
    ),
    "minimal-external-image": lambda: minimal_config(
        registry=None,
        registryPassword=None,
        images=None,
        teams={
            "data": {
                "notebooks": [
                    {
                        "name": "lab",
                        "type": "jupyter",
                        "image": "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
                    }
                ]
            }
        },
    ),
    "minimal-unprotected": lambda: minimal_config(protectVolumes=False),
}


@pytest.mark.parametrize("name", sorted(PROGRAM_CONFIGS))
def test_program_registers_no_mandatory_violation(name):
    """Every rule over everything the program registers for the stack configs: zero mandatory violations."""
    template = Template.synth(PROGRAM_CONFIGS[name]())
    found = analyze(template.result)
    mandatory = {p.name: found[p.name] for p in rules.MANDATORY_POLICIES if found[p.name]}
    assert mandatory == {}
    assert template.resources(NOTEBOOK) and template.resources(PVC)


def test_program_advisories_fire_where_expected():
    """Advisories are informative: unprotected volumes and
    tag-pinned external images show up, nothing else.
    """
    unprotected = analyze(Template.synth(PROGRAM_CONFIGS["minimal-unprotected"]()).result)
    assert [name for name, _ in unprotected["pvc-protected"]] == ["data-lab-home"]
    external = analyze(Template.synth(PROGRAM_CONFIGS["minimal-external-image"]()).result)
    assert [name for name, _ in external["external-image-digest"]] == ["data-lab-notebook"]
    dev = analyze(Template.synth(stack_config("dev")).result)
    assert all(dev[p.name] == [] for p in rules.ADVISORY_POLICIES)


def test_program_pvcs_with_1_21_options_are_not_applicable_never_violations():
    """With the options pulumi-policy 1.21 really passes,
    pvc-retain-on-delete never reports the program's PVCs.
    """
    found = analyze(Template.synth(stack_config("prod")).result, expose_retain=False)
    assert found["pvc-retain-on-delete"] == []


def test_rules_catch_a_regression_in_program_output():
    """Sanity: a program Notebook with its home mount, fsGroup and pull secret removed is reported."""
    template = Template.synth(minimal_config())
    registration = template.resources(NOTEBOOK)[0]
    manifest = registration.manifest
    pod(manifest)["containers"][0]["volumeMounts"] = []
    del pod(manifest)["securityContext"]["fsGroup"]
    del pod(manifest)["imagePullSecrets"]
    args = resource_args(NOTEBOOK, manifest)
    for rule in ("notebook-home-volume", "notebook-security-context", "notebook-pull-secret"):
        assert violations(BY_NAME[rule], args), rule


# --- through the analyzer's own request handling -------------------------------------------------


def _servicer():
    """The pack's analyzer service without its gRPC server (what PolicyPack would serve).
    A pulumi-policy internal: the tests using it are marked `sdk_internals`."""
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    return _PolicyAnalyzerServicer(
        "teamspace-guardrails", "0.0.1", rules.POLICIES, EnforcementLevel.MANDATORY
    )


def _analyzer_resource(message, registration: Registration) -> None:
    from google.protobuf import struct_pb2

    properties = struct_pb2.Struct()
    properties.update(json.loads(json.dumps(registration.inputs)))  # the wire form, secret envelopes included
    message.type, message.urn, message.name = registration.type, registration.urn, registration.name
    message.properties.CopyFrom(properties)
    message.options.protect = registration.protect
    message.options.aliases.extend([a for a in registration.aliases if a.startswith("urn:")])
    message.options.parent = registration.parent


@pytest.mark.sdk_internals
def test_analyzer_requests_over_the_program_give_no_mandatory_diagnostic():
    """Analyze/AnalyzeStack requests built from the dev program
    (protobuf, as the engine sends them): no mandatory diagnostic.
    """
    from pulumi.runtime.proto import analyzer_pb2

    servicer = _servicer()
    info = servicer.GetAnalyzerInfo(None, None)
    assert sorted(p.name for p in info.policies) == sorted(BY_NAME)
    result = Template.synth(stack_config("dev")).result
    diagnostics, not_applicable = [], []
    for registration in result.registrations:
        request = analyzer_pb2.AnalyzeRequest()
        _analyzer_resource(request, registration)
        response = servicer.Analyze(request, None)
        diagnostics += list(response.diagnostics)
        not_applicable += [(registration.type, n.policy_name) for n in response.not_applicable]
    stack_request = analyzer_pb2.AnalyzeStackRequest()
    for registration in result.registrations:
        _analyzer_resource(stack_request.resources.add(), registration)
    outputs = Registration(
        urn="urn:pulumi:dev::teamspace::pulumi:pulumi:Stack::teamspace-dev",
        type=STACK,
        name="teamspace-dev",
        custom=False,
        inputs=result.outputs,
    )
    _analyzer_resource(stack_request.resources.add(), outputs)
    diagnostics += list(servicer.AnalyzeStack(stack_request, None).diagnostics)
    assert [(d.policyName, d.message) for d in diagnostics] == []
    # retainOnDelete never reaches an analyzer: the rule says so for each claim instead of passing
    assert {n for t, n in not_applicable if t == PVC} == {"pvc-retain-on-delete"}


@pytest.mark.sdk_internals
def test_analyzer_requests_report_a_broken_notebook_as_mandatory():
    """A Notebook request without home mount and with a :latest image yields mandatory diagnostics."""
    from pulumi.runtime.proto import analyzer_pb2

    manifest = edit(
        set_image("nexus.example.com:5000/teamspace/jupyter:latest"),
        lambda m: main_container(m).update(volumeMounts=[]),
    )
    request = analyzer_pb2.AnalyzeRequest()
    _analyzer_resource(
        request,
        Registration(
            urn="urn:pulumi:dev::teamspace::x$" + NOTEBOOK + "::bad",
            type=NOTEBOOK,
            name="bad",
            custom=True,
            inputs=manifest,
        ),
    )
    response = _servicer().Analyze(request, None)
    levels = {d.policyName: d.enforcementLevel for d in response.diagnostics}
    from pulumi.runtime.proto import analyzer_pb2 as proto

    assert levels.get("notebook-home-volume") == proto.MANDATORY
    assert levels.get("notebook-image-pinned") == proto.MANDATORY
    assert levels.get("notebook-shared-memory") == proto.ADVISORY


# --- the pack itself ------------------------------------------------------------------------------


def test_pack_layout_and_pins():
    """PulumiPolicy.yaml names the python runtime; requirements pin pulumi-policy 1.21.0 and its needs."""
    manifest = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    pins = dict(
        line.split("==")
        for line in (POLICY_DIR / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert pins["pulumi-policy"] == "1.21.0"
    assert {"pulumi", "protobuf", "grpcio"} <= set(pins)


def test_pack_entry_point_only_builds_the_pack():
    """policy/__main__.py imports the rules and makes exactly one PolicyPack call; nothing else."""
    tree = ast.parse((POLICY_DIR / "__main__.py").read_text())
    calls = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    assert calls.count("PolicyPack") == 1
    assert not any(isinstance(node, (ast.FunctionDef, ast.ClassDef)) for node in tree.body)
    pack_call = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "PolicyPack"
    )
    assert {k.arg for k in pack_call.keywords} >= {"name", "policies"}


def test_rules_import_standalone_without_the_program():
    """rules.py imports with only policy/ on sys.path (as the CLI
    runs the pack): no config, pydantic or SDK run.
    """
    code = (
        "import sys; import guardrails.rules as rules; "
        "bad = {'config', 'pydantic', 'offline', 'components'} & set(sys.modules); "
        "assert not bad, bad; print(len(rules.POLICIES))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=POLICY_DIR, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(rules.POLICIES)


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "1",
        "500m",
        "0.5",
        "1.",
        ".5",
        "1Gi",
        "1229Mi",
        "2Ti",
        "1k",
        "1M",
        "1e3",
        "1E3",
        "2E",
        "100n",
        "3u",
        "+4",
        "1.5Ki",
    ],
)
def test_pack_quantity_parser_agrees_with_the_program(text):
    """The pack's own quantity parser gives the program's value for every quantity spelling."""
    assert rules.parse_quantity(text) == program_parse_quantity(text)


@pytest.mark.parametrize("text", ["", "1 Gi", "Gi", "1GB", "abc", "1.2.3", "--1"])
def test_pack_quantity_parser_rejects_non_quantities(text):
    """Strings that are not Kubernetes quantities raise ValueError, so a rule reports them."""
    with pytest.raises(ValueError):
        rules.parse_quantity(text)
    assert isinstance(rules.parse_quantity(2), Decimal)
