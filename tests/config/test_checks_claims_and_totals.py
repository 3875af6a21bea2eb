"""Cross-key problems whose exact text was not pinned: the key that chose a clashing home claim
(previousName) and how quota totals are written near the Mi and Gi boundaries. Config layer only
(`config.load`), no Pulumi runtime."""

from __future__ import annotations

from typing import Any

import pytest

from .loading import team_problems as problems

IMAGE = "ghcr.io/x/jupyter:v1"


def notebook(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "jupyter", "image": IMAGE, **fields}


def test_a_home_claim_taken_through_a_previous_name_is_refused_at_previous_name():
    """`old-workspace` is notebooks[0]'s homeVolume; `new` reaches it through previousName `old`."""
    found = problems(notebook("a", homeVolume="old-workspace"), notebook("new", previousName="old"))
    assert found == [
        "teamspace:teams.data.notebooks[1] (new).previousName: home volume 'old-workspace' is already "
        "the home of notebooks[0]; two notebooks cannot share one home claim"
    ]


@pytest.mark.parametrize(
    "memory, quota, total",
    [
        ("1023Ki", "1000Ki", "1047552"),  # below 1Mi: bytes
        ("1Mi", "512Ki", "1Mi"),  # exactly 1Mi: not '0Gi', which would read as under the quota
        ("1536Ki", "1Mi", "1.5Mi"),
        ("1023Mi", "1000Mi", "1023Mi"),
        ("1Gi", "1000Mi", "1Gi"),
        ("1536Mi", "1Gi", "1.5Gi"),
    ],
)
def test_a_memory_total_is_written_in_the_largest_binary_unit_it_reaches(memory, quota, total):
    found = problems(notebook("a", memory=memory), quota={"memory": quota})
    assert found == [
        f"teamspace:teams.data.quota.memory: running notebooks' memory requests add up to {total}, "
        f"above the quota {quota}"
    ]


def test_a_cpu_total_is_written_in_cores_however_large():
    """2^20 cores is a count of cores, not a memory size: no binary unit."""
    found = problems(notebook("a", cpu="1048576"), quota={"cpu": "1048575"})
    assert found == [
        "teamspace:teams.data.quota.cpu: running notebooks' cpu requests add up to 1048576, "
        "above the quota 1048575"
    ]
