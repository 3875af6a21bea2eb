"""Where notebooks run: node selectors, tolerations and named node-affinity presets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field, model_validator

from .kube_rules import LabelKey, LabelValue, node_requirement_problem, toleration_problem
from .spec_model import SpecModel

# The taint each GPU vendor's device plugin / node setup conventionally puts on GPU nodes.
VENDOR_TOLERATIONS = {
    "nvidia.com/gpu": "nvidia.com/gpu",
    "amd.com/gpu": "amd.com/gpu",
    "habana.ai/gaudi": "habana.ai/gaudi",
}


class Toleration(SpecModel):
    """A Kubernetes toleration, as in a PodSpec."""

    key: str | None = None
    """The taint key; empty with operator Exists tolerates every taint."""
    operator: Literal["Exists", "Equal"] = "Equal"
    """Equal (key and value match) or Exists (key matches)."""
    value: str | None = None
    """The taint value, for operator Equal."""
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = None
    """Which taint effect to tolerate; empty: all."""
    toleration_seconds: int | None = Field(default=None, ge=-(2**63), le=2**63 - 1)
    """For NoExecute: how long the pod stays after the taint appears."""

    @model_validator(mode="after")
    def _as_the_api_server_would(self) -> Toleration:
        problem = toleration_problem(
            self.key, self.operator, self.value, self.effect, self.toleration_seconds
        )
        if problem:
            raise ValueError(problem)
        return self


class NodeRequirement(SpecModel):
    """One node-label expression (a NodeSelectorRequirement)."""

    key: str = Field(min_length=1)
    """A node label key, e.g. nvidia.com/gpu.product."""
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] = "In"
    """How the label's value is compared with values."""
    values: tuple[str, ...] = ()
    """Label values (none for Exists and DoesNotExist)."""

    @model_validator(mode="after")
    def _as_the_api_server_would(self) -> NodeRequirement:
        problem = node_requirement_problem(self.key, self.operator, self.values)
        if problem:
            raise ValueError(problem)
        return self


class PreferredNodes(SpecModel):
    """Node labels the scheduler should prefer, with a weight 1-100."""

    weight: int = Field(ge=1, le=100)
    """Preference weight, 1-100."""
    match: tuple[NodeRequirement, ...] = Field(min_length=1)
    """Node-label expressions a preferred node matches (all of them)."""


class PodRequirement(SpecModel):
    """One pod-label expression of a pod (anti-)affinity term."""

    key: str = Field(min_length=1)
    """A pod label key, e.g. notebook-name."""
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist"] = "In"
    """How the label's value is compared with values."""
    values: tuple[str, ...] = ()
    """Label values (none for Exists and DoesNotExist)."""


class PodTerm(SpecModel):
    """Pods matching `match` within one `topologyKey` domain (e.g. one node)."""

    topology_key: str = Field(min_length=1)
    """The node label that defines a domain, e.g. kubernetes.io/hostname."""
    match: tuple[PodRequirement, ...] = Field(min_length=1)
    """Pod-label expressions the other pods match (all of them)."""
    all_namespaces: bool = False
    """Match pods of every namespace (`namespaceSelector: {}`), not only the notebook's own."""


class WeightedPodTerm(PodTerm):
    """A preferred pod term with its weight."""

    weight: int = Field(ge=1, le=100)
    """Preference weight, 1-100."""


class PodAntiAffinity(SpecModel):
    """Keep a notebook away from matching pods: `required` terms must hold, `preferred` add weight."""

    required: tuple[PodTerm, ...] = ()
    """Terms that must hold (requiredDuringSchedulingIgnoredDuringExecution)."""
    preferred: tuple[WeightedPodTerm, ...] = ()
    """Weighted terms (preferredDuringSchedulingIgnoredDuringExecution)."""


class AffinityPreset(SpecModel):
    """A named affinity preset (`teamspace:affinities.<name>`): node affinity and pod anti-affinity.

    The web app's `dedicated_node_per_notebook` is `required` node labels plus a pod anti-affinity
    on `notebook-name` (Exists) per `kubernetes.io/hostname`, across all namespaces.
    """

    required: tuple[NodeRequirement, ...] = ()
    """Expressions every node must match (requiredDuringSchedulingIgnoredDuringExecution)."""
    preferred: tuple[PreferredNodes, ...] = ()
    """Weighted preferences (preferredDuringSchedulingIgnoredDuringExecution)."""
    pod_anti_affinity: PodAntiAffinity | None = None
    """Keep notebooks away from matching pods."""


class SchedulingSpec(SpecModel):
    """Scheduling fields shared by sizes and notebooks; a notebook's own value wins."""

    node_selector: Mapping[LabelKey, LabelValue] | None = None
    """Node labels the pod requires."""
    tolerations: tuple[Toleration, ...] | None = None
    """Taints the pod tolerates; default: a GPU notebook tolerates its vendor's taint; [] means none."""
    affinity: str | None = None
    """A key of teamspace:affinities."""


def gpu_toleration(vendor: str) -> Toleration | None:
    """Tolerate the vendor's GPU taint, whatever its value or effect. Another resource of a known
    vendor (a MIG slice `nvidia.com/mig-1g.10gb`) runs on that vendor's tainted nodes; a resource
    of any other vendor has no conventional taint, so none is assumed."""
    if vendor in VENDOR_TOLERATIONS:
        return Toleration(key=VENDOR_TOLERATIONS[vendor], operator="Exists")
    domain = vendor.split("/", 1)[0]
    known = next(
        (taint for name, taint in VENDOR_TOLERATIONS.items() if name.split("/", 1)[0] == domain), None
    )
    return Toleration(key=known, operator="Exists") if known else None
