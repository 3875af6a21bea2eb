"""Validation against the vendored Istio AuthorizationPolicy CRD (schemas/upstream/istio/)."""

from __future__ import annotations

import copy
import functools
from typing import Any

import jsonschema
import yaml

from devtools.runtime import PROJECT_ROOT

from .schemas import validate_crd, validate_k8s, validate_podspec

CRD_FILE = PROJECT_ROOT / "schemas" / "upstream" / "istio" / "security.istio.io_authorizationpolicies.yaml"


@functools.cache
def _validator(version: str) -> jsonschema.Validator:
    crd = yaml.safe_load(CRD_FILE.read_text())
    schema = copy.deepcopy(
        next(v for v in crd["spec"]["versions"] if v["name"] == version)["schema"]["openAPIV3Schema"]
    )
    schema["properties"].update(
        apiVersion={"type": "string"}, kind={"type": "string"}, metadata={"type": "object"}
    )
    schema["required"] = ["apiVersion", "kind", "metadata", "spec"]
    _strict(schema)
    # A CRD schema is an OpenAPI v3 structural schema: draft 7 keywords cover what it uses.
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _strict(node: Any) -> None:
    """Unknown fields are errors, as with the API server's strict field validation (the CRD
    itself would only prune them)."""
    if isinstance(node, dict):
        if (
            "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)


def validate_istio(obj: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless `obj` is a valid AuthorizationPolicy of its version."""
    group, version = obj["apiVersion"].split("/")
    assert group == "security.istio.io" and obj["kind"] == "AuthorizationPolicy", obj["apiVersion"]
    _validator(version).validate(obj)


def validate_registered(registrations) -> set[str]:
    """Validate every Kubernetes object a run registered against its real schema (upstream
    CRDs with the install-time patch, the Istio CRD, strict Kubernetes OpenAPI, and a
    Notebook's pod template as a PodSpec); the kinds seen."""
    kinds = set()
    for registration in registrations:
        if not registration.type.startswith("kubernetes:"):
            continue
        manifest = registration.manifest
        kinds.add(manifest["kind"])
        if manifest["apiVersion"].startswith("kubeflow.org/"):
            validate_crd(manifest)
        elif manifest["apiVersion"].startswith("security.istio.io/"):
            validate_istio(manifest)
        else:
            validate_k8s(manifest)
        if manifest["kind"] == "Notebook":
            validate_podspec(manifest["spec"]["template"]["spec"])
    return kinds
