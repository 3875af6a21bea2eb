"""The system-namespace rule (`no-system-namespace`): nothing of the stack lands in a namespace
of the cluster or of Kubeflow, and no Profile claims one.

SYSTEM_NAMESPACES is a copy of the program's list (config/system_namespaces.py, the one place
it is documented): the pack runs with only policy/ on sys.path, so it cannot import it;
tests/test_hostile_namespaces.py fails when the two differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from .manifests import as_map

SYSTEM_NAMESPACES = (
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "kubeflow",
    "istio-system",
    "cert-manager",
    "auth",
    "knative-serving",
    "knative-eventing",
    "kubeflow-user-example-com",
)
# Cluster-scoped kinds whose name is a namespace they create or own.
_NAMESPACE_OWNERS = ("kubernetes:kubeflow.org/v1:Profile", "kubernetes:core/v1:Namespace")


def check_namespace(resource_type: str, props: Mapping) -> list[str]:
    """A Kubernetes object is not in (and a Profile or Namespace does not name) a system namespace."""
    if not resource_type.startswith("kubernetes:") or resource_type.startswith("pulumi:providers:"):
        return []
    meta = as_map(props.get("metadata"))
    field = "name" if resource_type in _NAMESPACE_OWNERS else "namespace"
    namespace = meta.get(field)
    if isinstance(namespace, str) and namespace in SYSTEM_NAMESPACES:
        return [
            f"metadata.{field} '{namespace}' is a system namespace (cluster or Kubeflow); team "
            f"objects there can block system pods. Not allowed: {', '.join(SYSTEM_NAMESPACES)}"
        ]
    return []


def _validate_namespace(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    for message in check_namespace(args.resource_type, args.props):
        report_violation(message, None)


no_system_namespace = ResourceValidationPolicy(
    name="no-system-namespace",
    description="No team object in a system namespace (kube-system, kubeflow, istio-system, ...).",
    validate=_validate_namespace,
    enforcement_level=EnforcementLevel.MANDATORY,
)
