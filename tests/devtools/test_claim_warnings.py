"""devtools/claim_warnings.py on hand-made resources: the exact `!!` line a reviewer reads for a
replaced claim (each side's options, and why the engine goes ahead or stops) and for a claim
that disappears (what to do if its notebook was renamed, and what removing it on purpose takes)."""

from __future__ import annotations

import pytest

from config.presets import HOME
from devtools.claim_warnings import ClaimWarning, claim_warnings
from devtools.volume_fate import Tracked

URN = "urn:pulumi:dev::teamspace::kubernetes:core/v1:PersistentVolumeClaim"
LOST = "`pulumi up` deletes the claim and creates an empty one, SO THE DATA ON IT IS LOST"


def claim(name: str = "lab-workspace", protect: bool = False, retain: bool = True, **spec) -> Tracked:
    manifest = {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "team"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, **spec},
    }
    return Tracked(
        f"PersistentVolumeClaim/team/{name}",
        f"{URN}::{name}",
        "PersistentVolumeClaim",
        manifest,
        protect,
        retain,
    )


def notebook(name: str, home: str | None = None) -> Tracked:
    pod = {
        "volumes": [{"name": "home", "persistentVolumeClaim": {"claimName": home or f"{name}-workspace"}}],
        "containers": [{"name": name, "volumeMounts": [{"name": "home", "mountPath": HOME}]}],
    }
    manifest = {
        "kind": "Notebook",
        "metadata": {"name": name, "namespace": "team"},
        "spec": {"template": {"spec": pod}},
    }
    return Tracked(
        f"Notebook/team/{name}", f"urn:pulumi:dev::teamspace::kubeflow:Notebook::{name}", "Notebook", manifest
    )


def lines(before: list[Tracked], after: list[Tracked]) -> list[str]:
    warnings, _ = claim_warnings("dev", before, after)
    assert all(w.risks_data for w in warnings)
    return [w.text for w in warnings]


REPLACED = "!! dev: PersistentVolumeClaim/team/lab-workspace is REPLACED (delete, then create) because "


@pytest.mark.parametrize(
    ("state", "head", "options", "why"),
    [
        (
            True,
            True,
            "old claim: protect=yes, retainOnDelete=yes; head: protect=yes, retainOnDelete=no",
            "it is protected in the state and in the head, so `pulumi up` stops with an error on it until "
            "someone runs `pulumi state unprotect`",
        ),
        (
            True,
            False,
            "old claim: protect=yes, retainOnDelete=yes; head: protect=no, retainOnDelete=no",
            "the head removes its protection in the same change, and one update may unprotect and replace: "
            + LOST,
        ),
        (
            False,
            True,
            "old claim: protect=no, retainOnDelete=yes; head: protect=yes, retainOnDelete=no",
            "it is not protected in the state, and the head's protect only counts after this update: " + LOST,
        ),
        (
            False,
            False,
            "old claim: protect=no, retainOnDelete=yes; head: protect=no, retainOnDelete=no",
            "it is not protected: " + LOST,
        ),
    ],
    ids=["protected-on-both-sides", "unprotected-by-the-head", "protected-by-the-head-only", "unprotected"],
)
def test_a_replaced_claim_shows_both_sides_options_and_why_the_engine_goes_ahead_or_stops(
    state, head, options, why
):
    """The engine stops a replacement only if the claim is protected in the state AND the head;
    the line spells out each side's protect and retainOnDelete, so a reviewer can check it."""
    found = lines([claim(protect=state)], [claim(protect=head, retain=False, storageClassName="fast")])
    assert found[0] == f"{REPLACED}spec.storageClassName cannot change in place ({options}); {why}."


DISAPPEARS = "!! dev: PersistentVolumeClaim/team/lab-workspace DISAPPEARS"
RETAINED = (
    " (old claim: protect=no, retainOnDelete=yes); it is not protected but retainOnDelete is set: Pulumi "
    "forgets the claim and leaves it, with its data, in the cluster unmanaged."
)
UNPROTECT = f"`pulumi state unprotect '{URN}::lab-workspace'`, then `pulumi up`"


def test_a_claim_whose_notebook_stays_is_not_said_to_have_lost_its_notebook():
    """Only a notebook that left the program (and mounted this claim) is named as gone."""
    assert lines([notebook("lab"), claim()], [notebook("lab")]) == [
        f"{DISAPPEARS}{RETAINED} If the claim is removed on purpose: nothing more: the claim stays in the "
        "cluster, retained."
    ]


def test_removing_a_protected_claim_on_purpose_takes_unprotect_first():
    (line,) = lines([claim(protect=True)], [])
    assert line == (
        f"{DISAPPEARS} (old claim: protect=yes, retainOnDelete=yes); it is protected in the state, so "
        "`pulumi up` stops with an error on it and nothing is deleted. If the claim is removed on purpose: "
        f"{UNPROTECT} (the claim stays in the cluster, retained)."
    )


@pytest.mark.parametrize(
    ("protect", "removal"),
    [
        (True, f"{UNPROTECT}, which DELETES the claim AND THE DATA ON IT"),
        (False, "nothing more, and `pulumi up` DELETES the claim AND THE DATA ON IT"),
    ],
    ids=["protected", "unprotected"],
)
def test_removing_an_unretained_claim_on_purpose_is_never_said_to_keep_it(protect, removal):
    """A claim without retainOnDelete (as files of older renderers read) is deleted once it is
    unprotected: the hint must not promise that it stays in the cluster."""
    (line,) = lines([claim(protect=protect, retain=False)], [])
    assert line.endswith(f" If the claim is removed on purpose: {removal}.") and "retained" not in line


def test_a_gone_notebook_and_one_new_one_suggest_previous_name_on_it():
    (line,) = lines([notebook("lab"), claim()], [notebook("lab2")])
    assert line == (
        f"{DISAPPEARS}{RETAINED} Its notebook `lab` is gone and `lab2` is new. 1. If `lab` was renamed, set "
        "`previousName: lab` on it: the claim keeps its identity and the data stays mounted. 2. Only if "
        "`lab` is removed on purpose: nothing more: the claim stays in the cluster, retained."
    )


def test_a_gone_notebook_and_several_new_ones_list_them_all():
    (line,) = lines([notebook("lab"), claim()], [notebook("nlp"), notebook("cv")])
    assert " Its notebook `lab` is gone and one of `cv`, `nlp` is new. 1. If `lab` was renamed, set " in line
    assert "`previousName: lab` on the renamed entry: the claim keeps its identity" in line


def test_two_claims_taking_over_one_are_an_engine_refusal_that_risks_no_data():
    """A head claim aliasing a claim of the state that the head still has: the engine refuses
    the whole update, so the line says so and does not count for --fail-on-pvc-delete (nothing
    is deleted)."""
    kept, other = claim(), claim("other")
    copy = Tracked(other.id, other.urn, other.kind, other.manifest, aliases=(kept.urn,))
    warnings, matching = claim_warnings("dev", [kept], [kept, copy])
    refusal = f"{other.id} and PersistentVolumeClaim/team/lab-workspace both take over {kept.urn}"
    assert matching.conflicts == (refusal,)
    assert warnings == [ClaimWarning(f"!! dev: the engine would refuse the update: {refusal}.", False)]


def test_a_claim_that_changes_identity_without_an_alias_names_both_urns_and_the_old_options():
    """Same claim, new URN (a renamed team key), no alias: the engine deletes and recreates it."""
    new = Tracked("PersistentVolumeClaim/team/lab-workspace", f"{URN}::renamed", "PersistentVolumeClaim")
    assert lines([claim()], [new]) == [
        "!! dev: PersistentVolumeClaim/team/lab-workspace changes its Pulumi identity (lab-workspace -> "
        "renamed) without an alias: the engine deletes the old claim and creates one of the same name "
        "(old claim: protect=no, retainOnDelete=yes); it is not protected but retainOnDelete is set: Pulumi "
        "forgets the claim and leaves it, with its data, in the cluster unmanaged."
    ]


@pytest.mark.parametrize(
    ("options", "how"),
    [
        ({"protect": True}, "the Profile is protected, so `pulumi up` stops with an error on it"),
        ({}, "the Profile is not retained: THE DATA IS LOST"),
    ],
    ids=["protected", "unretained"],
)
def test_a_claim_whose_profile_goes_goes_with_its_namespace(options, how):
    """Deleting the Profile deletes its namespace, and with it a claim the head still has."""
    profile = Tracked(
        "Profile/_cluster/team",
        "urn:pulumi:dev::teamspace::kubernetes:kubeflow.org/v1:Profile::team",
        "Profile",
        {"kind": "Profile", "metadata": {"name": "team"}},
        **options,
    )
    assert lines([profile, claim()], [claim()]) == [
        "!! dev: PersistentVolumeClaim/team/lab-workspace goes with its namespace: deleting "
        f"Profile/_cluster/team deletes namespace team; {how}."
    ]


def test_a_shrunk_claim_is_said_to_fail_and_risks_no_data():
    """Kubernetes rejects the smaller request, so the update fails: nothing is deleted."""
    warnings, _ = claim_warnings("dev", [claim()], [claim(resources={"requests": {"storage": "5Gi"}})])
    assert warnings == [
        ClaimWarning(
            "!! dev: PersistentVolumeClaim/team/lab-workspace SHRINKS from 10Gi to 5Gi; Kubernetes rejects "
            "shrinking a claim, so `pulumi up` will fail on it.",
            False,
        )
    ]


@pytest.mark.parametrize(
    ("retain", "removal"),
    [(True, ""), (False, ", and one that removes it deletes it")],
    ids=["retained", "not"],
)
def test_a_claim_that_loses_its_protection_says_what_a_later_change_would_delete(retain, removal):
    """Removal deletes the claim only when the head does not retain it."""
    assert lines([claim(protect=True)], [claim(retain=retain)]) == [
        "!! dev: PersistentVolumeClaim/team/lab-workspace LOSES ITS PROTECTION (protect: yes -> no): from "
        f"this update on, a change that replaces it deletes its data{removal}. Unprotect only for a "
        "deliberate migration, in an update of its own."
    ]


def test_a_notebook_that_would_open_another_home_is_a_warning_that_counts():
    assert lines([notebook("lab")], [notebook("lab", home="other")]) == [
        "!! dev: Notebook/team/lab would mount the claim `other` as its home instead of `lab-workspace`."
    ]
