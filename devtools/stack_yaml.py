"""Read a Pulumi.<stack>.yaml the way the Pulumi CLI does: YAML 1.2, as Go's yaml.v3 reads it.

- YAML 1.2 core schema (ruamel.yaml): `yes`, `no`, `on`, `off` are strings, only
  `true`/`false` are booleans. PyYAML reads YAML 1.1, where a team keyed `no:` became `False`.
- A key given twice in one mapping is an error, as in yaml.v3 ("mapping key ... already
  defined"), instead of the later value silently winning; two merge keys `<<` are too.
- A mapping key must be a scalar. yaml.v3 fails on a sequence or mapping key ("invalid map
  key", `decode.go` `decoder.mapping`; a key read into a string fails to unmarshal), so the
  Pulumi CLI never reads such a file.
- Aliases may not expand the document past MAX_EXPANDED_NODES nodes. yaml.v3 refuses
  "excessive aliasing" too (`decode.go`, `allowedAliasRatio`); without a bound a 1 KB
  "billion laughs" file expands to gigabytes when the config is flattened to JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Far above any real stack file (thousands of notebooks are ~100k nodes), far below harm.
MAX_EXPANDED_NODES = 1_000_000


class StackFileError(ValueError):
    """A stack file the Pulumi CLI would not read as we do; the message names file and line."""


def read_stack_document(path: Path) -> dict[str, Any]:
    """The whole document of a stack file (empty file: {})."""
    text = path.read_text(encoding="utf-8")
    yaml = YAML(typ="safe", pure=True)
    # One guard for every ruamel step: compose, the alias count, and building the values (a tag
    # the safe loader cannot build, `!!python/...`). Our own StackFileErrors pass through it.
    with _as_stack_file_error(path.name):
        root = yaml.compose(text)
        if root is None:
            return {}
        _check_duplicate_keys(root, path.name)
        if _expanded_size(root, {}) > MAX_EXPANDED_NODES:
            raise StackFileError(
                f"{path.name}: YAML aliases expand the document to more than {MAX_EXPANDED_NODES:,} "
                f'nodes (excessive aliasing, like a "billion laughs" file); the Pulumi CLI refuses '
                "such a file too"
            )
        document = yaml.load(text)
    if not isinstance(document, dict):
        raise StackFileError(f"{path.name}: the document must be a mapping with a `config:` key")
    return document


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` map of a Pulumi.<stack>.yaml file."""
    config = read_stack_document(path).get("config") or {}
    if not isinstance(config, dict):
        raise StackFileError(f"{path.name}: `config:` must be a mapping of keys to values")
    return dict(config)


@contextmanager
def _as_stack_file_error(file_name: str) -> Iterator[None]:
    """ruamel's errors (and a nesting too deep to walk) as a StackFileError naming file and line."""
    try:
        yield
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise StackFileError(f"{file_name}: {where}not valid YAML: {error.problem or error}") from None
    except YAMLError as error:
        raise StackFileError(f"{file_name}: not valid YAML: {error}") from None
    except RecursionError:
        raise StackFileError(f"{file_name}: nested too deeply to be a stack file") from None


def _check_duplicate_keys(root: Node, file_name: str) -> None:
    seen_nodes: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen_nodes:  # an alias: checked where its anchor is
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first_line: dict[str, int] = {}
            for key, value in node.value:  # `<<` too: yaml.v3 refuses two merge keys alike
                if not isinstance(key, ScalarNode):
                    raise StackFileError(
                        f"{file_name}: line {key.start_mark.line + 1}: a mapping key must be text, "
                        "not a sequence or mapping; the Pulumi CLI rejects the file"
                    )
                name = key.value
                if name in first_line:
                    raise StackFileError(
                        f"{file_name}: line {key.start_mark.line + 1}: duplicate key '{name}' in one mapping "
                        f"(first at line {first_line[name]}); the Pulumi CLI rejects the file"
                    )
                first_line[name] = key.start_mark.line + 1
                pending.append(value)
        elif isinstance(node, SequenceNode):
            pending += node.value


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """How many nodes the document has once every alias is copied out (linear in the graph)."""
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = MAX_EXPANDED_NODES + 1  # a recursive alias never ends
    if isinstance(node, MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, SequenceNode):
        size = 1 + sum(_expanded_size(item, memo) for item in node.value)
    else:
        size = 1
    memo[id(node)] = min(size, MAX_EXPANDED_NODES + 1)
    return memo[id(node)]
