"""Config edits for the data-safety tests, and the engine's model (devtools/volume_fate.py, the
one `make plan-diff` uses too) applied to runs of the program before and after an edit."""

from __future__ import annotations

import copy
from collections.abc import Callable

from devtools import volume_fate
from devtools.recording_monitor import Registration
from devtools.render import tracked_resources
from devtools.runtime import RunResult
from devtools.volume_fate import Fate

from .harness import Template


def match(before: RunResult, after: RunResult) -> dict[str, Registration | None]:
    """Old URN -> the new registration that takes it over (by URN or alias), or None (deleted)."""
    matching = volume_fate.match(tracked_resources(before), tracked_resources(after))
    assert not matching.conflicts and not matching.coarse, matching
    by_urn = {r.urn: r for r in after.registrations}
    return {urn: by_urn[new.urn] if new else None for urn, new in matching.takeover.items()}


def claim_fates(before: RunResult, after: RunResult) -> list[Fate]:
    """The fate of every PVC of `before` when `after` is applied."""
    return volume_fate.claim_fates(tracked_resources(before), tracked_resources(after))


# --- config edits ------------------------------------------------------------------------------


def edited(config: dict, change: Callable[[dict], None]) -> dict:
    """A deep copy of a stack config with `change` applied to its `teamspace:teams` map."""
    config = copy.deepcopy(config)
    change(config["teamspace:teams"])
    return config


def notebook(teams: dict, team: str, name: str) -> dict:
    return next(nb for nb in teams[team]["notebooks"] if nb["name"] == name)


def run(config: dict) -> RunResult:
    return Template.synth(config).result


def by_name(result: RunResult, name: str) -> Registration:
    found = [r for r in result.registrations if r.name == name]
    assert len(found) == 1, (name, [r.name for r in result.registrations])
    return found[0]


def rename(teams):
    notebook(teams, "matilda", "analysis").update(name="analysis-v2", previousName="analysis")


def resize(teams):
    notebook(teams, "matilda", "analysis")["size"] = "large"
    notebook(teams, "matilda", "ide")["size"] = "medium"


def change_type(teams):
    notebook(teams, "matilda", "reports")["type"] = "vscode"


def stop(teams):
    notebook(teams, "matilda", "analysis")["stopped"] = True


def start(teams):
    notebook(teams, "matilda", "ide")["stopped"] = False


def remove(teams):
    teams["matilda"]["notebooks"] = [nb for nb in teams["matilda"]["notebooks"] if nb["name"] != "reports"]


def grow_home(teams):
    notebook(teams, "matilda", "analysis")["homeSize"] = "50Gi"
    notebook(teams, "vision", "lab")["homeSize"] = "30Gi"


def add_mount(teams):
    notebook(teams, "matilda", "ide")["mounts"] = {"datasets": "/home/jovyan/datasets"}


def add_quota(teams):
    teams["vision"]["quota"] = {"cpu": "8", "memory": "32Gi", "storage": "100Gi"}


def add_profile(teams):
    teams["vision"]["profile"] = {"owner": "vision-lead@example.com"}


def remove_profile(teams):
    del teams["matilda"]["profile"]
    teams["matilda"].pop("members", None)  # members need a profile (a config error otherwise)


def remove_team(teams):
    del teams["matilda"]


def rename_team(teams):
    teams["matilda-ds"] = {**teams.pop("matilda"), "previousKey": "matilda"}


EDITS = {
    "rename-with-previousName": rename,
    "resize": resize,
    "change-type": change_type,
    "stop": stop,
    "start": start,
    "remove-notebook": remove,
    "grow-homeSize": grow_home,
    "add-mount": add_mount,
    "add-quota": add_quota,
    "add-profile": add_profile,
    "remove-profile": remove_profile,
    "remove-team": remove_team,
    "rename-team-with-previousKey": rename_team,
}
