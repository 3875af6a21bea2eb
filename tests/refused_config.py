"""Building bad stack configs for the refusal tables, and the check every refusal must pass:
a ConfigError naming the key, and nothing registered."""

from __future__ import annotations

from config import ConfigError

from .harness import Template, minimal_config

NB = "teamspace:teams.data.notebooks[0] (lab)"  # paths into a notebook list name the notebook


def team(*notebooks, **extra):
    return {"data": {"notebooks": list(notebooks), **extra}}


def nb(**fields):
    return {"name": "lab", "type": "jupyter", **fields}


def assert_refused_before_anything_is_created(overrides: dict, expected: list[str]) -> None:
    """The program stops with ConfigError whose message holds each of `expected`; no resource
    was registered."""
    template = Template.synth(minimal_config(**overrides), expect_error=True)
    error = template.result.error
    assert isinstance(error, ConfigError), repr(error)
    message = str(error)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert template.registrations == []
