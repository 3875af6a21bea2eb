"""The whole text `make adopt` prints (adopt/report.py), line for line: for each adoption
fixture (expected texts in tests/fixtures/adopt/reports/) and for an input that reaches the
report's other parts (an adopted quota, a refused team volume, ignored objects, a generated
stack that does not validate, a control character in a name)."""

from __future__ import annotations

import copy

import pytest

from adopt import adopt
from adopt.report import report
from tests.adoption import FIXTURES, URL, adopted, fixture_documents

NEXT = (
    "next: back up, then `pulumi preview --diff` and check it as docs/adopt.md shows; "
    "after the first `pulumi up`, switch adoption off (docs/adopt.md, step 7)."
)


@pytest.mark.parametrize("fixture", ["field_notes", "gpu", "profile_quota", "refused", "stopped", "web_app"])
def test_the_report_of_each_fixture_is_exactly_its_expected_text(fixture: str):
    expected = (FIXTURES / "reports" / f"{fixture}.txt").read_text(encoding="utf-8")
    assert report(adopted(fixture), "Pulumi.adopted.yaml") + "\n" == expected


def test_quota_refused_team_volume_ignored_objects_and_problems_are_reported_in_order():
    documents = copy.deepcopy(fixture_documents("field_notes"))
    documents += [
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "teamspace-quota", "namespace": "matilda"},
            "spec": {"hard": {"requests.cpu": "lots", "requests.nvidia.com/gpu": 2}},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": "token", "namespace": "matilda"},
        },
        {"apiVersion": "v1", "kind": "Thing\x1b[2J", "metadata": {"name": "x"}},
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "results.v1", "namespace": "matilda"},
            "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}},
        },
    ]
    assert report(adopt(documents, URL), "out.yaml").splitlines() == [
        "adopt: 1 of 1 notebooks and 1 claims adopted into out.yaml",
        "",
        "namespace matilda (team matilda)",
        "  notebook test-notebook (jupyter): adopted",
        "    changes on the first up (in place; the notebook restarts):",
        "      - label app.kubernetes.io/part-of: teamspace added",
        "      - annotation notebooks.kubeflow.org/server-type: jupyter added",
        "      - securityContext.fsGroup: (none) -> 100",
        "      - container securityContext: allowPrivilegeEscalation false, privileged false",
        "    pull secret nexuscred: referenced by name and kept as it is",
        "  claim results.v1: not adopted (mounted by no notebook, and not declarable as a team volume)",
        "  claim test-notebook-vol: adopted as the home of notebook test-notebook",
        "  ResourceQuota/matilda/teamspace-quota: adopted as the team's quota",
        "  REFUSED claim results.v1: mounted by no notebook, so a team volume, "
        "whose name must be a DNS label",
        "  change: claim test-notebook-vol: label app: test-notebook, "
        "app.kubernetes.io/part-of: teamspace set (in place)",
        "",
        "ignored (not read): 1 Secret of type Opaque, 1 Thing?[2J",
        "",
        "the generated stack does not validate; fix these before `pulumi preview`:",
        "  - teamspace:teams.matilda.quota.cpu: 'lots' is not a Kubernetes quantity "
        "(e.g. 500m, 2, 1Gi, 512Mi)",
        "",
        NEXT,
    ]


def test_a_notebook_refused_before_its_type_is_known_shows_a_question_mark():
    documents = copy.deepcopy(fixture_documents("gpu"))
    (train,) = (d for d in documents if d["kind"] == "Notebook" and d["metadata"]["name"] == "train")
    train["metadata"]["annotations"]["notebooks.kubeflow.org/server-type"] = "weird"
    lines = report(adopt(documents, URL), "out.yaml").splitlines()
    assert lines[0] == "adopt: 1 of 2 notebooks and 1 claims adopted into out.yaml"
    assert "  notebook train (?): REFUSED, not in the stack file" in lines


def test_an_external_configuration_under_another_label_is_reported_with_its_label():
    documents = copy.deepcopy(fixture_documents("web_app"))
    (pipelines,) = (d for d in documents if d["metadata"]["name"] == "access-ml-pipeline")
    pipelines["metadata"]["name"] = "kfp-access"
    lines = report(adopt(documents, URL), "out.yaml").splitlines()
    assert lines[-3] == (
        "  PodDefault kfp-access (label access-ml-pipeline): external configuration, selected but not managed"
    )
