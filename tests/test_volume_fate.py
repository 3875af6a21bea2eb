"""devtools/volume_fate.py on its own: the engine's matching and each fate, on hand-made resources,
and the rendered files' bookkeeping, including files written by older renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from devtools.volume_fate import (
    ANCESTOR_TYPES,
    PARENT_TYPE,
    Tracked,
    alias_urns,
    claim_fates,
    match,
    urn_parts,
    urn_types,
)

from .harness import PVC as PVC_TYPE

STACK = "urn:pulumi:dev::teamspace"


def _claim(
    name: str = "data",
    namespace: str = "team",
    protect: bool = False,
    retain: bool = False,
    urn: str = f"{STACK}::pulumi:pulumi:Stack${PVC_TYPE}::home",
    aliases: tuple[str, ...] = (),
    **spec,
) -> Tracked:
    manifest = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, **spec},
    }
    return Tracked(
        f"PersistentVolumeClaim/{namespace}/{name}",
        urn,
        "PersistentVolumeClaim",
        manifest,
        protect,
        retain,
        aliases,
    )


def _renamed(alias: str = "") -> Tracked:
    return _claim(
        urn=f"{STACK}::pulumi:pulumi:Stack${PVC_TYPE}::renamed",
        aliases=(f"{STACK}::pulumi:pulumi:Stack${PVC_TYPE}::{alias}",) if alias else (),
    )


@pytest.mark.parametrize(
    "after,kind",
    [
        ([], "delete-data-loss"),
        ([_claim("other")], "replace-data-loss"),
        ([_claim(namespace="elsewhere")], "replace-data-loss"),
        ([_claim(accessModes=["ReadWriteMany"])], "replace-data-loss"),
        ([_claim(selector={"matchLabels": {"a": "b"}})], "replace-data-loss"),
        ([_claim(volumeName="pv-1")], "replace-data-loss"),
        ([_claim(storageClassName="fast")], "replace-data-loss"),
        ([_renamed("other")], "delete-data-loss"),
        ([_renamed("home")], "kept"),
        ([_claim(resources={"requests": {"storage": "20Gi"}})], "updated"),
        ([_claim(resources={"requests": {"storage": "5Gi"}})], "shrink-rejected"),
    ],
)
def test_fate_of_an_unprotected_unretained_claim(after, kind):
    """A claim with neither option that goes away, changes a replace field or its identity loses its data."""
    assert [f.kind for f in claim_fates([_claim()], after)] == [kind]


@pytest.mark.parametrize(
    "old,new,kind",
    [
        (_claim(protect=True, retain=True), None, "delete-blocked"),
        (_claim(retain=True), None, "delete-retained"),
        (_claim(protect=True), _claim("other", protect=True), "replace-blocked"),
        (_claim(protect=True), _claim("other"), "replace-data-loss"),
        (_claim(), _claim("other", protect=True), "replace-data-loss"),
    ],
)
def test_protect_and_retain(old, new, kind):
    """Deletion: the state's protect stops it, else retain keeps the data. Replacement: only protect
    on both sides stops it (the engine lets one update unprotect and replace)."""
    assert [f.kind for f in claim_fates([old], [new] if new else [])] == [kind]


@pytest.mark.parametrize(
    "resources",
    [None, {"requests": None}, {"requests": {}}, {"requests": {"storage": "lots"}}],
    ids=["no-resources", "no-requests", "no-storage", "not-a-quantity"],
)
def test_a_claim_whose_size_cannot_be_read_is_never_said_to_shrink(resources):
    """A hand-made or older rendered claim may lack a readable size: the other side's size is
    then no shrink, and the claim is compared by its other fields."""
    unreadable = _claim(resources=resources)
    assert [f.kind for f in claim_fates([unreadable], [_claim()])] == ["updated"]
    assert [f.kind for f in claim_fates([_claim()], [unreadable])] == ["updated"]


def test_a_replacement_names_every_field_that_forces_it_and_a_deletion_nothing():
    (replaced,) = claim_fates([_claim()], [_claim("other", storageClassName="fast")])
    assert (replaced.kind, replaced.detail) == ("replace-data-loss", "metadata.name, spec.storageClassName")
    for old in (_claim(), _claim(retain=True), _claim(protect=True)):
        (deleted,) = claim_fates([old], [])
        assert (deleted.kind.startswith("delete-"), deleted.detail) == (True, "")


def test_protection_dropped_is_its_own_observation():
    """protect true -> false on a kept claim is safe by itself, and the fate says it was dropped."""
    (fate,) = claim_fates([_claim(protect=True, retain=True)], [_claim(retain=True)])
    assert fate.kind == "kept" and fate.protection_dropped
    (kept,) = claim_fates([_claim(protect=True)], [_claim(protect=True)])
    assert not kept.protection_dropped


def test_profile_cascade():
    """Deleting an unretained Profile deletes its namespace's claims, even ones still in the program."""
    claim = _claim(retain=True)

    def profile(**options) -> Tracked:
        return Tracked(
            "Profile/_cluster/team",
            f"{STACK}::pulumi:pulumi:Stack$kubernetes:kubeflow.org/v1:Profile::p",
            "Profile",
            {"kind": "Profile", "metadata": {"name": "team"}},
            **options,
        )

    cascade = "deleting Profile/_cluster/team deletes namespace team"
    fates = claim_fates([profile(), claim], [claim])
    assert [(f.kind, f.detail) for f in fates] == [("cascade-data-loss", cascade)]
    assert [f.kind for f in claim_fates([profile(retain_on_delete=True), claim], [claim])] == ["kept"]
    fates = claim_fates([profile(protect=True), claim], [claim])
    assert [(f.kind, f.detail) for f in fates] == [("cascade-blocked", cascade)]


def test_urn_first_then_aliases_and_conflicts():
    """A resource keeps its own URN even when an alias names another old one; two resources
    taking over one old resource is what the engine refuses."""
    old_a, old_b = _claim("a", urn=f"{STACK}::T::a"), _claim("b", urn=f"{STACK}::T::b")
    swapped = match(
        [old_a, old_b],
        [
            _claim("b", urn=f"{STACK}::T::a", aliases=(f"{STACK}::T::b",)),
            _claim("a", urn=f"{STACK}::T::b", aliases=(f"{STACK}::T::a",)),
        ],
    )
    assert swapped.takeover[old_a.urn].manifest["metadata"]["name"] == "b" and not swapped.conflicts
    twice = match(
        [old_a],
        [
            _claim(urn=f"{STACK}::T::x", aliases=(old_a.urn,)),
            _claim("y", urn=f"{STACK}::T::y", aliases=(old_a.urn,)),
        ],
    )
    assert len(twice.conflicts) == 1 and old_a.urn in twice.conflicts[0]


@dataclass
class _Registration:
    urn: str
    type: str
    parent: str = ""
    aliases: list[str] = field(default_factory=list)


def test_inherited_aliases_under_either_urn_shape():
    """A renamed parent gives its child an alias under the parent's old name, whether the URN's
    type part holds the parent's type only (the SDK's mock) or every ancestor's (the engine)."""
    for chain, types in (("W", PARENT_TYPE), ("W$S", ANCESTOR_TYPES)):
        top = _Registration(f"{STACK}::W::t2", "W", aliases=["t1"])
        server = _Registration(f"{STACK}::W$S::t2-nb", "S", top.urn)
        claim = _Registration(
            f"{STACK}::{chain.split('$')[-1] if types == PARENT_TYPE else chain}$C::t2-nb-home",
            "C",
            server.urn,
        )
        by_urn = {r.urn: r for r in (top, server, claim)}
        assert urn_types(by_urn.values()) == types
        expected_chain = "S$C" if types == PARENT_TYPE else "W$S$C"
        assert f"{STACK}::{expected_chain}::t1-nb-home" in alias_urns(claim, by_urn)


def test_sides_with_different_urn_shapes_compare_coarsely():
    """A base rendered with parent-type URNs and a head with ancestor-type URNs: the same claim is kept."""
    old = _claim(urn=f"{STACK}::S$C::t-nb-home", retain=True)
    new = Tracked(
        old.id, f"{STACK}::W$S$C::t-nb-home", old.kind, old.manifest, False, True, (), ANCESTOR_TYPES
    )
    matching = match([old], [new])
    assert matching.coarse and [f.kind for f in claim_fates([old], [new], matching)] == ["kept"]
    assert not match([old], [old]).coarse


def test_a_claim_under_the_stack_matches_across_urn_shapes():
    """The mock monitor wrote the stack as a top-level claim's parent type; the engine writes no
    type for it. Compared coarsely, the two URNs are the same claim, kept."""
    old = _claim(urn=f"{STACK}::pulumi:pulumi:Stack$C::t-data", retain=True)
    new = Tracked(old.id, f"{STACK}::C::t-data", old.kind, old.manifest, False, True, (), ANCESTOR_TYPES)
    matching = match([old], [new])
    assert matching.coarse and [f.kind for f in claim_fates([old], [new], matching)] == ["kept"]


def test_same_named_claims_under_different_ancestors_stay_apart():
    """URNs of one shape are compared whole: two claims named alike under different component
    types are two resources, not one taken over twice."""
    under_a = _claim("a", urn=f"{STACK}::X$Team$C::home")
    under_b = _claim("b", urn=f"{STACK}::Y$Team$C::home")
    matching = match([under_a, under_b], [under_a, under_b])
    assert (matching.takeover, matching.conflicts) == ({under_a.urn: under_a, under_b.urn: under_b}, ())


def test_a_base_recorded_without_urns_matches_by_object_id():
    """Files rendered before URNs were recorded: the claim is the same object, so it is kept."""
    assert [f.kind for f in claim_fates([_claim(urn="")], [_claim()])] == ["kept"]


def test_a_conflict_does_not_stop_the_matching_of_the_rest():
    old_a, old_b = _claim("a", urn=f"{STACK}::T::a"), _claim("b", urn=f"{STACK}::T::b")
    twice = _claim("a2", urn=f"{STACK}::T::a2", aliases=(old_a.urn,))
    matching = match([old_a, old_b], [old_a, twice, old_b])
    assert (matching.takeover, len(matching.conflicts)) == ({old_a.urn: old_a, old_b.urn: old_b}, 1)


def test_only_a_profile_takes_its_namespaces_claims_with_it():
    """Another object named like the namespace (here a ConfigMap `team`) going away is no cascade."""
    claim = _claim()
    configmap = Tracked(
        "ConfigMap/team/team",
        f"{STACK}::pulumi:pulumi:Stack$kubernetes:core/v1:ConfigMap::team",
        "ConfigMap",
        {"kind": "ConfigMap", "metadata": {"name": "team", "namespace": "team"}},
    )
    assert [(f.kind, f.detail) for f in claim_fates([configmap, claim], [claim])] == [("kept", "")]


def test_a_child_not_named_after_its_parent_inherits_no_renamed_alias():
    top = _Registration(f"{STACK}::W::t2", "W", aliases=["t1"])
    shared = _Registration(f"{STACK}::W$S::shared", "S", top.urn)
    assert alias_urns(shared, {r.urn: r for r in (top, shared)}) == ()


def test_a_parents_full_urn_alias_gives_a_parent_type_child_its_parents_last_type():
    """Under parent-type URNs the child's alias carries the type the parent's alias ends with."""
    server = _Registration(f"{STACK}::W$S::t2-nb", "S", aliases=[f"{STACK}::X$W$S::t1-nb"])
    claim = _Registration(f"{STACK}::S$C::t2-nb-home", "C", server.urn)
    assert alias_urns(claim, {r.urn: r for r in (server, claim)}) == (f"{STACK}::S$C::t1-nb-home",)


def test_a_urns_name_may_hold_the_separator():
    """The engine reads everything after the type chain as the name, `::` included."""
    assert urn_parts(f"{STACK}::W$C::a::b") == (STACK, "W$C", "a::b")
