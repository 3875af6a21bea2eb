"""Shared by the policy-pack tests: analyzer arguments built by hand and a reference Notebook
with edits. Never constructs PolicyPack (it would start the analyzer's gRPC server and block)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
)

from devtools.runtime import PROJECT_ROOT
from policy.guardrails import rules

from ..policy_args import NotApplicable, rule_args

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
