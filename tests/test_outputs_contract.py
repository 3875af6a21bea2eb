"""The stack outputs contract: schemas/stack-outputs.schema.json against what the program exports."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from devtools.runtime import PROJECT_ROOT

from .harness import (
    PULL_PASSWORD,
    REGISTRY_PASSWORD,
    Template,
    external_image_config,
    minimal_config,
    stack_config,
)

SCHEMA_FILE = PROJECT_ROOT / "schemas" / "stack-outputs.schema.json"
COMMITTED_STACKS = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in PROJECT_ROOT.glob("Pulumi.*.yaml"))

MINIMAL_CONFIGS: dict[str, Callable[[], dict[str, Any]]] = {
    "one-built-image": minimal_config,
    "external-images-no-registry": lambda: external_image_config(
        {"name": "code", "type": "vscode", "image": "quay.io/example/code-server:4.0", "stopped": True},
        {"name": "stats", "type": "rstudio", "image": "registry.example.com/r/tidy:1", "size": "large"},
    ),
    "no-teams": lambda: minimal_config(teams={}),
}


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text())


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


@functools.cache
def stack_run(stack: str) -> Template:
    return Template.synth(stack_config(stack), stack=stack)


@functools.cache
def minimal_run(name: str) -> Template:
    return Template.synth(MINIMAL_CONFIGS[name]())


def errors(document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(document)]


def test_schema_is_a_versioned_draft_2020_12_schema() -> None:
    """The schema is valid 2020-12 and carries $id, a semantic
    version matching the $id's major, title, description.
    """
    document = schema()
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    major = re.fullmatch(r"(\d+)\.\d+\.\d+", document["version"])
    assert major, document["version"]
    assert document["$id"].endswith(f":v{major.group(1)}")
    assert document["title"] and document["description"]
    assert set(document["required"]) == {"notebookUrls", "notebooks", "images"}


def test_committed_stacks_are_found() -> None:
    """Every Pulumi.<stack>.yaml in the repository is covered (at least dev and prod)."""
    assert {"dev", "prod"} <= set(COMMITTED_STACKS)


@pytest.mark.parametrize("stack", COMMITTED_STACKS)
def test_committed_stack_outputs_match_the_contract(stack: str) -> None:
    """Each committed stack's outputs validate against the schema and agree with each other."""
    outputs = stack_run(stack).result.outputs
    assert errors(outputs) == []
    assert_consistent(outputs)
    assert outputs["notebooks"], "a committed stack declares notebooks"


@pytest.mark.parametrize("name", sorted(MINIMAL_CONFIGS))
def test_minimal_config_outputs_match_the_contract(name: str) -> None:
    """Small configs (built image, external images without a registry, no teams at all) validate too."""
    outputs = minimal_run(name).result.outputs
    assert errors(outputs) == []
    assert_consistent(outputs)


def assert_consistent(outputs: dict[str, Any]) -> None:
    """What the schema cannot say: the maps share keys, URLs name the notebook, digests come from `images`."""
    notebooks, urls, images = outputs["notebooks"], outputs["notebookUrls"], outputs["images"]
    assert set(urls) == set(notebooks)
    for key, info in notebooks.items():
        assert key.split("/")[1] == info["name"]
        assert info["url"] == urls[key]
        assert info["url"].endswith(f"/notebook/{info['namespace']}/{info['name']}/")
        if "@sha256:" in info["image"]:
            assert info["image"] in images.values(), f"{key} runs an image this stack did not build"
    for kind, references in outputs["spawnerImages"].items():
        assert set(references) <= set(images.values()), f"spawnerImages.{kind} lists an image not in images"


BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "missing images": lambda o: o.pop("images"),
    "unknown top-level output": lambda o: o.update(extra={}),
    "notebook type outside the enum": lambda o: first(o["notebooks"]).update(type="emacs"),
    "notebook with an extra field": lambda o: first(o["notebooks"]).update(owner="someone"),
    "notebook without stopped": lambda o: first(o["notebooks"]).pop("stopped"),
    "stopped as a string": lambda o: first(o["notebooks"]).update(stopped="false"),
    "url without trailing slash": lambda o: o["notebookUrls"].update(
        {k: v.rstrip("/") for k, v in o["notebookUrls"].items()}
    ),
    "url not under /notebook/": lambda o: o["notebookUrls"].update(
        {k: "https://kubeflow.example.com/lab/" for k in o["notebookUrls"]}
    ),
    "notebook key without team": lambda o: o["notebookUrls"].update(
        lab="https://kf.example.com/notebook/a/lab/"
    ),
    "image by tag instead of digest": lambda o: o["images"].update(
        jupyter="nexus.example.com/teamspace/jupyter:1"
    ),
    "digest of 63 hex digits": lambda o: o["images"].update(
        jupyter="nexus.example.com/t/jupyter@sha256:" + "a" * 63
    ),
    "notebooks not a map": lambda o: o.update(notebooks=[]),
    "spawnerImages without a type": lambda o: o["spawnerImages"].pop("rstudio"),
    "spawnerImages with an unknown type": lambda o: o["spawnerImages"].update(zeppelin=[]),
    "spawnerImages entry by tag": lambda o: o["spawnerImages"]["jupyter"].append(
        "nexus.example.com/t/jupyter:1"
    ),
}


def first(mapping: dict[str, Any]) -> dict[str, Any]:
    return next(iter(mapping.values()))


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_schema_rejects_a_broken_outputs_document(breakage: str) -> None:
    """A valid outputs document, broken in one way, no longer validates."""
    document = copy.deepcopy(stack_run("dev").result.outputs)
    assert errors(document) == []
    BROKEN[breakage](document)
    assert errors(document), f"schema accepted: {breakage}"


@pytest.mark.parametrize(
    "run", [f"stack:{s}" for s in COMMITTED_STACKS] + [f"minimal:{n}" for n in sorted(MINIMAL_CONFIGS)]
)
def test_no_output_carries_a_secret(run: str) -> None:
    """No output is a Pulumi secret and no registry password occurs anywhere in the outputs."""
    kind, name = run.split(":")
    result = (stack_run(name) if kind == "stack" else minimal_run(name)).result
    assert result.secret_outputs == set()
    text = json.dumps(result.outputs)
    for password in (REGISTRY_PASSWORD, PULL_PASSWORD):
        assert password not in text
        assert json.dumps(password)[1:-1] not in text
