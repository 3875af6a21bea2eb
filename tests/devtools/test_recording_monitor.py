"""devtools/recording_monitor.py: the aliases, resource inputs and component outputs a mock run
records, as the engine would receive them."""

from __future__ import annotations

import pulumi

from devtools.runtime import run_program

STACK = "urn:pulumi:dev::teamspace"


class Holder(pulumi.ComponentResource):
    def __init__(self, name: str, outputs: dict, opts: pulumi.ResourceOptions | None = None):
        super().__init__("test:index:Holder", name, None, opts)
        self.register_outputs(outputs)


def test_each_alias_spec_is_recorded_as_the_full_urn_it_stands_for():
    def program() -> None:
        aliases = [
            pulumi.Alias(name="before"),
            pulumi.Alias(type_="test:index:OldHolder"),
            pulumi.Alias(stack="staging"),
            pulumi.Alias(project="elsewhere"),
            pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE),
            "urn:pulumi:dev::teamspace::test:index:Given::as-a-urn",
        ]
        Holder("now", {}, pulumi.ResourceOptions(aliases=aliases))

    result = run_program({}, program=program)
    assert result.error is None
    [holder] = result.registrations
    assert holder.aliases == [
        f"{STACK}::test:index:Holder::before",
        f"{STACK}::test:index:OldHolder::now",
        "urn:pulumi:staging::teamspace::test:index:Holder::now",
        "urn:pulumi:dev::elsewhere::test:index:Holder::now",
        f"{STACK}::test:index:Holder::now",
        f"{STACK}::test:index:Given::as-a-urn",
    ]


def test_a_childs_alias_without_a_parent_or_with_another_parent():
    """`Alias(parent=None)`: the resource once had no parent at all (top level, no parent type)."""
    other = f"{STACK}::test:index:Elsewhere::other"

    def program() -> None:
        parent = Holder("p", {})
        aliases = [pulumi.Alias(parent=None), pulumi.Alias(parent=other)]
        Holder("c", {}, pulumi.ResourceOptions(parent=parent, aliases=aliases))

    result = run_program({}, program=program)
    assert result.error is None
    child = next(r for r in result.registrations if r.name == "c")
    assert child.urn == f"{STACK}::test:index:Holder$test:index:Holder::c"
    assert child.aliases == [
        f"{STACK}::test:index:Holder::c",
        f"{STACK}::test:index:Elsewhere$test:index:Holder::c",
    ]


def test_a_components_outputs_are_recorded_whole():
    """Every key a component registers, internal (`__`) ones too, with secrets unwrapped."""

    def program() -> None:
        Holder("h", {"url": "https://x.test", "__origin": "kept", "token": pulumi.Output.secret("s")})

    result = run_program({}, program=program, record_outputs=True)
    assert result.error is None
    assert result.component_outputs[f"{STACK}::test:index:Holder::h"] == {
        "url": "https://x.test",
        "__origin": "kept",
        "token": "s",
    }


def test_a_resources_inputs_are_recorded_whole():
    """Internal (`__`) input keys reach the engine too, so the record keeps them."""

    def program() -> None:
        pulumi.CustomResource("test:index:Thing", "t", {"size": "small", "__note": "kept"})

    result = run_program({}, program=program)
    assert result.error is None
    [thing] = result.registrations
    assert thing.inputs == {"size": "small", "__note": "kept"}
