"""Placement (components/placement.py): an affinity preset of each shape, rendered into the
notebook's pod exactly (node terms alone, preferred terms alone, pod anti-affinity alone)."""

from __future__ import annotations

import json

import pytest

from components import NotebookServer, NotebookServerArgs
from config import resolve

from .mock_render import of_type, render

NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"
ZONE_A = {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
APP_EXISTS = {"matchExpressions": [{"key": "app", "operator": "Exists"}]}


def affinity_of(preset: dict) -> dict | None:
    """The `affinity` of the pod of a notebook using `preset`, None if the pod has none."""
    plan = resolve(
        {
            "kubeflowUrl": "https://kf.example.com",
            "affinities": json.dumps({"preset": preset}),
            "teams": json.dumps(
                {
                    "data": {
                        "notebooks": [
                            {
                                "name": "lab",
                                "type": "jupyter",
                                "image": "r.example.com/j:1",
                                "affinity": "preset",
                            }
                        ]
                    }
                }
            ),
        }
    ).notebooks["data"][0]
    args = NotebookServerArgs(plan=plan, image="r.example.com/j:1", pull_secret=None, protect_volumes=True)
    (notebook,) = of_type(render(lambda: NotebookServer("data-lab", args)), NOTEBOOK)
    return notebook["spec"]["template"]["spec"].get("affinity")


@pytest.mark.parametrize(
    "preset, affinity",
    [
        (
            {"preferred": [{"weight": 10, "match": [{"key": "zone", "values": ["a"]}]}]},
            {
                "nodeAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 10, "preference": ZONE_A}]
                }
            },
        ),
        (
            {"required": [{"key": "gpu", "operator": "Exists"}, {"key": "zone", "values": ["a"]}]},
            {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {"key": "gpu", "operator": "Exists"},
                                    *ZONE_A["matchExpressions"],
                                ]
                            }
                        ]
                    }
                }
            },
        ),
        (
            {
                "podAntiAffinity": {
                    "required": [
                        {
                            "topologyKey": "kubernetes.io/hostname",
                            "match": [{"key": "app", "operator": "Exists"}],
                        }
                    ]
                }
            },
            {
                "podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"labelSelector": APP_EXISTS, "topologyKey": "kubernetes.io/hostname"}
                    ]
                }
            },
        ),
        (
            {
                "podAntiAffinity": {
                    "preferred": [
                        {"weight": 5, "topologyKey": "zone", "match": [{"key": "app", "operator": "Exists"}]}
                    ]
                }
            },
            {
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 5, "podAffinityTerm": {"labelSelector": APP_EXISTS, "topologyKey": "zone"}}
                    ]
                }
            },
        ),
    ],
    ids=[
        "preferred-nodes-only",
        "required-nodes-only",
        "anti-affinity-required-only",
        "anti-affinity-preferred-only",
    ],
)
def test_each_shape_of_preset_renders_only_what_it_declares(preset, affinity):
    """An operator without values (Exists) has no `values`; a part the preset leaves out is absent
    rather than empty."""
    assert affinity_of(preset) == affinity
