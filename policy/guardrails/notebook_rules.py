"""The Notebook policies: each runs one check of notebook_metadata_checks.py,
notebook_pod_checks.py or images.py on every Notebook resource.
"""

from __future__ import annotations

from collections.abc import Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from .images import check_external_image_digest, check_image_pinned, check_pull_secret
from .manifests import as_list, as_map
from .notebook_metadata_checks import check_notebook_name, check_routing_annotations
from .notebook_pod_checks import (
    check_home_volume,
    check_resources,
    check_security_context,
    check_shared_memory,
)

NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"

_PUBLIC_REGISTRIES_SCHEMA = PolicyConfigSchema(
    properties={
        "publicRegistries": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Extra registries that need no pull credentials",
        },
    }
)


def _public(args: ResourceValidationArgs) -> list[str]:
    return [str(r) for r in as_list(as_map(args.get_config()).get("publicRegistries"))]


def _notebook_policy(
    name: str,
    description: str,
    check: Callable[..., list[str]],
    level: EnforcementLevel,
    uses_registries: bool = False,
) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type != NOTEBOOK:
            return
        found = check(args.props, _public(args)) if uses_registries else check(args.props)
        for message in found:
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=level,
        config_schema=_PUBLIC_REGISTRIES_SCHEMA if uses_registries else None,
    )


MANDATORY, ADVISORY = EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY

notebook_name = _notebook_policy(
    "notebook-name",
    "A Notebook has an explicit name (a DNS label of at most 52 characters) and namespace.",
    check_notebook_name,
    MANDATORY,
)
notebook_home_volume = _notebook_policy(
    "notebook-home-volume",
    "A Notebook mounts a PersistentVolumeClaim at /home/jovyan.",
    check_home_volume,
    MANDATORY,
)
notebook_security_context = _notebook_policy(
    "notebook-security-context",
    "Notebooks run as UID 1000 with fsGroup 100, never privileged, with privilege escalation off.",
    check_security_context,
    MANDATORY,
)
notebook_resources = _notebook_policy(
    "notebook-resources",
    "Every container has cpu and memory requests and limits, each limit >= its request.",
    check_resources,
    MANDATORY,
)
notebook_image_pinned = _notebook_policy(
    "notebook-image-pinned",
    "Images are pinned by digest or content-<hex> tag: never latest, never a bare repository.",
    check_image_pinned,
    MANDATORY,
    uses_registries=True,
)
notebook_pull_secret = _notebook_policy(
    "notebook-pull-secret",
    "A private-registry image comes with an imagePullSecrets entry.",
    check_pull_secret,
    MANDATORY,
    uses_registries=True,
)
notebook_routing_annotations = _notebook_policy(
    "notebook-routing-annotations",
    "Notebooks carry the routing annotations of their server type "
    "(VS Code, RStudio: rewrite-uri, root path).",
    check_routing_annotations,
    MANDATORY,
)
external_image_digest = _notebook_policy(
    "external-image-digest",
    "External (public-registry) images are pulled by digest, not by tag.",
    check_external_image_digest,
    ADVISORY,
    uses_registries=True,
)
notebook_shared_memory = _notebook_policy(
    "notebook-shared-memory",
    "Notebooks mount an in-memory emptyDir at /dev/shm.",
    check_shared_memory,
    ADVISORY,
)
