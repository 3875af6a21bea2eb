"""The stack's outputs at the end of a mock run, resolved as the engine would record them:
each value, and which are secret.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pulumi
from pulumi.runtime.settings import get_root_resource


async def resolve_stack_outputs() -> tuple[dict[str, Any], set[str]]:
    root = get_root_resource()
    outputs, secret = {}, set()
    for key, value in getattr(root, "outputs", {}).items():
        resolved, known, is_secret = await _resolve(value)
        outputs[key] = resolved if known else None
        if is_secret:
            secret.add(key)
    return outputs, secret


_SCALARS = (str, int, float, bool, type(None))


async def _resolve(value: Any) -> tuple[Any, bool, bool]:
    """(value, known, secret) as `Output.from_input(value)` resolves them, without wrapping
    every plain leaf of a large export in an Output of its own: for a few thousand notebooks
    that cost more than the engine's own handling of the exports (see bench/README.md).
    Plain leaves are taken as they are, without a coroutine each (most of an export is plain)."""
    if isinstance(value, _SCALARS):
        return value, True, False
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return await _resolve_items(value.items(), {})
    if isinstance(value, list):
        items, known, secret = await _resolve_items(enumerate(value), {})
        return list(items.values()), known, secret
    output = pulumi.Output.from_input(value)  # Outputs, awaitables, input types: the SDK's way
    return await output.future(), await output.is_known(), await output.is_secret()


async def _resolve_items(items: Iterable[tuple[Any, Any]], out: dict) -> tuple[dict, bool, bool]:
    """`out` filled with each item's resolved value, and whether all are known and any secret."""
    known, secret = True, False
    for key, item in items:
        if isinstance(item, _SCALARS):
            out[key] = item
            continue
        out[key], item_known, item_secret = await _resolve(item)
        known, secret = known and item_known, secret or item_secret
    return out, known, secret
