"""The PersistentVolumeClaim rules, on resource options: claims are `retain_on_delete`
(`pvc-retain-on-delete`) and, advisory, `protect`ed (`pvc-protected`).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

PVC = "kubernetes:core/v1:PersistentVolumeClaim"


def retain_on_delete_of(opts: Any) -> bool | None:
    """The resource's retainOnDelete option, or None where the analyzer does not report it.

    pulumi-policy 1.21 builds PolicyResourceOptions from the engine's AnalyzerResourceOptions,
    which carries protect, ignoreChanges, deleteBeforeReplace, aliases, customTimeouts,
    additionalSecretOutputs and parent, but not retainOnDelete. A newer SDK (or a test) may
    provide `retain_on_delete`; the rule then enforces it.
    """
    value = getattr(opts, "retain_on_delete", None)
    if value is None:
        value = getattr(opts, "retainOnDelete", None)
    return None if value is None else bool(value)


def check_pvc_retained(opts: Any) -> list[str] | None:
    """A PVC is retain_on_delete; None when the option is not visible to the analyzer."""
    retained = retain_on_delete_of(opts)
    if retained is None:
        return None
    if not retained:
        return [
            "PersistentVolumeClaim is not retain_on_delete: removing it from config would delete the "
            "claim and, with a Delete reclaim policy, the user data on its volume"
        ]
    return []


def check_pvc_protected(opts: Any) -> list[str]:
    """Advisory: a PVC without `protect` is replaced without stopping when an immutable field changes."""
    if getattr(opts, "protect", False):
        return []
    return [
        "PersistentVolumeClaim is not protected (teamspace:protectVolumes is false?): a change to an "
        "immutable field (name, namespace, storage class, access modes) replaces it, and its data"
    ]


def _validate_pvc_retained(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != PVC:
        return
    found = check_pvc_retained(args.opts)
    if found is None:
        args.not_applicable(
            "this analyzer does not report retainOnDelete (pulumi-policy 1.21); "
            "tests/test_data_safety.py checks it on every PVC the program registers"
        )
    for message in found or ():
        report_violation(message, None)


def _validate_pvc_protected(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type == PVC:
        for message in check_pvc_protected(args.opts):
            report_violation(message, None)


pvc_retain_on_delete = ResourceValidationPolicy(
    name="pvc-retain-on-delete",
    description="PersistentVolumeClaims are retain_on_delete, so removing one from config keeps the data.",
    validate=_validate_pvc_retained,
    enforcement_level=EnforcementLevel.MANDATORY,
)
pvc_protected = ResourceValidationPolicy(
    name="pvc-protected",
    description="PersistentVolumeClaims are protected, so pulumi up stops instead of replacing one.",
    validate=_validate_pvc_protected,
    enforcement_level=EnforcementLevel.ADVISORY,
)
