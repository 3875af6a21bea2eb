"""Aliases that carry a resource's Pulumi identity across a rename (team key or notebook name).

A component's children are named `<component>-<role>`, so a renamed component renames every
child. Each child gets an explicit alias built from the component's former names: it does
not depend on the engine inheriting aliases from parents, and the offline checks
(`make plan-diff`, tests/test_data_safety.py) can see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pulumi


def former_names(opts: pulumi.ResourceOptions | None) -> list[str]:
    """A component's earlier resource names: the name aliases in its options."""
    aliases = (opts.aliases if opts else None) or []
    return [a.name for a in aliases if isinstance(a, pulumi.Alias) and isinstance(a.name, str)]


def aliases_for(names: Iterable[str]) -> list[pulumi.Alias]:
    return [pulumi.Alias(name=name) for name in dict.fromkeys(names)]


def child_aliases(former: Sequence[str], role: str) -> list[pulumi.Alias]:
    """Aliases of the child `<name>-<role>` of a component formerly named one of `former`."""
    return aliases_for(f"{old}-{role}" for old in former)


def child_options(
    parent: pulumi.Resource, former: Sequence[str], role: str, **options: object
) -> pulumi.ResourceOptions:
    """Options of the child `<name>-<role>`: parented, aliased to its former names."""
    return pulumi.ResourceOptions(parent=parent, aliases=child_aliases(former, role) or None, **options)
