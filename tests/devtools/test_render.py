"""devtools/render.py on hand-made registrations: what each rendered document holds (secrets
redacted, provider-managed non-Kubernetes resources wrapped with their type) and which objects
record their options and Pulumi identity (those that hold data)."""

from __future__ import annotations

import pytest

from devtools.recording_monitor import Registration
from devtools.render import object_id, rendered_objects
from devtools.runtime import RunResult
from devtools.secret_envelopes import SECRET_SIG, SIG_KEY
from devtools.stack_config import REDACTED

STACK = "urn:pulumi:dev::teamspace"
IDENTITY = {"id", "protect", "retainOnDelete", "urn", "urnTypes"}


def kubernetes(type_: str, name: str, **options) -> Registration:
    kind = type_.rsplit(":", 1)[-1]
    inputs = {"kind": kind, "metadata": {"name": name, "namespace": "team"}}
    return Registration(f"{STACK}::{type_}::{name}", type_, name, True, inputs, **options)


def render(*registrations: Registration) -> dict:
    return rendered_objects(RunResult(list(registrations), {}, set(), [], None))


def test_secrets_are_redacted_wherever_they_are():
    def secret(value: str) -> dict:
        return {SIG_KEY: SECRET_SIG, "value": value}

    registration = kubernetes("kubernetes:core/v1:Secret", "s")
    registration.inputs.update(data=secret("c2VjcmV0"), stringData={"token": secret("t0ken")})
    (document,) = render(registration).values()
    assert (document["data"], document["stringData"]) == (REDACTED, {"token": REDACTED})


def test_a_resource_of_another_provider_is_wrapped_with_its_type():
    image = Registration(
        f"{STACK}::docker:index/image:Image::img", "docker:index/image:Image", "img", True, {"a": 1}
    )
    assert render(image) == {
        "Image/img": {
            "pulumiType": "docker:index/image:Image",
            "inputs": {"a": 1},
            "x-pulumi-options": {"id": "Image/img"},
        }
    }


@pytest.mark.parametrize(
    ("type_", "options", "identity"),
    [
        ("kubernetes:core/v1:PersistentVolumeClaim", {}, True),
        ("kubernetes:kubeflow.org/v1:Profile", {}, True),
        ("kubernetes:core/v1:ConfigMap", {"retain_on_delete": True}, True),
        ("kubernetes:core/v1:ConfigMap", {"protect": True}, True),
        ("kubernetes:core/v1:ConfigMap", {}, False),
    ],
    ids=["claim", "profile", "retained", "protected", "neither"],
)
def test_claims_profiles_and_protected_or_retained_objects_record_their_identity(type_, options, identity):
    """Claims and Profiles hold data (a Profile's namespace holds the claims) whatever their
    options; anything else only when protected or retained."""
    (document,) = render(kubernetes(type_, "x", **options)).values()
    assert set(document["x-pulumi-options"]) == (IDENTITY if identity else {"id"})


@pytest.mark.parametrize(
    ("type_", "metadata", "expected"),
    [
        (
            "core/v1:PersistentVolumeClaim",
            {"name": "home", "namespace": "team"},
            "PersistentVolumeClaim/team/home",
        ),
        ("kubeflow.org/v1:Profile", {"name": "team"}, "Profile/_cluster/team"),
        ("kubeflow.org/v1:Profile", {"name": "team", "namespace": ""}, "Profile/_cluster/team"),
    ],
)
def test_an_objects_id_is_kind_namespace_and_name(type_, metadata, expected):
    """The id plan-diff and the volume model know an object by; a cluster-scoped one is under `_cluster`."""
    registration = kubernetes(f"kubernetes:{type_}", metadata["name"])
    registration.inputs["metadata"] = metadata
    assert object_id(registration) == expected
