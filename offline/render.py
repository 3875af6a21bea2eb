"""What a run registered, as reviewable objects: redacted manifests keyed by a stable id."""

from __future__ import annotations

from typing import Any

from .runtime import Registration, RunResult, is_secret_envelope, unwrap_secrets
from .stack_config import REDACTED


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


def rendered_objects(result: RunResult) -> dict[str, dict[str, Any]]:
    """Object id -> redacted document, for every custom (provider-managed) resource."""
    objects = {}
    for registration in result.registrations:
        if not registration.custom:
            continue
        document = unwrap_secrets(redact(registration.inputs))
        if not registration.type.startswith("kubernetes:"):
            document = {"pulumiType": registration.type, "inputs": document}
        options = {"protect": registration.protect, "retainOnDelete": registration.retain_on_delete}
        if any(options.values()):  # data-holding objects: also their identity, for the plan diff
            options["urn"] = registration.urn
            if registration.aliases:
                options["aliases"] = sorted(registration.aliases)
            document = {**document, "x-pulumi-options": options}
        objects[object_id(registration)] = document
    return objects


def file_name(object_key: str) -> str:
    """A file name for an object id, e.g. `Notebook_matilda_analysis.yaml`."""
    return object_key.replace("/", "_") + ".yaml"
