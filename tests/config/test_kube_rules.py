"""Label values (nodeSelector values, an Equal toleration's value) and tolerations the API server
refuses, refused with the whole rule at the exact key; mount paths without their trailing slash.
Config layer only (`config.load`); the rules themselves are in tests/test_kube_rules.py."""

from __future__ import annotations

from .test_check_messages import NOTEBOOK, problems, values

NB = "teamspace:teams.data.notebooks[0] (lab)"
RULE = (
    "is not a label value: at most 63 letters, digits, '-', '_' or '.', "
    "starting and ending with a letter or digit"
)


def with_notebook(**fields) -> dict[str, str]:
    return values(teams={"data": {"notebooks": [{**NOTEBOOK, **fields}]}})


def test_a_bad_label_value_is_refused_with_the_whole_rule():
    config = with_notebook(
        nodeSelector={"pool": "-gpu", "zone": "z" * 63},
        tolerations=[{"key": "gpu", "operator": "Equal", "value": "a_", "effect": "NoSchedule"}],
    )
    assert problems(config) == [
        f"{NB}.nodeSelector.pool: '-gpu' {RULE}",
        f"{NB}.tolerations[0]: value 'a_' {RULE}",
    ]


def two_mounts(one: str, two: str) -> dict[str, str]:
    volumes = {"one": {"size": "1Gi"}, "two": {"size": "1Gi"}}
    return values(
        teams={"data": {"volumes": volumes, "notebooks": [{**NOTEBOOK, "mounts": {"one": one, "two": two}}]}}
    )


def test_a_mount_path_loses_its_trailing_slash_and_nothing_else():
    """`/data/` is `/data` (the same mount twice); `/mnt/X` is not `/mnt`."""
    assert problems(two_mounts("/data", "/data/")) == [
        f"{NB}.mounts.two: mount path '/data' is already used by mounts.one"
    ]
    assert problems(two_mounts("/mnt", "/mnt/X")) == []


def test_a_toleration_the_api_server_refuses_is_refused_at_its_index_with_the_rule():
    config = with_notebook(
        tolerations=[
            {"operator": "Equal", "effect": "NoSchedule"},
            {"key": "gpu", "operator": "Exists", "value": "x"},
        ]
    )
    assert problems(config) == [
        f"{NB}.tolerations[0]: a toleration without a key matches every taint, "
        "so its operator must be Exists",
        f"{NB}.tolerations[1]: value must be empty when operator is Exists",
    ]
