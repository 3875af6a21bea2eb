"""Data safety across renames (notebook `previousName`, `homeVolume`, team `previousKey`): every
resource keeps its identity by alias and every claim its name, or protect stops `pulumi up`."""

from __future__ import annotations

import pytest

from devtools.runtime import RunResult

from .config_edits import by_name, claim_fates, edited, match, notebook, rename, rename_team, run
from .harness import PVC, Template, minimal_config, stack_config


@pytest.fixture(scope="module")
def dev() -> RunResult:
    return run(stack_config("dev"))


def test_rename_keeps_identity_and_claim_name(dev):
    """previousName: the home PVC and the Notebook keep their identity by alias; the PVC keeps its name."""
    after = run(edited(stack_config("dev"), rename))
    takeover = match(dev, after)
    old_home, old_notebook = by_name(dev, "matilda-analysis-home"), by_name(dev, "matilda-analysis-notebook")
    new_home, new_notebook = (
        by_name(after, "matilda-analysis-v2-home"),
        by_name(after, "matilda-analysis-v2-notebook"),
    )
    assert takeover[old_home.urn] is new_home and new_home.urn != old_home.urn
    assert takeover[old_notebook.urn] is new_notebook
    assert takeover[by_name(dev, "matilda-analysis").urn] is by_name(after, "matilda-analysis-v2")
    assert (
        new_home.manifest["metadata"]["name"] == old_home.manifest["metadata"]["name"] == "analysis-workspace"
    )
    assert new_notebook.manifest["metadata"]["name"] == "analysis-v2"
    volumes = new_notebook.manifest["spec"]["template"]["spec"]["volumes"]
    assert {
        "name": "analysis-workspace",
        "persistentVolumeClaim": {"claimName": "analysis-workspace"},
    } in volumes
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
        assert new is not None and new.name == "matilda-ds" + old.name[len("matilda") :], old.name
        assert old.urn in new.aliases, (new.name, new.aliases)  # the engine's alias URN
        if old.custom:
            assert new.manifest["metadata"] == old.manifest["metadata"], old.name
    assert {r.urn for r in dev.registrations} - {r.urn for r in team} == {
        r.urn for r in after.registrations if not r.name.startswith("matilda-ds")
    }


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
    after = run(
        edited(stack_config("dev"), lambda t: notebook(t, "matilda", "analysis").update(name="analysis-v2"))
    )
    fate = next(f for f in claim_fates(dev, after) if f.urn == by_name(dev, "matilda-analysis-home").urn)
    assert fate.kind == "delete-blocked"


def test_second_rename_is_stopped_by_protect():
    """Renaming an already renamed notebook again is not expressible: protect stops it, no data moves."""
    once = edited(stack_config("dev"), rename)
    twice = edited(once, lambda t: notebook(t, "matilda", "analysis-v2").update(name="analysis-v3"))
    before, after = run(once), run(twice)
    fate = next(
        f for f in claim_fates(before, after) if f.urn == by_name(before, "matilda-analysis-v2-home").urn
    )
    assert fate.kind == "delete-blocked"


def test_second_rename_keeps_the_original_claim():
    """A renamed notebook renamed again keeps its identity (alias) and its claim name (homeVolume)."""
    first = Template.synth(
        minimal_config(
            teams={"data": {"notebooks": [{"name": "lab2", "previousName": "lab", "type": "jupyter"}]}}
        )
    )
    second = Template.synth(
        minimal_config(
            teams={
                "data": {
                    "notebooks": [
                        {
                            "name": "lab3",
                            "previousName": "lab2",
                            "homeVolume": "lab-workspace",
                            "type": "jupyter",
                        }
                    ]
                }
            }
        )
    )
    (before,), (after,) = first.resources(PVC), second.resources(PVC)
    assert before.manifest["metadata"]["name"] == after.manifest["metadata"]["name"] == "lab-workspace"
    assert any(alias.endswith("::data-lab2-home") or alias == "data-lab2-home" for alias in after.aliases)
    assert second.notebook("lab3")["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"] == {
        "claimName": "lab-workspace"
    }
