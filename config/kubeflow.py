"""Config for living with the rest of Kubeflow: members, external PodDefaults, the nightly stop.

The deployment settings (`teamspace:kubeflow`) default to what Kubeflow's manifests install;
see docs/kubeflow.md for the upstream files and tags they come from.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator, Field

from .cron import check_schedule
from .fields import Label, Subdomain
from .image_reference import ImageReference
from .kube_rules import LabelKey
from .refusing import refusing
from .spec_model import SpecModel
from .time_zone import time_zone_problem

# kubeflow/dashboard v2.0.0: profile-controller/manifests/kustomize/base/manager/params.env
# (USERID_HEADER, USERID_PREFIX) and access-management/kfam/bindings.go (the principals'
# defaults, ISTIO_INGRESS_GATEWAY_PRINCIPAL and KFP_UI_PRINCIPAL).
DEFAULT_USER_ID_HEADER = "kubeflow-userid"
DEFAULT_PRINCIPALS = (
    "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
    "cluster.local/ns/kubeflow/sa/ml-pipeline-ui",
)
# Kubeflow Notebooks v1.11.0 base image: it ships /bin/sh, date and kubectl and runs as UID 1000;
# platform teams mirror the notebook-servers images already.
DEFAULT_STOP_IMAGE = "ghcr.io/kubeflow/kubeflow/notebook-servers/base:v1.11.0"
# KFAM's roleRef names for the two roles a member may have (bindings.go, roleBindingNameMap).
CLUSTER_ROLES = {"edit": "kubeflow-edit", "view": "kubeflow-view"}

_NOT_ALNUM = re.compile(r"[^a-zA-Z0-9]+")
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")  # an HTTP token (RFC 9110 field-name)
_PRINCIPAL = re.compile(r"^[^\s*]+(/[^\s*]+)*$")


def kfam_binding_name(user: str, role: str) -> str:
    """The name KFAM gives a contributor's RoleBinding and AuthorizationPolicy.

    Same result as `getBindingName` in kubeflow/dashboard v2.0.0
    components/access-management/kfam/bindings.go for a `User` subject and a `ClusterRole`
    roleRef: the parts joined by '-', lowercased, every run of characters other than ASCII
    letters and digits turned into one '-'.
    """
    raw = "-".join(["User", _NOT_ALNUM.sub("-", user), "ClusterRole", role]).lower()
    return _NOT_ALNUM.sub("-", raw)


def _email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"'{value}' is not a valid email address: {error}") from None
    # The auth proxy sends the id as written; KFAM's policy compares it byte for byte.
    return value


def _header(value: str) -> str:
    if not _HEADER.match(value):
        raise ValueError(f"'{value}' is not an HTTP header name")
    # Kept as written: the policy's key is then byte for byte what KFAM writes with the same flag.
    return value


def _header_value(value: str) -> str:
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must not contain control characters (it is part of an HTTP header value)")
    return value


def _principal(value: str) -> str:
    if not _PRINCIPAL.match(value):
        raise ValueError(
            f"'{value}' is not an Istio principal such as cluster.local/ns/<namespace>/sa/<service account>"
        )
    return value


Email = Annotated[str, AfterValidator(_email)]
HeaderName = Annotated[str, AfterValidator(_header)]
Principal = Annotated[str, AfterValidator(_principal)]
HeaderValue = Annotated[str, AfterValidator(_header_value)]
TimeZone = Annotated[str, refusing(time_zone_problem)]
CronSchedule = Annotated[str, refusing(check_schedule)]


class KubeflowSpec(SpecModel):
    """How this Kubeflow installation identifies users (`teamspace:kubeflow`)."""

    user_id_header: HeaderName = DEFAULT_USER_ID_HEADER
    """The HTTP header that carries the user's identity (the installation's userid-header)."""
    user_id_prefix: HeaderValue = ""
    """The prefix before the identity in that header (the installation's userid-prefix)."""
    principals: tuple[Principal, ...] = Field(default=DEFAULT_PRINCIPALS, min_length=1)
    """Who may forward a member's requests: the ingress gateway and the Pipelines UI."""
    stop_schedule_image: ImageReference = DEFAULT_STOP_IMAGE
    """Image of the nightly stop job: needs /bin/sh, date and kubectl."""


class MemberSpec(SpecModel):
    """A contributor of a team's profile namespace, as the dashboard's KFAM would add one."""

    user: Email
    """The contributor's e-mail, as the identity header carries it."""
    role: Literal["edit", "view"] = "edit"
    """edit or view: KFAM's kubeflow-edit or kubeflow-view role in the namespace."""

    @property
    def binding_name(self) -> str:
        return kfam_binding_name(self.user, self.role)


def _from_name(value: Any) -> Any:
    if isinstance(value, str):
        return {"name": value}
    if not isinstance(value, dict):
        raise ValueError(
            "must be a PodDefault name, or {name: <PodDefault name>, label: <selector label key>}"
        )
    return value


class ExternalConfigurationSpec(SpecModel):
    """A PodDefault that something else creates in the namespace (e.g. Pipelines' access-ml-pipeline)."""

    name: Label
    """The PodDefault's name, as notebooks' configurations list it."""
    label: LabelKey | None = None
    """The PodDefault's selector label key, when it is not its name."""

    @property
    def label_key(self) -> str:
        return self.label or self.name


class StopScheduleSpec(SpecModel):
    """When a CronJob stops every running notebook of the namespace."""

    cron: CronSchedule
    """A five-field cron schedule, e.g. "0 20 * * *"."""
    time_zone: TimeZone
    """The IANA time zone the schedule is read in, e.g. Europe/Berlin or UTC (not Local)."""


class DefaultEditorSpec(SpecModel):
    """The namespace's `default-editor` ServiceAccount, which web-app notebooks run as."""

    attach_pull_secret: bool = True
    """List the registry's pull secret in the account's imagePullSecrets."""
    keep_pull_secrets: tuple[Subdomain, ...] = ()
    """Other pull secrets the account's imagePullSecrets must keep (the list is replaced whole)."""


# A bare PodDefault name stands for {name: <it>}; the JSON Schema accepts both forms too.
ExternalConfigurationEntry = Annotated[
    ExternalConfigurationSpec,
    BeforeValidator(_from_name, json_schema_input_type=Label | ExternalConfigurationSpec),
]
