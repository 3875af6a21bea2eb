"""From live objects to a teamspace stack config: `adopt(documents, kubeflow_url)`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from config import ConfigError, load
from config.errors import Problem

from .affinity import preset_name
from .notebooks import adopt_notebook
from .reader import Inventory, inventory_of
from .teams import TeamOutcome, adopt_team

# Force server-side apply over other field managers for this one run: the web app created its
# notebooks under its own manager, and the Notebook's containers list is atomic (docs/adopt.md).
PROVIDER_CONFIG = {"kubernetes:enablePatchForce": "true"}
# The order a notebook's keys are written in, for a readable stack file.
_ORDER = (
    "name",
    "type",
    "image",
    "imagePullPolicy",
    "cpu",
    "cpuLimit",
    "memory",
    "memoryLimit",
    "gpu",
    "gpuVendor",
    "homeVolume",
    "homeSize",
    "homeStorageClass",
    "homeAccessMode",
    "mounts",
    "readOnlyMounts",
    "dataVolumes",
    "configurations",
    "serviceAccountName",
    "imagePullSecrets",
    "shm",
    "nodeSelector",
    "tolerations",
    "affinity",
    "stopped",
)


@dataclass
class Adoption:
    """The generated `teamspace:` config (keys without the prefix) and what the report says."""

    config: dict[str, Any]
    provider_config: dict[str, str]
    teams: list[TeamOutcome]
    inventory: Inventory
    problems: list[Problem] = field(default_factory=list)
    """Validation problems of the generated config (then nothing is safe to run)."""

    @property
    def refused(self) -> bool:
        return bool(self.problems) or any(
            team.findings.refused or any(o.findings.refused for o in team.notebooks) for team in self.teams
        )

    @property
    def exit_code(self) -> int:
        return 3 if self.refused else 0


def adopt(documents: Iterable[dict[str, Any]], kubeflow_url: str) -> Adoption:
    """Adopt every Notebook and claim that teamspace can reproduce; refuse the rest."""
    inventory = inventory_of(documents)
    by_namespace: dict[str, list] = defaultdict(list)
    for document in inventory.notebooks:
        outcome = adopt_notebook(document)
        by_namespace[outcome.namespace].append(outcome)
    namespaces = sorted(set(by_namespace) | set(inventory.profiles))
    teams = [adopt_team(ns, by_namespace.get(ns, []), inventory) for ns in namespaces]
    affinities: dict[str, dict[str, Any]] = {}
    for team in teams:
        for outcome in team.notebooks:
            if outcome.affinity and not outcome.findings.refused:
                name = preset_name(outcome.affinity, affinities)
                affinities[name] = outcome.affinity
                for entry in team.team.get("notebooks", []):
                    if entry["name"] == outcome.name:
                        entry["affinity"] = name
    config: dict[str, Any] = {"kubeflowUrl": kubeflow_url}
    if affinities:
        config["affinities"] = affinities
    config["teams"] = {team.namespace: _ordered(team.team) for team in teams if team.team}
    adopted = sorted(key for team in teams for key in team.adopted)
    if adopted:
        config["adopt"] = adopted
    adoption = Adoption(config, dict(PROVIDER_CONFIG), teams, inventory)
    try:
        load(config)
    except ConfigError as error:
        adoption.problems = list(error.problems)
    return adoption


def _ordered(team: dict[str, Any]) -> dict[str, Any]:
    if "notebooks" in team:
        team = {
            **team,
            "notebooks": [
                {
                    key: entry[key]
                    for key in sorted(entry, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))
                }
                for entry in team["notebooks"]
            ],
        }
    return team
