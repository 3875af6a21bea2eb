"""Data safety across config edits: run the program before and after each edit of the table in
docs/safe-edits.md and ask the engine's model (tests/config_edits.py, devtools/volume_fate.py)
what happens to every PersistentVolumeClaim. Renames are in tests/test_data_safety_renames.py;
the model's own unit tests in tests/test_volume_fate.py."""

from __future__ import annotations

import pytest

from devtools.runtime import RunResult
from devtools.volume_fate import Fate, unsafe

from .config_edits import (
    EDITS,
    add_profile,
    add_quota,
    by_name,
    claim_fates,
    edited,
    grow_home,
    match,
    notebook,
    remove,
    run,
)
from .harness import NOTEBOOK, PROFILE, PVC, Template, stack_config


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


@pytest.mark.parametrize(
    "edit,names",
    [
        ("resize", ["matilda-analysis-notebook", "matilda-ide-notebook"]),
        ("change-type", ["matilda-reports-notebook"]),
        ("stop", ["matilda-analysis-notebook"]),
        ("start", ["matilda-ide-notebook"]),
        ("add-mount", ["matilda-ide-notebook"]),
    ],
)
def test_notebook_edits_update_only_notebooks(dev, edit, names):
    """Size, type, stop/start and mounts change the Notebook in place; every claim is untouched."""
    after = run(edited(stack_config("dev"), EDITS[edit]))
    takeover = match(dev, after)
    assert all(new is not None for new in takeover.values())
    changed = sorted(
        old.name
        for old in dev.registrations
        if old.custom
        and old.type != "docker:index/image:Image"
        and old.manifest != takeover[old.urn].manifest
    )
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
    after = run(
        edited(stack_config("dev"), lambda t: notebook(t, "matilda", "analysis").update(homeSize="10Gi"))
    )
    assert [f.kind for f in unsafe(claim_fates(dev, after))] == ["shrink-rejected"]


def test_team_level_edits_keep_claims(dev):
    """A quota or a Profile added to a team adds resources; every claim keeps URN and manifest."""
    for edit in (add_quota, add_profile):
        after = run(edited(stack_config("dev"), edit))
        assert {f.kind for f in claim_fates(dev, after)} == {"kept"}
    with_profile = run(edited(stack_config("dev"), add_profile))
    assert sorted(r.name for r in with_profile.registrations if r.type == PROFILE) == [
        "matilda-profile",
        "vision-profile",
    ]


def test_dropping_a_profile_keeps_its_namespace():
    """The Profile is retain_on_delete: removing it or its team never deletes the namespace or claims."""
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
    assert found == [
        Fate("replace-data-loss", by_name(old, "matilda-analysis-home").urn, "spec.storageClassName")
    ]


def test_unprotecting_while_changing_storage_class_is_reported():
    """protectVolumes false in the same edit as a new storage class: the engine replaces; it is reported."""

    def change(teams):
        notebook(teams, "matilda", "analysis").update(homeStorageClass="fast-ssd")

    before = stack_config("dev")
    after = edited(before, change)
    after["teamspace:protectVolumes"] = False
    old = run(before)
    assert [f.kind for f in unsafe(claim_fates(old, run(after)))] == ["replace-data-loss"]


def test_notebooks_keep_identity_across_non_rename_edits(dev):
    """Every Notebook of the old state is taken over by the same URN unless the edit removes it."""
    for edit in (
        "resize",
        "change-type",
        "stop",
        "start",
        "grow-homeSize",
        "add-mount",
        "add-quota",
        "add-profile",
    ):
        after = run(edited(stack_config("dev"), EDITS[edit]))
        takeover = match(dev, after)
        for old in dev.registrations:
            if old.type == NOTEBOOK:
                assert takeover[old.urn] is not None and takeover[old.urn].urn == old.urn, (edit, old.name)
