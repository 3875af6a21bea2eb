"""Bad stack config across keys (config/checks.py, config/volumes.py): references to sizes,
images and volumes, names used twice, renamed teams' old keys, limits below requests, mount
paths, quotas and registry credentials. One error naming the key, and nothing registered.
Mistakes in a single key are in tests/test_bad_config.py."""

from __future__ import annotations

import pytest

from .harness import Template, minimal_config
from .refused_config import NB, assert_refused_before_anything_is_created, nb, team

# (id, config overrides, expected substrings of the message: the key path first)
CASES = [
    (
        "unknown size",
        {"teams": team(nb(size="huge"))},
        [f"{NB}.size: unknown size 'huge'; known: large, medium, small"],
    ),
    (
        "unknown image key",
        {"teams": team(nb(image="jupyterr"))},
        [f"{NB}.image: unknown image 'jupyterr'", "known: jupyter"],
    ),
    ("default image missing", {"teams": team(nb(type="rstudio"))}, [f"{NB}.type: unknown image 'rstudio'"]),
    (
        "image of another type",
        {
            "images": {"jupyter": {"type": "jupyter"}, "rs": {"type": "rstudio"}},
            "teams": team(nb(image="rs")),
        },
        [f"{NB}.image: image 'rs' is built for type rstudio, not jupyter"],
    ),
    (
        "unknown volume",
        {"teams": team(nb(mounts={"data": "/home/jovyan/data"}))},
        [f"{NB}.mounts.data: unknown team volume 'data'; known: none declared"],
    ),
    (
        "duplicate notebook names",
        {"teams": team(nb(), nb(type="jupyter"))},
        ["teamspace:teams.data.notebooks[1].name: 'lab' is already used by notebooks[0] in namespace 'data'"],
    ),
    (
        "two teams share a namespace",
        {"teams": {"a": {"namespace": "shared"}, "b": {"namespace": "shared"}}},
        ["teamspace:teams.b.namespace: namespace 'shared' is also used by team(s) a"],
    ),
    (
        "previousKey still a team",
        {"teams": {"a": {}, "b": {"previousKey": "a", "namespace": "b"}}},
        ["teamspace:teams.b.previousKey: 'a' is still a team key; a renamed team's old key must be gone"],
    ),
    (
        "previousKey claimed twice",
        {"teams": {"a": {"previousKey": "old"}, "b": {"previousKey": "old", "namespace": "b"}}},
        ["teamspace:teams.b.previousKey: 'old' is already the previousKey of team a"],
    ),
    (
        "limit below request",
        {"teams": team(nb(cpu="2", cpuLimit="1"))},
        [f"{NB}.cpuLimit: limit 1 is below the request 2"],
    ),
    (
        "memory limit below request",
        {"teams": team(nb(memory="4Gi", memoryLimit="1Gi"))},
        [f"{NB}.memoryLimit: limit 1Gi is below the request 4Gi"],
    ),
    (
        "mount over home",
        {"teams": team(nb(mounts={"ds": "/home/jovyan"}), volumes={"ds": {"size": "1Gi"}})},
        [f"{NB}.mounts.ds: '/home/jovyan' is reserved"],
    ),
    (
        "duplicated mount path",
        {
            "teams": team(
                nb(mounts={"a": "/data", "b": "/data"}), volumes={"a": {"size": "1Gi"}, "b": {"size": "1Gi"}}
            )
        },
        [f"{NB}.mounts.b: mount path '/data' is already used by mounts.a"],
    ),
    (
        "cpu over quota",
        {"teams": team(nb(size="large"), quota={"cpu": "2"})},
        ["teamspace:teams.data.quota.cpu: running notebooks' cpu requests add up to 4, above the quota 2"],
    ),
    (
        "memory over quota",
        {"teams": team(nb(size="large"), quota={"memory": "8Gi"})},
        ["teamspace:teams.data.quota.memory: running notebooks' memory requests add up to 16Gi"],
    ),
    (
        "gpu over quota",
        {"teams": team(nb(gpu=2), quota={"gpu": 1})},
        ["teamspace:teams.data.quota.gpu: running notebooks use 2 nvidia.com/gpu, above the quota 1"],
    ),
    (
        "storage over quota",
        {"teams": team(nb(homeSize="50Gi"), quota={"storage": "20Gi"}, volumes={})},
        ["teamspace:teams.data.quota.storage: PVC sizes add up to 50Gi, above the quota 20Gi"],
    ),
    (
        "missing registry password",
        {"registryPassword": None},
        [
            "teamspace:registryPassword: required when teamspace:images is set",
            "pulumi config set --secret teamspace:registryPassword",
        ],
    ),
    ("missing registry", {"registry": None}, ["teamspace:registry: required when teamspace:images is set"]),
    (
        "pull username without password",
        {"pullUsername": "reader"},
        ["teamspace:pullPassword: pullUsername and pullPassword must be set together"],
    ),
    (
        "data volume at home",
        {"teams": team(nb(dataVolumes={"d": {"mountPath": "/home/jovyan", "size": "1Gi"}}))},
        [f"{NB}.dataVolumes.d.mountPath: '/home/jovyan' is reserved (home volume or shared memory)"],
    ),
    (
        "data volume is a team volume",
        {
            "teams": team(
                nb(dataVolumes={"ds": {"mountPath": "/d", "size": "1Gi"}}), volumes={"ds": {"size": "1Gi"}}
            )
        },
        [f"{NB}.dataVolumes.ds: claim 'ds' is already declared at teams.data.volumes.ds"],
    ),
    (
        "read-only mount that is not a mount",
        {"teams": team(nb(readOnlyMounts=["ds"]))},
        [f"{NB}.readOnlyMounts[0]: 'ds' is not one of this notebook's mounts (known: none)"],
    ),
    (
        "home clashes with team volume",
        {"teams": team(nb(), volumes={"lab-workspace": {"size": "1Gi"}})},
        [
            "teamspace:teams.data.notebooks[0].name: home volume 'lab-workspace' "
            "clashes with teams.data.volumes.lab-workspace"
        ],
    ),
]


@pytest.mark.parametrize("overrides,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_is_refused_before_anything_is_created(overrides, expected):
    """The program stops with ConfigError naming the key; no resource was registered."""
    assert_refused_before_anything_is_created(overrides, expected)


def test_cross_key_checks_follow_type_checks():
    """Cross-key checks (sizes, images, quotas) run once every value has the right type, and say so."""
    config = minimal_config(kubeflowUrl="ftp://x", teams=team(nb(size="huge")))
    message = str(Template.synth(config, expect_error=True).result.error)
    assert "kubeflowUrl" in message and "references and quotas are checked once these are fixed" in message
