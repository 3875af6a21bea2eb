"""Which PodDefaults teamspace takes over as configurations (adopt/configurations.py): a table
of PodDefault specs, the configuration each becomes (or None: it stays external) and the
changes the first `up` makes to it."""

from __future__ import annotations

import pytest

from adopt.configurations import select

TOKEN_PATH = {"name": "KF_PIPELINES_SA_TOKEN_PATH", "value": "/var/run/secrets/kubeflow/pipelines/token"}
TOKEN_VOLUMES = [
    {
        "name": "volume-kf-pipeline-token",
        "projected": {
            "sources": [
                {
                    "serviceAccountToken": {
                        "path": "token",
                        "expirationSeconds": 7200,
                        "audience": "pipelines.kubeflow.org",
                    }
                }
            ]
        },
    }
]
TOKEN_MOUNTS = [
    {"name": "volume-kf-pipeline-token", "mountPath": "/var/run/secrets/kubeflow/pipelines", "readOnly": True}
]
PIPELINES = {"env": [TOKEN_PATH], "volumes": TOKEN_VOLUMES, "volumeMounts": TOKEN_MOUNTS}


def secret(name: str, key: str, secret_name: str = "creds") -> dict:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret_name, "key": key}}}


DESC_ADDED = "PodDefault cfg: a description (desc) is added"
REORDERED = "PodDefault cfg: env reordered as teamspace renders it"


@pytest.mark.parametrize(
    "spec, managed, changes",
    [
        (
            {"desc": "D", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "x y"}]},
            {"env": {"A": "1", "B": "x y"}, "desc": "D"},
            [],
        ),
        (
            {"env": [{"name": "B", "value": "2"}, {"name": "A", "value": ""}]},
            {"env": {"B": "2", "A": ""}},
            [DESC_ADDED, REORDERED],
        ),
        ({"desc": "D", **PIPELINES}, {"pipelines": True, "desc": "D"}, []),
        (
            {"desc": "D", **PIPELINES, "env": [secret("K", "K"), TOKEN_PATH, {"name": "A", "value": "1"}]},
            {
                "env": {"A": "1"},
                "pipelines": True,
                "secretEnv": {"secret": "creds", "keys": ["K"]},
                "desc": "D",
            },
            ["PodDefault cfg: env reordered as teamspace renders it"],
        ),
        (
            {"desc": "D", "env": [secret("K", "K"), secret("L", "L")]},
            {"secretEnv": {"secret": "creds", "keys": ["K", "L"]}, "desc": "D"},
            [],
        ),
        ({"desc": "D", **PIPELINES, "env": [{**TOKEN_PATH, "value": "/elsewhere/token"}]}, None, []),
        ({"desc": "D", **PIPELINES, "env": []}, None, []),
        ({"desc": "D", **PIPELINES, "volumeMounts": [{**TOKEN_MOUNTS[0], "readOnly": False}]}, None, []),
        ({"desc": "D", "env": [TOKEN_PATH], "volumes": TOKEN_VOLUMES}, None, []),
        ({"desc": "D", "env": [{"name": "A", "value": "1"}], "volumes": TOKEN_VOLUMES}, None, []),
        ({"desc": "D", "env": [{"name": "A", "value": "1"}], "volumeMounts": TOKEN_MOUNTS}, None, []),
        ({"desc": "D", "env": [secret("K", "K"), secret("L", "L", "other")]}, None, []),
        ({"desc": "D", "env": [secret("K", "k")]}, None, []),
        (
            {
                "desc": "D",
                "env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "K"}}}],
            },
            None,
            [],
        ),
        (
            {
                "desc": "D",
                "env": [
                    {"name": "K", "valueFrom": {"secretKeyRef": {"name": "c", "key": "K", "optional": True}}}
                ],
            },
            None,
            [],
        ),
        ({"desc": "D", "env": [{"name": "K", "value": "1", "valueFrom": {}}]}, None, []),
        ({"desc": "D", "env": [{"name": "A", "value": 1}]}, None, []),
        ({"desc": "D", "env": {"A": "1"}}, None, []),
        ({"desc": "D", "env": ["A=1"]}, None, []),
        ({"desc": "D", "env": [{"name": "A", "value": "1"}], "annotations": {"a": "b"}}, None, []),
        ({"desc": "D"}, None, []),
    ],
)
def test_a_podDefault_becomes_a_configuration_only_when_teamspace_renders_it_the_same(spec, managed, changes):
    document = {
        "kind": "PodDefault",
        "metadata": {"name": "cfg", "namespace": "data"},
        "spec": {"selector": {"matchLabels": {"cfg": "true"}}, **spec},
    }
    selection = select("cfg", [document])
    assert (selection.name, selection.label, selection.managed) == ("cfg", "cfg", managed)
    assert selection.findings.changes == (changes if managed else [])
    assert selection.external_entry == "cfg"


@pytest.mark.parametrize("name", ["access-ml-pipeline", "app", "notebook-name", "statefulset"])
def test_podDefaults_named_like_kubeflow_or_its_controllers_labels_stay_external(name):
    document = {
        "kind": "PodDefault",
        "metadata": {"name": name, "namespace": "data"},
        "spec": {
            "selector": {"matchLabels": {name: "true"}},
            "desc": "D",
            "env": [{"name": "A", "value": "1"}],
        },
    }
    assert select(name, [document]).managed is None


@pytest.mark.parametrize(
    "selector", [{"matchLabels": {"cfg": "true", "other": "true"}}, {"matchLabels": {"cfg": True}}, None]
)
def test_a_label_no_podDefault_selects_exactly_is_declared_external_with_a_note(selector):
    document = {
        "kind": "PodDefault",
        "metadata": {"name": "cfg"},
        "spec": {"selector": selector, "desc": "D"},
    }
    selection = select("cfg", [document])
    assert (selection.name, selection.managed, selection.external_entry) == ("cfg", None, "cfg")
    assert selection.findings.notes == [
        "no PodDefault selecting cfg: \"true\" in the input; declared as the external configuration 'cfg'"
    ]
