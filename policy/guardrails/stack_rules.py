"""The stack-output rule (`stack-no-secret-outputs`): no output of the stack carries secret
material, be it secret-marked, named like a credential, a docker config, or a credential
the stack's own resources hold, in plain text or base64.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Secret,
    StackValidationArgs,
    StackValidationPolicy,
)

from .manifests import as_map

K8S_SECRET = "kubernetes:core/v1:Secret"
STACK = "pulumi:pulumi:Stack"

_CREDENTIAL_KEYS = {
    "password",
    "passwd",
    "token",
    "accesstoken",
    "apitoken",
    "apikey",
    "secret",
    "clientsecret",
    "secretaccesskey",
    "secretkey",
    "privatekey",
    "auth",
    "credentials",
    "dockerconfigjson",
}


def is_credential_key(key: Any) -> bool:
    """Whether a property name is one that holds credential material (not a mere secret *name*)."""
    flat = re.sub(r"[^a-z0-9]", "", str(key).lower())
    return flat in _CREDENTIAL_KEYS or flat.endswith(("password", "token", "secretaccesskey", "privatekey"))


def _b64_needles(data: bytes, alphabet: str) -> set[str]:
    """Substrings that appear in the base64 of any byte stream containing `data`, at each alignment."""
    needles = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode()
        start, end = -(-8 * shift // 6), 8 * (shift + len(data)) // 6
        needle = encoded[start:end]
        if alphabet == "urlsafe":
            needle = needle.replace("+", "-").replace("/", "_")
        if len(needle) >= 6:
            needles.add(needle)
    return needles


def leak_needles(secret: str, depth: int = 2) -> set[str]:
    """Every form in which `secret` would show up inside a text: plain, JSON-escaped, and
    base64-embedded (standard and URL-safe alphabets, any alignment, `depth` levels deep, so
    base64 of `user:secret` and base64 of a dockerconfigjson holding that are covered)."""
    forms = {secret, json.dumps(secret)[1:-1]}
    layer = set(forms)
    for _ in range(depth):
        layer = {
            n
            for text in layer
            for alphabet in ("standard", "urlsafe")
            for n in _b64_needles(text.encode(), alphabet)
        }
        forms |= layer
    return {f for f in forms if f}


def find_leaks(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets of `secrets` that `text` contains in any form of leak_needles."""
    return _leaking(text, _needles_of(secrets))


def _needles_of(secrets: Iterable[str]) -> dict[str, list[str]]:
    """Each secret's leak_needles, computed once per check, longest first (so masking replaces a
    whole form before any part of it)."""
    return {secret: sorted(leak_needles(secret), key=len, reverse=True) for secret in secrets}


def _leaking(text: str, needles: Mapping[str, list[str]]) -> list[str]:
    return [secret for secret, forms in needles.items() if any(form in text for form in forms)]


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, key, value) for every node under `value` (a Secret is a leaf)."""
    if isinstance(value, Mapping):
        for key in value:
            child = value[key]
            where = f"{path}.{key}" if path else str(key)
            yield where, key, child
            yield from _walk(child, where)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        for index, child in enumerate(value):
            where = f"{path}[{index}]"
            yield where, None, child
            yield from _walk(child, where)


def _decoded(text: str) -> str | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def secret_material(resources: Iterable[Any]) -> set[str]:
    """Credential values the stack's resources hold: credential-named entries of Secrets'
    data (e.g. `secretAccessKey`; not a region or endpoint stored beside it), the passwords
    inside a dockerconfigjson, registry passwords, and any value under a credential-named key."""
    found: set[str] = set()
    for resource in resources:
        props = resource.props
        if resource.resource_type == STACK:
            continue
        if resource.resource_type == K8S_SECRET:
            for field in ("data", "stringData"):
                entries = as_map(props.get(field))
                for key in entries:
                    value = entries[key]
                    value = value.value if isinstance(value, Secret) else value
                    if not isinstance(value, str):
                        continue
                    plain = _decoded(value) if field == "data" else value
                    if is_credential_key(key):
                        found |= {value, plain} - {None}
                    if plain:
                        found |= _dockerconfig_passwords(plain)
        for _, key, value in _walk(props):
            value = value.value if isinstance(value, Secret) else value
            if key is not None and is_credential_key(key) and isinstance(value, str):
                found.add(value)
    return {s for s in found if len(s) >= 6}


def _dockerconfig_passwords(text: str) -> set[str]:
    try:
        document = json.loads(text)
    except ValueError:
        return set()
    found = set()
    for entry in as_map(as_map(document).get("auths")).values():
        entry = as_map(entry)
        for key in ("password", "auth", "identitytoken", "registrytoken"):
            if isinstance(entry.get(key), str):
                found.add(entry[key])
        userpass = _decoded(entry["auth"]) if isinstance(entry.get("auth"), str) else None
        if userpass and ":" in userpass:
            found.add(userpass.split(":", 1)[1])
    return found


def check_stack_outputs(resources: Sequence[Any]) -> list[tuple[str, str | None]]:
    """No stack output carries secret material: no secret-marked value, nothing under a
    credential-named key, no dockerconfigjson, and none of the stack's credential values
    in plain text or base64 (standard or URL-safe)."""
    stacks = [r for r in resources if r.resource_type == STACK]
    needles = _needles_of(secret_material(resources))
    problems: list[tuple[str, str | None]] = []
    for stack in stacks:
        for where, key, value in _walk(stack.props):
            path = _masked(where, needles)
            if isinstance(value, Secret):
                problems.append(
                    (
                        f"stack output {path} is a secret; outputs are read by other systems "
                        "and must not carry credentials",
                        stack.urn,
                    )
                )
                continue
            if key is not None and is_credential_key(key) and value not in (None, "", [], {}):
                problems.append((f"stack output {path} is named like a credential", stack.urn))
            texts = [str(key)] if key is not None else []
            if isinstance(value, str):
                texts.append(value)
            for text in texts:
                decoded = _decoded(text) if len(text) >= 16 else None
                if '"auths"' in text or (decoded and '"auths"' in decoded):
                    problems.append(
                        (f"stack output {path} holds a docker config (registry credentials)", stack.urn)
                    )
                elif _leaking(text, needles):
                    problems.append(
                        (
                            f"stack output {path} contains a credential of the stack "
                            "(in plain text or base64)",
                            stack.urn,
                        )
                    )
    return problems


def _masked(path: str, needles: Mapping[str, list[str]]) -> str:
    """`path` with every form of the stack's credentials in it replaced by `***`: findings are
    printed in CI logs, so an output named after a credential must not repeat it there."""
    for secret in _leaking(path, needles):
        for needle in needles[secret]:
            path = path.replace(needle, "***")
    return path


def _validate_stack_outputs(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    for message, urn in check_stack_outputs(args.resources):
        report_violation(message, urn)


stack_no_secret_outputs = StackValidationPolicy(
    name="stack-no-secret-outputs",
    description="No stack output carries secret material.",
    validate=_validate_stack_outputs,
    enforcement_level=EnforcementLevel.MANDATORY,
)
