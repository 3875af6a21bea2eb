"""What each file of `make plan` records besides the manifest, under `x-pulumi-options`.

Always the object's `id` (`Kind/namespace/name`, or `<type>/<pulumi name>`): the one place
readers take it from. For data-holding objects also `protect`, `retainOnDelete`, `urn`,
`urnTypes` and `aliases` (every alias URN the engine would try), which devtools.volume_fate
needs. The base side of a plan diff is rendered by older code, so the reader also accepts
what main's renderer wrote before: no id, name aliases, no urnTypes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .volume_fate import PARENT_TYPE, Tracked, urn_parts

OPTIONS = "x-pulumi-options"


def options_entry(resource: Tracked, with_identity: bool) -> dict[str, Any]:
    """What `make plan` writes under OPTIONS: always the id; for data-holding objects also
    the options and identity the engine's diff needs."""
    entry: dict[str, Any] = {"id": resource.id}
    if with_identity:
        entry.update(
            protect=resource.protect,
            retainOnDelete=resource.retain_on_delete,
            urn=resource.urn,
            urnTypes=resource.urn_types,
        )
        if resource.aliases:
            entry["aliases"] = sorted(resource.aliases)
    return entry


def from_document(document: Mapping[str, Any], file_name: str) -> Tracked:
    """A rendered file's object. Files written before the id was recorded (older renderers
    still run for the base of a plan diff) get the id their content or file name gives, and
    name aliases there are made URNs the way the engine reads them."""
    options = document.get(OPTIONS) or {}
    urn = str(options.get("urn") or "")
    aliases = []
    for alias in options.get("aliases") or []:
        if urn and not str(alias).startswith("urn:pulumi:"):
            prefix, chain, _ = urn_parts(urn)
            alias = f"{prefix}::{chain}::{alias}"
        aliases.append(str(alias))
    kind = document.get("kind") or str(document.get("pulumiType", "")).rsplit(":", 1)[-1]
    return Tracked(
        id=str(options.get("id") or legacy_id(file_name, document)),
        urn=urn,
        kind=str(kind),
        manifest={k: v for k, v in document.items() if k != OPTIONS},
        protect=bool(options.get("protect")),
        retain_on_delete=bool(options.get("retainOnDelete")),
        aliases=tuple(aliases),
        urn_types=str(options.get("urnTypes") or PARENT_TYPE),
    )


def legacy_id(file_name: str, document: Mapping[str, Any]) -> str:
    """The id of a file written before the renderer recorded one (`make plan` of older code)."""
    meta = document.get("metadata")
    if "kind" in document and isinstance(meta, dict):
        return f"{document['kind']}/{meta.get('namespace') or '_cluster'}/{meta.get('name')}"
    return Path(file_name).stem.replace("_", "/", 1)
