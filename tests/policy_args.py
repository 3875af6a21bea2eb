"""Arguments for calling a policy rule directly, built from pulumi-policy's public API only.

The analyzer hands a rule its resource's properties as read-only Mapping and Sequence views
(not dicts or lists), and `args.not_applicable()` raises an exception private to
pulumi-policy. The stand-ins here keep both contracts without importing those internals, so
an SDK upgrade cannot break `make test` through them; the tests that drive the analyzer's
own request handling are marked `sdk_internals` (`make sdk-check`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import PolicyResourceOptions, ResourceValidationArgs


class NotApplicable(Exception):
    """A rule declared itself not applicable (`args.not_applicable(reason)`)."""

    def __init__(self, reason: str | None = None):
        super().__init__(reason)
        self.reason = reason


class RuleArgs(ResourceValidationArgs):
    """ResourceValidationArgs whose not_applicable() raises `NotApplicable`."""

    def not_applicable(self, reason: str | None = None) -> None:
        raise NotApplicable(reason)


class _MappingView(Mapping):
    """A read-only view that is a Mapping but not a dict, as the analyzer gives rules."""

    def __init__(self, target: dict):
        self._target = {k: analyzer_view(v) for k, v in target.items()}

    def __getitem__(self, key: Any) -> Any:
        return self._target[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._target)

    def __len__(self) -> int:
        return len(self._target)


class _SequenceView(Sequence):
    """A read-only view that is a Sequence but not a list."""

    def __init__(self, target: list):
        self._items = [analyzer_view(v) for v in target]

    def __getitem__(self, index: Any) -> Any:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)


def analyzer_view(value: Any) -> Any:
    """`value` with every dict and list wrapped (copied) as the analyzer wraps properties: a
    rule that assumes a real dict or list fails here as it would in `pulumi preview`."""
    if isinstance(value, dict):
        return _MappingView(value)
    if isinstance(value, list):
        return _SequenceView(value)
    return value


def rule_args(
    type_: str, props: dict, urn: str, name: str, opts: PolicyResourceOptions, config: dict | None = None
) -> RuleArgs:
    return RuleArgs(type_, analyzer_view(props), urn, name, opts, None, config)
