"""The config model's own defaults and shapes: a team's namespace defaulting to its key (its
former key after a rename), and a quota's GPU count given bare or per vendor. Config layer
only (`config.load`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError, load


def values(**config: Any) -> dict[str, str]:
    """Config values as the CLI passes them (objects JSON-encoded)."""
    base: dict[str, Any] = {"kubeflowUrl": "https://kf.example.com", **config}
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in base.items()}


def problems(config: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as refused:
        load(config)
    return [str(p) for p in refused.value.problems]


# --- a team's namespace ------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["previousKey", "previous_key"])
def test_a_renamed_team_keeps_the_namespace_of_its_former_key(spelling):
    config = load(values(teams={"analytics": {spelling: "data"}, "ml": {}}))
    assert config.teams["analytics"].namespace == "data"
    assert config.teams["analytics"].previous_key == "data"
    assert config.teams["ml"].namespace == "ml"


def test_a_namespace_written_wins_over_the_former_key():
    config = load(values(teams={"analytics": {"previousKey": "data", "namespace": "shared"}}))
    assert config.teams["analytics"].namespace == "shared"


# --- quota.gpu ---------------------------------------------------------------------------------

GPU = "teamspace:teams.data.quota.gpu"


def quota_gpu(gpu: Any) -> dict[str, int]:
    quota = load(values(teams={"data": {"quota": {"gpu": gpu}}})).teams["data"].quota
    assert quota is not None and quota.gpu is not None
    return dict(quota.gpu)


@pytest.mark.parametrize("count", [0, 64])
def test_a_bare_gpu_count_from_0_to_64_counts_the_default_vendor(count):
    assert quota_gpu(count) == {"nvidia.com/gpu": count}


@pytest.mark.parametrize("count", [-1, 65])
def test_a_bare_gpu_count_out_of_range_is_refused_at_the_gpu_key(count):
    found = problems(values(teams={"data": {"quota": {"gpu": count}}}))
    assert found == [f"{GPU}: must be a GPU count from 0 to 64"]


@pytest.mark.parametrize("gpu", ["two", True, [1]])
def test_a_gpu_quota_that_is_neither_count_nor_map_is_refused(gpu):
    found = problems(values(teams={"data": {"quota": {"gpu": gpu}}}))
    assert found == [
        f"{GPU}: must be a GPU count, or a map of vendor "
        "(nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi) to count"
    ]
