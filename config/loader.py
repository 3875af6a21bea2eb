"""The one place that reads `teamspace:*` stack config and turns it into a TeamspaceConfig."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError

from . import checks, secrecy
from .errors import PREFIX, ConfigError, Problem, key_path, with_notebook_name
from .model import TeamspaceConfig
from .plan import StackPlan, plan_notebooks
from .quoting import shown
from .suggestions import did_you_mean

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_stack_config() -> StackPlan:
    """Validate the running stack's `teamspace:*` config (as the Pulumi CLI passes it) and
    resolve every notebook."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    stack_config = pulumi.Config(PREFIX.rstrip(":"))
    known = [field.alias or name for name, field in TeamspaceConfig.model_fields.items()]
    values = {key: stack_config.get(key) for key in known}
    # pulumi.Config reads one known key at a time; a misspelt key must still be seen to be
    # reported, so the keys the runtime was given are listed too.
    given = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    values.update(
        {
            k[len(PREFIX) :]: v
            for k, v in given.items()
            if k.startswith(PREFIX) and k[len(PREFIX) :] not in known
        }
    )
    values = {key: value for key, value in values.items() if value is not None}
    secret_env = set(runtime_config.get_config_secret_keys_env())
    secret_keys = {
        k for k in values if runtime_config.is_config_secret(PREFIX + k) or PREFIX + k in secret_env
    }
    try:
        stack = resolve(values, secret_keys, secrecy.stack_file_problems(PROJECT_ROOT, pulumi.get_stack()))
    except ConfigError as error:
        # Messages quote offending values; never one the stack marks secret (e.g. a password
        # set with `config set --secret` on the wrong key), nor a secret key's plaintext.
        secrets = [
            v
            for k, v in values.items()
            if k in secret_keys or k in (*secrecy.SECRET_KEYS, secrecy.SECRETS_MAP)
        ]
        raise _redacted(error, secrets) from None
    config = stack.config
    warning = secrecy.pull_fallback_warning(
        config.pull_username,
        config.teams,
        config.registry and config.registry.username,
        config.registry_password is not None,
    )
    if warning:
        pulumi.log.warn(warning)
    return stack


def load(
    values: Mapping[str, Any],
    secret_keys: Collection[str] | None = None,
    found_elsewhere: Sequence[Problem] = (),
) -> TeamspaceConfig:
    """The validated config model of `values` (see `resolve`)."""
    return resolve(values, secret_keys, found_elsewhere).config


def resolve(
    values: Mapping[str, Any],
    secret_keys: Collection[str] | None = None,
    found_elsewhere: Sequence[Problem] = (),
) -> StackPlan:
    """Validate config values keyed without the `teamspace:` prefix and resolve each notebook;
    raise ConfigError listing all problems.

    Values arrive as the CLI passes them: strings, with objects and lists JSON-encoded.
    `secret_keys` (the keys the stack marks secret), when given, makes a plaintext password
    or `secrets` entry a problem; `found_elsewhere` (e.g. in the stack file) is reported too.
    """
    elsewhere = list(found_elsewhere)
    if secret_keys is not None:
        elsewhere += secrecy.runtime_problems(values, secret_keys)
    data = {key: value if key in _SCALAR_KEYS else _decode(value) for key, value in values.items()}
    try:
        config = TeamspaceConfig.model_validate(data)
    except ValidationError as error:
        problems = [_problem(e) for e in error.errors() if not _defaulted_namespace(e, data)] + elsewhere
        raise ConfigError(
            _naming_notebooks(problems, data), note="references and quotas are checked once these are fixed"
        ) from None
    plans = plan_notebooks(config)
    found = elsewhere + checks.problems(config) + checks.plan_problems(config, plans)
    if found:
        raise ConfigError(_naming_notebooks(found, data))
    return StackPlan(config, {team: tuple(by_index.values()) for team, by_index in plans.items()})


# `teams.<key>.notebooks[<i>]`, the team key plain or quoted (key_path quotes unusual keys).
_NOTEBOOK_PATH = re.compile(
    r'^teams(?:\.(?P<plain>[A-Za-z0-9_-]+)|\["(?P<quoted>[^"]*)"\])\.notebooks\[(?P<index>\d+)\]'
)


def _naming_notebooks(problems: list[Problem], data: Mapping[str, Any]) -> list[Problem]:
    """Paths into a notebook list also name the notebook: `teams.matilda.notebooks[1] (reports).size`
    (except a problem with `name` itself, whose message quotes it)."""
    teams = data.get("teams") if isinstance(data.get("teams"), dict) else {}
    named = []
    for problem in problems:
        match = _NOTEBOOK_PATH.match(problem.path)
        team = teams.get(match["plain"] or match["quoted"]) if match else None
        notebooks = team.get("notebooks") if isinstance(team, dict) else None
        index = int(match["index"]) if match else -1
        notebook = notebooks[index] if isinstance(notebooks, list) and 0 <= index < len(notebooks) else None
        name = notebook.get("name") if isinstance(notebook, dict) else None
        # A problem with the name itself quotes the name already.
        about_name = problem.path[match.end() :] == ".name" if match else False
        if match and not about_name and isinstance(name, str) and name:  # quoted: a name may be hostile
            problem = dataclasses.replace(
                problem, shown_as=with_notebook_name(match[0], name, problem.path[match.end() :])
            )
        named.append(problem)
    return named


def _redacted(error: ConfigError, secret_values: list[Any]) -> ConfigError:
    """`error` with every string inside the secret config values replaced by "[secret]"."""
    leaves: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            leaves.add(value)
            decoded = _decode(value)
            if decoded is not value:
                collect(decoded)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for value in secret_values:
        collect(value)
    for leaf in sorted((v for v in leaves if len(v) >= 4), key=len, reverse=True):
        error.problems = [
            dataclasses.replace(p, message=p.message.replace(leaf, "[secret]")) for p in error.problems
        ]
        error.args = tuple(str(arg).replace(leaf, "[secret]") for arg in error.args)
    return error


def _defaulted_namespace(error: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """An error in a namespace the user did not write: it is the team key, reported at its own path."""
    loc = tuple(error["loc"])
    teams = data.get("teams")
    team = (
        teams.get(loc[1])
        if len(loc) == 3 and loc[::2] == ("teams", "namespace") and isinstance(teams, dict)
        else None
    )
    return isinstance(team, dict) and "namespace" not in team


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _problem(error: Mapping[str, Any]) -> Problem:
    loc = list(error["loc"])
    kind = error["type"]
    if loc and loc[-1] == "[key]":
        loc.pop()
        return Problem(key_path(*loc), f"invalid key: {_reason(error)}")
    path = key_path(*loc)
    if kind == "extra_forbidden":
        return Problem(path, _unknown_key(loc))
    if kind == "missing":
        return Problem(path, "required key is missing")
    if kind == "model_type":  # pydantic would name our model class, which means nothing in a stack file
        return Problem(
            path, f"must be a mapping of keys, not {type(error['input']).__name__} {error['input']!r:.40}"
        )
    if kind in ("bool_parsing", "bool_type"):
        return Problem(path, f"'{shown(str(error['input']))}' is not a boolean; write true or false")
    if kind in ("literal_error", "enum"):
        allowed = error.get("ctx", {}).get("expected", "").replace("'", "")
        return Problem(path, f"unknown value '{error['input']}'; allowed: {allowed.replace(' or ', ', ')}")
    return Problem(path, _reason(error))


def _reason(error: Mapping[str, Any]) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _unknown_key(loc: list) -> str:
    allowed = sorted(_allowed_keys(loc[:-1]))
    return f"unknown key '{loc[-1]}'; {did_you_mean(str(loc[-1]), allowed)}allowed: {', '.join(allowed)}"


def _allowed_keys(loc: list) -> list[str]:
    """The camelCase keys the model accepts at a location, e.g. ('teams', 'x', 'notebooks', 0)."""
    current: Any = TeamspaceConfig
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(f for n, f in current.model_fields.items() if part in (n, f.alias))
            current = field.annotation
        else:  # Mapping[K, V] -> V; tuple[V, ...] -> V
            current = typing.get_args(current)[-1 if typing.get_origin(current) is not tuple else 0]
    current = _unwrap(current)
    return [f.alias or n for n, f in current.model_fields.items()]


def _unwrap(annotation: Any) -> Any:
    # Optional[X] -> X; Annotated[X, ...] -> X
    while (
        typing.get_origin(annotation) in (typing.Union, typing.Annotated)
        or str(typing.get_origin(annotation)) == "<class 'types.UnionType'>"
    ):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0]
    return annotation


# A scalar key keeps its string even when it looks like JSON (a password may start with "[").
# Derived from the model once: it is the same for every run.
_SCALAR_KEYS = frozenset(
    field.alias
    for field in TeamspaceConfig.model_fields.values()
    if _unwrap(field.annotation) in (str, SecretStr, bool)
)
