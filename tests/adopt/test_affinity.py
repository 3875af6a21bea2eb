"""A live pod affinity as a teamspace affinity preset (adopt/affinity.py): what is kept, exactly,
what is refused with the path of the field at fault, and the name the preset is given."""

from __future__ import annotations

from typing import Any

import pytest

from adopt.affinity import DEDICATED_NODE_PER_NOTEBOOK, affinity_preset, preset_name
from adopt.findings import Findings

AT = "spec.template.spec.affinity"
REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"
GPU = {"matchExpressions": [{"key": "gpu", "operator": "NotIn", "values": [100, "a"]}, {"key": "ssd"}]}
GPU_MATCH = [{"key": "gpu", "operator": "NotIn", "values": ["100", "a"]}, {"key": "ssd", "operator": "In"}]
APP = {"matchExpressions": [{"key": "app", "operator": "Exists"}]}
APP_MATCH = [{"key": "app", "operator": "Exists"}]
HOST = "kubernetes.io/hostname"


def _preset(affinity: Any) -> tuple[dict[str, Any] | None, list[str]]:
    findings = Findings()
    preset = affinity_preset(affinity, AT, findings)
    assert not findings.changes and not findings.notes
    return preset, findings.refused


@pytest.mark.parametrize(
    ("affinity", "preset"),
    [
        (None, None),
        ({}, None),
        ({"nodeAffinity": {}, "podAntiAffinity": {}}, None),
        ({"nodeAffinity": {REQUIRED: {"nodeSelectorTerms": [GPU]}}}, {"required": GPU_MATCH}),
        (
            {
                "nodeAffinity": {
                    PREFERRED: [{"weight": 7, "preference": GPU}, {"weight": 1, "preference": APP}]
                }
            },
            {"preferred": [{"weight": 7, "match": GPU_MATCH}, {"weight": 1, "match": APP_MATCH}]},
        ),
        (
            {
                "podAntiAffinity": {
                    REQUIRED: [
                        {"topologyKey": HOST, "labelSelector": APP, "namespaceSelector": {}},
                        {"topologyKey": "zone", "labelSelector": GPU},
                    ],
                    PREFERRED: [
                        {"weight": 3, "podAffinityTerm": {"topologyKey": HOST, "labelSelector": APP}}
                    ],
                }
            },
            {
                "podAntiAffinity": {
                    "required": [
                        {"topologyKey": HOST, "match": APP_MATCH, "allNamespaces": True},
                        {"topologyKey": "zone", "match": GPU_MATCH},
                    ],
                    "preferred": [{"weight": 3, "topologyKey": HOST, "match": APP_MATCH}],
                }
            },
        ),
        (
            {
                "nodeAffinity": {
                    REQUIRED: {
                        "nodeSelectorTerms": [
                            {"matchExpressions": [{"key": "lifecycle", "values": ["kubeflow-notebook"]}]}
                        ]
                    }
                },
                "podAntiAffinity": {
                    REQUIRED: [
                        {
                            "topologyKey": HOST,
                            "labelSelector": {
                                "matchExpressions": [{"key": "notebook-name", "operator": "Exists"}]
                            },
                            "namespaceSelector": {},
                        }
                    ]
                },
            },
            DEDICATED_NODE_PER_NOTEBOOK,
        ),
    ],
    ids=[
        "none",
        "empty",
        "empty parts",
        "required node",
        "preferred node",
        "anti-affinity",
        "web app example",
    ],
)
def test_an_affinity_teamspace_can_express_is_kept_exactly(affinity, preset):
    assert _preset(affinity) == (preset, [])


NODE = f"{AT}.nodeAffinity"
ONLY = "only matchExpressions can be expressed"
ANTI = f"{AT}.podAntiAffinity"


@pytest.mark.parametrize(
    ("affinity", "preset", "refused"),
    [
        (
            {"podAffinity": {}, "nodeAffinity": {"foo": 1}},
            None,
            [
                f"{AT}.podAffinity: not modelled "
                "(teamspace presets hold node affinity and pod anti-affinity)",
                f"{NODE}.foo: cannot be expressed",
            ],
        ),
        (
            {"nodeAffinity": {REQUIRED: {"nodeSelectorTerms": [GPU, APP]}}},
            None,
            [f"{NODE}.{REQUIRED}: several nodeSelectorTerms (OR) cannot be expressed"],
        ),
        (
            {
                "nodeAffinity": {
                    REQUIRED: {"nodeSelectorTerms": [{"matchFields": [], "matchExpressions": []}]}
                }
            },
            {"required": []},
            [f"{NODE}.{REQUIRED}.nodeSelectorTerms[0]: {ONLY} (found ['matchExpressions', 'matchFields'])"],
        ),
        (
            {"nodeAffinity": {REQUIRED: {"nodeSelectorTerms": [{"matchExpressions": []}]}}},
            {"required": []},
            [f"{NODE}.{REQUIRED}.nodeSelectorTerms[0]: an empty selector cannot be expressed"],
        ),
        (
            {"nodeAffinity": {PREFERRED: [{"weight": 2, "preference": GPU}, {"weight": 4}]}},
            {"preferred": [{"weight": 2, "match": GPU_MATCH}, {"weight": 4, "match": []}]},
            [f"{NODE}.{PREFERRED}[1].preference: {ONLY} (found [])"],
        ),
        (
            {
                "podAntiAffinity": {
                    "other": [],
                    REQUIRED: [
                        {"topologyKey": "zone", "labelSelector": APP},
                        {
                            "namespaces": ["a"],
                            "matchLabelKeys": ["b"],
                            "labelSelector": {"matchLabels": {"a": "b"}},
                        },
                    ],
                }
            },
            {
                "podAntiAffinity": {
                    "required": [
                        {"topologyKey": "zone", "match": APP_MATCH},
                        {"topologyKey": None, "match": []},
                    ]
                }
            },
            [
                f"{ANTI}.other: cannot be expressed",
                f"{ANTI}.{REQUIRED}[1]: matchLabelKeys, namespaces cannot be expressed",
                f"{ANTI}.{REQUIRED}[1].labelSelector: {ONLY} (found ['matchLabels'])",
            ],
        ),
        (
            {
                "podAntiAffinity": {
                    PREFERRED: [
                        {"weight": 1, "podAffinityTerm": {"topologyKey": HOST, "labelSelector": APP}},
                        {"weight": 9},
                    ]
                }
            },
            {
                "podAntiAffinity": {
                    "preferred": [
                        {"weight": 1, "topologyKey": HOST, "match": APP_MATCH},
                        {"weight": 9, "topologyKey": None, "match": []},
                    ]
                }
            },
            [f"{ANTI}.{PREFERRED}[1].labelSelector: {ONLY} (found [])"],
        ),
    ],
    ids=[
        "unknown parts",
        "several terms",
        "match fields",
        "empty selector",
        "no preference",
        "anti-affinity fields",
        "no pod affinity term",
    ],
)
def test_an_affinity_part_teamspace_cannot_express_is_refused_by_its_path(affinity, preset, refused):
    assert _preset(affinity) == (preset, refused)


OTHER = {"required": APP_MATCH}


@pytest.mark.parametrize(
    ("preset", "taken", "name"),
    [
        (OTHER, {}, "affinity-1"),
        (OTHER, {"affinity-1": {}}, "affinity-2"),
        (OTHER, {"affinity-1": {"required": GPU_MATCH}, "affinity-2": {}}, "affinity-3"),
        (OTHER, {"affinity-1": {}, "zonal": dict(OTHER)}, "zonal"),
        (DEDICATED_NODE_PER_NOTEBOOK, {"affinity-1": OTHER}, "dedicated-node-per-notebook"),
        (DEDICATED_NODE_PER_NOTEBOOK, {"dedicated-node-per-notebook": OTHER}, "affinity-1"),
        (OTHER, {"dedicated-node-per-notebook": DEDICATED_NODE_PER_NOTEBOOK}, "affinity-1"),
    ],
    ids=[
        "first",
        "second",
        "next free",
        "identical",
        "web app example",
        "example name taken",
        "not the example",
    ],
)
def test_a_preset_is_named_after_an_identical_one_the_web_app_example_or_the_next_free_number(
    preset, taken, name
):
    assert preset_name(preset, taken) == name
