"""A notebook's limits against its requests, checked on the resolved notebook: a limit equal to
the request is allowed, a default limit (request x 1.2) beyond the largest quantity is refused by
name. Config layer only (`config.load`)."""

from __future__ import annotations

from typing import Any

import pytest

from .loading import team_problems as problems

NB = "teamspace:teams.data.notebooks[0] (a)"
LARGEST_CPU = "9223372036854775807"  # 2^63-1, the largest quantity: x 1.2 is beyond it


def notebook(**fields: Any) -> dict[str, Any]:
    return {"name": "a", "type": "jupyter", "image": "ghcr.io/x/jupyter:v1", **fields}


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"cpu": "2", "cpuLimit": "2", "memory": "3Gi", "memoryLimit": "3Gi"}, []),
        ({"cpu": "2", "cpuLimit": "1999m"}, [f"{NB}.cpuLimit: limit 1999m is below the request 2"]),
        (
            {"memory": "2Gi", "memoryLimit": "2047Mi"},
            [f"{NB}.memoryLimit: limit 2047Mi is below the request 2Gi"],
        ),
        (
            {"cpu": LARGEST_CPU},
            [
                f"{NB}.cpuLimit: the default limit (request {LARGEST_CPU} x 1.2) is out of range; "
                "cpuLimit must be set explicitly"
            ],
        ),
        (
            {"cpu": LARGEST_CPU, "memory": "7Ei"},
            [
                f"{NB}.cpuLimit: the default limit (request {LARGEST_CPU} x 1.2) is out of range; "
                "cpuLimit must be set explicitly",
                f"{NB}.memoryLimit: the default limit (request 7Ei x 1.2) is out of range; "
                "memoryLimit must be set explicitly",
            ],
        ),
        ({"cpu": LARGEST_CPU, "cpuLimit": LARGEST_CPU, "memory": "7Ei", "memoryLimit": "7Ei"}, []),
    ],
    ids=[
        "equal",
        "cpu-below",
        "memory-below",
        "cpu-default-out-of-range",
        "both-out-of-range",
        "largest-set",
    ],
)
def test_limits_against_requests(fields, expected):
    assert problems(notebook(**fields)) == expected
