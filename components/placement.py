"""Typed PodSpec scheduling fields from the resolved placement of a notebook."""

from __future__ import annotations

from typing import Optional

from pulumi_kubernetes.core.v1 import (
    AffinityArgs, NodeAffinityArgs, NodeSelectorArgs, NodeSelectorRequirementArgs, NodeSelectorTermArgs,
    PreferredSchedulingTermArgs, TolerationArgs,
)

from config.scheduling import AffinityPreset, NodeRequirement, Toleration


def toleration_args(toleration: Toleration) -> TolerationArgs:
    return TolerationArgs(key=toleration.key, operator=toleration.operator, value=toleration.value,
                          effect=toleration.effect, toleration_seconds=toleration.toleration_seconds)


def _term(requirements: tuple[NodeRequirement, ...]) -> NodeSelectorTermArgs:
    return NodeSelectorTermArgs(match_expressions=[
        NodeSelectorRequirementArgs(key=r.key, operator=r.operator, values=list(r.values) or None)
        for r in requirements])


def affinity_args(preset: Optional[AffinityPreset]) -> Optional[AffinityArgs]:
    """A node affinity: all `required` expressions must hold; `preferred` ones add weight."""
    if preset is None or not (preset.required or preset.preferred):
        return None
    return AffinityArgs(node_affinity=NodeAffinityArgs(
        required_during_scheduling_ignored_during_execution=(
            NodeSelectorArgs(node_selector_terms=[_term(preset.required)]) if preset.required else None),
        preferred_during_scheduling_ignored_during_execution=[
            PreferredSchedulingTermArgs(weight=p.weight, preference=_term(p.match)) for p in preset.preferred
        ] or None,
    ))
