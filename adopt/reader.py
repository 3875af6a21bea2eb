"""Read the Kubernetes objects to adopt from YAML files or folders.

Accepts what `kubectl get ... -o yaml` writes (a `List`) and multi-document files. Secrets are
reduced to their name, namespace and type as soon as they are read: no value of a Secret ever
reaches the rest of the tool, its report or the stack file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

NOTEBOOK_VERSIONS = ("kubeflow.org/v1", "kubeflow.org/v1beta1", "kubeflow.org/v1alpha1")
PULL_SECRET_TYPE = "kubernetes.io/dockerconfigjson"
KINDS = ("Notebook", "PersistentVolumeClaim", "PodDefault", "Profile", "ResourceQuota", "Secret")
_SUFFIXES = (".yaml", ".yml", ".json")


class InputError(Exception):
    """Input the tool cannot use at all: missing files, not YAML, nothing of a known kind."""


@dataclass
class Inventory:
    """The objects read, by kind; Secrets by (namespace, name) only."""

    notebooks: list[dict[str, Any]] = field(default_factory=list)
    claims: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pod_defaults: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    quotas: list[dict[str, Any]] = field(default_factory=list)
    pull_secrets: set[tuple[str, str]] = field(default_factory=set)
    ignored: dict[str, int] = field(default_factory=dict)
    """Kind (or `Secret of type X`) -> how many objects were skipped."""


def files_of(sources: Iterable[str]) -> list[Path]:
    """The YAML files named, folders expanded (sorted, recursively)."""
    found: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{source}: no such file or folder")
    if not found:
        raise InputError("no YAML files given (FROM names files or folders of .yaml/.yml/.json)")
    return found


def read_documents(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Every object in the files, `List`s flattened; anything that is not YAML is an InputError."""
    yaml = YAML(typ="safe", pure=True)
    documents: list[dict[str, Any]] = []
    for path in paths:
        try:
            loaded = list(yaml.load_all(path.read_text(encoding="utf-8")))
        except (YAMLError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: not valid YAML: {str(error).splitlines()[0]}") from None
        for document in loaded:
            if document is None:
                continue
            if not isinstance(document, dict):
                raise InputError(
                    f"{path}: a document is a {type(document).__name__}, not a Kubernetes object"
                )
            documents += list(_flatten(document))
    return documents


def _flatten(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if str(document.get("kind", "")).endswith("List") and isinstance(document.get("items"), list):
        for item in document["items"]:
            if isinstance(item, dict):
                yield from _flatten(item)
    else:
        yield document


def inventory_of(documents: Iterable[dict[str, Any]]) -> Inventory:
    """Sort objects by kind; an input with no object of a known kind is an InputError."""
    found = Inventory()
    for document in documents:
        kind, meta = document.get("kind"), document.get("metadata")
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("name"), str)
            or not isinstance(meta.get("namespace", ""), (str, type(None)))
        ):
            _skip(found, f"{kind} without a proper metadata.name" if isinstance(kind, str) else "(no kind)")
            continue
        name, namespace = meta["name"], meta.get("namespace") or ""
        if kind == "Secret":
            secret_type = document.get("type")
            if secret_type == PULL_SECRET_TYPE and name:
                found.pull_secrets.add((namespace, name))
            else:
                _skip(found, f"Secret of type {secret_type or 'Opaque'}")
            continue  # nothing else of a Secret is kept
        if kind not in KINDS or not name:
            _skip(found, str(kind or "(no kind)")[:80])
        elif kind == "Notebook" and document.get("apiVersion") not in NOTEBOOK_VERSIONS:
            _skip(found, f"Notebook {document.get('apiVersion')}")
        elif kind == "Notebook":
            # The same notebook in two files (a List and a template): the later one wins.
            found.notebooks = [n for n in found.notebooks if _identity(n) != (namespace, name)]
            found.notebooks.append(document)
        elif kind == "PersistentVolumeClaim":
            found.claims[(namespace, name)] = document
        elif kind == "PodDefault":
            found.pod_defaults.append(document)
        elif kind == "Profile":
            found.profiles[name] = document
        else:
            found.quotas.append(document)
    known = (
        found.notebooks
        or found.claims
        or found.pod_defaults
        or found.profiles
        or found.quotas
        or found.pull_secrets
    )
    if not known:
        kinds = ", ".join(sorted(found.ignored)) or "none"
        raise InputError(f"no object of a kind this tool reads ({', '.join(KINDS)}); found: {kinds}")
    return found


def _identity(document: dict[str, Any]) -> tuple[str, str]:
    meta = document.get("metadata") or {}
    return meta.get("namespace") or "", meta.get("name")


def _skip(found: Inventory, what: str) -> None:
    found.ignored[what] = found.ignored.get(what, 0) + 1
