"""One namespace's adopted notebooks, claims, configurations, Profile or quota as a team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from config.adoption import object_key

from .claims import ClaimSpec, claim_spec, is_team_volume_name
from .configurations import select
from .findings import Findings
from .namespace_objects import profile_and_quota
from .notebook_outcome import NotebookOutcome
from .notebooks import PART_OF
from .reader import Inventory


@dataclass
class TeamOutcome:
    namespace: str
    team: dict[str, Any] = field(default_factory=dict)
    adopted: list[str] = field(default_factory=list)
    """`teamspace:adopt` keys."""
    notebooks: list[NotebookOutcome] = field(default_factory=list)
    claims: dict[str, str] = field(default_factory=dict)
    """Claim name -> what became of it (for the report)."""
    findings: Findings = field(default_factory=Findings)
    """Namespace-level refusals (claims), changes and notes."""


def adopt_team(namespace: str, notebooks: list[NotebookOutcome], inventory: Inventory) -> TeamOutcome:
    out = TeamOutcome(namespace, notebooks=sorted(notebooks, key=lambda o: o.name))
    specs: dict[str, ClaimSpec] = {}
    for outcome in out.notebooks:  # every claim a notebook mounts must be adoptable with it
        for mount in filter(None, [outcome.home, *outcome.mounts]):
            document = inventory.claims.get((namespace, mount.claim))
            if document is None:
                outcome.findings.refuse(f"claim {mount.claim}", "not in the input (export the PVCs too)")
            elif (spec := claim_spec(document, outcome.findings)) is not None:
                specs[mount.claim] = spec
    _refuse_shared_homes(out.notebooks)
    adopted = [o for o in out.notebooks if not o.findings.refused]
    users: dict[str, list[NotebookOutcome]] = defaultdict(list)
    for outcome in adopted:
        for mount in outcome.mounts:
            users[mount.claim].append(outcome)
    team_volumes = {claim for claim, owners in users.items() if len(owners) > 1}
    for claim in sorted(team_volumes):
        if not is_team_volume_name(claim):
            for outcome in users[claim]:
                outcome.findings.refuse(
                    f"claim {claim}",
                    "mounted by several notebooks, so a team volume, "
                    "whose name must be a DNS label of at most 63 characters",
                )
    adopted = [o for o in adopted if not o.findings.refused]
    team_volumes = {claim for claim in team_volumes if is_team_volume_name(claim)}
    mounted_anywhere = {claim for o in out.notebooks for claim in o.referenced_claims}
    for (ns, claim), document in sorted(inventory.claims.items()):
        if ns == namespace and claim not in mounted_anywhere:
            findings = Findings()
            spec = claim_spec(document, findings) if is_team_volume_name(claim) else None
            if spec is not None:
                specs[claim] = spec
                team_volumes.add(claim)
            else:
                out.findings.refused += findings.refused or [
                    f"claim {claim}: mounted by no notebook, so a team volume, whose name must be a DNS label"
                ]
                out.claims[claim] = (
                    "not adopted (mounted by no notebook, and not declarable as a team volume)"
                )
    team: dict[str, Any] = {}
    volumes = {claim: _volume(specs[claim], "ReadWriteMany") for claim in sorted(team_volumes)}
    if volumes:
        team["volumes"] = volumes
    for claim in sorted(team_volumes):
        out.adopted.append(object_key("PersistentVolumeClaim", namespace, claim))
        out.claims[claim] = "adopted as a team volume"
        _label_changes(out, inventory.claims[(namespace, claim)], {PART_OF: "teamspace"})
    entries, configurations, external = [], {}, []
    for outcome in adopted:
        entry = dict(outcome.entry)
        _claims(entry, outcome, specs, team_volumes)
        names = []
        for label in outcome.selection_labels:
            selection = select(
                label,
                [
                    p
                    for p in inventory.pod_defaults
                    if (p.get("metadata") or {}).get("namespace") == namespace
                ],
            )
            outcome.findings.changes += selection.findings.changes
            outcome.findings.notes += selection.findings.notes
            names.append(selection.name)
            if selection.managed is not None:
                configurations[selection.name] = selection.managed
            elif selection.external_entry not in external:
                external.append(selection.external_entry)
        if names:
            entry["configurations"] = names
        entries.append(entry)
        out.adopted.append(object_key("Notebook", namespace, outcome.name))
        for mount in filter(None, [outcome.home, *outcome.mounts]):
            if mount.claim not in team_volumes:
                out.adopted.append(object_key("PersistentVolumeClaim", namespace, mount.claim))
                role = "home" if mount is outcome.home else "data volume"
                out.claims[mount.claim] = f"adopted as the {role} of notebook {outcome.name}"
                _label_changes(
                    out,
                    inventory.claims[(namespace, mount.claim)],
                    {"app": outcome.name, PART_OF: "teamspace"},
                )
    for outcome in out.notebooks:
        for claim in sorted(outcome.referenced_claims):
            out.claims.setdefault(claim, "not adopted: every notebook mounting it is refused")
    if configurations:
        team["configurations"] = configurations
        out.adopted += [object_key("PodDefault", namespace, name) for name in sorted(configurations)]
    if external:
        team["externalConfigurations"] = external
    profile, quota, adopted_objects = profile_and_quota(namespace, inventory, out.findings)
    team.update({k: v for k, v in (("profile", profile), ("quota", quota)) if v})
    out.adopted += adopted_objects
    if entries:
        team["notebooks"] = entries
    out.team = team
    return out


def _label_changes(out: TeamOutcome, claim: dict[str, Any], wanted: dict[str, str]) -> None:
    """A claim's labels are metadata: set in place, never a replacement."""
    name, live = claim["metadata"]["name"], claim["metadata"].get("labels") or {}
    changed = [f"{key}: {value}" for key, value in wanted.items() if live.get(key) != value]
    if changed:
        out.findings.change(f"claim {name}: label {', '.join(changed)} set (in place)")
    for key in sorted(set(live) - set(wanted)):
        out.findings.note(
            f"claim {name}: label {key} is not managed (kept while another field manager owns it)"
        )


def _refuse_shared_homes(notebooks: list[NotebookOutcome]) -> None:
    homes = {o.home.claim: o.name for o in notebooks if o.home}
    for outcome in notebooks:
        for mount in outcome.mounts:
            if mount.claim in homes:
                outcome.findings.refuse(
                    f"claim {mount.claim}", f"is the home volume of notebook {homes[mount.claim]}"
                )


def _volume(spec: ClaimSpec, default_mode: str) -> dict[str, Any]:
    volume: dict[str, Any] = {"size": spec.size}
    if spec.access_mode != default_mode:
        volume["accessMode"] = spec.access_mode
    if spec.storage_class:
        volume["storageClass"] = spec.storage_class
    return volume


def _claims(
    entry: dict[str, Any], outcome: NotebookOutcome, specs: dict[str, ClaimSpec], team: set[str]
) -> None:
    home = outcome.home
    assert home is not None  # a notebook without one is refused
    if home.claim != f"{outcome.name}-workspace":
        entry["homeVolume"] = home.claim
    spec = specs[home.claim]
    entry["homeSize"] = spec.size
    if spec.storage_class:
        entry["homeStorageClass"] = spec.storage_class
    if spec.access_mode != "ReadWriteOnce":
        entry["homeAccessMode"] = spec.access_mode
    shared = [m for m in outcome.mounts if m.claim in team]
    own = [m for m in outcome.mounts if m.claim not in team]
    if shared:
        entry["mounts"] = {m.claim: m.path for m in shared}
    if any(m.read_only for m in shared):
        entry["readOnlyMounts"] = [m.claim for m in shared if m.read_only]
    if own:
        entry["dataVolumes"] = {
            m.claim: {
                "mountPath": m.path,
                **_volume(specs[m.claim], "ReadWriteOnce"),
                **({"readOnly": True} if m.read_only else {}),
            }
            for m in own
        }
