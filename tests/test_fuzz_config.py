"""Fuzzed stack config (hypothesis, derandomized): valid and broken configs go to `config.load`
(values as the CLI passes them) and to the whole program under mocks. The only outcomes are a
valid model or ConfigError; an error registers nothing and names key paths of the input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError, TeamspaceConfig, load
from config.errors import key_path
from devtools.runtime import run_program
from devtools.stack_config import to_runtime

from .fuzz_strategies import FUZZ, PREFIX, broken_configs, nodes, valid_configs

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
