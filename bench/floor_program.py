"""The floor: the real program's registrations, replayed bare.

What the Pulumi SDK itself must spend to make exactly the registrations the teamspace
program makes, without any of our code: no config validation, no Output plumbing, no
exports. `bench/scaling.py` records one run of the real program (`recording_program`), turns
every registration into a `Step` (outside the timed region), then runs `floor(steps)` as the
Pulumi program under the same mocks (`devtools.runtime.run_program(config, program=...)`).

- every custom resource: its own `pulumi_kubernetes` / `pulumi_docker` class (Kubeflow CRDs
  through `pulumi_kubernetes.apiextensions.CustomResource`), the same resource name, plain
  already-computed inputs, the same parent, protect / retainOnDelete / ignoreChanges /
  dependsOn as recorded;
- every component: a bare `pulumi.ComponentResource` with the same type token, name and
  parent (and recorded dependsOn), no `register_outputs`.

With `register_outputs` (the benchmark's second floor), each component also registers the
outputs the real one registered, as recorded plain values: the same engine calls as the
program (RegisterResource and RegisterResourceOutputs), still without any Output plumbing.

A plan prepared with `typed_inputs` (the third floor) gives every custom resource the very
input-type objects the program passed (`ObjectMetaArgs`, `PodSpecArgs`, ... and, for the
Kubeflow CRs, the spec types of `components/crds.py`), caught during the recording run by a
stack transformation (public SDK API), with every Output in them replaced by the value it
resolved to. The SDK serializes an input-type tree field by field (every declared field of
every object), which costs more than a plain dict; this floor measures that cost.
"""

from __future__ import annotations

import copy
import enum
import inspect
import re
import runpy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pulumi_docker
import pulumi_kubernetes as k8s
from pulumi_kubernetes.apiextensions import CustomResource, CustomResourceArgs

from devtools.recording_monitor import Registration
from devtools.runtime import PROJECT_ROOT
from devtools.secret_envelopes import unwrap_secrets

FLOOR_MAIN = Path(__file__).resolve().parent / "floor_main.py"

# Type token -> constructor and its input type, for the custom resources the program makes.
# Any other `kubernetes:` type (a Kubeflow CRD) goes through CustomResource.
CLASSES: dict[str, tuple[Callable[..., pulumi.CustomResource], type]] = {
    "kubernetes:core/v1:PersistentVolumeClaim": (
        k8s.core.v1.PersistentVolumeClaim,
        k8s.core.v1.PersistentVolumeClaimArgs,
    ),
    "kubernetes:core/v1:Secret": (k8s.core.v1.Secret, k8s.core.v1.SecretArgs),
    "kubernetes:core/v1:ResourceQuota": (k8s.core.v1.ResourceQuota, k8s.core.v1.ResourceQuotaArgs),
    "kubernetes:core/v1:ConfigMap": (k8s.core.v1.ConfigMap, k8s.core.v1.ConfigMapArgs),
    "kubernetes:core/v1:Namespace": (k8s.core.v1.Namespace, k8s.core.v1.NamespaceArgs),
    "kubernetes:core/v1:ServiceAccountPatch": (
        k8s.core.v1.ServiceAccountPatch,
        k8s.core.v1.ServiceAccountPatchArgs,
    ),
    "kubernetes:core/v1:ServiceAccount": (k8s.core.v1.ServiceAccount, k8s.core.v1.ServiceAccountArgs),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": (k8s.rbac.v1.Role, k8s.rbac.v1.RoleArgs),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": (
        k8s.rbac.v1.RoleBinding,
        k8s.rbac.v1.RoleBindingArgs,
    ),
    "kubernetes:batch/v1:CronJob": (k8s.batch.v1.CronJob, k8s.batch.v1.CronJobArgs),
    "docker:index/image:Image": (pulumi_docker.Image, pulumi_docker.ImageArgs),
}


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
    outputs: dict[str, Any] | None = None
    """What the component registered as its outputs (plain), if anything."""


@dataclass
class TypedInputs:
    """What a recording run caught: each custom resource's constructor inputs (snake_case
    keys, input-type objects as the program built them), by URN, and what each Output in
    them resolved to (by the Output's id; the Outputs stay referenced here)."""

    by_urn: dict[str, dict[str, Any]] = field(default_factory=dict)
    resolved: dict[int, Any] = field(default_factory=dict)

    def replayable(self, urn: str) -> dict[str, Any]:
        """The inputs of `urn` with every Output replaced by its value (copies only what changes)."""
        return self._without_outputs(self.by_urn[urn])

    def _without_outputs(self, value: Any) -> Any:
        if isinstance(value, pulumi.Output):
            return self.resolved[id(value)]
        if isinstance(value, dict):
            return {k: self._without_outputs(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._without_outputs(v) for v in value]
        if _is_input_object(value):
            fields = {k: self._without_outputs(v) for k, v in vars(value).items()}
            if any(fields[k] is not v for k, v in vars(value).items()):
                value = copy.copy(value)
                vars(value).update(fields)
        return value


def _is_input_object(value: Any) -> bool:
    """An instance of an input-type class (its fields live in its __dict__)."""
    return hasattr(value, "__dict__") and not isinstance(value, (type, enum.Enum, pulumi.Resource))


def _outputs_in(value: Any) -> list[pulumi.Output]:
    if isinstance(value, pulumi.Output):
        return [value]
    if isinstance(value, dict):
        return [o for v in value.values() for o in _outputs_in(v)]
    if isinstance(value, (list, tuple)):
        return [o for v in value for o in _outputs_in(v)]
    if _is_input_object(value):
        return [o for v in vars(value).values() for o in _outputs_in(v)]
    return []


def recording_program(
    caught: TypedInputs, program: Path = PROJECT_ROOT / "__main__.py"
) -> Callable[[], None]:
    """The real program, run so that `caught` receives every custom resource's typed inputs.

    A stack transformation sees each resource's inputs before the SDK serializes them; it
    returns None, so it changes nothing the program registers."""
    seen: list[tuple[pulumi.Resource, dict[str, Any]]] = []

    def catch(args: pulumi.ResourceTransformationArgs) -> None:
        if isinstance(args.resource, pulumi.CustomResource):
            seen.append((args.resource, dict(args.props)))

    def run() -> None:
        pulumi.runtime.register_stack_transformation(catch)
        runpy.run_path(str(program), run_name="__main__")
        for resource, inputs in seen:  # resolved by the end of the run
            for output in _outputs_in(inputs):
                output.apply(_keeper(caught.resolved, id(output)))
            resource.urn.apply(_keeper_by_value(caught.by_urn, inputs))

    return run


def _keeper(store: dict, key: Any) -> Callable[[Any], None]:
    """A callback that stores the value it gets under `key`."""
    return lambda value: store.__setitem__(key, value)


def _keeper_by_value(store: dict, value: Any) -> Callable[[Any], None]:
    """A callback that stores `value` under the key it gets."""
    return lambda key: store.__setitem__(key, value)


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def _parameters(args_type: type) -> set[str]:
    return set(inspect.signature(args_type.__init__).parameters) - {"self", "__self__"}


def _custom_kwargs(registration: Registration, typed_inputs: TypedInputs | None) -> dict[str, Any]:
    """Constructor arguments for a recorded custom resource: plain camelCase values, or with
    `typed_inputs` the input-type objects the program passed."""
    type_token = registration.type
    if type_token not in CLASSES and not type_token.startswith("kubernetes:"):
        raise ValueError(f"the floor has no class for {type_token}")
    if typed_inputs is not None:
        accepted = _parameters(CLASSES[type_token][1] if type_token in CLASSES else CustomResourceArgs)
        inputs = typed_inputs.replayable(registration.urn)
        return {k: v for k, v in inputs.items() if k in accepted and v is not None}
    inputs = unwrap_secrets(registration.inputs)
    if type_token in CLASSES:
        return {_snake(k): v for k, v in inputs.items() if k != "kind"}
    kwargs = {k: v for k, v in inputs.items() if k not in ("apiVersion", "kind")}
    return {"api_version": inputs["apiVersion"], "kind": inputs["kind"], **kwargs}


def prepare(
    registrations: Sequence[Registration],
    component_outputs: dict[str, dict[str, Any]] | None = None,
    typed_inputs: TypedInputs | None = None,
) -> list[Step]:
    """Steps from a recorded run (plain inputs: secret envelopes unwrapped), plus the outputs
    each component registered (urn -> plain outputs), for the second floor; with
    `typed_inputs` (from `recording_program`), custom resources get the program's input-type
    objects (the third floor)."""
    component_outputs = component_outputs or {}
    steps = []
    for r in registrations:
        kwargs = _custom_kwargs(r, typed_inputs) if r.custom else {}
        steps.append(
            Step(
                r.urn,
                r.type,
                r.name,
                r.custom,
                kwargs,
                r.parent,
                r.protect,
                r.retain_on_delete,
                list(r.ignore_changes),
                list(r.depends_on),
                None if r.custom else component_outputs.get(r.urn),
            )
        )
    return steps


def replay(steps: Sequence[Step], register_outputs: bool = False) -> None:
    """Register every step in recorded order (parents are always recorded before children)."""
    made: dict[str, pulumi.Resource] = {}
    finished: list[tuple[pulumi.ComponentResource, dict[str, Any]]] = []
    for step in steps:
        opts = pulumi.ResourceOptions(
            parent=made.get(step.parent),
            protect=step.protect or None,
            retain_on_delete=step.retain_on_delete or None,
            ignore_changes=step.ignore_changes or None,
            depends_on=[made[u] for u in step.depends_on if u in made] or None,
        )
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


def floor(steps: Sequence[Step], register_outputs: bool = False) -> Callable[[], None]:
    """The floor as a program for `devtools.runtime.run_program(config, program=...)`: it runs
    `floor_main.py` as the program's `__main__.py` is run, so registrations happen at the same
    stack depth (see floor_main.py), with the plan handed over in the run's own globals."""
    plan = {"replay": replay, "STEPS": steps, "REGISTER_OUTPUTS": register_outputs}
    return lambda: runpy.run_path(str(FLOOR_MAIN), init_globals=plan, run_name="__main__")
