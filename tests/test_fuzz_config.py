"""Fuzzed stack config (hypothesis, derandomized): valid and broken configs go to `config.load`
(values as the CLI passes them) and to the whole program under mocks. The only outcomes are a
valid model or ConfigError; an error registers nothing and names key paths of the input."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import ConfigError, TeamspaceConfig, load
from config.errors import key_path
from offline.runtime import run_program
from offline.stack_config import Secret, to_runtime

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


# --- oracles -------------------------------------------------------------------------------------


def cli_values(config: dict[str, Any]) -> dict[str, str]:
    """What the Pulumi CLI hands the program: string values, objects JSON-encoded, no prefix."""
    values, _ = to_runtime(config)
    return {key[len(PREFIX) :]: value for key, value in values.items() if key.startswith(PREFIX)}


def decoded_input(values: dict[str, str]) -> dict[str, Any]:
    """The values as a user wrote them: JSON objects and lists decoded."""
    out = {}
    for key, value in values.items():
        try:
            out[key] = json.loads(value) if value[:1] in ("{", "[") else value
        except ValueError:
            out[key] = value
    return out


def key_paths(data: Any) -> tuple[set[str], dict[str, set]]:
    """Every key path in `data` (as ConfigError prints them), and mapping path -> its keys."""
    paths, mappings = set(), {}
    for path, node in nodes(data):
        paths.add(key_path(*path))
        if isinstance(node, dict):
            mappings[key_path(*path)] = {key_path(*path, key) for key in node}
    return paths, mappings


def check_problem_paths(error: ConfigError, values: dict[str, str]) -> None:
    """Each problem names an input key path, or a required key missing at an existing mapping."""
    paths, mappings = key_paths(decoded_input(values))
    assert error.problems
    for problem in error.problems:
        assert str(problem) in str(error)  # printed with its (decorated) path
        if problem.path in paths:
            continue
        required = "required" in problem.message or "must be set" in problem.message
        parent = next(
            (p for p in mappings if problem.path.startswith(p) and _one_segment(problem.path, p)), None
        )
        assert required and parent is not None, f"{problem} names no key of the input {sorted(paths)}"


def _one_segment(path: str, parent: str) -> bool:
    rest = path[len(parent) :]
    if parent:
        return (rest.startswith(".") and "." not in rest[1:] and "[" not in rest) or (
            rest.startswith('["') and rest.endswith('"]') and rest.count('"]') == 1
        )
    return "." not in rest and "[" not in rest


def check_load(config: dict[str, Any]) -> Any:
    """load() gives a model or ConfigError (with sound paths); returns the model or the error.
    It is told the secret keys, as the program is, so a plaintext password is a problem in both."""
    values = cli_values(config)
    secret_keys = {key[len(PREFIX) :] for key in to_runtime(config)[1]}
    try:
        model = load(values, secret_keys)
    except ConfigError as error:
        check_problem_paths(error, values)
        return error
    assert isinstance(model, TeamspaceConfig)
    return model


def check_program(config: dict[str, Any], loaded: Any) -> None:
    """The whole program agrees with load(): success, or ConfigError with nothing registered."""
    result = run_program(config)
    if isinstance(loaded, ConfigError):
        assert isinstance(result.error, ConfigError), repr(result.error)
        assert result.registrations == []
        assert result.error.problems == loaded.problems
    else:
        assert result.error is None, repr(result.error)


@FUZZ
@given(valid_configs())
def test_valid_configs_load_and_run(config):
    """Generated valid configs load to a model and the program registers them without error."""
    loaded = check_load(config)
    assert isinstance(loaded, TeamspaceConfig), loaded
    check_program(config, loaded)


@settings(FUZZ, max_examples=400)
@given(broken_configs())
def test_broken_configs_fail_only_with_config_error(config):
    """Broken configs: a model or ConfigError, never another exception; errors register nothing."""
    check_program(config, check_load(config))


@settings(FUZZ, max_examples=40)
@given(
    valid_configs().filter(lambda c: any(t.get("notebooks") for t in c["teamspace:teams"].values())),
    st.sampled_from(["2 Gi", "-1", "abc", "0", "1GB", "", "0.0"]),
    st.sampled_from(["cpu", "memory", "homeSize", "cpuLimit", "memoryLimit"]),
)
def test_bad_quantity_is_reported_at_its_key(config, bad, field):
    """A bad quantity is a ConfigError naming exactly that notebook key."""
    team = next(key for key, t in config["teamspace:teams"].items() if t.get("notebooks"))
    config["teamspace:teams"][team]["notebooks"][0][field] = bad
    error = check_load(config)
    assert isinstance(error, ConfigError)
    assert key_path("teams", team, "notebooks", 0, field) in [p.path for p in error.problems]


@settings(FUZZ, max_examples=40)
@given(
    valid_configs().filter(lambda c: any(t.get("notebooks") for t in c["teamspace:teams"].values())),
    st.sampled_from(["size", "image", "mount"]),
)
def test_unknown_reference_is_reported_at_its_key(config, reference):
    """A size, image or mount that names nothing declared is a ConfigError at that key."""
    team = next(key for key, t in config["teamspace:teams"].items() if t.get("notebooks"))
    nb = config["teamspace:teams"][team]["notebooks"][0]
    at = ("teams", team, "notebooks", 0)
    if reference == "size":
        nb["size"], where = "huge", key_path(*at, "size")
    elif reference == "image":
        nb["image"], where = "nosuchimage", key_path(*at, "image")
    else:
        nb["mounts"], where = {"nosuchvolume": "/home/jovyan/x"}, key_path(*at, "mounts", "nosuchvolume")
    error = check_load(config)
    assert isinstance(error, ConfigError)
    assert where in [p.path for p in error.problems]
    check_program(config, error)


@settings(FUZZ, max_examples=30)
@given(
    valid_configs().filter(
        lambda c: any(
            any(not nb.get("stopped") for nb in t.get("notebooks", ())) for t in c["teamspace:teams"].values()
        )
    )
)
def test_over_quota_is_reported_at_the_quota(config):
    """A quota below what the team's running notebooks request is a ConfigError at teams.<team>.quota."""
    team = next(
        key
        for key, t in config["teamspace:teams"].items()
        if any(not nb.get("stopped") for nb in t.get("notebooks", ()))
    )
    config["teamspace:teams"][team]["quota"] = {"cpu": "1m"}
    error = check_load(config)
    assert isinstance(error, ConfigError)
    assert key_path("teams", team, "quota", "cpu") in [p.path for p in error.problems]
    check_program(config, error)


@pytest.mark.parametrize(
    "values",
    [
        {"kubeflowUrl": "https://kf.example.com", "teams": '{"a": {"namespace": "b"}, "b": {}}'},
        {"kubeflowUrl": "https://kf.example.com", "teams": '{"a": {}, "b": {"namespace": "a"}}'},
    ],
)
def test_namespace_clash_names_an_input_key(values):
    """Two teams in one namespace: the error names a key the user wrote, whichever team defaulted."""
    error = check_load({PREFIX + k: json.loads(v) if v[:1] == "{" else v for k, v in values.items()})
    assert isinstance(error, ConfigError)
