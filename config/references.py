"""Checks of names that point elsewhere: configurations, secrets, affinity presets, files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import Problem, key_path
from .model import TeamspaceConfig, TeamSpec
from .notebook_plan import own_image_key, own_image_repository
from .requirements_file import requirements_problem
from .secrecy import SECRETS_MAP, set_secret_command
from .suggestions import did_you_mean

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Labels the notebook controller sets on the pod itself; a configuration label must not clash.
CONTROLLER_LABELS = ("app", "notebook-name", "statefulset")


def known_configurations(team: TeamSpec) -> set[str]:
    """Names a notebook's `configurations` may use: created here or declared external."""
    return set(team.configurations) | {entry.name for entry in team.external_configurations}


def _known(names) -> str:
    return ", ".join(sorted(names)) or "none declared"


def reference_problems(config: TeamspaceConfig) -> Iterator[Problem]:
    """Every dangling or clashing reference in the config."""
    for key, spec in config.images.items():
        yield from _file_problems(spec.requirements, ("images", key, "requirements"))
    for name, size in config.sizes.items():
        if size.affinity and size.affinity not in config.affinities:
            yield Problem(
                key_path("sizes", name, "affinity"),
                f"unknown affinity preset '{size.affinity}'; "
                f"{did_you_mean(size.affinity, config.affinities)}known: {_known(config.affinities)}",
            )
    for team_key, team in config.teams.items():
        yield from _configuration_problems(config, team_key, team)
        for index, nb in enumerate(team.notebooks):
            at = ("teams", team_key, "notebooks", index)
            known = known_configurations(team)
            for position, name in enumerate(nb.configurations):
                if name not in known:
                    yield Problem(
                        key_path(*at, "configurations", position),
                        f"unknown configuration '{name}'; {did_you_mean(name, known)}known: {_known(known)} "
                        f"(declare a PodDefault made elsewhere in teams.{team_key}.externalConfigurations)",
                    )
            if nb.affinity and nb.affinity not in config.affinities:
                yield Problem(
                    key_path(*at, "affinity"),
                    f"unknown affinity preset '{nb.affinity}'; "
                    f"{did_you_mean(nb.affinity, config.affinities)}known: {_known(config.affinities)}",
                )
            if nb.requirements:
                yield from _file_problems(nb.requirements, (*at, "requirements"))
                if nb.image_key not in config.images:
                    yield Problem(
                        key_path(*at, "requirements"),
                        "needs an image built here (a key of teamspace:images) to add the requirements to",
                    )
                repository = own_image_repository(own_image_key(team_key, nb.name))
                if repository in config.images:
                    yield Problem(
                        key_path(*at, "requirements"),
                        f"this notebook's own image would be named '{repository}', "
                        "which is already a key of teamspace:images",
                    )


def _configuration_problems(config: TeamspaceConfig, team_key: str, team: TeamSpec) -> Iterator[Problem]:
    for name, configuration in team.configurations.items():
        at = ("teams", team_key, "configurations", name)
        if name in CONTROLLER_LABELS:
            yield Problem(
                key_path(*at),
                f"'{name}' collides with a label the notebook controller sets "
                f"({', '.join(CONTROLLER_LABELS)}); choose another name",
            )
        s3 = configuration.s3
        if s3 is None:
            continue
        if s3.secret_access_key not in config.secrets:
            yield Problem(
                key_path(*at, "s3", "secretAccessKey"),
                f"'{s3.secret_access_key}' is not a key of teamspace:secrets "
                f"(known: {_known(config.secrets)}); "
                f"add it with `{set_secret_command(key_path(SECRETS_MAP, s3.secret_access_key))}`",
            )
        if config.registry and name == config.registry.pull_secret_name:
            yield Problem(key_path(*at), f"its Secret would be named '{name}', like the registry pull secret")


def _file_problems(path: str | None, at: tuple) -> Iterator[Problem]:
    problem = requirements_problem(PROJECT_ROOT, path) if path else None
    if problem:
        yield Problem(key_path(*at), problem)
