"""The adoption report (stdout): per namespace, what is adopted, what the first up changes,
what is refused and why. Names only: no Secret value is ever known to the tool."""

from __future__ import annotations

from .build import Adoption

CHANGES_HEADING = "changes on the first up (in place; the notebook restarts):"


def report(adoption: Adoption, out_file: str) -> str:
    lines: list[str] = []
    notebooks = [o for t in adoption.teams for o in t.notebooks]
    refused = [o for o in notebooks if o.findings.refused]
    claims = [c for t in adoption.teams for c, what in t.claims.items() if what.startswith("adopted")]
    lines.append(
        f"adopt: {len(notebooks) - len(refused)} of {len(notebooks)} notebooks and "
        f"{len(claims)} claims adopted into {out_file}"
    )
    for team in adoption.teams:
        lines.append("")
        lines.append(f"namespace {team.namespace} (team {team.namespace})")
        for outcome in team.notebooks:
            kind = outcome.entry.get("type", "?")
            if outcome.findings.refused:
                lines.append(f"  notebook {outcome.name} ({kind}): REFUSED, not in the stack file")
                lines += [f"      - {item}" for item in outcome.findings.refused]
                continue
            state = ", stopped" if outcome.entry.get("stopped") else ""
            lines.append(f"  notebook {outcome.name} ({kind}{state}): adopted")
            if outcome.findings.changes:
                lines.append(f"    {CHANGES_HEADING}")
                lines += [f"      - {item}" for item in outcome.findings.changes]
            lines += [f"    note: {item}" for item in outcome.findings.notes]
            for secret in outcome.pull_secrets:
                known = (team.namespace, secret) in adoption.inventory.pull_secrets
                lines.append(
                    f"    pull secret {secret}: referenced by name and kept as it is"
                    f"{'' if known else ' (not in the input: check it exists)'}"
                )
        for claim, what in sorted(team.claims.items()):
            lines.append(f"  claim {claim}: {what}")
        for key in team.adopted:
            kind = key.split("/", 1)[0]
            if kind == "PodDefault":
                lines.append(f"  {key}: adopted as the configuration {key.rsplit('/', 1)[1]}")
            elif kind in ("Profile", "ResourceQuota"):
                lines.append(
                    f"  {key}: adopted as the team's {kind.lower().replace('resourcequota', 'quota')}"
                )
        lines += [f"  REFUSED {item}" for item in team.findings.refused]
        lines += [f"  change: {item}" for item in team.findings.changes]
        lines += [f"  note: {item}" for item in team.findings.notes]
        for entry in team.team.get("externalConfigurations", []):
            name = entry if isinstance(entry, str) else f"{entry['name']} (label {entry['label']})"
            lines.append(f"  PodDefault {name}: external configuration, selected but not managed")
    if adoption.inventory.ignored:
        skipped = ", ".join(f"{n} {k}" for k, n in sorted(adoption.inventory.ignored.items()))
        lines += ["", f"ignored (not read): {skipped}"]
    if adoption.problems:
        lines += ["", "the generated stack does not validate; fix these before `pulumi preview`:"]
        lines += [f"  - {problem}" for problem in adoption.problems]
    lines += [
        "",
        "next: back up, then `pulumi preview --diff` and check it as docs/adopt.md shows; "
        "after the first `pulumi up`, switch adoption off (docs/adopt.md, step 7).",
    ]
    # Names come from the input files: no terminal control character reaches the screen.
    return "\n".join("".join(c if c.isprintable() else "?" for c in line) for line in lines)
