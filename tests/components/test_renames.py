"""Renames (components/renames.py): which of a component's aliases are former names, and the
aliases its children get from them."""

from __future__ import annotations

import pulumi

from components.renames import child_aliases, former_names

OLD_URN = "urn:pulumi:dev::teamspace::teamspace:index:TeamWorkspace::old"


def test_only_name_aliases_are_former_names():
    """A full URN or an alias that keeps the name (a new parent or project) names no former child."""
    options = pulumi.ResourceOptions(
        aliases=[
            OLD_URN,
            pulumi.Alias(name="data"),
            pulumi.Alias(project="elsewhere"),
            pulumi.Alias(name="team"),
        ]
    )
    assert former_names(options) == ["data", "team"]
    assert former_names(None) == former_names(pulumi.ResourceOptions()) == []


def test_each_former_name_gives_one_child_alias():
    aliases = child_aliases(["data", "team", "data"], "home")
    assert [alias.name for alias in aliases] == ["data-home", "team-home"]
    assert child_aliases([], "home") == []
