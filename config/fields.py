"""Constrained field types shared by the config models (names, quantities, URLs)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from .quantities import parse_quantity

NotebookType = Literal["jupyter", "rstudio", "vscode"]
KNOWN_GPU_VENDORS = ("nvidia.com/gpu", "amd.com/gpu", "habana.ai/gaudi")
PullPolicy = Literal["IfNotPresent", "Always", "Never"]
AccessMode = Literal["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOncePod"]
OwnerKind = Literal["User", "Group", "ServiceAccount"]

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_REGISTRY_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$")
_REPOSITORY = re.compile(r"^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
_PLATFORM = re.compile(r"^linux/(amd64|arm64|ppc64le|s390x)$")


def _label(max_len: int):
    def check(value: str) -> str:
        if len(value) > max_len:
            raise ValueError(f"'{value}' is {len(value)} characters; at most {max_len} allowed")
        if not _DNS_LABEL.match(value):
            raise ValueError(
                f"'{value}' is not a DNS-1123 label (lowercase letters, digits and '-', "
                "starting and ending with a letter or digit)"
            )
        return value

    return check


# An extended resource name (`<domain>/<name>`, the domain outside kubernetes.io), such as a
# MIG slice `nvidia.com/mig-1g.10gb`: device plugins advertise GPUs under names like these.
_EXTENDED_RESOURCE = re.compile(
    r"^(?P<domain>[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)"
    r"/(?P<name>[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$"
)


def _gpu_resource(value: str) -> str:
    match = _EXTENDED_RESOURCE.match(value) if isinstance(value, str) else None
    # Kubernetes' IsExtendedResourceName: `requests.<name>` (the quota's key) is a qualified
    # name, so the domain has at most 253 - len("requests.") = 244 characters, the name 63.
    too_long = match and (len(match["domain"]) > 244 or len(match["name"]) > 63)
    if not match or too_long or match["domain"].endswith(("kubernetes.io", "k8s.io")):
        raise ValueError(
            f"'{value}' is not a GPU resource name; use {', '.join(KNOWN_GPU_VENDORS)} "
            "or another extended resource such as nvidia.com/mig-1g.10gb"
        )
    return value


def _subdomain(value: str) -> str:
    if len(value) > 253 or not _DNS_SUBDOMAIN.match(value):
        raise ValueError(f"'{value}' is not a DNS-1123 subdomain (lowercase, digits, '-', '.')")
    return value


def _quantity_text(value: Any) -> Any:
    # YAML turns `cpu: 2` into a number; Kubernetes wants the string form. A float keeps every
    # digit (repr round-trips it; `%g` kept six, so 1234567.0 became 1.23457e+06).
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (repr(value) if isinstance(value, float) else str(value)).removesuffix(".0")
    return value


def _positive_quantity(value: str) -> str:
    if parse_quantity(value) <= 0:
        raise ValueError(f"'{value}' must be greater than zero")
    return value


def _registry_host(value: str) -> str:
    if "://" in value or not _REGISTRY_HOST.match(value):
        raise ValueError(f"'{value}' must be host[:port] without scheme or path, e.g. nexus.example.com:5000")
    return value


def _repository(value: str) -> str:
    if not _REPOSITORY.match(value):
        raise ValueError(f"'{value}' is not a registry path (lowercase segments separated by '/')")
    return value


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        raise ValueError(f"'{value}' must be an http:// or https:// URL, e.g. https://kubeflow.example.com")
    return value.rstrip("/")


def _platform(value: str) -> str:
    if not _PLATFORM.match(value):
        raise ValueError(f"'{value}' must be linux/<arch> (amd64, arm64, ppc64le or s390x)")
    return value


GpuVendor = Annotated[str, AfterValidator(_gpu_resource)]
# YAML may give a quantity as a number (`cpu: 2`): the schema accepts both, like the model.
Quantity = Annotated[
    str,
    BeforeValidator(_quantity_text, json_schema_input_type=str | int | float),
    AfterValidator(_positive_quantity),
]
NotebookName = Annotated[str, AfterValidator(_label(52))]
Namespace = Annotated[str, AfterValidator(_label(63))]
Label = Annotated[str, AfterValidator(_label(63))]
Subdomain = Annotated[str, AfterValidator(_subdomain)]
RegistryHost = Annotated[str, AfterValidator(_registry_host)]
RepositoryPath = Annotated[str, AfterValidator(_repository)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Platform = Annotated[str, AfterValidator(_platform)]
NonEmpty = Annotated[str, Field(min_length=1)]
Count = Annotated[int, Field(ge=0, le=64)]
