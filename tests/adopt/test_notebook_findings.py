"""What `make adopt` says about one live Notebook (adopt/notebooks.py, pod_volumes.py,
affinity.py, shapes.py): each refusal names the exact field of the object and why, and the
affinity a notebook keeps is read in full."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from adopt.notebooks import adopt_notebook
from tests.adoption import fixture_documents

AT = "spec.template.spec"
ANTI = "requiredDuringSchedulingIgnoredDuringExecution"


def _notebook(edit: Callable[[dict[str, Any]], Any]):
    """The field notes' Notebook (adopted as it is) with one edit to its pod spec."""
    document = copy.deepcopy(next(d for d in fixture_documents("field_notes") if d["kind"] == "Notebook"))
    edit(document["spec"]["template"])
    return adopt_notebook(document)


@pytest.mark.parametrize(
    ("edit", "refusal"),
    [
        (lambda t: t["spec"].update(hostNetwork=True), f"{AT}.hostNetwork: not modelled"),
        (lambda t: t["spec"].update(containers=[]), f"{AT}: not a valid pod spec: no containers"),
        (
            lambda t: t.update(spec={}),
            f"{AT}: not a valid pod spec: (top): 'containers' is a required property",
        ),
        (
            lambda t: t["spec"].update(containers=[None]),
            f"{AT}: not a valid pod spec: containers.0: a list item is null",
        ),
        (
            lambda t: t["spec"]["volumes"].append({"name": "cfg", "configMap": {"name": "c"}}),
            f"{AT}.volumes[1]: volume 'cfg' (configMap) is not modelled; "
            "teamspace mounts PVCs and an in-memory /dev/shm",
        ),
        (
            lambda t: t["spec"].update(affinity={"podAffinity": {}}),
            f"{AT}.affinity.podAffinity: not modelled "
            "(teamspace presets hold node affinity and pod anti-affinity)",
        ),
        (
            lambda t: t["spec"].update(
                affinity={
                    "podAntiAffinity": {
                        ANTI: [
                            {
                                "topologyKey": "kubernetes.io/hostname",
                                "labelSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]},
                                "namespaceSelector": {"matchLabels": {"team": "a"}},
                            }
                        ]
                    }
                }
            ),
            f"{AT}.affinity.podAntiAffinity.{ANTI}[0].namespaceSelector: "
            "only {} (all namespaces) can be expressed",
        ),
        (
            lambda t: t["spec"]["containers"][0]["resources"].update(claims=[{"name": "dra"}]),
            f"{AT}.containers[0].resources.claims: not modelled",
        ),
        (
            lambda t: t["spec"]["containers"][0]["resources"]["limits"].update({"nvidia.com/gpu": "500m"}),
            f"{AT}.containers[0].resources.limits.nvidia.com/gpu: '500m' is not a whole number of devices",
        ),
        (
            lambda t: t["spec"]["securityContext"].update(runAsNonRoot=True),
            f"{AT}.securityContext.runAsNonRoot: not modelled",
        ),
    ],
    ids=[
        "unknown pod field",
        "no containers",
        "no containers key",
        "null list item",
        "configMap volume",
        "pod affinity",
        "namespace selector",
        "resource claims",
        "fractional GPU",
        "pod security field",
    ],
)
def test_a_field_teamspace_cannot_keep_is_refused_by_its_path(edit, refusal):
    assert _notebook(edit).findings.refused == [refusal]


def test_a_pod_without_a_service_account_gets_default_stated_explicitly():
    outcome = _notebook(lambda t: t["spec"].pop("serviceAccountName"))
    assert not outcome.findings.refused
    assert "serviceAccountName: default (implicit) -> set explicitly" in outcome.findings.changes
    assert outcome.entry["serviceAccountName"] == "default"


def test_a_container_already_unprivileged_needs_no_security_change():
    def unprivileged(template):
        template["spec"]["containers"][0]["securityContext"] = {
            "allowPrivilegeEscalation": False,
            "privileged": False,
        }

    changes = _notebook(unprivileged).findings.changes
    assert not [change for change in changes if change.startswith("container securityContext")]
    assert "container securityContext: allowPrivilegeEscalation false, privileged false" in (
        _notebook(lambda t: None).findings.changes
    )


def test_preferred_node_affinity_is_kept_with_its_weight_and_expressions():
    preferred = [
        {
            "weight": 5,
            "preference": {"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["a100"]}]},
        }
    ]
    outcome = _notebook(
        lambda t: t["spec"].update(
            affinity={"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": preferred}}
        )
    )
    assert not outcome.findings.refused
    assert outcome.affinity == {
        "preferred": [{"weight": 5, "match": [{"key": "gpu", "operator": "In", "values": ["a100"]}]}]
    }


def test_a_name_kubeflow_could_not_serve_is_refused_with_the_rule_it_breaks():
    document = copy.deepcopy(next(d for d in fixture_documents("field_notes") if d["kind"] == "Notebook"))
    document["metadata"]["name"] = "Test_Notebook"
    assert adopt_notebook(document).findings.refused == [
        "metadata.name: 'Test_Notebook' is not a DNS-1123 label "
        "(lowercase letters, digits and '-', starting and ending with a letter or digit)"
    ]
