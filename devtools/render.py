"""What a run registered, as reviewable objects: redacted manifests keyed by a stable id."""

from __future__ import annotations

from typing import Any

from .recording_monitor import Registration
from .rendered_record import OPTIONS, options_entry
from .runtime import RunResult
from .secret_envelopes import is_secret_envelope, unwrap_secrets
from .stack_config import REDACTED
from .volume_fate import PROFILE, PVC, Tracked, alias_urns, urn_types


def redact(value: Any) -> Any:
    """A copy with every Pulumi secret replaced by the redaction marker."""
    if is_secret_envelope(value):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def object_id(registration: Registration) -> str:
    """`Kind/namespace/name` for Kubernetes objects, `<type>/<pulumi name>` for anything else."""
    inputs = registration.inputs
    if registration.type.startswith("kubernetes:"):
        meta = inputs.get("metadata") or {}
        namespace = meta.get("namespace") or "_cluster"
        return f"{inputs.get('kind')}/{namespace}/{meta.get('name')}"
    return f"{registration.type.split(':')[-1]}/{registration.name}"


def tracked_resources(result: RunResult) -> list[Tracked]:
    """Every registration as the engine's diff sees it (devtools.volume_fate), manifests in plaintext."""
    by_urn = {r.urn: r for r in result.registrations}
    types = urn_types(result.registrations)
    return [_tracked(r, by_urn, types, identity=True) for r in result.registrations]


def _tracked(
    registration: Registration, by_urn: dict[str, Registration], types: str, identity: bool
) -> Tracked:
    return Tracked(
        id=object_id(registration),
        urn=registration.urn,
        kind=registration.type.rsplit(":", 1)[-1],
        manifest=registration.manifest if registration.custom else {},
        protect=registration.protect,
        retain_on_delete=registration.retain_on_delete,
        aliases=alias_urns(registration, by_urn) if identity else (),
        urn_types=types,
    )


class DuplicateObjectError(Exception):
    """Two registrations map to one Kubernetes object (kind, namespace and name)."""


def rendered_objects(result: RunResult) -> dict[str, dict[str, Any]]:
    """Object id -> redacted document, for every custom (provider-managed) resource.

    Each document carries its id under `x-pulumi-options` (readers take it from there, never
    from the file name); data-holding objects also their options and Pulumi identity, for
    the plan diff's model of what the engine does to them.

    Two registrations of one object are an error, never merged: on a cluster the second
    would take over (or fight over) the first, e.g. two notebooks sharing one home claim.
    The id leaves out apiVersion on purpose: one kind in two versions is still one object.
    """
    by_urn = {r.urn: r for r in result.registrations}
    types = urn_types(result.registrations)
    objects: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    for registration in result.registrations:
        if not registration.custom:
            continue
        key = object_id(registration)
        if key in owners:
            raise DuplicateObjectError(
                f"{key} is registered twice, by Pulumi resources '{owners[key]}' and "
                f"'{registration.name}'; each Kubernetes object must have one owner"
            )
        owners[key] = registration.name
        document = unwrap_secrets(redact(registration.inputs))
        if not registration.type.startswith("kubernetes:"):
            document = {"pulumiType": registration.type, "inputs": document}
        kind = registration.type.rsplit(":", 1)[-1]
        holds_data = registration.protect or registration.retain_on_delete or kind in (PVC, PROFILE)
        resource = _tracked(registration, by_urn, types, identity=holds_data)
        objects[resource.id] = {**document, OPTIONS: options_entry(resource, with_identity=holds_data)}
    return objects


def file_name(object_key: str) -> str:
    """A file name for an object id, e.g. `Notebook_matilda_analysis.yaml`."""
    return object_key.replace("/", "_") + ".yaml"
