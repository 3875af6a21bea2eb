"""PersistentVolumeClaims that hold user data: never deleted, optionally protected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import pulumi
from pulumi_kubernetes.core.v1 import (
    PersistentVolumeClaimSpecArgs,
    VolumeResourceRequirementsArgs,
)
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

# Fields teamspace never sets that the cluster fills in (the PV binder's volumeName, the
# admission defaults) or that a claim made elsewhere may carry. An imported claim's inputs hold
# them, and the provider replaces a PVC whose volumeName or selector "changes" (diff.go), so
# they are ignored on every claim, for good: the first `up` after adoption copies them from
# the imported inputs, and no later run can plan their removal.
UNSET_CLAIM_FIELDS = (
    "spec.volumeName",
    "spec.volumeMode",
    "spec.selector",
    "spec.dataSource",
    "spec.dataSourceRef",
    "spec.volumeAttributesClassName",
)


class ClaimInputs(TypedDict):
    """Keyword arguments of a data claim's `PersistentVolumeClaim`, besides its resource name."""

    metadata: ObjectMetaArgs
    spec: PersistentVolumeClaimSpecArgs
    opts: pulumi.ResourceOptions


def claim_inputs(
    *,
    claim_name: str,
    namespace: str,
    size: str,
    access_mode: str,
    storage_class: str | None,
    protect: bool,
    parent: pulumi.Resource,
    labels: dict[str, str],
    aliases: Sequence[pulumi.Alias] = (),
    import_id: str | None = None,
) -> ClaimInputs:
    """The inputs of a PVC that survives removal from config (retain_on_delete) and, with
    `protect`, makes `pulumi up` stop rather than replace it when an immutable field changes:
    `PersistentVolumeClaim(resource_name, **claim_inputs(...))`.

    The component calls the constructor itself rather than through a helper: the SDK records
    every stack frame above a resource's constructor with each registration (bench/README.md).
    `import_id` adopts an existing claim (docs/adopt.md)."""
    return ClaimInputs(
        metadata=ObjectMetaArgs(name=claim_name, namespace=namespace, labels=labels),
        spec=PersistentVolumeClaimSpecArgs(
            access_modes=[access_mode],
            resources=VolumeResourceRequirementsArgs(requests={"storage": size}),
            storage_class_name=storage_class,
        ),
        opts=pulumi.ResourceOptions(
            parent=parent,
            retain_on_delete=True,
            protect=protect,
            aliases=list(aliases),
            import_=import_id,
            ignore_changes=list(UNSET_CLAIM_FIELDS),
        ),
    )
