"""Where notebooks run: node selectors, tolerations and named node-affinity presets."""

from __future__ import annotations

from typing import Literal, Mapping, Optional

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

# The taint each GPU vendor's device plugin / node setup conventionally puts on GPU nodes.
VENDOR_TOLERATIONS = {
    "nvidia.com/gpu": "nvidia.com/gpu",
    "amd.com/gpu": "amd.com/gpu",
    "habana.ai/gaudi": "habana.ai/gaudi",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


class Toleration(_Model):
    """A Kubernetes toleration, as in a PodSpec."""

    key: Optional[str] = None
    operator: Literal["Exists", "Equal"] = "Equal"
    value: Optional[str] = None
    effect: Optional[Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]] = None
    toleration_seconds: Optional[int] = None


class NodeRequirement(_Model):
    """One node-label expression (a NodeSelectorRequirement)."""

    key: str = Field(min_length=1)
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] = "In"
    values: tuple[str, ...] = ()


class PreferredNodes(_Model):
    """Node labels the scheduler should prefer, with a weight 1-100."""

    weight: int = Field(ge=1, le=100)
    match: tuple[NodeRequirement, ...] = Field(min_length=1)


class AffinityPreset(_Model):
    """A named node-affinity preset (`teamspace:affinities.<name>`)."""

    required: tuple[NodeRequirement, ...] = ()
    preferred: tuple[PreferredNodes, ...] = ()


class SchedulingSpec(_Model):
    """Scheduling fields shared by sizes and notebooks; a notebook's own value wins."""

    node_selector: Optional[Mapping[str, str]] = None
    tolerations: Optional[tuple[Toleration, ...]] = None
    affinity: Optional[str] = None


def gpu_toleration(vendor: str) -> Toleration:
    """Tolerate the vendor's GPU taint, whatever its value or effect."""
    return Toleration(key=VENDOR_TOLERATIONS[vendor], operator="Exists")
