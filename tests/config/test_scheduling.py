"""The toleration a GPU notebook gets by default (`config.scheduling.gpu_toleration`): the
vendor's taint for its resource and for every other resource of that vendor, none otherwise."""

from __future__ import annotations

import pytest

from config.scheduling import gpu_toleration


@pytest.mark.parametrize(
    "vendor, key",
    [
        ("nvidia.com/gpu", "nvidia.com/gpu"),
        ("nvidia.com/mig-1g.10gb", "nvidia.com/gpu"),
        ("amd.com/gpu", "amd.com/gpu"),
        ("amd.com/mi300", "amd.com/gpu"),
        ("habana.ai/gaudi", "habana.ai/gaudi"),
        ("habana.ai/gaudi2", "habana.ai/gaudi"),
        ("example.com/fpga", None),
        ("gpu", None),
        ("nvidia.comx/gpu", None),
    ],
)
def test_a_gpu_resource_tolerates_its_vendors_taint(vendor, key):
    toleration = gpu_toleration(vendor)
    if key is None:
        assert toleration is None
    else:
        assert toleration.model_dump(exclude_none=True) == {"key": key, "operator": "Exists"}
