"""Checks across keys that a single field cannot make: references, uniqueness, quotas."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from . import presets
from .adoption import adoption_problems
from .errors import Problem, key_path
from .kubeflow_checks import kubeflow_problems
from .model import TeamspaceConfig, TeamSpec
from .notebook_plan import NotebookPlan
from .notebook_spec import NotebookSpec
from .quantities import parse_quantity
from .references import reference_problems
from .suggestions import did_you_mean
from .system_namespaces import system_namespace_problems
from .volumes import notebook_volume_problems

# A full reference names a registry or a tag/digest; a bare word is a `teamspace:images` key.
_IMAGE_REFERENCE = re.compile(r"^[a-z0-9][a-z0-9._/:@-]*[/:@][a-z0-9._/:@-]*[a-z0-9]$", re.I)
_RESERVED_MOUNTS = (presets.HOME, "/dev/shm")


def problems(config: TeamspaceConfig) -> list[Problem]:
    """Every cross-key problem of an otherwise well-typed config: names, references, mounts."""
    found = list(_registry_problems(config))
    found += _shared_namespaces(config)
    found += system_namespace_problems(config)
    found += _former_keys(config)
    found += reference_problems(config)
    found += kubeflow_problems(config)
    for team_key, team in config.teams.items():
        found += _team_problems(config, team_key, team)
        found += notebook_volume_problems(team_key, team)
    found += adoption_problems(config)
    return found


def _registry_problems(config: TeamspaceConfig) -> Iterator[Problem]:
    if config.images and config.registry is None:
        yield Problem("registry", "required when teamspace:images is set (images are pushed there)")
    if config.images and config.registry_password is None:
        yield Problem(
            "registryPassword",
            "required when teamspace:images is set; "
            "set it with `pulumi config set --secret teamspace:registryPassword`",
        )
    if config.registry_password is not None and config.registry and not config.registry.username:
        yield Problem("registry.username", "required when teamspace:registryPassword is set")
    if (config.pull_username is None) != (config.pull_password is None):
        missing = "pullPassword" if config.pull_password is None else "pullUsername"
        yield Problem(missing, "pullUsername and pullPassword must be set together")
    if config.pull_password is not None and not config.pull_password.get_secret_value():
        yield Problem("pullPassword", "must not be empty (the clusters would pull with the push one)")
    if config.pull_username and config.registry is None:
        yield Problem("registry", "required when a pull credential is set")


def _shared_namespaces(config: TeamspaceConfig) -> list[Problem]:
    owners: dict[str, list[str]] = defaultdict(list)
    for team_key, team in config.teams.items():
        owners[team.namespace].append(team_key)
    # A namespace equal to the team key may be the default (no `namespace:` written): name the team then.
    return [
        Problem(
            key_path("teams", key) if ns == key else key_path("teams", key, "namespace"),
            f"namespace '{ns}' is also used by team(s) {', '.join(keys[:i])}; each team needs its own",
        )
        for ns, keys in owners.items()
        for i, key in enumerate(keys)
        if i > 0
    ]


def _former_keys(config: TeamspaceConfig) -> list[Problem]:
    """A `previousKey` names the one team whose resources this team takes over."""
    found, claimed = [], {}
    for key, team in config.teams.items():
        previous = team.previous_key
        if previous is None or previous == key:
            continue
        where = key_path("teams", key, "previousKey")
        if previous in config.teams:
            found.append(
                Problem(where, f"'{previous}' is still a team key; a renamed team's old key must be gone")
            )
        elif previous in claimed:
            found.append(
                Problem(where, f"'{previous}' is already the previousKey of team {claimed[previous]}")
            )
        claimed.setdefault(previous, key)
    return found


def _team_problems(config: TeamspaceConfig, team_key: str, team: TeamSpec) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    claims = {name: ("teams", team_key, "volumes", name) for name in team.volumes}
    if "dshm" in claims:  # the pod's shared-memory volume already has that name
        yield Problem(key_path(*claims["dshm"]), "'dshm' is reserved for the notebook's /dev/shm volume")
    homes: dict[str, int] = {}
    for index, notebook in enumerate(team.notebooks):
        at = ("teams", team_key, "notebooks", index)
        named_twice = False
        for field, name in (("name", notebook.name), ("previousName", notebook.previous_name)):
            if name is None:
                continue
            if name in seen and not (name == notebook.name == notebook.previous_name):
                named_twice = True
                yield Problem(
                    key_path(*at, field),
                    f"'{name}' is already used by notebooks[{seen[name]}] in namespace '{team.namespace}'",
                )
            seen.setdefault(name, index)
        if notebook.home_claim in claims:
            yield Problem(
                key_path(*at, "name"),
                f"home volume '{notebook.home_claim}' clashes with {key_path(*claims[notebook.home_claim])}",
            )
        elif notebook.home_claim in homes and not named_twice:  # one claim, one owner
            yield Problem(
                key_path(*at, _home_claim_source(notebook)),
                f"home volume '{notebook.home_claim}' is already the home of notebooks"
                f"[{homes[notebook.home_claim]}]; two notebooks cannot share one home claim",
            )
        homes.setdefault(notebook.home_claim, index)
        if notebook.home_volume == "dshm":
            yield Problem(
                key_path(*at, "homeVolume"), "'dshm' is reserved for the notebook's /dev/shm volume"
            )
        yield from _notebook_problems(config, team, notebook, at)


def plan_problems(config: TeamspaceConfig, plans: dict[str, dict[int, NotebookPlan]]) -> list[Problem]:
    """Problems of the resolved notebooks (by team key and notebook index): limits below
    requests, team quotas."""
    found = []
    for team_key, team_plans in plans.items():
        for index, plan in team_plans.items():
            res = plan.resources
            for field, request, limit in (
                ("cpuLimit", res.cpu, res.cpu_limit),
                ("memoryLimit", res.memory, res.memory_limit),
            ):
                where = ("teams", team_key, "notebooks", index, field)  # formatted only for a problem
                try:
                    too_low = parse_quantity(limit) < parse_quantity(request)
                except ValueError:  # a default limit (request x 1.2) beyond the largest quantity
                    found.append(
                        Problem(
                            key_path(*where),
                            f"the default limit (request {request} x {presets.LIMIT_FACTOR}) "
                            f"is out of range; {field} must be set explicitly",
                        )
                    )
                    continue
                if too_low:
                    found.append(Problem(key_path(*where), f"limit {limit} is below the request {request}"))
        team = config.teams[team_key]
        if team.quota:
            found += _quota_problems(team_key, team, tuple(team_plans.values()))
    return found


def _home_claim_source(notebook: NotebookSpec) -> str:
    """The key that decided a notebook's home claim name."""
    return "homeVolume" if notebook.home_volume else "previousName" if notebook.previous_name else "name"


def _notebook_problems(
    config: TeamspaceConfig, team: TeamSpec, notebook: NotebookSpec, at: tuple
) -> Iterator[Problem]:
    if notebook.size not in config.sizes:
        yield Problem(
            key_path(*at, "size"),
            f"unknown size '{notebook.size}'; "
            f"{did_you_mean(notebook.size, config.sizes)}known: {', '.join(sorted(config.sizes))}",
        )
    yield from _image_problems(config, notebook, at)
    mount_paths: dict[str, str] = {}
    for volume, path in notebook.mounts.items():
        where = key_path(*at, "mounts", volume)
        if volume not in team.volumes:
            known = ", ".join(sorted(team.volumes)) or "none declared"
            yield Problem(
                where, f"unknown team volume '{volume}'; {did_you_mean(volume, team.volumes)}known: {known}"
            )
        if path in _RESERVED_MOUNTS:
            yield Problem(
                where, f"'{path}' is reserved (home volume or shared memory); mount below it instead"
            )
        elif path in mount_paths:
            yield Problem(where, f"mount path '{path}' is already used by mounts.{mount_paths[path]}")
        mount_paths.setdefault(path, volume)


def _image_problems(config: TeamspaceConfig, notebook: NotebookSpec, at: tuple) -> Iterator[Problem]:
    key = notebook.image_key
    if key in config.images:
        built_for = config.images[key].type
        if built_for != notebook.type:
            yield Problem(
                key_path(*at, "image"), f"image '{key}' is built for type {built_for}, not {notebook.type}"
            )
    elif not _IMAGE_REFERENCE.match(key):
        known = ", ".join(sorted(config.images)) or "none declared"
        where = "image" if notebook.image else "type"
        yield Problem(
            key_path(*at, where),
            f"unknown image '{key}': {did_you_mean(key, config.images)}not a key of teamspace:images "
            f"(known: {known}) nor a full reference like registry/repo:tag",
        )


def _quota_problems(team_key: str, team: TeamSpec, plans: tuple[NotebookPlan, ...]) -> Iterator[Problem]:
    quota = team.quota
    assert quota is not None
    need: dict[str, Decimal] = defaultdict(Decimal)
    for plan in plans:
        need["storage"] += parse_quantity(plan.home.size)  # a stopped notebook keeps its PVC
        need["storage"] += sum((parse_quantity(claim.size) for claim in plan.data_claims), Decimal())
        if plan.stopped:
            continue
        res = plan.resources
        need["cpu"] += parse_quantity(res.cpu)
        need["memory"] += parse_quantity(res.memory)
        if res.gpu:
            need[res.gpu_vendor] += res.gpu
    for volume in team.volumes.values():
        need["storage"] += parse_quantity(volume.size)
    limits = {"cpu": quota.cpu, "memory": quota.memory, "storage": quota.storage}
    for field, limit in limits.items():
        if limit is not None and need[field] > parse_quantity(limit):
            what = "PVC sizes" if field == "storage" else f"running notebooks' {field} requests"
            yield Problem(
                key_path("teams", team_key, "quota", field),
                f"{what} add up to {_fmt(need[field], field)}, above the quota {limit}",
            )
    for vendor in sorted(k for k in need if "/" in k):
        if quota.gpu is not None and need[vendor] > quota.gpu.get(vendor, 0):
            yield Problem(
                key_path("teams", team_key, "quota", "gpu"),
                f"running notebooks use {need[vendor]} {vendor}, above the quota {quota.gpu.get(vendor, 0)}",
            )


def _fmt(value: Decimal, field: str) -> str:
    """A total as people write it: CPU in cores, memory and storage in the largest binary unit
    it reaches (a smaller total written in Gi could round to '0Gi', under any quota)."""
    if field != "cpu":
        for suffix, unit in (("Gi", 2**30), ("Mi", 2**20)):
            if value >= unit:
                return f"{(value / unit).quantize(Decimal('0.01')).normalize():f}{suffix}"
    return format(value.normalize(), "f")
