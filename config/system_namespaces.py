"""Namespaces no team may use: the cluster's and Kubeflow's own.

THE list (the policy pack keeps a copy in policy/guardrails/namespace_rules.py, because it is
packaged without the program; tests/test_hostile_namespaces.py fails when the two differ).
A team there would put its ResourceQuota (or a Profile's) beside the system pods and could
block them from starting, and its Secrets and PodDefaults beside the platform's own.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Problem, key_path
from .model import TeamspaceConfig

SYSTEM_NAMESPACES: tuple[str, ...] = (
    "default",  # Kubernetes: where unqualified objects land
    "kube-system",  # Kubernetes: control plane and cluster add-ons
    "kube-public",  # Kubernetes: readable by everyone, cluster-info
    "kube-node-lease",  # Kubernetes: node heartbeats
    "kubeflow",  # Kubeflow: controllers, the notebook web app, Pipelines
    "istio-system",  # Istio: the gateway every notebook URL goes through
    "cert-manager",  # certificates of the webhooks (PodDefaults, Notebooks)
    "auth",  # Dex, Kubeflow's identity provider
    "knative-serving",  # KServe's serving layer
    "knative-eventing",
    "kubeflow-user-example-com",  # the manifests' demo user profile
)


def system_namespace_problems(config: TeamspaceConfig) -> Iterator[Problem]:
    """A team whose namespace is one of SYSTEM_NAMESPACES, reported where it was written."""
    for key, team in config.teams.items():
        if team.namespace not in SYSTEM_NAMESPACES:
            continue
        # A namespace not written defaults to the team key (or its previousKey): name that.
        where = (
            key_path("teams", key)
            if team.namespace == key
            else key_path("teams", key, "previousKey")
            if team.namespace == team.previous_key
            else key_path("teams", key, "namespace")
        )
        yield Problem(
            where,
            f"namespace '{team.namespace}' belongs to the cluster or Kubeflow; teams may "
            f"not use {', '.join(SYSTEM_NAMESPACES)}",
        )
