"""Reading resource properties: tolerant accessors and a Notebook's pod template.

The analyzer hands rules its unknown-checking proxies of Mappings and Sequences. A value of
an unexpected shape reads as empty, so a check reports what is missing instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any


def as_map(value: Any) -> Mapping:
    """`value` if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list:
    """The items of `value` if it is a sequence (not a string), else none."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return list(value)
    return []


def get_path(value: Any, *path: str) -> Any:
    """`value[path[0]][path[1]]...`, or None where a level is missing or not a mapping."""
    for key in path:
        value = as_map(value).get(key)
    return value


def pod_spec(props: Mapping) -> Mapping:
    """`spec.template.spec` of a Notebook."""
    return as_map(get_path(props, "spec", "template", "spec"))


def all_containers(spec: Mapping) -> Iterator[tuple[str, Mapping]]:
    """(label, container) for containers and initContainers."""
    for field in ("containers", "initContainers"):
        for index, container in enumerate(as_list(spec.get(field))):
            container = as_map(container)
            name = container.get("name") or f"#{index}"
            yield (f"container '{name}'" if field == "containers" else f"init container '{name}'"), container
