"""A notebook's data volume named like another notebook's home claim: refused at the data
volume, naming where the claim is already declared. `config.volumes` through `config.load`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError, load

DATA = {"a-workspace": {"mountPath": "/data", "size": "1Gi"}}


def notebook(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "jupyter", "image": "ghcr.io/x/jupyter:v1", **fields}


def problems(*notebooks: dict[str, Any]) -> list[str]:
    values = {
        "kubeflowUrl": "https://kf.example.com",
        "teams": json.dumps({"data": {"notebooks": list(notebooks)}}),
    }
    try:
        load(values)
    except ConfigError as error:
        return [str(p) for p in error.problems]
    return []


@pytest.mark.parametrize("home_first", [True, False])
def test_a_data_volume_may_not_take_another_notebooks_home_claim(home_first):
    """`a-workspace` is notebook `a`'s home claim, whichever of the two comes first."""
    home, data = notebook("a"), notebook("b", dataVolumes=DATA)
    found = problems(*((home, data) if home_first else (data, home)))
    home_at, data_at = (0, 1) if home_first else (1, 0)
    assert found == [
        f"teamspace:teams.data.notebooks[{data_at}] (b).dataVolumes.a-workspace: claim 'a-workspace' "
        f"is already declared at teams.data.notebooks[{home_at}].name; "
        "a claim mounted by several notebooks belongs in teams.<team>.volumes"
    ]
