"""Comparing two renders of a stack object by object, and the Markdown report of it.

PersistentVolumeClaims hold user data, so every claim that disappears, is replaced (a change
to a field pulumi-kubernetes cannot update in place), or shrinks gets a line starting `!!`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from config.quantities import parse_quantity as _parse

from .stack_config import REDACTED

PVC = "PersistentVolumeClaim"
# Changing any of these makes pulumi-kubernetes replace a claim (delete, then create): see
# forceNewProperties of the v4 provider. Requests may change in place (growing only).
PVC_REPLACE_FIELDS = ("accessModes", "selector", "storageClassName", "volumeName")


@dataclass
class Side:
    """One stack rendered at one side: file name -> document, or why there is none."""

    objects: Optional[dict[str, dict[str, Any]]]
    note: str = ""
    """Why the side is empty although it rendered (no stack file, no offline/plan.py)."""
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

    @property
    def compared(self) -> bool:
        return self.base.objects is not None and self.head.objects is not None

    @property
    def summary(self) -> str:
        if not self.compared:
            failed = [name for name, side in (("base", self.base), ("head", self.head)) if side.objects is None]
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
    if isinstance(inputs, dict) and isinstance(inputs.get("registry"), dict) and "password" in inputs["registry"]:
        document = {**document, "inputs": {**inputs, "registry": {**inputs["registry"], "password": REDACTED}}}
    return document


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(redact_document(document), sort_keys=True)


def object_label(file_name: str, document: dict[str, Any]) -> str:
    """`Kind/namespace/name` (namespace `_cluster` if none), or `Type/pulumi-name`."""
    meta = document.get("metadata")
    if "kind" in document and isinstance(meta, dict):
        return f"{document['kind']}/{meta.get('namespace') or '_cluster'}/{meta.get('name')}"
    return Path(file_name).stem.replace("_", "/", 1)


def parse_quantity(text: Any) -> Optional[Decimal]:
    """The quantity's value, or None when it is missing or not a quantity."""
    try:
        return _parse(str(text)) if text is not None else None
    except ValueError:
        return None


def _storage(document: dict[str, Any]) -> Any:
    spec = document.get("spec") or {}
    return ((spec.get("resources") or {}).get("requests") or {}).get("storage")


def _options(document: dict[str, Any]) -> dict[str, bool]:
    options = document.get("x-pulumi-options") or {}
    return {"protect": bool(options.get("protect")), "retainOnDelete": bool(options.get("retainOnDelete"))}


def _destroy_consequence(options: dict[str, bool]) -> str:
    if options["protect"]:
        return ("protect is set, so `pulumi up` stops with an error on it until someone runs "
                "`pulumi state unprotect`")
    if options["retainOnDelete"]:
        return ("retainOnDelete is set, so Pulumi forgets the claim and leaves it, with its data, "
                "in the cluster unmanaged")
    return "neither protect nor retainOnDelete is set: `pulumi up` DELETES the claim and the data on it"


def _flag_list(options: dict[str, bool]) -> str:
    return ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in options.items())


def compare(stack: str, base: Side, head: Side, secrets_changed: Sequence[str] = ()) -> StackDiff:
    diff = StackDiff(stack, base, head, secrets_changed=list(secrets_changed))
    if not diff.compared:
        return diff
    assert base.objects is not None and head.objects is not None
    for name in sorted(set(base.objects) | set(head.objects)):
        old, new = base.objects.get(name), head.objects.get(name)
        label = object_label(name, new if new is not None else old)
        if old is None:
            diff.added.append(label)
            continue
        if new is None:
            diff.removed.append(label)
            if old.get("kind") == PVC:
                options = _options(old)
                diff.pvc_destroyed = True
                diff.flags.append(f"!! {stack}: {label} DISAPPEARS (old claim: {_flag_list(options)}); "
                                  f"{_destroy_consequence(options)}.")
            continue
        old_text, new_text = dump(old), dump(new)
        if old_text == new_text:
            continue
        lines = difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                     fromfile=f"base/{stack}/{name}", tofile=f"head/{stack}/{name}")
        diff.changed.append((label, "".join(line if line.endswith("\n") else line + "\n" for line in lines)))
        if new.get("kind") == PVC:
            diff.flags += _pvc_change_flags(stack, label, old, new, diff)
    return diff


def _pvc_change_flags(stack: str, label: str, old: dict, new: dict, diff: StackDiff) -> list[str]:
    flags = []
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    replaced = [f for f in PVC_REPLACE_FIELDS if old_spec.get(f) != new_spec.get(f)]
    if replaced:
        diff.pvc_destroyed = True
        options = _options(old)
        flags.append(f"!! {stack}: {label} is REPLACED (delete, then create) because spec."
                     f"{', spec.'.join(replaced)} cannot change in place (old claim: {_flag_list(options)}); "
                     f"{_destroy_consequence(options)}.")
    old_meta, new_meta = old.get("x-pulumi-options") or {}, new.get("x-pulumi-options") or {}
    old_urn, new_urn = old_meta.get("urn"), new_meta.get("urn")
    if old_urn and new_urn and old_urn != new_urn and old_urn.rsplit("::", 1)[-1] not in new_meta.get("aliases", []):
        diff.pvc_destroyed = True
        options = _options(old)
        flags.append(f"!! {stack}: {label} changes its Pulumi identity ({old_urn.rsplit('::', 1)[-1]} -> "
                     f"{new_urn.rsplit('::', 1)[-1]}) without an alias: the engine deletes the old claim and "
                     f"creates one of the same name (old claim: {_flag_list(options)}); {_destroy_consequence(options)}.")
    before, after = _storage(old), _storage(new)
    old_size, new_size = parse_quantity(before), parse_quantity(after)
    if old_size is not None and new_size is not None and new_size < old_size:
        flags.append(f"!! {stack}: {label} SHRINKS from {before} to {after}; Kubernetes rejects "
                     "shrinking a claim, so `pulumi up` will fail on it.")
    return flags


def _fence(text: str, info: str) -> str:
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def report(diffs: list[StackDiff], base_ref: str, base_commit: str) -> str:
    out = ["# Plan diff", "",
           f"Base `{base_ref}` (`{base_commit}`) → head: the working tree. Every stack rendered offline "
           "under Pulumi mocks with each side's own code; secret values appear only as `[secret]`.", "",
           _fence("\n".join(d.summary for d in diffs) or "(no stacks)", "text"), ""]
    flagged = sum(len(d.flags) for d in diffs)
    if flagged:
        out += [f"**{flagged} PersistentVolumeClaim warning(s): see the lines starting with `!!`.**", ""]
    for d in diffs:
        out += [f"## {d.summary}", ""]
        for name, side in (("base", d.base), ("head", d.head)):
            if side.note:
                out += [f"_{name}: {side.note}; that side has no objects._", ""]
            if side.objects is None:
                out += [f"!! {d.stack}: the {name} side could not be rendered, so nothing is compared:", "",
                        _fence(side.error, "text"), ""]
        for flag in d.flags:
            out += [flag, ""]
        if d.secrets_changed:
            keys = ", ".join(f"`{key}`" for key in d.secrets_changed)
            out += [f"Secret config changed (values not shown): {keys}. The objects that use a secret render "
                    "as `[secret]` on both sides, so they are not listed as changed; `pulumi up` updates them "
                    "(pull secrets, S3 Secrets, image pushes).", ""]
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
