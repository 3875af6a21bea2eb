"""Secret config keys hold secrets: never plaintext in the stack file (it is in git).

`registryPassword`, `pullPassword` and every entry of `secrets` must be set with
`pulumi config set --secret`, which stores `{secure: <ciphertext>}`. Two views decide it:

- the runtime's: the CLI marks a key secret when its value was encrypted. A plaintext
  password is a key that is not marked secret (runtime_problems).
- the stack file's: the CLI marks an object secret *as a whole* when any value inside it is
  `secure:`, so a plaintext sibling inside `teamspace:secrets` looks secret to the program.
  Only the file tells, so the program reads `Pulumi.<stack>.yaml` itself (file_problems).
  The offline tools run the program on that same file, so they get both checks too.

No message quotes a value; each gives the command that stores it encrypted.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import PREFIX, Problem, key_path

SECRET_KEYS = ("registryPassword", "pullPassword")
SECRETS_MAP = "secrets"
MAX_STACK_FILE = 1 << 20


def set_secret_command(path: str) -> str:
    """The CLI command that stores the key at `path` (without the prefix) encrypted; the key is
    config text, so it is one quoted shell word."""
    if "." in path or "[" in path:
        return f"pulumi config set --secret --path {shlex.quote(PREFIX + path)}"
    return f"pulumi config set --secret {PREFIX}{path}"


def _plaintext(path: str, where: str) -> Problem:
    return Problem(
        path,
        f"is stored in plain text {where}; store it encrypted with "
        f"`{set_secret_command(path)}` (the value is not shown here)",
    )


def runtime_problems(values: Mapping[str, Any], secret_keys: Collection[str]) -> list[Problem]:
    """Secret keys that the stack passed without the secret mark (keys without the prefix)."""
    found = [
        _plaintext(key, "in the stack config")
        for key in SECRET_KEYS
        if key in values and key not in secret_keys
    ]
    if SECRETS_MAP in values and SECRETS_MAP not in secret_keys:
        entries = values[SECRETS_MAP]
        if isinstance(entries, str) and entries[:1] == "{":
            with contextlib.suppress(ValueError):
                entries = json.loads(entries)
        names = list(entries) if isinstance(entries, dict) else []
        found += [_plaintext(key_path(SECRETS_MAP, name), "in the stack config") for name in names]
        if not names:
            found.append(_plaintext(SECRETS_MAP, "in the stack config"))
    return found


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def file_problems(config: Mapping[str, Any], file_name: str) -> list[Problem]:
    """Secret values of a stack file's `config:` map that are not `{secure: ...}`."""
    where = f"in {file_name}"
    found = [
        _plaintext(key, where)
        for key in SECRET_KEYS
        if config.get(PREFIX + key) is not None and not _is_secure(config[PREFIX + key])
    ]
    entries = config.get(PREFIX + SECRETS_MAP)
    if isinstance(entries, dict) and not _is_secure(entries):
        found += [
            _plaintext(key_path(SECRETS_MAP, name), where)
            for name, value in entries.items()
            if not _is_secure(value)
        ]
    elif entries is not None and not _is_secure(entries):
        found.append(_plaintext(SECRETS_MAP, where))
    return found


class _NoAliases(yaml.SafeLoader):
    """A stack file with anchors/aliases is refused: an alias bomb must not expand here."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed in a stack file")
        return super().compose_node(parent, index)


def stack_file_problems(project_root: Path, stack: str) -> list[Problem]:
    """file_problems of `Pulumi.<stack>.yaml` in `project_root`; none when there is no such file
    (config from elsewhere, e.g. `--config-file` or an ESC environment: the runtime view holds)."""
    path = project_root / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        return []
    try:
        if path.stat().st_size > MAX_STACK_FILE:
            raise ValueError(f"larger than {MAX_STACK_FILE} bytes")
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliases)  # noqa: S506 - a SafeLoader
    except (OSError, ValueError, yaml.YAMLError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [
            Problem(SECRETS_MAP, f"{path.name} could not be read to check for plaintext secrets: {reason}")
        ]
    config = document.get("config") if isinstance(document, dict) else None
    return file_problems(config, path.name) if isinstance(config, dict) else []


def pull_fallback_warning(
    pull_username: str | None,
    teams: Collection[str],
    registry_user: str | None,
    has_push_password: bool,
) -> str | None:
    """The one warning when clusters pull with the push credential; None otherwise."""
    if teams and pull_username is None and registry_user and has_push_password:
        return (
            "teams pull images with the push credential (registry.username/registryPassword): anyone who "
            "reads a team's pull secret can overwrite images. Set teamspace:pullUsername and "
            "`pulumi config set --secret teamspace:pullPassword` to a read-only registry account"
        )
    return None
