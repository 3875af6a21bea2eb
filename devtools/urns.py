"""URNs as the Pulumi engine builds them, for the offline runtime.

A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; the qualified type is
the chain of every ancestor's type joined by `$`, ending with the resource's own type, with
the root `pulumi:pulumi:Stack` left out (pulumi/pulumi v3.272.0:
`sdk/go/common/resource/urn.go` `NewURN` / `QualifiedType`, and the engine's
`pkg/resource/deploy/step_generator.go` `generateURN`). The SDK's `MockMonitor.make_urn`
keeps only the immediate parent's type, so its URNs do not exist in a real stack.

Alias URNs follow the engine's `collapseAliasToUrn` (same file): a field the alias leaves
empty takes the resource's own value (name, type, parent, project, stack); `noParent`, or
a parent that is the root stack, means no parent. Aliases the engine *inherits* from a
parent (`generateAliases`) exist only when that parent was found in the old state under one
of its own aliases, which an offline run cannot know; teamspace therefore gives every
child explicit aliases (components/renames.py) and records those.
"""

from __future__ import annotations

from collections.abc import Iterable

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
PREFIX = "urn:pulumi:"


def split_urn(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name); the name may itself contain `::`."""
    if not urn.startswith(PREFIX):
        raise ValueError(f"not a Pulumi URN: {urn!r}")
    stack, project, qualified, name = urn[len(PREFIX) :].split("::", 3)
    return stack, project, qualified, name


def qualified_type(urn: str) -> str:
    return split_urn(urn)[2]


def make_urn(stack: str, project: str, parent_urn: str, type_: str, name: str) -> str:
    """The URN of resource `name` of `type_` under the parent with URN `parent_urn` ("" for none)."""
    if parent_urn and qualified_type(parent_urn) != ROOT_STACK_TYPE:
        type_ = f"{qualified_type(parent_urn)}${type_}"
    return f"{PREFIX}{stack}::{project}::{type_}::{name}"


def alias_urn(
    *,
    stack: str,
    project: str,
    parent_urn: str,
    type_: str,
    name: str,
    alias_name: str = "",
    alias_type: str = "",
    alias_stack: str = "",
    alias_project: str = "",
    alias_parent_urn: str = "",
    no_parent: bool = False,
) -> str:
    """The URN an alias spec stands for, given the resource's own stack, project, parent, type, name."""
    parent = "" if no_parent else (alias_parent_urn or parent_urn)
    return make_urn(
        alias_stack or stack, alias_project or project, parent, alias_type or type_, alias_name or name
    )


def distinct(urns: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(u for u in urns if u))
