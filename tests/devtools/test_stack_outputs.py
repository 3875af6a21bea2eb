"""devtools/stack_outputs.py: a run's stack outputs resolved as the engine shows them: plain
values as they are, an output not known yet (a preview) as None, a key holding a secret anywhere
marked secret."""

from __future__ import annotations

import pulumi

from devtools.runtime import run_program


async def _ready(value):
    return value


def _output(value, known: bool = True) -> pulumi.Output:
    return pulumi.Output(set(), _ready(value), _ready(known))


def test_each_kind_of_export_resolves_to_what_the_engine_shows():
    def program() -> None:
        pulumi.export("plain", "text")
        pulumi.export("number", 3)
        pulumi.export("output", _output("from an output"))
        pulumi.export("nested", {"team": {"url": _output("https://u"), "size": "small"}, "n": 1})
        pulumi.export("items", ["a", _output("b"), {"c": 2}])
        pulumi.export("unknown", _output(None, known=False))
        pulumi.export("partly", {"known": _output("k"), "later": _output(None, known=False)})

    result = run_program({}, program=program)
    assert result.error is None
    assert result.outputs == {
        "plain": "text",
        "number": 3,
        "output": "from an output",
        "nested": {"team": {"url": "https://u", "size": "small"}, "n": 1},
        "items": ["a", "b", {"c": 2}],
        "unknown": None,
        "partly": None,
    }
    assert result.secret_outputs == set()


def test_a_key_holding_a_secret_anywhere_is_a_secret_output():
    def program() -> None:
        pulumi.export("plain", "text")
        pulumi.export("token", pulumi.Output.secret("s1"))
        pulumi.export("nested", {"team": {"url": _output("u"), "token": pulumi.Output.secret("s2")}})
        pulumi.export("listed", [_output("a"), pulumi.Output.secret("s3")])

    result = run_program({}, program=program)
    assert result.error is None
    assert result.secret_outputs == {"token", "nested", "listed"}
    assert result.outputs["nested"] == {"team": {"url": "u", "token": "s2"}}
