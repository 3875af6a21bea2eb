"""Data safety across config edits: run the program before and after an edit and compare what
it registers the way the engine would when diffing (match by URN or alias, then look at each
PersistentVolumeClaim's fate). See docs/safe-edits.md for the table these tests back."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional

import pytest

from config.quantities import parse_quantity
from offline.runtime import Registration, RunResult

from .harness import NOTEBOOK, PROFILE, PVC, Template, minimal_config, stack_config

# pulumi-kubernetes replaces (deletes, then creates) a PVC when one of these changes (diff.go);
# spec.resources.requests may change in place, growing only.
REPLACE_FIELDS = (("metadata", "name"), ("metadata", "namespace"), ("spec", "accessModes"),
                  ("spec", "storageClassName"), ("spec", "selector"), ("spec", "volumeName"))

# What `pulumi up` would do to a claim's data. "Safe" fates keep the data where users find it
# or stop the update before anything happens.
SAFE = {"kept", "updated", "delete-blocked", "delete-retained", "replace-blocked", "cascade-blocked"}
UNSAFE = {"delete-data-loss", "replace-data-loss", "shrink-rejected", "cascade-data-loss"}


@dataclass(frozen=True)
class Fate:
    """What happens to one claim of the old state."""

    kind: str
    urn: str
    detail: str = ""


# --- the engine's view: identities and matching --------------------------------------------------

def _urn_parts(urn: str) -> tuple[str, str, str]:
    """(prefix `urn:pulumi:<stack>::<project>`, qualified type, name)."""
    stack, project, qualified, name = urn.split("::", 3)
    return f"{stack}::{project}", qualified, name


def _child_urn(parent_urn: str, type_: str, name: str) -> str:
    """The URN of a child, as the mock monitor (like the engine) derives it from its parent's."""
    prefix, qualified, _ = _urn_parts(parent_urn)
    return f"{prefix}::{qualified.split('$')[-1]}${type_}::{name}"


def identities(registration: Registration, by_urn: dict[str, Registration]) -> list[str]:
    """The URN plus every alias URN the engine would try, own and inherited from parents.

    A name alias keeps type and parent; a parent's alias gives each child an alias under it,
    with the parent's name prefix swapped as the engine does for child names.
    """
    prefix, qualified, name = _urn_parts(registration.urn)
    found = [registration.urn]
    names = [name]
    for alias in registration.aliases:
        if alias.startswith("urn:pulumi:"):
            found.append(alias)
        else:
            names.append(alias)
            found.append(f"{prefix}::{qualified}::{alias}")
    parent = by_urn.get(registration.parent)
    if parent is not None:
        parent_name = _urn_parts(parent.urn)[2]
        for parent_alias in identities(parent, by_urn)[1:]:
            alias_parent_name = _urn_parts(parent_alias)[2]
            for child_name in names:
                renamed = (alias_parent_name + child_name[len(parent_name):]
                           if child_name.startswith(parent_name) else child_name)
                found.append(_child_urn(parent_alias, registration.type, renamed))
    return list(dict.fromkeys(found))


def match(before: RunResult, after: RunResult) -> dict[str, Optional[Registration]]:
    """Old URN -> the new registration that takes it over (by URN or alias), or None (deleted)."""
    old = {r.urn: r for r in before.registrations}
    new_by_urn = {r.urn: r for r in after.registrations}
    taken: dict[str, Optional[Registration]] = {urn: None for urn in old}
    for registration in after.registrations:
        claims = [urn for urn in identities(registration, new_by_urn) if urn in old]
        assert len(claims) <= 1 or claims[0] == registration.urn, \
            f"{registration.urn} would take over several old resources: {claims}"
        if claims:
            assert taken[claims[0]] is None, f"two resources claim {claims[0]}"
            taken[claims[0]] = registration
    return taken


def _field(manifest: dict, path: tuple[str, ...]) -> Any:
    value: Any = manifest
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _storage(manifest: dict) -> Optional[Decimal]:
    size = _field(manifest, ("spec", "resources", "requests", "storage"))
    return parse_quantity(size) if isinstance(size, str) else None


def claim_fates(before: RunResult, after: RunResult) -> list[Fate]:
    """The fate of every PVC of `before` when `after` is applied, as the engine decides it.

    Deleted: protect (old state) stops `pulumi up`; else retain_on_delete drops it from the
    state and leaves it in the cluster; else the claim, and its data, is deleted.
    Replace-triggering field changed: protect in both the state and the program stops
    `pulumi up` (the engine's step generator); else the claim is replaced.
    Storage request shrinks: the API server rejects the update.
    A deleted Profile deletes its namespace (and every claim in it) unless it is retained or
    protected, whatever the claims' own options say.
    """
    takeover = match(before, after)
    fates = []
    dropped_namespaces = {}
    for registration in before.registrations:
        if registration.type == PROFILE and takeover[registration.urn] is None:
            dropped_namespaces[registration.manifest["metadata"]["name"]] = registration
    for old in before.registrations:
        if old.type != PVC:
            continue
        new = takeover[old.urn]
        namespace = old.manifest["metadata"].get("namespace")
        if namespace in dropped_namespaces:
            profile = dropped_namespaces[namespace]
            if profile.protect:
                fates.append(Fate("cascade-blocked", old.urn, f"Profile {profile.name} is protected"))
                continue
            if not profile.retain_on_delete:
                fates.append(Fate("cascade-data-loss", old.urn,
                                  f"deleting Profile {profile.name} deletes namespace {namespace}"))
                continue
        if new is None:
            kind = "delete-blocked" if old.protect else "delete-retained" if old.retain_on_delete else "delete-data-loss"
            fates.append(Fate(kind, old.urn))
            continue
        changed = [".".join(path) for path in REPLACE_FIELDS
                   if _field(old.manifest, path) != _field(new.manifest, path)]
        if changed:
            # The engine refuses a replacement only when both the state and the program protect
            # the claim: unprotecting and replacing in one update goes through.
            blocked = old.protect and new.protect
            fates.append(Fate("replace-blocked" if blocked else "replace-data-loss", old.urn, ", ".join(changed)))
            continue
        old_size, new_size = _storage(old.manifest), _storage(new.manifest)
        if old_size is not None and new_size is not None and new_size < old_size:
            fates.append(Fate("shrink-rejected", old.urn, f"{old_size} -> {new_size}"))
            continue
        fates.append(Fate("updated" if old.manifest != new.manifest else "kept", old.urn))
    return fates


def unsafe(fates: list[Fate]) -> list[Fate]:
    return [fate for fate in fates if fate.kind in UNSAFE]


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


def _fake(type_: str, name: str, manifest: dict, **options) -> Registration:
    urn = f"urn:pulumi:dev::teamspace::pulumi:pulumi:Stack${type_}::{name}"
    return Registration(urn=urn, type=type_, name=name, custom=True, inputs=manifest, **options)


def _claim(name: str = "data", namespace: str = "team", **spec) -> dict:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": namespace},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, **spec}}


def _result(*registrations: Registration) -> RunResult:
    return RunResult(list(registrations), {}, set(), [], None)


@pytest.mark.parametrize("after,kind", [
    (_result(), "delete-data-loss"),
    (_result(_fake(PVC, "home", _claim("other"))), "replace-data-loss"),
    (_result(_fake(PVC, "home", _claim(namespace="elsewhere"))), "replace-data-loss"),
    (_result(_fake(PVC, "home", _claim(accessModes=["ReadWriteMany"]))), "replace-data-loss"),
    (_result(_fake(PVC, "home", _claim(selector={"matchLabels": {"a": "b"}}))), "replace-data-loss"),
    (_result(_fake(PVC, "home", _claim(volumeName="pv-1"))), "replace-data-loss"),
    (_result(_fake(PVC, "renamed", _claim(), aliases=["other"])), "delete-data-loss"),
    (_result(_fake(PVC, "renamed", _claim(), aliases=["home"])), "kept"),
])
def test_checker_reports_unsafe_claim_changes(after, kind):
    """The checker itself: an unretained, unprotected claim that goes away or changes identity is data loss."""
    before = _result(_fake(PVC, "home", _claim()))
    assert [f.kind for f in claim_fates(before, after)] == [kind]


def test_checker_models_the_profile_cascade():
    """Deleting an unretained Profile deletes its namespace's claims, even ones still in the program."""
    claim = _fake(PVC, "home", _claim(namespace="team"), retain_on_delete=True)
    profile = {"apiVersion": "kubeflow.org/v1", "kind": "Profile", "metadata": {"name": "team"}}
    before = _result(_fake(PROFILE, "team-profile", profile), claim)
    assert [f.kind for f in claim_fates(before, _result(claim))] == ["cascade-data-loss"]
    retained = _result(_fake(PROFILE, "team-profile", profile, retain_on_delete=True), claim)
    assert [f.kind for f in claim_fates(retained, _result(claim))] == ["kept"]


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
