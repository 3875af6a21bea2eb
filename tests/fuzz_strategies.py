"""Hypothesis strategies for the config fuzz tests: valid configs, and configs broken at one
key (a wrong type, a deleted required key, a bad reference)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from devtools.stack_config import Secret

PREFIX = "teamspace:"
TYPES = ("jupyter", "rstudio", "vscode")
BUILTIN_SIZES = ("small", "medium", "large")
EXTERNAL = {
    t: f"ghcr.io/kubeflow/kubeflow/notebook-servers/{image}:v1.11.0"
    for t, image in zip(TYPES, ("jupyter-scipy", "rstudio-tidyverse", "codeserver-python"), strict=True)
}
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

labels = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?", fullmatch=True)
cpus = st.sampled_from(["250m", "0.5", "1", "2"])
memories = st.sampled_from(["512Mi", "1Gi", "2Gi", "4Gi"])
home_sizes = st.sampled_from(["1Gi", "5Gi", "10Gi", "20Gi"])


@st.composite
def sizes(draw) -> dict[str, Any]:
    size = {"cpu": draw(cpus), "memory": draw(memories)}
    if draw(st.booleans()):
        size.update(cpuLimit="4", memoryLimit="8Gi")  # above every request the strategies draw
    return size


@st.composite
def valid_configs(draw) -> dict[str, Any]:
    """A stack config (as in Pulumi.<stack>.yaml, with plaintext Secret passwords) that must load."""
    built = sorted(draw(st.sets(st.sampled_from(TYPES))))
    custom_sizes = draw(st.dictionaries(st.sampled_from(["tiny", "big", "medium"]), sizes(), max_size=2))
    size_names = sorted({*BUILTIN_SIZES, *custom_sizes})
    team_keys = draw(st.lists(labels, min_size=1, max_size=3, unique=True))
    teams = {}
    for key in team_keys:
        team: dict[str, Any] = {}
        volumes = draw(
            st.dictionaries(
                labels.filter(lambda v: v != "dshm" and not v.endswith("-workspace")),
                st.fixed_dictionaries({"size": home_sizes}),
                max_size=2,
            )
        )
        if volumes:
            team["volumes"] = volumes
        names = draw(st.lists(labels, max_size=3, unique=True))
        notebooks = []
        for name in names:
            kind = draw(st.sampled_from(TYPES))
            nb: dict[str, Any] = {"name": name, "type": kind}
            if kind not in built:
                nb["image"] = EXTERNAL[kind]
            if draw(st.booleans()):
                nb["size"] = draw(st.sampled_from(size_names))
            if draw(st.booleans()):
                nb.update(cpu=draw(cpus), memory=draw(memories))
            if draw(st.booleans()):
                nb["homeSize"] = draw(home_sizes)
            if draw(st.booleans()):
                nb["stopped"] = draw(st.booleans())
            mounted = draw(st.lists(st.sampled_from(sorted(volumes)), unique=True)) if volumes else []
            if mounted:
                nb["mounts"] = {volume: f"/home/jovyan/{volume}" for volume in mounted}
            previous = f"{name}-old"
            if draw(st.booleans()) and previous not in names and len(previous) <= 52:
                nb["previousName"] = previous
            notebooks.append(nb)
        if notebooks:
            team["notebooks"] = notebooks
        if draw(st.booleans()):
            team["profile"] = {"owner": f"{key}-lead@example.com"}
        if draw(st.booleans()):
            team["quota"] = {"cpu": "1000", "memory": "10Ti", "storage": "100Ti", "gpu": 64}
        teams[key] = team
    config: dict[str, Any] = {
        "teamspace:kubeflowUrl": draw(
            st.sampled_from(["https://kubeflow.example.com", "http://kf.local:8080/"])
        ),
        "teamspace:teams": teams,
    }
    if built or draw(st.booleans()):
        config["teamspace:registry"] = {"server": "nexus.example.com:5000", "username": "pusher"}
        config["teamspace:registryPassword"] = Secret("push-password")
        if draw(st.booleans()):
            config["teamspace:pullUsername"] = "reader"
            config["teamspace:pullPassword"] = Secret("pull-password")
    if built:
        config["teamspace:images"] = {kind: {"type": kind} for kind in built}
    if custom_sizes:
        config["teamspace:sizes"] = custom_sizes
    if draw(st.booleans()):
        config["teamspace:protectVolumes"] = draw(st.booleans())
    return config


# --- breaking a valid config ---------------------------------------------------------------------


def nodes(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, node) for every node of a config structure, the root included."""
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from nodes(child, (*path, index))


def _set(config: dict, path: tuple, value: Any) -> None:
    node: Any = config
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _delete(config: dict, path: tuple) -> None:
    node: Any = config
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


wrong_values = st.one_of(
    st.integers(-3, 100),
    st.booleans(),
    st.none(),
    st.just([]),
    st.just({}),
    st.just([1, "x"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=6),
    st.sampled_from(["{not json", "[1,", "ABC", "-1", "0", "1 Gi", "Ti", "x" * 60, "/", "a/b:c", "latest"]),
    st.dictionaries(st.sampled_from(["a", "cpu", "name", "type"]), st.integers(0, 3), max_size=2),
)
odd_keys = st.one_of(
    st.sampled_from(["bogus", "nmae", "homesize", "Teams", "x.y", "a b", "notebook", "[0]", '"q"']),
    st.text(min_size=1, max_size=6),
)


def _notebooks(config: dict) -> list[tuple]:
    return [
        path
        for path, node in nodes(config)
        if len(path) == 4
        and path[0] == "teamspace:teams"
        and path[2] == "notebooks"
        and isinstance(node, dict)
    ]


@st.composite
def broken_configs(draw) -> dict[str, Any]:
    """A valid config with one or two random breakages (the result may happen to stay valid)."""
    config = copy.deepcopy(draw(valid_configs()))
    for _ in range(draw(st.integers(1, 2))):
        everything = [path for path, _ in nodes(config) if path]
        kind = draw(
            st.sampled_from(
                [
                    "wrong-type",
                    "unknown-key",
                    "delete-key",
                    "bad-name",
                    "bad-quantity",
                    "unknown-reference",
                    "over-quota",
                    "namespace-clash",
                    "garbage-json",
                ]
            )
        )
        notebooks = _notebooks(config)
        teams = config.get("teamspace:teams")
        teams = teams if isinstance(teams, dict) else {}
        team_maps = sorted(key for key, team in teams.items() if isinstance(team, dict))
        if kind == "wrong-type":
            _set(config, draw(st.sampled_from(everything)), draw(wrong_values))
        elif kind == "unknown-key":
            mappings = [path for path, node in nodes(config) if isinstance(node, dict)]
            where = draw(st.sampled_from(mappings))
            key = draw(odd_keys)
            if not where:
                key = PREFIX + key
            _set(config, (*where, key), draw(st.one_of(wrong_values, st.just("value"))))
        elif kind == "delete-key":
            deletable = [path for path in everything if not isinstance(path[-1], int)]
            _delete(config, draw(st.sampled_from(deletable)))
        elif kind == "bad-name" and notebooks:
            field = draw(st.sampled_from(["name", "previousName"]))
            bad = draw(st.sampled_from(["Lab", "lab_1", "-lab", "lab-", "x" * 53, "", "läb", "a.b"]))
            _set(config, (*draw(st.sampled_from(notebooks)), field), bad)
        elif kind == "bad-name" and teams:
            teams[draw(st.sampled_from(["Team", "team_1", "x" * 64]))] = {}
        elif kind == "bad-quantity" and notebooks:
            field = draw(st.sampled_from(["cpu", "memory", "homeSize", "cpuLimit", "memoryLimit"]))
            _set(
                config,
                (*draw(st.sampled_from(notebooks)), field),
                draw(st.sampled_from(["2 Gi", "-1", "abc", "0", "1GB", "", "1e", "0.0"])),
            )
        elif kind == "unknown-reference" and notebooks:
            at = draw(st.sampled_from(notebooks))
            field, value = draw(
                st.sampled_from(
                    [
                        ("size", "huge"),
                        ("image", "nosuchimage"),
                        ("mounts", {"nosuchvolume": "/home/jovyan/x"}),
                    ]
                )
            )
            _set(config, (*at, field), value)
        elif kind == "over-quota" and notebooks:
            team = draw(st.sampled_from(sorted({path[1] for path in notebooks})))
            teams[team]["quota"] = {"cpu": "1m", "memory": "1Ki", "storage": "1Ki"}
        elif kind == "namespace-clash" and len(team_maps) > 1:
            first, second = draw(st.permutations(team_maps))[:2]
            teams[second]["namespace"] = first
        elif kind == "garbage-json":
            key = draw(
                st.sampled_from(
                    ["teamspace:teams", "teamspace:registry", "teamspace:images", "teamspace:sizes"]
                )
            )
            config[key] = draw(st.sampled_from(["{", "[oops", '{"a": 1', "{}x", "[]]"]))
    return config
