"""Validation against the real schemas: upstream Kubeflow CRDs and Kubernetes OpenAPI."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import referencing
import yaml

from .harness import UPSTREAM_SCHEMAS

CRD_DIR = UPSTREAM_SCHEMAS
K8S_VERSION = "1.30.0"
_CRD_FILES = {
    ("kubeflow.org/v1", "Notebook"): "kubeflow.org_notebooks.yaml",
    ("kubeflow.org/v1", "Profile"): "kubeflow.org_profiles.yaml",
    ("kubeflow.org/v1alpha1", "PodDefault"): "kubeflow.org_poddefaults.yaml",
}


@functools.cache
def crd_schema(api_version: str, kind: str) -> dict[str, Any]:
    """openAPIV3Schema of the CRD version, with the Notebook install-time patch applied."""
    crd = yaml.safe_load((CRD_DIR / _CRD_FILES[(api_version, kind)]).read_text())
    version = api_version.split("/")[1]
    schema = copy.deepcopy(
        next(v for v in crd["spec"]["versions"] if v["name"] == version)["schema"]["openAPIV3Schema"]
    )
    if kind == "Notebook":  # config/crd/patches/validation_patches.yaml upstream
        containers = schema["properties"]["spec"]["properties"]["template"]["properties"]["spec"][
            "properties"
        ]["containers"]
        containers["items"]["required"] = ["name", "image"]
        containers["minItems"] = 1
    return schema


def validate_crd(obj: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless `obj` is valid for its upstream Kubeflow CRD."""
    schema = crd_schema(obj["apiVersion"], obj["kind"])
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(obj)


def validate_k8s(obj: dict[str, Any]) -> None:
    """Raise unless `obj` is valid, strictly (no unknown fields), for Kubernetes K8S_VERSION."""
    kubernetes_validate.validate(obj, K8S_VERSION, strict=True)


@functools.cache
def _podspec_validator() -> jsonschema.Validator:
    base = (
        Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{K8S_VERSION}-local-strict"
    )
    podspec = json.loads((base / "podspec-v1.json").read_text())
    definitions = json.loads((base / "_definitions.json").read_text())
    registry = referencing.Resource.from_contents(definitions) @ referencing.Registry()
    return jsonschema.Draft202012Validator(podspec, registry=registry)


def validate_podspec(spec: dict[str, Any]) -> None:
    """Raise unless `spec` is a valid core/v1 PodSpec (strict)."""
    _podspec_validator().validate(spec)
