"""What the Kubernetes API server would reject, checked at config time.

Each rule mirrors a check of Kubernetes' own validation (read for the facts, not copied):

- k8s.io/apimachinery/pkg/util/validation/validation.go: `IsQualifiedName` (label and
  nodeSelector keys, toleration and node-affinity keys), `IsValidLabelValue`,
  `IsDNS1123Label` / `IsDNS1123Subdomain` (volume names, prefixes);
- kubernetes pkg/apis/core/validation/validation.go: `validateTolerations` (key empty only
  with Exists, no value with Exists, Equal's value a label value, tolerationSeconds only with
  NoExecute, effect from its enum), `ValidateNodeSelectorRequirement` (In/NotIn need values,
  Exists/DoesNotExist take none, Gt/Lt exactly one; the scheduler parses that one as an
  integer), `ValidateVolumeMounts` (a mountPath is required and unique per container).

A config that breaks one would otherwise pass both schemas offline and fail at `pulumi up`,
halfway through a rollout.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from .quoting import shown
from .refusing import refusing

_NAME_PART = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
MAX_NAME_PART = 63
MAX_PREFIX = 253
MAX_LABEL_VALUE = 63
MAX_MOUNT_PATH = 1024


def qualified_name_problem(value: str) -> str | None:
    """IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain <= 253, name <= 63,
    alphanumeric at both ends."""
    prefix, slash, name = value.rpartition("/")
    if slash and (not prefix or len(prefix) > MAX_PREFIX or not _DNS_SUBDOMAIN.match(prefix)):
        return (
            f"'{shown(value)}': the prefix before '/' must be a DNS subdomain (e.g. example.com/) "
            "of at most 253"
        )
    if not name or len(name) > MAX_NAME_PART or not _NAME_PART.match(name):
        return (
            f"'{shown(value)}' is not a qualified name: an optional DNS prefix and '/', then at most 63 "
            "characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
        )
    return None


def label_value_problem(value: str) -> str | None:
    """IsValidLabelValue: empty, or <= 63 characters, alphanumeric at both ends, '-', '_', '.' inside."""
    if value and (len(value) > MAX_LABEL_VALUE or not _NAME_PART.match(value)):
        return (
            f"'{shown(value)}' is not a label value: at most 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    return None


def toleration_problem(
    key: str | None, operator: str, value: str | None, effect: str | None, seconds: int | None
) -> str | None:
    """validateTolerations, for one toleration (the effect's enum is the model's Literal)."""
    if key:
        problem = qualified_name_problem(key)
        if problem:
            return f"key {problem}"
    elif operator != "Exists":
        return "a toleration without a key matches every taint, so its operator must be Exists"
    if operator == "Exists" and value:
        return "value must be empty when operator is Exists"
    if operator == "Equal" and value is not None and label_value_problem(value):
        return f"value {label_value_problem(value)}"
    if seconds is not None and effect != "NoExecute":
        return "tolerationSeconds is only allowed with effect NoExecute"
    return None


def node_requirement_problem(key: str, operator: str, values: tuple[str, ...]) -> str | None:
    """ValidateNodeSelectorRequirement, for one node-affinity expression."""
    problem = qualified_name_problem(key)
    if problem:
        return f"key {problem}"
    if operator in ("In", "NotIn") and not values:
        return f"operator {operator} needs at least one value"
    if operator in ("Exists", "DoesNotExist") and values:
        return f"operator {operator} takes no values"
    if operator in ("Gt", "Lt") and (len(values) != 1 or not re.fullmatch(r"-?[0-9]{1,18}", values[0])):
        return f"operator {operator} takes exactly one integer value"
    return None


def mount_path_problem(value: str) -> str | None:
    """An absolute path below `/` with no `..` (never climbs out) and no `:` (runtimes split
    volume specs on it); the API server itself only requires it to be set and unique."""
    if (
        not value.startswith("/")
        or value.rstrip("/") == ""
        or ".." in value
        or ":" in value
        or "//" in value
        or len(value) > MAX_MOUNT_PATH
        or value != value.strip()
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in value)
    ):
        return (
            f"'{shown(value)}' must be an absolute, normalised path below / without '..' or ':', "
            "such as /home/jovyan/data"
        )
    return None


def _without_trailing_slash(value: str) -> str:
    return value.rstrip("/")


LabelKey = Annotated[str, refusing(qualified_name_problem)]
LabelValue = Annotated[str, refusing(label_value_problem)]
MountPath = Annotated[str, refusing(mount_path_problem), AfterValidator(_without_trailing_slash)]
