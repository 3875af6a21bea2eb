"""Cross-key checks of members, external configurations and the default-editor pull secrets."""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Problem, key_path
from .kubeflow import kfam_binding_name
from .model import TeamspaceConfig, TeamSpec
from .references import CONTROLLER_LABELS

# AuthorizationPolicy names are DNS-1123 subdomains.
MAX_NAME = 253


def kubeflow_problems(config: TeamspaceConfig) -> Iterator[Problem]:
    """Every problem of the Kubeflow-facing team keys."""
    for team_key, team in config.teams.items():
        yield from _member_problems(team_key, team)
        yield from _external_problems(team_key, team)
        yield from _pull_secret_problems(config, team_key, team)


def _member_problems(team_key: str, team: TeamSpec) -> Iterator[Problem]:
    if team.members and team.profile is None:
        yield Problem(
            key_path("teams", team_key, "members"),
            f"members need teams.{team_key}.profile: KFAM, and so the dashboard's contributor "
            "list, only manage access to Kubeflow profile namespaces; add a profile or drop members",
        )
    seen: dict[str, int] = {}
    names: dict[str, tuple[int, str]] = {}
    for index, member in enumerate(team.members):
        where = key_path("teams", team_key, "members", index, "user")
        if member.user in seen:
            yield Problem(where, f"'{member.user}' is already listed as members[{seen[member.user]}]")
            continue
        seen[member.user] = index
        # The role is part of KFAM's name, but a member may change role: compare the user part.
        name = kfam_binding_name(member.user, "edit").removesuffix("-edit")
        if name in names:
            other_index, other = names[name]
            yield Problem(
                where,
                f"'{member.user}' and members[{other_index}] '{other}' map to the same "
                f"KFAM binding name '{name}-<role>'; KFAM cannot tell them apart",
            )
        names.setdefault(name, (index, member.user))
        if len(member.binding_name) > MAX_NAME:
            yield Problem(
                where,
                f"KFAM's name for '{member.user}' would be {len(member.binding_name)} "
                f"characters; Kubernetes allows {MAX_NAME}",
            )


def _external_problems(team_key: str, team: TeamSpec) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, entry in enumerate(team.external_configurations):
        where = key_path("teams", team_key, "externalConfigurations", index)
        if entry.name in seen:
            yield Problem(
                where, f"'{entry.name}' is already declared as externalConfigurations[{seen[entry.name]}]"
            )
        seen.setdefault(entry.name, index)
        if entry.name in team.configurations:
            yield Problem(
                where,
                f"'{entry.name}' is also a configuration teamspace creates "
                f"(teams.{team_key}.configurations.{entry.name}); keep one",
            )
        if entry.label_key in CONTROLLER_LABELS:
            yield Problem(
                where,
                f"label '{entry.label_key}' collides with a label the notebook controller sets "
                f"({', '.join(CONTROLLER_LABELS)})",
            )


def _pull_secret_problems(config: TeamspaceConfig, team_key: str, team: TeamSpec) -> Iterator[Problem]:
    keep = team.default_editor.keep_pull_secrets
    where = key_path("teams", team_key, "defaultEditor", "keepPullSecrets")
    if keep and not team.default_editor.attach_pull_secret:
        yield Problem(where, "only used with attachPullSecret: true (teamspace then owns the whole list)")
    if config.registry and config.registry.pull_secret_name in keep:
        yield Problem(
            where,
            f"'{config.registry.pull_secret_name}' is the registry pull secret; it is always in the list",
        )
    for index, name in enumerate(keep):
        if name in keep[:index]:
            yield Problem(
                key_path("teams", team_key, "defaultEditor", "keepPullSecrets", index),
                f"'{name}' is listed twice",
            )
