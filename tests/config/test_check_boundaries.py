"""Cross-key checks at their boundaries: a quota exactly met, names shared between notebooks,
reserved mount paths. Config layer only (`config.load`), no Pulumi runtime."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError, load

from .loading import problems

IMAGE = "ghcr.io/x/jupyter:v1"


def notebook(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "jupyter", "image": IMAGE, **fields}


def team_config(*notebooks: dict[str, Any], sizes: dict | None = None, **team: Any) -> dict[str, str]:
    """Config values as the CLI passes them (objects JSON-encoded): one team `data`."""
    values: dict[str, Any] = {
        "kubeflowUrl": "https://kf.example.com",
        "teams": {"data": {"notebooks": list(notebooks), **team}},
    }
    if sizes:
        values["sizes"] = sizes
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def paths(values: dict[str, str]) -> list[str]:
    """The key paths of every problem, without the `teamspace:` prefix."""
    try:
        load(values)
    except ConfigError as error:
        return [p.path for p in error.problems]
    return []


# --- quotas: usage exactly equal to the quota is allowed, as Kubernetes allows it ---------------

TWO_SMALL = (notebook("a"), notebook("b"))  # small: 0.5 CPU and 1Gi each, a 10Gi home each


@pytest.mark.parametrize(
    "field, exact, over", [("cpu", "1", "999m"), ("memory", "2Gi", "2047Mi"), ("storage", "20Gi", "20479Mi")]
)
def test_usage_equal_to_the_quota_is_allowed_one_unit_less_is_not(field, exact, over):
    """Two small notebooks need 1 CPU, 2Gi and 20Gi: a quota of exactly that passes, a bit less fails."""
    assert problems(team_config(*TWO_SMALL, quota={field: exact})) == []
    found = problems(team_config(*TWO_SMALL, quota={field: over}))
    assert len(found) == 1 and found[0].startswith(f"teamspace:teams.data.quota.{field}: "), found
    assert f"above the quota {over}" in found[0]


def test_quota_message_says_what_adds_up():
    found = problems(team_config(*TWO_SMALL, quota={"cpu": "999m", "storage": "19Gi"}))
    assert found == [
        "teamspace:teams.data.quota.cpu: running notebooks' cpu requests add up to 1, above the quota 999m",
        "teamspace:teams.data.quota.storage: PVC sizes add up to 20Gi, above the quota 19Gi",
    ]


def test_team_volumes_count_in_the_storage_quota():
    """Home volumes (20Gi) plus the team volume (5Gi): 25Gi fits exactly, 24Gi does not."""
    volumes = {"shared": {"size": "5Gi"}}
    assert problems(team_config(*TWO_SMALL, volumes=volumes, quota={"storage": "25Gi"})) == []
    assert paths(team_config(*TWO_SMALL, volumes=volumes, quota={"storage": "24Gi"})) == [
        "teams.data.quota.storage"
    ]
    assert paths(team_config(*TWO_SMALL, quota={"storage": "24Gi"})) == []


def test_quota_messages_give_cpu_in_cores_and_memory_in_gi():
    """CPU totals read as plain numbers (10, not 1E+1; 40 is not a size), memory and storage in Gi."""
    big = {"big": {"cpu": "5", "memory": "1Gi"}, "huge": {"cpu": "20", "memory": "1536Mi"}}
    found = problems(
        team_config(
            notebook("a", size="big"),
            notebook("b", size="big"),
            sizes=big,
            quota={"cpu": "9", "memory": "1Gi"},
        )
    )
    assert found == [
        "teamspace:teams.data.quota.cpu: running notebooks' cpu requests add up to 10, above the quota 9",
        "teamspace:teams.data.quota.memory: running notebooks' memory requests add up to 2Gi, "
        "above the quota 1Gi",
    ]
    found = problems(
        team_config(
            notebook("a", size="huge"),
            notebook("b", size="huge"),
            sizes=big,
            quota={"cpu": "39", "memory": "2Gi"},
        )
    )
    assert found == [
        "teamspace:teams.data.quota.cpu: running notebooks' cpu requests add up to 40, above the quota 39",
        "teamspace:teams.data.quota.memory: running notebooks' memory requests add up to 3Gi, "
        "above the quota 2Gi",
    ]


def test_a_stopped_notebook_does_not_end_the_count():
    """Notebooks after a stopped one still count."""
    found = paths(
        team_config(notebook("a", stopped=True), notebook("b"), notebook("c"), quota={"cpu": "999m"})
    )
    assert found == ["teams.data.quota.cpu"]


def test_stopped_notebooks_keep_their_storage_but_not_their_cpu():
    stopped = (notebook("a"), notebook("b", stopped=True))
    assert problems(team_config(*stopped, quota={"cpu": "500m", "memory": "1Gi"})) == []
    assert paths(team_config(*stopped, quota={"storage": "19Gi"})) == ["teams.data.quota.storage"]


GPU_SIZE = {"gpu1": {"cpu": "1", "memory": "1Gi", "gpu": 1}}


def test_gpu_usage_equal_to_the_quota_is_allowed():
    one = (notebook("a", size="gpu1"),)
    assert problems(team_config(*one, sizes=GPU_SIZE, quota={"gpu": 1})) == []
    assert problems(team_config(*one, sizes=GPU_SIZE, quota={"gpu": {"nvidia.com/gpu": 1}})) == []
    two = (notebook("a", size="gpu1"), notebook("b", size="gpu1"))
    found = problems(team_config(*two, sizes=GPU_SIZE, quota={"gpu": 1}))
    assert found == [
        "teamspace:teams.data.quota.gpu: running notebooks use 2 nvidia.com/gpu, above the quota 1"
    ]


def test_gpu_zero_on_a_gpu_size_uses_no_gpu():
    """`gpu: 0` overrides the size's GPU: nothing counts against a GPU quota of 0."""
    zero = (notebook("a", size="gpu1", gpu=0),)
    assert problems(team_config(*zero, sizes=GPU_SIZE, quota={"gpu": 0})) == []
    assert paths(team_config(notebook("a", size="gpu1"), sizes=GPU_SIZE, quota={"gpu": 0})) == [
        "teams.data.quota.gpu"
    ]


def test_gpus_of_another_vendor_are_not_in_the_quota():
    amd = (notebook("a", size="gpu1", gpuVendor="amd.com/gpu"),)
    found = problems(team_config(*amd, sizes=GPU_SIZE, quota={"gpu": {"nvidia.com/gpu": 4}}))
    assert found == ["teamspace:teams.data.quota.gpu: running notebooks use 1 amd.com/gpu, above the quota 0"]


# --- names across notebooks ----------------------------------------------------------------------


def test_a_previous_name_equal_to_another_notebooks_name_is_refused():
    """The old name's home volume and identity belong to the other notebook: refused at previousName."""
    found = problems(team_config(notebook("a"), notebook("b", previousName="a")))
    assert found == [
        "teamspace:teams.data.notebooks[1] (b).previousName: 'a' is already used by notebooks[0] "
        "in namespace 'data'"
    ]


def test_a_name_equal_to_an_earlier_notebooks_previous_name_is_refused():
    found = problems(team_config(notebook("b", previousName="a"), notebook("a")))
    assert found == [
        "teamspace:teams.data.notebooks[1].name: 'a' is already used by notebooks[0] in namespace 'data'"
    ]


def test_two_notebooks_with_one_previous_name_are_refused():
    assert paths(team_config(notebook("b", previousName="a"), notebook("c", previousName="a"))) == [
        "teams.data.notebooks[1].previousName"
    ]


def test_a_previous_name_equal_to_its_own_name_is_allowed():
    assert problems(team_config(notebook("a", previousName="a"), notebook("b"))) == []


def test_the_same_notebook_name_in_two_namespaces_is_allowed():
    values = team_config(notebook("a"))
    teams = json.loads(values["teams"])
    teams["other"] = {"notebooks": [notebook("a", previousName="b")], "namespace": "other"}
    teams["third"] = {"notebooks": [notebook("b")]}
    values["teams"] = json.dumps(teams)
    assert problems(values) == []


# --- mount paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/dev/shm", "/home/jovyan"])
def test_reserved_mount_paths_are_refused(path):
    """/dev/shm is the in-memory shared-memory volume, /home/jovyan the home volume."""
    found = problems(team_config(notebook("a", mounts={"shared": path}), volumes={"shared": {"size": "1Gi"}}))
    assert found == [
        f"teamspace:teams.data.notebooks[0] (a).mounts.shared: '{path}' is reserved "
        "(home volume or shared memory); mount below it instead"
    ]


@pytest.mark.parametrize("path", ["/dev/shm/data", "/home/jovyan/shared", "/data"])
def test_paths_below_or_beside_the_reserved_ones_are_allowed(path):
    assert (
        problems(team_config(notebook("a", mounts={"shared": path}), volumes={"shared": {"size": "1Gi"}}))
        == []
    )


def test_one_path_for_two_team_volumes_is_refused():
    volumes = {"one": {"size": "1Gi"}, "two": {"size": "1Gi"}}
    found = problems(team_config(notebook("a", mounts={"one": "/data", "two": "/data"}), volumes=volumes))
    assert found == [
        "teamspace:teams.data.notebooks[0] (a).mounts.two: mount path '/data' is already used by mounts.one"
    ]


def test_a_data_volume_at_dev_shm_is_refused():
    volume = {"mountPath": "/dev/shm", "size": "1Gi"}
    assert problems(team_config(notebook("a", dataVolumes={"a-data": volume}))) == [
        "teamspace:teams.data.notebooks[0] (a).dataVolumes.a-data.mountPath: '/dev/shm' is reserved "
        "(home volume or shared memory)"
    ]


def test_data_volumes_count_in_the_storage_quota():
    """Two 10Gi homes plus a 5Gi data volume: 25Gi fits exactly, 24Gi does not."""
    with_data = (notebook("a", dataVolumes={"a-data": {"mountPath": "/data", "size": "5Gi"}}), notebook("b"))
    assert problems(team_config(*with_data, quota={"storage": "25Gi"})) == []
    assert paths(team_config(*with_data, quota={"storage": "24Gi"})) == ["teams.data.quota.storage"]


@pytest.mark.parametrize(
    "team, path",
    [
        ({"volumes": {"dshm": {"size": "1Gi"}}}, "teams.data.volumes.dshm"),
        ({"notebooks": [notebook("a", homeVolume="dshm")]}, "teams.data.notebooks[0] (a).homeVolume"),
    ],
    ids=["team-volume", "home-volume"],
)
def test_a_volume_named_dshm_is_refused(team, path):
    found = problems(team_config(notebook("a"), **team))
    assert found == [f"teamspace:{path}: 'dshm' is reserved for the notebook's /dev/shm volume"]
