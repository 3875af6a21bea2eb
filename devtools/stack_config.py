"""Stack config as the Pulumi CLI hands it to a program: flat string values plus secret keys."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .stack_yaml import StackFileError, read_stack_file

__all__ = ["REDACTED", "Secret", "StackFileError", "read_stack_file", "to_runtime"]

# What an encrypted `{secure: ...}` value becomes offline: nothing here can decrypt it, and
# nothing written by the offline tools may ever hold a secret's value.
REDACTED = "[secret]"


class Secret(str):
    """A plaintext config value that Pulumi must treat as secret (for tests and benchmarks)."""


def to_runtime(config: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """(values, secret keys) as `pulumi.runtime.set_all_config` expects them.

    Objects are JSON-encoded, scalars stringified, YAML booleans written `true`/`false`;
    a key holding any `{secure: ...}` or `Secret` anywhere inside is a secret key.
    """
    values, secret_keys = {}, []
    for key, value in config.items():
        plain, is_secret = _plain(value)
        if isinstance(plain, (dict, list)):
            values[key] = json.dumps(plain)
        elif isinstance(plain, bool):
            values[key] = "true" if plain else "false"
        else:
            values[key] = str(plain)
        if is_secret:
            secret_keys.append(key)
    return values, secret_keys


def _plain(value: Any) -> tuple[Any, bool]:
    if isinstance(value, Secret):
        return str(value), True
    if isinstance(value, dict) and set(value) == {"secure"}:
        return REDACTED, True
    if isinstance(value, dict):
        items = {k: _plain(v) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, any(s for _, s in items.values())
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False
