"""A notebook's data volumes against the other claims and mount paths of its namespace: a
home claim's name, a path already mounted. Refused at the data volume with the exact key path.
`config.volumes` through `config.load`."""

from __future__ import annotations

from typing import Any

import pytest

from .loading import team_problems as problems

DATA = {"a-workspace": {"mountPath": "/data", "size": "1Gi"}}
DATA_SET = {"ds": {"mountPath": "/data", "size": "1Gi"}}


def notebook(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "jupyter", "image": "ghcr.io/x/jupyter:v1", **fields}


@pytest.mark.parametrize("home_first", [True, False])
def test_a_data_volume_may_not_take_another_notebooks_home_claim(home_first):
    """`a-workspace` is notebook `a`'s home claim, whichever of the two comes first."""
    home, data = notebook("a"), notebook("b", dataVolumes=DATA)
    found = problems(*((home, data) if home_first else (data, home)))
    home_at, data_at = (0, 1) if home_first else (1, 0)
    assert found == [
        f"teamspace:teams.data.notebooks[{data_at}] (b).dataVolumes.a-workspace: claim 'a-workspace' "
        f"is already declared at teams.data.notebooks[{home_at}] (a).name; "
        "a claim mounted by several notebooks belongs in teams.<team>.volumes"
    ]


def test_a_data_volume_declared_by_two_notebooks_names_the_first_owner_like_any_key_path():
    """The owner's path carries the notebook's name after its index, as the refused key does."""
    found = problems(notebook("a", dataVolumes=DATA_SET), notebook("b", dataVolumes=DATA_SET))
    assert found == [
        "teamspace:teams.data.notebooks[1] (b).dataVolumes.ds: claim 'ds' is already declared at "
        "teams.data.notebooks[0] (a).dataVolumes.ds; "
        "a claim mounted by several notebooks belongs in teams.<team>.volumes"
    ]


def test_a_data_volume_at_a_path_already_mounted_is_refused_at_its_mount_path():
    data = {"a-data": {"mountPath": "/data", "size": "1Gi"}, "b-data": {"mountPath": "/data", "size": "1Gi"}}
    found = problems(
        notebook("a", mounts={"shared": "/data"}, dataVolumes=data), volumes={"shared": {"size": "1Gi"}}
    )
    at = "teamspace:teams.data.notebooks[0] (a).dataVolumes"
    assert found == [
        f"{at}.a-data.mountPath: mount path '/data' is already used by mounts.shared",
        f"{at}.b-data.mountPath: mount path '/data' is already used by mounts.shared",
    ]
    found = problems(notebook("a", dataVolumes=data))
    assert found == [f"{at}.b-data.mountPath: mount path '/data' is already used by dataVolumes.a-data"]


AT = "teamspace:teams.data.notebooks"
SHARED_BY_SEVERAL = "a claim mounted by several notebooks belongs in teams.<team>.volumes"


@pytest.mark.parametrize(
    "notebooks, team, expected",
    [
        (
            [notebook("a", dataVolumes={"shared": {"mountPath": "/data", "size": "1Gi"}})],
            {"volumes": {"shared": {"size": "1Gi"}}},
            [
                f"{AT}[0] (a).dataVolumes.shared: claim 'shared' is already declared at "
                f"teams.data.volumes.shared; {SHARED_BY_SEVERAL}"
            ],
        ),
        (
            [notebook("a", dataVolumes={"a-workspace": {"mountPath": "/d", "size": "1Gi"}})],
            {},
            [
                f"{AT}[0] (a).dataVolumes.a-workspace: claim 'a-workspace' is already declared at "
                f"teams.data.notebooks[0] (a).name; {SHARED_BY_SEVERAL}"
            ],
        ),
        (
            [notebook("a", dataVolumes={"d": {"mountPath": "/home/jovyan", "size": "1Gi"}})],
            {},
            [
                f"{AT}[0] (a).dataVolumes.d.mountPath: '/home/jovyan' is reserved "
                "(home volume or shared memory)"
            ],
        ),
        (
            [
                notebook("a", readOnlyMounts=["x"]),
                notebook("b", mounts={"s": "/s", "r": "/r"}, readOnlyMounts=["s", "y"]),
            ],
            {"volumes": {"s": {"size": "1Gi"}, "r": {"size": "1Gi"}}},
            [
                f"{AT}[0] (a).readOnlyMounts[0]: 'x' is not one of this notebook's mounts (known: none)",
                f"{AT}[1] (b).readOnlyMounts[1]: 'y' is not one of this notebook's mounts (known: r, s)",
            ],
        ),
    ],
    ids=["a-team-volumes-claim", "its-own-home-claim", "the-home-path", "read-only-mounts"],
)
def test_volume_problems_are_named_exactly(notebooks, team, expected):
    assert problems(*notebooks, **team) == expected
