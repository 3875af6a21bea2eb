"""Secrets a plan-diff report must never show, found in the stack files themselves.

The rendered objects already hold "[secret]" for every Pulumi secret, and Secret data is
redacted again when documents are compared (devtools.manifest_diff). This is the last layer:
every `secure:` ciphertext and every plaintext value under a password-like config key (for
example an `env:` entry named DB_PASSWORD or API_TOKEN) is masked in the final report, and the
config keys whose secret changed between the two stack files are listed by key only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .stack_config import REDACTED, read_stack_file

# Config keys whose plaintext values must never appear in a report.
SECRET_KEY = re.compile(r"(?i)(password|passwd|passphrase|secret|token|credential|api_?key|private_?key)s?$")
# Shorter values would mask ordinary words of the report.
MIN_MASKED = 4


def secret_config(path: Path) -> dict[str, str]:
    """Config path -> value of every secret a stack file holds: `secure:` ciphertexts and
    plaintext under password-like keys. Only the paths are ever shown."""
    found: dict[str, str] = {}

    def collect(value: Any, at: str, sensitive: bool) -> None:
        if isinstance(value, dict):
            if set(value) == {"secure"} and isinstance(value["secure"], str):
                found[at] = value["secure"]
                return
            for key, item in value.items():
                collect(
                    item,
                    f"{at}.{key}" if at else str(key),
                    sensitive or key == "secure" or bool(SECRET_KEY.search(str(key))),
                )
        elif isinstance(value, list):
            for index, item in enumerate(value):
                collect(item, f"{at}[{index}]", sensitive)
        elif sensitive and isinstance(value, str):
            found[at] = value

    if not path.is_file():
        return found
    try:  # the one reader of stack files, so the plan diff reads them as `make plan` does
        config = read_stack_file(path)
    except Exception:  # noqa: BLE001 - an unreadable file fails its render, which the report shows
        return found
    collect(config, "", False)
    return found


def differing(base: dict[str, str], head: dict[str, str]) -> list[str]:
    return sorted(key for key in base.keys() | head.keys() if base.get(key) != head.get(key))


def changed_secrets(base_file: Path, head_file: Path) -> list[str]:
    """Config paths whose secret value differs between the two stack files (set, removed,
    rotated or re-encrypted). The rendered objects cannot show it: both sides say [secret]."""
    if not (base_file.is_file() and head_file.is_file()):
        return []
    return differing(secret_config(base_file), secret_config(head_file))


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
