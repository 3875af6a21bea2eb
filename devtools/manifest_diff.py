"""Comparing two renders of a stack object by object, and the Markdown report of it.

Objects are paired by the id each rendered file records (devtools.rendered_record reads it,
also from files of older renderers, which still render the base side). What `pulumi up`
would do to user data is worded by devtools.claim_warnings on lines starting `!!`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .claim_warnings import claim_warnings
from .rendered_record import OPTIONS, from_document
from .stack_config import REDACTED
from .volume_fate import Tracked


@dataclass
class Side:
    """One stack rendered at one side: file name -> document, or why there is none."""

    objects: dict[str, dict[str, Any]] | None
    note: str = ""
    """Why the side is empty although it rendered (no stack file, no devtools/plan.py)."""
    error: str = ""
    """Why the side could not be rendered (objects is None)."""


@dataclass
class StackDiff:
    stack: str
    base: Side
    head: Side
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    pvc_destroyed: bool = False
    secrets_changed: list[str] = field(default_factory=list)
    """Config keys whose secret value changed (the objects render as [secret] on both sides)."""
    notes: list[str] = field(default_factory=list)

    @property
    def compared(self) -> bool:
        return self.base.objects is not None and self.head.objects is not None

    @property
    def summary(self) -> str:
        if not self.compared:
            failed = [
                name for name, side in (("base", self.base), ("head", self.head)) if side.objects is None
            ]
            return f"{self.stack}: not compared ({' and '.join(failed)} could not be rendered)"
        counts = f"{self.stack}: +{len(self.added)} ~{len(self.changed)} -{len(self.removed)}"
        return counts + (f" (secrets changed: {len(self.secrets_changed)})" if self.secrets_changed else "")


def redact_document(document: dict[str, Any]) -> dict[str, Any]:
    """Belt and braces: Secret data and registry passwords, whatever the side rendered."""
    if document.get("kind") == "Secret":
        document = dict(document)
        for key in ("data", "stringData"):
            if isinstance(document.get(key), dict):
                document[key] = {k: REDACTED for k in document[key]}
            elif key in document:
                document[key] = REDACTED
    inputs = document.get("inputs")
    if (
        isinstance(inputs, dict)
        and isinstance(inputs.get("registry"), dict)
        and "password" in inputs["registry"]
    ):
        document = {
            **document,
            "inputs": {**inputs, "registry": {**inputs["registry"], "password": REDACTED}},
        }
    return document


def dump(resource: Tracked) -> str:
    """The object as YAML for the text diff: redacted; of the renderer's bookkeeping only the
    identity and options (aliases as URNs), so files of older renderers compare equal."""
    document = redact_document(dict(resource.manifest))
    if resource.urn:
        document[OPTIONS] = {
            "urn": resource.urn,
            "protect": resource.protect,
            "retainOnDelete": resource.retain_on_delete,
            **({"aliases": sorted(resource.aliases)} if resource.aliases else {}),
        }
    return yaml.safe_dump(document, sort_keys=True)


def resources(objects: dict[str, dict[str, Any]]) -> dict[str, tuple[str, Tracked]]:
    """Object id -> (file name, object) for one rendered side."""
    found = {}
    for name, document in objects.items():
        resource = from_document(document, name)
        found[resource.id] = (name, resource)
    return found


def compare(stack: str, base: Side, head: Side, secrets_changed: Sequence[str] = ()) -> StackDiff:
    diff = StackDiff(stack, base, head, secrets_changed=list(secrets_changed))
    if not diff.compared:
        return diff
    assert base.objects is not None and head.objects is not None
    old, new = resources(base.objects), resources(head.objects)
    for label in sorted(set(old) | set(new)):
        if label not in old:
            diff.added.append(label)
        elif label not in new:
            diff.removed.append(label)
        elif (old_text := dump(old[label][1])) != (new_text := dump(new[label][1])):
            lines = difflib.unified_diff(
                old_text.splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                fromfile=f"base/{stack}/{old[label][0]}",
                tofile=f"head/{stack}/{new[label][0]}",
            )
            diff.changed.append(
                (label, "".join(line if line.endswith("\n") else line + "\n" for line in lines))
            )
    warnings, matching = claim_warnings(stack, [r for _, r in old.values()], [r for _, r in new.values()])
    diff.flags = [w.text for w in warnings]
    diff.pvc_destroyed = any(w.risks_data for w in warnings)
    if matching.coarse:
        diff.notes.append(
            "The two sides' URNs hold different type chains (one renderer recorded the parent's "
            "type only, the other every ancestor's): identities were compared by parent type and name."
        )
    return diff


def code_span(text: str) -> str:
    """Inline code that holds any text (a branch name may contain backticks) on one line."""
    text = " ".join(text.split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fence(text: str, info: str) -> str:
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def report(diffs: list[StackDiff], base_ref: str, base_commit: str) -> str:
    out = [
        "# Plan diff",
        "",
        f"Base {code_span(base_ref)} (`{base_commit}`) → head: the working tree. Every stack rendered "
        "offline under Pulumi mocks with each side's own code; secret values appear only as `[secret]`.",
        "",
        _fence("\n".join(d.summary for d in diffs) or "(no stacks)", "text"),
        "",
    ]
    flagged = sum(len(d.flags) for d in diffs)
    if flagged:
        out += [f"**{flagged} PersistentVolumeClaim warning(s): see the lines starting with `!!`.**", ""]
    for d in diffs:
        out += [f"## {d.summary}", ""]
        for name, side in (("base", d.base), ("head", d.head)):
            if side.note:
                out += [f"_{name}: {side.note}; that side has no objects._", ""]
            if side.objects is None:
                out += [
                    f"!! {d.stack}: the {name} side could not be rendered, so nothing is compared:",
                    "",
                    _fence(side.error, "text"),
                    "",
                ]
        for note in d.notes:
            out += [f"_{note}_", ""]
        for flag in d.flags:
            out += [flag, ""]
        if d.secrets_changed:
            keys = ", ".join(f"`{key}`" for key in d.secrets_changed)
            out += [
                f"Secret config changed (values not shown): {keys}. The objects that use a secret render "
                "as `[secret]` on both sides, so they are not listed as changed; `pulumi up` updates them "
                "(pull secrets, S3 Secrets, image pushes).",
                "",
            ]
        if d.compared and not (d.added or d.changed or d.removed or d.secrets_changed):
            out += ["No changes.", ""]
        if d.added:
            out += [f"### Added ({len(d.added)})", ""] + [f"- `{label}`" for label in d.added] + [""]
        if d.changed:
            out += [f"### Changed ({len(d.changed)})", ""]
            for label, text in d.changed:
                out += [f"#### `{label}`", "", _fence(text, "diff"), ""]
        if d.removed:
            out += [f"### Removed ({len(d.removed)})", ""] + [f"- `{label}`" for label in d.removed] + [""]
    return "\n".join(out).rstrip() + "\n"
