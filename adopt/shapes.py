"""Is an input object shaped like its kind? Checked against the Kubernetes JSON schemas that
kubernetes-validate ships, so malformed input is refused with the path at fault, never a crash."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import referencing

K8S_VERSION = "1.30.0"
_SCHEMAS = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{K8S_VERSION}-local"


@functools.cache
def _validator(name: str) -> jsonschema.Validator:
    schema = json.loads((_SCHEMAS / f"{name}.json").read_text())
    definitions = json.loads((_SCHEMAS / "_definitions.json").read_text())
    registry = referencing.Resource.from_contents(definitions) @ referencing.Registry()
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _null_item(value: Any, at: str) -> str | None:
    """The path of a null list item: the API server refuses one, but these schemas let it pass."""
    if isinstance(value, dict):
        return next(
            (found for key, item in value.items() if (found := _null_item(item, f"{at}.{key}"))), None
        )
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = f"{at}.{index}" if item is None else _null_item(item, f"{at}.{index}")
            if found:
                return found
    return None


def shape_problem(schema: str, value: Any) -> str | None:
    """None when `value` fits `schema` (e.g. `podspec-v1`), else the first problem with its path."""
    null = _null_item(value, "")
    if null:
        return f"{null.lstrip('.')}: a list item is null"
    error = jsonschema.exceptions.best_match(_validator(schema).iter_errors(value))
    if error is None:
        return None
    where = ".".join(str(part) for part in error.absolute_path) or "(top)"
    return f"{where}: {error.message[:200]}"


def mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one (a wrong type is reported elsewhere)."""
    return value if isinstance(value, dict) else {}
