"""Typed PodSpec scheduling fields from the resolved placement of a notebook."""

from __future__ import annotations

from pulumi_kubernetes.core.v1 import (
    AffinityArgs,
    NodeAffinityArgs,
    NodeSelectorArgs,
    NodeSelectorRequirementArgs,
    NodeSelectorTermArgs,
    PodAffinityTermArgs,
    PodAntiAffinityArgs,
    PreferredSchedulingTermArgs,
    TolerationArgs,
    WeightedPodAffinityTermArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, LabelSelectorRequirementArgs

from config.scheduling import AffinityPreset, NodeRequirement, PodAntiAffinity, PodTerm, Toleration


def toleration_args(toleration: Toleration) -> TolerationArgs:
    return TolerationArgs(
        key=toleration.key,
        operator=toleration.operator,
        value=toleration.value,
        effect=toleration.effect,
        toleration_seconds=toleration.toleration_seconds,
    )


def _term(requirements: tuple[NodeRequirement, ...]) -> NodeSelectorTermArgs:
    return NodeSelectorTermArgs(
        match_expressions=[
            NodeSelectorRequirementArgs(key=r.key, operator=r.operator, values=list(r.values) or None)
            for r in requirements
        ]
    )


def _pod_term(term: PodTerm) -> PodAffinityTermArgs:
    return PodAffinityTermArgs(
        topology_key=term.topology_key,
        label_selector=LabelSelectorArgs(
            match_expressions=[
                LabelSelectorRequirementArgs(key=r.key, operator=r.operator, values=list(r.values) or None)
                for r in term.match
            ]
        ),
        # An empty selector means every namespace; none means the notebook's own.
        namespace_selector=LabelSelectorArgs() if term.all_namespaces else None,
    )


def _anti_affinity(rules: PodAntiAffinity | None) -> PodAntiAffinityArgs | None:
    if rules is None or not (rules.required or rules.preferred):
        return None
    return PodAntiAffinityArgs(
        required_during_scheduling_ignored_during_execution=[_pod_term(t) for t in rules.required] or None,
        preferred_during_scheduling_ignored_during_execution=[
            WeightedPodAffinityTermArgs(weight=t.weight, pod_affinity_term=_pod_term(t))
            for t in rules.preferred
        ]
        or None,
    )


def affinity_args(preset: AffinityPreset | None) -> AffinityArgs | None:
    """Node affinity (all `required` expressions must hold; `preferred` ones add weight) and
    pod anti-affinity."""
    if preset is None:
        return None
    node = None
    if preset.required or preset.preferred:
        node = NodeAffinityArgs(
            required_during_scheduling_ignored_during_execution=(
                NodeSelectorArgs(node_selector_terms=[_term(preset.required)]) if preset.required else None
            ),
            preferred_during_scheduling_ignored_during_execution=[
                PreferredSchedulingTermArgs(weight=p.weight, preference=_term(p.match))
                for p in preset.preferred
            ]
            or None,
        )
    anti = _anti_affinity(preset.pod_anti_affinity)
    if node is None and anti is None:
        return None
    return AffinityArgs(node_affinity=node, pod_anti_affinity=anti)
