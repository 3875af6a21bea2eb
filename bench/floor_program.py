"""The floor: the real program's registrations, replayed bare.

What the Pulumi SDK itself must spend to make exactly the registrations the teamspace
program makes, without any of our code: no config validation, no Output plumbing, no
exports. `bench/scaling.py` records one run of the real program, turns every registration
into a `Step` (outside the timed region), sets `PLAN`, then runs this file as a Pulumi
program under the same mocks (`offline.runtime.run_program(config, program=<this file>)`).

- every custom resource: its own `pulumi_kubernetes` / `pulumi_docker` class (Kubeflow CRDs
  through `pulumi_kubernetes.apiextensions.CustomResource`), the same resource name, plain
  already-computed inputs, the same parent, protect / retainOnDelete / ignoreChanges /
  dependsOn as recorded;
- every component: a bare `pulumi.ComponentResource` with the same type token, name and
  parent (and recorded dependsOn), no `register_outputs`.

With `REGISTER_OUTPUTS` set (the benchmark's second floor), each component also registers
the outputs the real one registered, as recorded plain values: the same engine calls as the
program (RegisterResource and RegisterResourceOutputs), still without any Output plumbing.

A plan prepared with `typed_inputs=True` (the third floor) gives every custom resource its
inputs as instances of the SDK's input types, rebuilt from the recorded values (`typed`):
`ObjectMetaArgs`, `PodSpecArgs`, ... and, for the Kubeflow CRs, the spec types of
`components/crds.py`. The SDK serializes an input-type tree field by field (every declared
field of every object), which costs more than a plain dict; this floor measures that cost.
"""

from __future__ import annotations

import re
import sys
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import pulumi
import pulumi_docker
import pulumi_kubernetes as k8s
from pulumi import _types  # the SDK's own input-type metadata: names and field types
from pulumi_kubernetes.apiextensions import CustomResource
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from components.crds import NotebookSpecArgs, PodDefaultSpecArgs, ProfileSpecArgs
from components.istio import AuthorizationPolicySpecArgs
from offline.runtime import Registration, unwrap_secrets

# Type token -> constructor and its input type, for the custom resources the program makes.
# Any other `kubernetes:` type (a Kubeflow CRD) goes through CustomResource.
CLASSES: dict[str, tuple[Callable[..., pulumi.CustomResource], type]] = {
    "kubernetes:core/v1:PersistentVolumeClaim": (k8s.core.v1.PersistentVolumeClaim,
                                                 k8s.core.v1.PersistentVolumeClaimArgs),
    "kubernetes:core/v1:Secret": (k8s.core.v1.Secret, k8s.core.v1.SecretArgs),
    "kubernetes:core/v1:ResourceQuota": (k8s.core.v1.ResourceQuota, k8s.core.v1.ResourceQuotaArgs),
    "kubernetes:core/v1:ConfigMap": (k8s.core.v1.ConfigMap, k8s.core.v1.ConfigMapArgs),
    "kubernetes:core/v1:Namespace": (k8s.core.v1.Namespace, k8s.core.v1.NamespaceArgs),
    "kubernetes:core/v1:ServiceAccountPatch": (k8s.core.v1.ServiceAccountPatch, k8s.core.v1.ServiceAccountPatchArgs),
    "kubernetes:core/v1:ServiceAccount": (k8s.core.v1.ServiceAccount, k8s.core.v1.ServiceAccountArgs),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": (k8s.rbac.v1.Role, k8s.rbac.v1.RoleArgs),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": (k8s.rbac.v1.RoleBinding, k8s.rbac.v1.RoleBindingArgs),
    "kubernetes:batch/v1:CronJob": (k8s.batch.v1.CronJob, k8s.batch.v1.CronJobArgs),
    "docker:index/image:Image": (pulumi_docker.Image, pulumi_docker.ImageArgs),
}
# Kubeflow kind -> the spec's input type (what crd2pulumi would generate).
CR_SPECS: dict[str, type] = {"Notebook": NotebookSpecArgs, "Profile": ProfileSpecArgs,
                             "PodDefault": PodDefaultSpecArgs, "AuthorizationPolicy": AuthorizationPolicySpecArgs}

# Set by the benchmark before each run of this file.
PLAN: Sequence["Step"] = ()
REGISTER_OUTPUTS = False


@dataclass
class Step:
    """One registration, ready to replay: constructor arguments computed ahead of time."""

    urn: str
    type: str
    name: str
    custom: bool
    kwargs: dict[str, Any]
    parent: str
    protect: bool
    retain_on_delete: bool
    ignore_changes: list[str]
    depends_on: list[str] = field(default_factory=list)
    outputs: Optional[dict[str, Any]] = None
    """What the component registered as its outputs (plain), if anything."""


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def typed(value: Any, typ: Any) -> Any:
    """`value` (plain, camelCase, as recorded) rebuilt as instances of the input type `typ`,
    down to the leaves; values whose type is not an input type stay as they are."""
    if isinstance(value, dict) and isinstance(typ, type) and _types.is_input_type(typ):
        return typ(**_typed_fields(value, typ))
    if isinstance(value, list):
        element = typing.get_args(typ)
        return [typed(v, _types.unwrap_type(element[0]) if element else None) for v in value]
    return value


def _typed_fields(value: dict[str, Any], typ: type) -> dict[str, Any]:
    """Keyword arguments of the input type `typ` (snake_case) for a recorded camelCase dict."""
    python_names = {wire: py for py, wire in _types.input_type_py_to_pulumi_names(typ).items()}
    types = _types.input_type_types(typ)
    return {python_names[k]: typed(v, types.get(k)) for k, v in value.items()}


def _custom_kwargs(type_token: str, inputs: dict[str, Any], typed_inputs: bool) -> dict[str, Any]:
    """Constructor arguments for a recorded custom resource: plain camelCase values, or with
    `typed_inputs` the SDK's input types."""
    if type_token in CLASSES:
        inputs = {k: v for k, v in inputs.items() if k != "kind"}
        if typed_inputs:
            return _typed_fields(inputs, CLASSES[type_token][1])
        return {_snake(k): v for k, v in inputs.items()}
    if not type_token.startswith("kubernetes:"):
        raise ValueError(f"the floor has no class for {type_token}")
    kwargs = {k: v for k, v in inputs.items() if k not in ("apiVersion", "kind")}
    if typed_inputs:
        kwargs["metadata"] = typed(kwargs["metadata"], ObjectMetaArgs)
        kwargs["spec"] = typed(kwargs["spec"], CR_SPECS[inputs["kind"]])
    return {"api_version": inputs["apiVersion"], "kind": inputs["kind"], **kwargs}


def prepare(registrations: Sequence[Registration],
            component_outputs: Optional[dict[str, dict[str, Any]]] = None,
            typed_inputs: bool = False) -> list[Step]:
    """Steps from a recorded run (plain inputs: secret envelopes unwrapped), plus the outputs
    each component registered (urn -> plain outputs), for the second floor; with
    `typed_inputs`, custom resources get input-type instances (the third floor)."""
    component_outputs = component_outputs or {}
    steps = []
    for r in registrations:
        kwargs = _custom_kwargs(r.type, unwrap_secrets(r.inputs), typed_inputs) if r.custom else {}
        steps.append(Step(r.urn, r.type, r.name, r.custom, kwargs, r.parent, r.protect,
                          r.retain_on_delete, list(r.ignore_changes), list(r.depends_on),
                          None if r.custom else component_outputs.get(r.urn)))
    return steps


def replay(steps: Sequence[Step], register_outputs: bool = False) -> None:
    """Register every step in recorded order (parents are always recorded before children)."""
    made: dict[str, pulumi.Resource] = {}
    finished: list[tuple[pulumi.ComponentResource, dict[str, Any]]] = []
    for step in steps:
        opts = pulumi.ResourceOptions(
            parent=made.get(step.parent), protect=step.protect or None,
            retain_on_delete=step.retain_on_delete or None, ignore_changes=step.ignore_changes or None,
            depends_on=[made[u] for u in step.depends_on if u in made] or None)
        if not step.custom:
            component = made[step.urn] = pulumi.ComponentResource(step.type, step.name, None, opts)
            if register_outputs and step.outputs is not None:
                finished.append((component, step.outputs))
        elif step.type in CLASSES:
            made[step.urn] = CLASSES[step.type][0](step.name, opts=opts, **step.kwargs)
        else:
            made[step.urn] = CustomResource(step.name, opts=opts, **step.kwargs)
    for component, outputs in finished:  # as components do: after their children
        component.register_outputs(outputs)


def _settings() -> Any:
    module: Optional[Any] = sys.modules.get("floor_program")
    if module is None or not module.PLAN:
        raise RuntimeError("floor_program.PLAN is empty: run this file through bench/scaling.py")
    return module


if __name__ == "__main__":  # run as the Pulumi program by offline.runtime.run_program
    settings = _settings()
    replay(settings.PLAN, settings.REGISTER_OUTPUTS)
