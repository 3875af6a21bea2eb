"""Sentinel secrets for the leak tests: a config carrying them, and scanners that find them
in any encoding in what a run registered, logged or wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from devtools.runtime import PROJECT_ROOT, RunResult
from devtools.secret_envelopes import is_secret_envelope, unwrap_secrets
from devtools.stack_config import Secret, read_stack_file
from policy.guardrails.rules import leak_needles

from .harness import IMAGE, SECRET, minimal_config

PUSH = "S3ntinel-push-7f3a9c1d"
PULL = "S3ntinel-pull-4b2e1d08"
OTHER = "S3ntinel-conf-9a8b7c6d"  # every other secret value (teamspace:secrets.*)
SENTINELS = (PUSH, PULL, OTHER)
NEEDLES = {sentinel: leak_needles(sentinel) for sentinel in SENTINELS}


def leaks(text: str) -> list[str]:
    """The sentinels that `text` contains in any form (plain, JSON-escaped, base64 at any alignment)."""
    return [sentinel for sentinel, needles in NEEDLES.items() if any(n in text for n in needles)]


def with_sentinels(
    config: dict[str, Any], plaintext: bool = False, ciphertext: bool = False
) -> dict[str, Any]:
    """A stack config with every secret value (`secure:` or Secret) replaced by its sentinel:
    a Secret, or plain text, or the ciphertext of a `{secure: ...}` entry."""

    def replace(key: str, value: Any) -> Any:
        if isinstance(value, Secret) or (isinstance(value, dict) and set(value) == {"secure"}):
            plain = (
                PUSH
                if key == "teamspace:registryPassword"
                else PULL
                if key == "teamspace:pullPassword"
                else OTHER
            )
            return {"secure": plain} if ciphertext else plain if plaintext else Secret(plain)
        if isinstance(value, dict):
            return {k: replace(key, v) for k, v in value.items()}
        if isinstance(value, list):
            return [replace(key, v) for v in value]
        return value

    return {key: replace(key, value) for key, value in config.items()}


def stack(name: str) -> dict[str, Any]:
    return read_stack_file(PROJECT_ROOT / f"Pulumi.{name}.yaml")


CONFIGS = {
    "dev": lambda: with_sentinels(stack("dev")),  # pulls with the push credential
    "prod": lambda: with_sentinels(stack("prod")),  # separate read-only pull credential
    "minimal": lambda: with_sentinels(minimal_config(registryPassword=Secret(PUSH))),
}


def envelopes(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, plaintext) of every Pulumi secret envelope inside registered inputs."""
    if is_secret_envelope(value):
        yield path, unwrap_secrets(value)
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from envelopes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from envelopes(child, (*path, index))


def redacted(value: Any) -> Any:
    if is_secret_envelope(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return value


def allowed_secret_place(type_: str, path: tuple) -> bool:
    """Where a credential may be, as a Pulumi secret: a
    Secret's data, the docker provider's registry login.
    """
    return (type_ == SECRET and path[:1] in (("data",), ("stringData",))) or (
        type_ == IMAGE and path[:1] == ("registry",)
    )


def scan_run(result: RunResult) -> list[str]:
    """Every leak in one run: inputs outside secrets, secrets in the wrong place, outputs, logs, error."""
    found = []
    for registration in result.registrations:
        text = json.dumps(redacted(registration.inputs), sort_keys=True, default=str)
        found += [
            f"{registration.name} inputs: {s}" for s in leaks(text + registration.name + registration.urn)
        ]
        for path, plain in envelopes(registration.inputs):
            hits = leaks(json.dumps(plain, default=str))
            if hits and not allowed_secret_place(registration.type, path):
                found.append(f"{registration.name} secret at {path} in an unexpected place: {hits}")
    found += [f"outputs: {s}" for s in leaks(json.dumps(result.outputs, default=str))]
    found += [f"logs: {s}" for s in leaks("\n".join(message for _, message in result.logs))]
    if result.error is not None:
        found += [f"error: {s}" for s in leaks(f"{result.error!r} {result.error}")]
    return found
