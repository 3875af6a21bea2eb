"""Pulumi's secret envelopes, as values cross the engine's wire: finding them, and a copy of a
value with each replaced by its plaintext.
"""

from __future__ import annotations

from typing import Any

# Pulumi's wire format marks a secret as {SIG_KEY: SECRET_SIG, "value": ...} (sdk/proto, rpc.py).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def unwrap_secrets(value: Any) -> Any:
    """A copy of `value` with Pulumi's secret envelopes replaced by their plaintext.

    Numbers cross the wire as protobuf doubles; integral ones become ints again, as in YAML.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        if is_secret_envelope(value):
            return unwrap_secrets(value["value"])
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


def is_secret_envelope(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG
