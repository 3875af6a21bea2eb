"""The plan diff's `!!` lines: what `pulumi up` would do to user data, said plainly.

The fates come from devtools.volume_fate (the engine's model); this module words them for a
reviewer, from the head side's protection where the engine decides by it, and adds what the
model does not cover: protection dropped, and notebooks that would open another's home.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .notebook_homes import NOTEBOOK, home_changes, home_claim, metadata_field
from .volume_fate import PVC, Fate, Matching, Tracked, claim_fates, match


@dataclass(frozen=True)
class ClaimWarning:
    text: str
    risks_data: bool
    """Counts for --fail-on-pvc-delete: data can go away, become unreachable, or lose its guard."""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _options(resource: Tracked, side: str) -> str:
    return f"{side}: protect={_yes(resource.protect)}, retainOnDelete={_yes(resource.retain_on_delete)}"


_DELETE = {
    "delete-blocked": (
        "it is protected in the state, so `pulumi up` stops with an error on it and nothing is deleted"
    ),
    "delete-retained": (
        "it is not protected but retainOnDelete is set: Pulumi forgets the claim and leaves it, "
        "with its data, in the cluster unmanaged"
    ),
    "delete-data-loss": (
        "neither protect nor retainOnDelete is set: `pulumi up` DELETES the claim AND THE DATA ON IT"
    ),
}


def _replace(fate: Fate) -> str:
    assert fate.old is not None and fate.new is not None
    if fate.kind == "replace-blocked":
        return (
            "it is protected in the state and in the head, so `pulumi up` stops with an error on it until "
            "someone runs `pulumi state unprotect`"
        )
    if fate.old.protect:
        why = "the head removes its protection in the same change, and one update may unprotect and replace"
    elif fate.new.protect:
        why = "it is not protected in the state, and the head's protect only counts after this update"
    else:
        why = "it is not protected"
    return f"{why}: `pulumi up` deletes the claim and creates an empty one, SO THE DATA ON IT IS LOST"


def _rename_hint(fate: Fate, before: Sequence[Tracked], after: Sequence[Tracked]) -> str:
    """previousName first (when a notebook of the claim's namespace is gone and one is new),
    `pulumi state unprotect` second."""
    assert fate.old is not None
    namespace, claim = metadata_field(fate.old, "namespace"), metadata_field(fate.old, "name")
    after_ids = {r.id for r in after}
    before_ids = {r.id for r in before}
    gone = [
        r
        for r in before
        if r.kind == NOTEBOOK
        and r.id not in after_ids
        and metadata_field(r, "namespace") == namespace
        and home_claim(r) == claim
    ]
    new = sorted(
        metadata_field(r, "name")
        for r in after
        if r.kind == NOTEBOOK and r.id not in before_ids and metadata_field(r, "namespace") == namespace
    )
    unprotect = f"`pulumi state unprotect '{fate.old.urn}'`, then `pulumi up`"
    if fate.old.retain_on_delete:
        kept = "the claim stays in the cluster, retained"
        removal = f"{unprotect} ({kept})" if fate.old.protect else f"nothing more: {kept}"
    else:
        deleted = "DELETES the claim AND THE DATA ON IT"
        removal = (
            f"{unprotect}, which {deleted}"
            if fate.old.protect
            else f"nothing more, and `pulumi up` {deleted}"
        )
    if not gone:
        return f" If the claim is removed on purpose: {removal}."
    old_name = metadata_field(gone[0], "name")
    if not new:
        return (
            f" Its notebook `{old_name}` is gone. If it was renamed, set `previousName: {old_name}` on the "
            f"new entry. If it is removed on purpose: {removal}."
        )
    target = f"`{new[0]}`" if len(new) == 1 else "one of " + ", ".join(f"`{n}`" for n in new)
    return (
        f" Its notebook `{old_name}` is gone and {target} is new. 1. If `{old_name}` was renamed, set "
        f"`previousName: {old_name}` on {'it' if len(new) == 1 else 'the renamed entry'}: the claim keeps "
        f"its identity and the data stays mounted. 2. Only if `{old_name}` is removed on purpose: {removal}."
    )


def claim_warnings(
    stack: str, before: Sequence[Tracked], after: Sequence[Tracked]
) -> tuple[list[ClaimWarning], Matching]:
    matching = match(before, after)
    same_id = {r.id: r for r in after}
    warnings = [
        ClaimWarning(f"!! {stack}: the engine would refuse the update: {c}.", False)
        for c in matching.conflicts
    ]
    for fate in claim_fates(before, after, matching):
        old = fate.old
        assert old is not None
        label = f"!! {stack}: {old.id}"
        if fate.kind in _DELETE and old.id in same_id and same_id[old.id].kind == PVC:
            new_urn = same_id[old.id].urn
            warnings.append(
                ClaimWarning(
                    f"{label} changes its Pulumi identity ({old.urn.rsplit('::', 1)[-1]} -> "
                    f"{new_urn.rsplit('::', 1)[-1]}) without an alias: the engine deletes the old claim and "
                    f"creates one of the same name ({_options(old, 'old claim')}); {_DELETE[fate.kind]}.",
                    True,
                )
            )
        elif fate.kind in _DELETE:
            warnings.append(
                ClaimWarning(
                    f"{label} DISAPPEARS ({_options(old, 'old claim')}); {_DELETE[fate.kind]}."
                    + _rename_hint(fate, before, after),
                    True,
                )
            )
        elif fate.kind.startswith("replace-"):
            assert fate.new is not None
            warnings.append(
                ClaimWarning(
                    f"{label} is REPLACED (delete, then create) because {fate.detail} cannot change in place "
                    f"({_options(old, 'old claim')}; {_options(fate.new, 'head')}); {_replace(fate)}.",
                    True,
                )
            )
        elif fate.kind.startswith("cascade-"):
            how = (
                "the Profile is protected, so `pulumi up` stops with an error on it"
                if fate.kind == "cascade-blocked"
                else "the Profile is not retained: THE DATA IS LOST"
            )
            warnings.append(ClaimWarning(f"{label} goes with its namespace: {fate.detail}; {how}.", True))
        elif fate.kind == "shrink-rejected":
            assert fate.new is not None
            before_size, after_size = (
                ((r.manifest.get("spec") or {}).get("resources") or {}).get("requests", {}).get("storage")
                for r in (old, fate.new)
            )
            warnings.append(
                ClaimWarning(
                    f"{label} SHRINKS from {before_size} to {after_size}; Kubernetes rejects "
                    "shrinking a claim, so `pulumi up` will fail on it.",
                    False,
                )
            )
        if fate.protection_dropped:
            warnings.append(
                ClaimWarning(
                    f"{label} LOSES ITS PROTECTION (protect: yes -> no): from this update on, a change "
                    "that replaces it deletes its data"
                    + (
                        ""
                        if fate.new and fate.new.retain_on_delete
                        else ", and one that removes it deletes it"
                    )
                    + ". Unprotect only for a deliberate migration, in an update of its own.",
                    True,
                )
            )
    homes = [ClaimWarning(f"!! {stack}: {text}", True) for text in home_changes(before, after)]
    return warnings + homes, matching
