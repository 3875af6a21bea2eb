"""plan-diff tells the truth about data: the `!!` lines for each way a change can reach a claim,
on renders of the real program (in process, so no git and no subprocess), and the exit code
of `--fail-on-pvc-delete`."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from devtools import plan_diff
from devtools.manifest_diff import StackDiff, compare
from devtools.render import file_name, rendered_objects
from devtools.side_render import Side

from .harness import Template, minimal_config

HOME_CLAIM = "PersistentVolumeClaim/data/lab-workspace"


def side(notebooks: list[dict], protect: bool = True, key: str = "data", **team) -> Side:
    """One stack rendered as `make plan` writes it (file name -> document)."""
    config = minimal_config(
        protectVolumes=protect, teams={key: {"namespace": "data", **team, "notebooks": notebooks}}
    )
    return Side({file_name(k): v for k, v in rendered_objects(Template.synth(config).result).items()})


LAB = [{"name": "lab", "type": "jupyter"}]


def flags_about(diff: StackDiff, text: str) -> list[str]:
    return [flag for flag in diff.flags if text in flag]


def test_a_claim_that_changes_identity_is_flagged_unless_aliased():
    """A PVC whose URN changes without an alias (a renamed team key) is a destroy; with an alias it is not."""
    moved = compare("dev", side(LAB), side(LAB, key="renamed"))
    assert moved.pvc_destroyed and flags_about(
        moved, "changes its Pulumi identity (data-lab-home -> renamed-lab-home)"
    )
    renamed = compare("dev", side(LAB), side([{"name": "lab2", "previousName": "lab", "type": "jupyter"}]))
    assert not renamed.pvc_destroyed and not renamed.flags, renamed.flags
    rekeyed = compare("dev", side(LAB), side(LAB, key="renamed", previousKey="data"))
    assert not rekeyed.pvc_destroyed and not rekeyed.flags, rekeyed.flags


def test_new_storage_class_while_protected_stops():
    """Protected on both sides: the replacement is stopped, and the line says so."""
    diff = compare("dev", side(LAB), side([{**LAB[0], "homeStorageClass": "fast"}]))
    (flag,) = diff.flags
    assert flag.startswith(f"!! dev: {HOME_CLAIM} is REPLACED") and "spec.storageClassName" in flag
    assert "protected in the state and in the head, so `pulumi up` stops" in flag and diff.pvc_destroyed


@pytest.mark.parametrize("base_protect", [True, False])
def test_new_storage_class_without_protection_at_head_says_data_is_lost(base_protect):
    """protectVolumes false at the head with a storage-class change: the engine replaces the claim.
    The message follows the head's protection and never claims that `pulumi up` stops."""
    diff = compare(
        "dev", side(LAB, protect=base_protect), side([{**LAB[0], "homeStorageClass": "fast"}], protect=False)
    )
    (replaced,) = flags_about(diff, "is REPLACED")
    assert "THE DATA ON IT IS LOST" in replaced and "head: protect=no" in replaced
    assert "stops" not in replaced and "protect is set" not in replaced
    assert ("removes its protection in the same change" in replaced) == base_protect
    assert bool(flags_about(diff, "LOSES ITS PROTECTION")) == base_protect
    assert diff.pvc_destroyed


def test_protecting_in_the_same_change_does_not_stop_a_replacement():
    """Unprotected in the state, protected at the head: the engine still replaces (it needs both)."""
    diff = compare("dev", side(LAB, protect=False), side([{**LAB[0], "homeStorageClass": "fast"}]))
    (replaced,) = diff.flags
    assert "not protected in the state" in replaced and "THE DATA ON IT IS LOST" in replaced


def test_protection_dropped_alone_is_its_own_line():
    """protectVolumes true -> false and nothing else: one `!!` line per claim, which counts."""
    diff = compare(
        "dev",
        side(LAB, volumes={"shared": {"size": "5Gi"}}),
        side(LAB, protect=False, volumes={"shared": {"size": "5Gi"}}),
    )
    assert len(diff.flags) == 2 and all("LOSES ITS PROTECTION (protect: yes -> no)" in f for f in diff.flags)
    assert {f.split()[2] for f in diff.flags} == {HOME_CLAIM, "PersistentVolumeClaim/data/shared"}
    assert diff.pvc_destroyed
    back = compare("dev", side(LAB, protect=False), side(LAB))
    assert not back.flags and not back.pvc_destroyed


def test_a_claims_options_and_identity_show_in_its_text_diff():
    """protectVolumes switched off: besides the `!!` line, the claim is listed as changed, and its
    diff, headed by each side's file as `make plan` names it, shows the option with the claim's
    retainOnDelete and URN beside it."""
    diff = compare("dev", side(LAB), side(LAB, protect=False))
    (text,) = [text for label, text in diff.changed if label == HOME_CLAIM]
    urn = (
        "urn:pulumi:dev::teamspace::teamspace:index:TeamWorkspace$teamspace:index:NotebookServer"
        "$kubernetes:core/v1:PersistentVolumeClaim::data-lab-home"
    )
    file = "PersistentVolumeClaim_data_lab-workspace.yaml"
    assert text.startswith(f"--- base/dev/{file}\n+++ head/dev/{file}\n@@ ")
    assert text.endswith(
        f" x-pulumi-options:\n-  protect: true\n+  protect: false\n   retainOnDelete: true\n   urn: {urn}\n"
    )


def test_a_renamed_notebooks_claim_shows_its_new_urn_and_the_alias_to_the_old_one():
    """previousName: the claim keeps its name, and its diff shows the URN moving with the old URN
    as an alias (what keeps the engine from replacing it), the keys in order."""
    diff = compare("dev", side(LAB), side([{"name": "lab2", "previousName": "lab", "type": "jupyter"}]))
    (text,) = [text for label, text in diff.changed if label == HOME_CLAIM]
    urn = (
        "urn:pulumi:dev::teamspace::teamspace:index:TeamWorkspace$teamspace:index:NotebookServer"
        "$kubernetes:core/v1:PersistentVolumeClaim::data-{}-home"
    )
    assert text.endswith(
        f" x-pulumi-options:\n+  aliases:\n+  - {urn.format('lab')}\n   protect: true\n"
        f"   retainOnDelete: true\n-  urn: {urn.format('lab')}\n+  urn: {urn.format('lab2')}\n"
    )


def test_two_notebooks_that_swap_homes_are_flagged():
    """Each notebook mounting the other's home is flagged once, besides both claims' replacement."""
    two = [{"name": "a", "type": "jupyter"}, {"name": "b", "type": "jupyter"}]
    swapped = [
        {"name": "a", "type": "jupyter", "homeVolume": "b-workspace"},
        {"name": "b", "type": "jupyter", "homeVolume": "a-workspace"},
    ]
    diff = compare("dev", side(two), side(swapped))
    (swap,) = flags_about(diff, "swap homes")
    assert "Notebook/data/a and Notebook/data/b swap homes" in swap and "the other's files" in swap
    assert diff.pvc_destroyed
    one = compare(
        "dev", side(two), side([{**two[0], "homeVolume": "b-workspace"}, {"name": "c", "type": "jupyter"}])
    )
    assert flags_about(one, "Notebook/data/a would mount `b-workspace`, the home of Notebook/data/b")


def test_two_notebooks_that_swap_names_are_flagged():
    """Entries that exchange names: nothing is replaced, but each entry's settings now open the
    other's home (the home claim follows the name). A one-sided change is no swap."""
    two = [
        {"name": "a", "type": "jupyter", "size": "small"},
        {"name": "b", "type": "jupyter", "size": "large"},
    ]
    swapped = [{**two[1], "name": "a"}, {**two[0], "name": "b"}]
    diff = compare("dev", side(two), side(swapped))
    (swap,) = diff.flags
    assert swap.startswith("!! dev: Notebook/data/a and Notebook/data/b swap names:") and diff.pvc_destroyed
    assert "`a` gets the settings (image, type, size) of `b` and the other way round" in swap
    assert "each notebook would open the other's home" in swap
    resized = compare("dev", side(two), side([two[0], {**two[1], "size": "small"}]))
    assert not resized.flags and not resized.pvc_destroyed


def test_renamed_notebook_hint_offers_previous_name_first():
    """A claim that disappears because its notebook was renamed: `previousName: <old>` first,
    `pulumi state unprotect` second."""
    diff = compare("dev", side(LAB), side([{"name": "lab2", "type": "jupyter"}]))
    (gone,) = flags_about(diff, "DISAPPEARS")
    assert gone.startswith(f"!! dev: {HOME_CLAIM} DISAPPEARS")
    assert "`lab2` is new" in gone and "set `previousName: lab` on it" in gone
    assert gone.index("previousName: lab") < gone.index("pulumi state unprotect '")
    removed = compare(
        "dev",
        side(LAB + [{"name": "other", "type": "jupyter"}]),
        side([{"name": "other", "type": "jupyter"}]),
    )
    (plain,) = flags_about(removed, "DISAPPEARS")
    assert "If it was renamed, set `previousName: lab`" in plain and "is new" not in plain


def legacy(current: Side) -> Side:
    """The files as main's renderer wrote them before ids: no id or urnTypes, name aliases only."""
    objects = {}
    for name, document in (current.objects or {}).items():
        document = copy.deepcopy(document)
        options = document.pop("x-pulumi-options")
        options.pop("id")
        options.pop("urnTypes", None)
        if "aliases" in options:
            options["aliases"] = sorted(alias.rsplit("::", 1)[-1] for alias in options["aliases"])
        objects[name] = {**document, **({"x-pulumi-options": options} if options else {})}
    return Side(objects)


def test_a_base_rendered_by_older_code_compares_cleanly():
    """Files of main's renderer on the base side: the same objects, no change and no flag; a real
    change is still seen through them."""
    renamed = [{"name": "lab2", "previousName": "lab", "type": "jupyter"}]
    for notebooks in (LAB, renamed):
        same = compare("dev", legacy(side(notebooks)), side(notebooks))
        assert (same.added, same.changed, same.removed, same.flags) == ([], [], [], []), same
    assert compare("dev", legacy(side(LAB)), side(renamed)).flags == []
    assert flags_about(compare("dev", legacy(side(LAB)), side([])), "DISAPPEARS")


def test_urns_of_another_shape_are_compared_by_parent_type_and_name():
    """A head whose URNs carry every ancestor's type (the engine's shape) against a base with the
    parent's type only: no identity change is invented, and the report says how it compared."""
    head = side(LAB)
    for document in (head.objects or {}).values():
        options = document["x-pulumi-options"]
        if "urn" in options and options["urn"].count("$") == 1 and "NotebookServer" in options["urn"]:
            prefix, chain, name = options["urn"].split("::", 3)[:2], *options["urn"].split("::", 3)[2:]
            options["urn"] = "::".join([*prefix, "teamspace:index:TeamWorkspace$" + chain, name])
            options["urnTypes"] = "ancestors"
    diff = compare("dev", legacy(side(LAB)), head)
    assert diff.flags == [] and diff.notes == [
        "The two sides' URNs hold different type chains (one renderer recorded the parent's type only, "
        "the other every ancestor's): identities were compared by parent type and name."
    ]


def test_a_claim_removal_alone_fails_with_the_flag(monkeypatch, tmp_path: Path, capsys):
    """A notebook removed (no replacement anywhere): `--fail-on-pvc-delete` exits 2, without it 0."""
    diff = compare("dev", side(LAB + [{"name": "old", "type": "jupyter"}]), side(LAB))
    assert not flags_about(diff, "REPLACED") and flags_about(diff, "DISAPPEARS")
    monkeypatch.setattr(plan_diff, "plan_diff", lambda *args, **kwargs: ([diff], "0" * 12, set()))
    out = tmp_path / "report.md"
    assert plan_diff.main(["--base", "HEAD", "--out", str(out), "--fail-on-pvc-delete"]) == 2
    assert "failing as asked" in capsys.readouterr().err
    assert plan_diff.main(["--base", "HEAD", "--out", str(out)]) == 0
    assert "DISAPPEARS" in out.read_text()
