"""Data safety across config edits: run the program before and after an edit and ask the engine's
model (offline/volume_fate.py, the one `make plan-diff` uses too) what happens to every
PersistentVolumeClaim. See docs/safe-edits.md for the table these tests back; the model's own
unit tests are in tests/test_volume_fate.py."""

from __future__ import annotations

import copy
from typing import Callable, Optional

import pytest

from offline import volume_fate
from offline.render import tracked_resources
from offline.runtime import Registration, RunResult
from offline.volume_fate import Fate, unsafe

from .harness import NOTEBOOK, PROFILE, PVC, Template, minimal_config, stack_config


def match(before: RunResult, after: RunResult) -> dict[str, Optional[Registration]]:
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
    "rename-with-previousName": rename, "resize": resize, "change-type": change_type, "stop": stop,
    "start": start, "remove-notebook": remove, "grow-homeSize": grow_home, "add-mount": add_mount,
    "add-quota": add_quota, "add-profile": add_profile, "remove-profile": remove_profile,
    "remove-team": remove_team, "rename-team-with-previousKey": rename_team,
}


@pytest.fixture(scope="module")
def dev() -> RunResult:
    return run(stack_config("dev"))


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edit_keeps_every_claim_safe(dev, edit):
    """No claim is deleted unless retained, none replaced unless protected, none shrunk."""
    after = run(edited(stack_config("dev"), EDITS[edit]))
    fates = claim_fates(dev, after)
    assert len(fates) == len([r for r in dev.registrations if r.type == PVC])
    assert unsafe(fates) == []


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edit_keeps_every_claim_safe_without_protection(edit):
    """With protectVolumes false too, the listed edits never need protect: retain and aliases suffice."""
    before = stack_config("dev")
    before["teamspace:protectVolumes"] = False
    fates = claim_fates(run(before), run(edited(before, EDITS[edit])))
    assert unsafe(fates) == []


def test_rename_keeps_identity_and_claim_name(dev):
    """previousName: the home PVC and the Notebook keep their identity by alias; the PVC keeps its name."""
    after = run(edited(stack_config("dev"), rename))
    takeover = match(dev, after)
    old_home, old_notebook = by_name(dev, "matilda-analysis-home"), by_name(dev, "matilda-analysis-notebook")
    new_home, new_notebook = by_name(after, "matilda-analysis-v2-home"), by_name(after, "matilda-analysis-v2-notebook")
    assert takeover[old_home.urn] is new_home and new_home.urn != old_home.urn
    assert takeover[old_notebook.urn] is new_notebook
    assert takeover[by_name(dev, "matilda-analysis").urn] is by_name(after, "matilda-analysis-v2")
    assert new_home.manifest["metadata"]["name"] == old_home.manifest["metadata"]["name"] == "analysis-workspace"
    assert new_notebook.manifest["metadata"]["name"] == "analysis-v2"
    volumes = new_notebook.manifest["spec"]["template"]["spec"]["volumes"]
    assert {"name": "analysis-workspace", "persistentVolumeClaim": {"claimName": "analysis-workspace"}} in volumes
    fate = next(f for f in claim_fates(dev, after) if f.urn == old_home.urn)
    assert fate.kind in ("kept", "updated")  # labels follow the new name: an in-place update


def test_team_rename_with_previous_key_takes_over_everything(dev):
    """previousKey: every resource of the team keeps its identity by an explicit alias (not only
    one inherited from its parent), and the namespace stays the old key's."""
    after = run(edited(stack_config("dev"), rename_team))
    takeover = match(dev, after)
    team = [r for r in dev.registrations if r.name == "matilda" or r.name.startswith("matilda-")]
    assert len(team) > 10
    for old in team:
        new = takeover[old.urn]
        assert new is not None and new.name == "matilda-ds" + old.name[len("matilda"):], old.name
        assert old.name in new.aliases, (new.name, new.aliases)
        if old.custom:
            assert new.manifest["metadata"] == old.manifest["metadata"], old.name
    assert {r.urn for r in dev.registrations} - {r.urn for r in team} == \
        {r.urn for r in after.registrations if not r.name.startswith("matilda-ds")}


def test_team_rename_together_with_a_notebook_rename(dev):
    """A new team key and a notebook's previousName in the same change: the home claim is taken over."""
    def both(teams):
        rename(teams)
        rename_team(teams)
    after = run(edited(stack_config("dev"), both))
    new_home = match(dev, after)[by_name(dev, "matilda-analysis-home").urn]
    assert new_home is by_name(after, "matilda-ds-analysis-v2-home")
    assert new_home.manifest["metadata"]["name"] == "analysis-workspace"


def test_rename_without_previous_name_is_stopped_by_protect(dev):
    """A bare rename would orphan the home volume: with protect, pulumi up stops at the delete."""
    after = run(edited(stack_config("dev"), lambda t: notebook(t, "matilda", "analysis").update(name="analysis-v2")))
    fate = next(f for f in claim_fates(dev, after) if f.urn == by_name(dev, "matilda-analysis-home").urn)
    assert fate.kind == "delete-blocked"


def test_second_rename_is_stopped_by_protect():
    """Renaming an already renamed notebook again is not expressible: protect stops it, no data moves."""
    once = edited(stack_config("dev"), rename)
    twice = edited(once, lambda t: notebook(t, "matilda", "analysis-v2").update(name="analysis-v3"))
    before, after = run(once), run(twice)
    fate = next(f for f in claim_fates(before, after) if f.urn == by_name(before, "matilda-analysis-v2-home").urn)
    assert fate.kind == "delete-blocked"


def test_remove_notebook_retains_its_volume(dev):
    """Removing a notebook deletes its Notebook; its home PVC is protected (up stops) and retained."""
    after = run(edited(stack_config("dev"), remove))
    home = by_name(dev, "matilda-reports-home")
    assert home.protect and home.retain_on_delete
    fates = {f.urn: f.kind for f in claim_fates(dev, after)}
    assert fates[home.urn] == "delete-blocked"
    assert match(dev, after)[by_name(dev, "matilda-reports-notebook").urn] is None
    unprotected = stack_config("dev")
    unprotected["teamspace:protectVolumes"] = False
    before = run(unprotected)
    fates = {f.urn: f.kind for f in claim_fates(before, run(edited(unprotected, remove)))}
    assert fates[by_name(before, "matilda-reports-home").urn] == "delete-retained"


@pytest.mark.parametrize("edit,names", [
    ("resize", ["matilda-analysis-notebook", "matilda-ide-notebook"]),
    ("change-type", ["matilda-reports-notebook"]),
    ("stop", ["matilda-analysis-notebook"]),
    ("start", ["matilda-ide-notebook"]),
    ("add-mount", ["matilda-ide-notebook"]),
])
def test_notebook_edits_update_only_notebooks(dev, edit, names):
    """Size, type, stop/start and mounts change the Notebook in place; every claim is untouched."""
    after = run(edited(stack_config("dev"), EDITS[edit]))
    takeover = match(dev, after)
    assert all(new is not None for new in takeover.values())
    changed = sorted(old.name for old in dev.registrations
                     if old.custom and old.type != "docker:index/image:Image"
                     and old.manifest != takeover[old.urn].manifest)
    assert changed == sorted(names)
    assert {f.kind for f in claim_fates(dev, after)} == {"kept"}


def test_grow_home_size_updates_in_place(dev):
    """A bigger homeSize only changes spec.resources.requests.storage: an in-place expansion."""
    after = run(edited(stack_config("dev"), grow_home))
    fates = {f.urn: f.kind for f in claim_fates(dev, after)}
    for name, size in (("matilda-analysis-home", "50Gi"), ("vision-lab-home", "30Gi")):
        assert fates[by_name(dev, name).urn] == "updated"
        assert by_name(after, name).manifest["spec"]["resources"]["requests"]["storage"] == size


def test_shrinking_home_size_is_flagged(dev):
    """A smaller homeSize is reported: Kubernetes rejects shrinking a claim at apply time."""
    after = run(edited(stack_config("dev"), lambda t: notebook(t, "matilda", "analysis").update(homeSize="10Gi")))
    assert [f.kind for f in unsafe(claim_fates(dev, after))] == ["shrink-rejected"]


def test_team_level_edits_keep_claims(dev):
    """A quota or a Profile added to a team adds resources; every claim keeps URN and manifest."""
    for edit in (add_quota, add_profile):
        after = run(edited(stack_config("dev"), edit))
        assert {f.kind for f in claim_fates(dev, after)} == {"kept"}
    with_profile = run(edited(stack_config("dev"), add_profile))
    assert sorted(r.name for r in with_profile.registrations if r.type == PROFILE) == ["matilda-profile", "vision-profile"]


def test_dropping_a_profile_keeps_its_namespace():
    """The Profile is retain_on_delete: removing it (or its team) never deletes the namespace and its claims."""
    template = Template.synth(stack_config("dev"))
    profile = template.resources(PROFILE)[0]
    assert profile.retain_on_delete


def test_new_storage_class_is_stopped_by_protect(dev):
    """Changing homeStorageClass of an existing notebook would replace its claim: protect stops pulumi up."""
    change = lambda t: notebook(t, "matilda", "analysis").update(homeStorageClass="fast-ssd")  # noqa: E731
    after = run(edited(stack_config("dev"), change))
    home = by_name(dev, "matilda-analysis-home")
    assert home.protect and by_name(after, "matilda-analysis-home").protect
    fates = {f.urn: f for f in claim_fates(dev, after)}
    assert fates[home.urn].kind == "replace-blocked"
    assert fates[home.urn].detail == "spec.storageClassName"


def test_new_storage_class_without_protection_is_reported():
    """With protectVolumes false the same edit is a replacement, and the checker reports it."""
    before = stack_config("dev")
    before["teamspace:protectVolumes"] = False
    change = lambda t: notebook(t, "matilda", "analysis").update(homeStorageClass="fast-ssd")  # noqa: E731
    old = run(before)
    found = unsafe(claim_fates(old, run(edited(before, change))))
    assert found == [Fate("replace-data-loss", by_name(old, "matilda-analysis-home").urn, "spec.storageClassName")]


def test_unprotecting_while_changing_storage_class_is_reported():
    """protectVolumes false in the same edit as a new storage class: the engine would replace, and it is reported."""
    def change(teams):
        notebook(teams, "matilda", "analysis").update(homeStorageClass="fast-ssd")
    before = stack_config("dev")
    after = edited(before, change)
    after["teamspace:protectVolumes"] = False
    old = run(before)
    assert [f.kind for f in unsafe(claim_fates(old, run(after)))] == ["replace-data-loss"]


def test_notebooks_keep_identity_across_non_rename_edits(dev):
    """Every Notebook of the old state is taken over by the same URN unless the edit removes it."""
    for edit in ("resize", "change-type", "stop", "start", "grow-homeSize", "add-mount", "add-quota", "add-profile"):
        after = run(edited(stack_config("dev"), EDITS[edit]))
        takeover = match(dev, after)
        for old in dev.registrations:
            if old.type == NOTEBOOK:
                assert takeover[old.urn] is not None and takeover[old.urn].urn == old.urn, (edit, old.name)


def test_second_rename_keeps_the_original_claim():
    """A renamed notebook renamed again keeps its identity (alias) and its claim name (homeVolume)."""
    first = Template.synth(minimal_config(teams={"data": {"notebooks": [
        {"name": "lab2", "previousName": "lab", "type": "jupyter"}]}}))
    second = Template.synth(minimal_config(teams={"data": {"notebooks": [
        {"name": "lab3", "previousName": "lab2", "homeVolume": "lab-workspace", "type": "jupyter"}]}}))
    (before,), (after,) = first.resources(PVC), second.resources(PVC)
    assert before.manifest["metadata"]["name"] == after.manifest["metadata"]["name"] == "lab-workspace"
    assert any(alias.endswith("::data-lab2-home") or alias == "data-lab2-home" for alias in after.aliases)
    assert second.notebook("lab3")["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"] == {
        "claimName": "lab-workspace"}
