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


def test_toleration_seconds_are_checked_against_the_effect_of_their_own_toleration():
    config = with_notebook(
        tolerations=[
            {"key": "gpu", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30},
            {"key": "gpu", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 30},
        ]
    )
    assert problems(config) == [
        f"{NB}.tolerations[1]: tolerationSeconds is only allowed with effect NoExecute"
    ]


def test_a_node_requirement_the_api_server_refuses_is_refused_at_its_index_with_the_rule():
    required = [
        {"key": "pool", "operator": "In", "values": ["gpu"]},
        {"key": "-pool", "operator": "Exists"},
        {"key": "pool", "operator": "Exists", "values": ["gpu"]},
        {"key": "size", "operator": "Gt", "values": ["big"]},
    ]
    at = "teamspace:affinities.gpu.required"
    assert problems(values(affinities={"gpu": {"required": required}})) == [
        f"{at}[1]: key '-pool' is not a qualified name: an optional DNS prefix and '/', then at most "
        "63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        f"{at}[2]: operator Exists takes no values",
        f"{at}[3]: operator Gt takes exactly one integer value",
    ]
