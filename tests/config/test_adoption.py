"""config/adoption.py and config/system_namespaces.py: which objects a stack declares (and so may
adopt), the engine's import ids, and the problems an `adopt` list or a team's namespace can have."""

from __future__ import annotations

from typing import Any

from config import load
from config.adoption import QUOTA_NAME, adoption_problems, declared_objects, import_id, object_key
from config.system_namespaces import SYSTEM_NAMESPACES

from .loading import KUBEFLOW_URL, encoded, problems

NOTEBOOK = {"name": "lab", "type": "jupyter", "image": "ghcr.io/x/jupyter:v1"}
TEAMS = {
    "data": {
        "profile": {"owner": "ann@example.com"},
        "quota": {"cpu": "8"},
        "configurations": {"proxy": {"env": {"HTTP_PROXY": "http://proxy:3128"}}},
        "volumes": {"shared": {"size": "10Gi"}},
        "notebooks": [
            {**NOTEBOOK, "dataVolumes": {"scratch": {"mountPath": "/scratch", "size": "1Gi"}}},
            {**NOTEBOOK, "name": "old", "homeVolume": "old-vol"},
        ],
    },
    "ml": {"namespace": "ml-ns", "quota": {"cpu": "4"}, "notebooks": [NOTEBOOK]},
    "bare": {"notebooks": [NOTEBOOK]},
}


def values(**config: Any) -> dict[str, str]:
    return encoded({"kubeflowUrl": KUBEFLOW_URL, "teams": TEAMS, **config})


def test_the_declared_objects():
    assert declared_objects(load(values())) == {
        "Profile/data",
        "PodDefault/data/proxy",
        "PersistentVolumeClaim/data/shared",
        "Notebook/data/lab",
        "PersistentVolumeClaim/data/lab-workspace",
        "PersistentVolumeClaim/data/scratch",
        "Notebook/data/old",
        "PersistentVolumeClaim/data/old-vol",
        f"ResourceQuota/ml-ns/{QUOTA_NAME}",
        "Notebook/ml-ns/lab",
        "PersistentVolumeClaim/ml-ns/lab-workspace",
        "Notebook/bare/lab",
        "PersistentVolumeClaim/bare/lab-workspace",
    }


def test_object_keys_and_import_ids():
    assert object_key("Profile", None, "data") == "Profile/data"
    assert object_key("Notebook", "data", "lab") == "Notebook/data/lab"
    adopted = frozenset({"Profile/data", "Notebook/data/lab"})
    assert import_id(adopted, "Profile", None, "data") == "data"
    assert import_id(adopted, "Notebook", "data", "lab") == "data/lab"
    assert import_id(adopted, "Notebook", "data", "other") is None
    assert import_id(adopted, "Profile", None, "ml") is None


def test_what_is_declared_may_be_adopted():
    adopt = ["Profile/data", "Notebook/ml-ns/lab", f"ResourceQuota/ml-ns/{QUOTA_NAME}"]
    config = load(values(adopt=adopt))
    assert list(adoption_problems(config)) == []


def test_adopt_entries_that_cannot_be_adopted():
    adopt = [
        "Secret/data/nexuscred",
        "Notebook/data/lab",
        "Notebook/data/lab",
        "Notebook/data/lba",
        "Profile/xyzxyzxyzxyzxyzxyz",
        "Notebook",
    ]
    assert problems(values(adopt=adopt)) == [
        "teamspace:adopt[0]: 'Secret/data/nexuscred': unknown kind 'Secret'; allowed: "
        "Notebook, PersistentVolumeClaim, PodDefault, Profile, ResourceQuota",
        "teamspace:adopt[2]: 'Notebook/data/lab' is listed twice",
        "teamspace:adopt[3]: 'Notebook/data/lba' is not an object this stack declares; "
        "did you mean 'Notebook/data/lab'?",
        "teamspace:adopt[4]: 'Profile/xyzxyzxyzxyzxyzxyz' is not an object this stack declares",
        "teamspace:adopt[5]: 'Notebook' is not an object this stack declares; "
        "did you mean 'Notebook/data/old'?",
    ]


def test_an_undeclared_entry_listed_twice_is_listed_twice():
    assert problems(values(adopt=["Notebook/data/nope", "Notebook/data/nope"]))[1] == (
        "teamspace:adopt[1]: 'Notebook/data/nope' is listed twice"
    )


def test_a_system_namespace_is_refused_where_it_was_written():
    teams = {  # a team in its own namespace first: the others are still checked
        "c": {"namespace": "c", "notebooks": [NOTEBOOK]},
        "kubeflow": {"notebooks": [NOTEBOOK]},
        "a": {"namespace": "kube-system", "notebooks": [NOTEBOOK]},
        "b": {"previousKey": "default", "notebooks": [NOTEBOOK]},
    }
    allowed = ", ".join(SYSTEM_NAMESPACES)
    assert problems(values(teams=teams)) == [
        f"teamspace:teams.a.namespace: namespace 'kube-system' belongs to the cluster or Kubeflow; "
        f"teams may not use {allowed}",
        f"teamspace:teams.b.previousKey: namespace 'default' belongs to the cluster or Kubeflow; "
        f"teams may not use {allowed}",
        f"teamspace:teams.kubeflow: namespace 'kubeflow' belongs to the cluster or Kubeflow; "
        f"teams may not use {allowed}",
    ]
