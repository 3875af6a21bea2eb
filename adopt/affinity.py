"""A live pod `affinity` as a teamspace affinity preset, when it can be one exactly."""

from __future__ import annotations

from typing import Any

from .findings import Findings, unknown_keys

# The web app's example `dedicated_node_per_notebook` (spawner_ui_config.yaml, Notebooks v1.11.0),
# in preset form: recognised so that the preset keeps a meaningful name.
DEDICATED_NODE_PER_NOTEBOOK = {
    "required": [{"key": "lifecycle", "operator": "In", "values": ["kubeflow-notebook"]}],
    "podAntiAffinity": {
        "required": [
            {
                "topologyKey": "kubernetes.io/hostname",
                "match": [{"key": "notebook-name", "operator": "Exists"}],
                "allNamespaces": True,
            }
        ]
    },
}


def _expressions(
    selector: Any, where: str, findings: Findings, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    if not isinstance(selector, dict) or unknown_keys(selector, fields):
        findings.refuse(where, f"only matchExpressions can be expressed (found {sorted(selector or {})})")
        return []
    out = []
    for expression in selector.get("matchExpressions") or []:
        item = {"key": expression.get("key"), "operator": expression.get("operator", "In")}
        if expression.get("values"):
            item["values"] = [str(v) for v in expression["values"]]
        out.append(item)
    if not out:
        findings.refuse(where, "an empty selector cannot be expressed")
    return out


def _pod_term(term: dict[str, Any], where: str, findings: Findings) -> dict[str, Any]:
    bad = unknown_keys(term, ("labelSelector", "topologyKey", "namespaceSelector"))
    if bad:
        findings.refuse(where, f"{', '.join(bad)} cannot be expressed")
    out = {
        "topologyKey": term.get("topologyKey"),
        "match": _expressions(
            term.get("labelSelector"), f"{where}.labelSelector", findings, ("matchExpressions",)
        ),
    }
    if "namespaceSelector" in term:
        if term["namespaceSelector"]:
            findings.refuse(f"{where}.namespaceSelector", "only {} (all namespaces) can be expressed")
        out["allNamespaces"] = True
    return out


def _anti_affinity(rules: dict[str, Any], where: str, findings: Findings) -> dict[str, Any]:
    required_key = "requiredDuringSchedulingIgnoredDuringExecution"
    preferred_key = "preferredDuringSchedulingIgnoredDuringExecution"
    for key in unknown_keys(rules, (required_key, preferred_key)):
        findings.refuse(f"{where}.{key}", "cannot be expressed")
    out: dict[str, Any] = {}
    required = [
        _pod_term(t, f"{where}.{required_key}[{i}]", findings)
        for i, t in enumerate(rules.get(required_key) or [])
    ]
    preferred = [
        {
            "weight": t.get("weight"),
            **_pod_term(t.get("podAffinityTerm") or {}, f"{where}.{preferred_key}[{i}]", findings),
        }
        for i, t in enumerate(rules.get(preferred_key) or [])
    ]
    if required:
        out["required"] = required
    if preferred:
        out["preferred"] = preferred
    return out


def affinity_preset(affinity: Any, where: str, findings: Findings) -> dict[str, Any] | None:
    """The preset (camelCase config) for a live affinity; refusals go to `findings`."""
    if not affinity:
        return None
    for key in unknown_keys(affinity, ("nodeAffinity", "podAntiAffinity")):
        findings.refuse(
            f"{where}.{key}", "not modelled (teamspace presets hold node affinity and pod anti-affinity)"
        )
    preset: dict[str, Any] = {}
    node = affinity.get("nodeAffinity") or {}
    required_key = "requiredDuringSchedulingIgnoredDuringExecution"
    preferred_key = "preferredDuringSchedulingIgnoredDuringExecution"
    for key in unknown_keys(node, (required_key, preferred_key)):
        findings.refuse(f"{where}.nodeAffinity.{key}", "cannot be expressed")
    terms = (node.get(required_key) or {}).get("nodeSelectorTerms") or []
    if len(terms) > 1:
        findings.refuse(
            f"{where}.nodeAffinity.{required_key}", "several nodeSelectorTerms (OR) cannot be expressed"
        )
    elif terms:
        preset["required"] = _expressions(
            terms[0],
            f"{where}.nodeAffinity.{required_key}.nodeSelectorTerms[0]",
            findings,
            ("matchExpressions",),
        )
    preferred = []
    for index, term in enumerate(node.get(preferred_key) or []):
        match = _expressions(
            term.get("preference"),
            f"{where}.nodeAffinity.{preferred_key}[{index}].preference",
            findings,
            ("matchExpressions",),
        )
        preferred.append({"weight": term.get("weight"), "match": match})
    if preferred:
        preset["preferred"] = preferred
    anti = _anti_affinity(affinity.get("podAntiAffinity") or {}, f"{where}.podAntiAffinity", findings)
    if anti:
        preset["podAntiAffinity"] = anti
    return preset or None


def preset_name(preset: dict[str, Any], taken: dict[str, dict[str, Any]]) -> str:
    """A name for the preset: an existing one when identical, the web app's when it is its example."""
    for name, existing in taken.items():
        if existing == preset:
            return name
    if preset == DEDICATED_NODE_PER_NOTEBOOK and "dedicated-node-per-notebook" not in taken:
        return "dedicated-node-per-notebook"
    index = 1
    while f"affinity-{index}" in taken:
        index += 1
    return f"affinity-{index}"
