"""The registry through the whole program: notebooks run built images by digest, the pull Secret
is byte for byte what kubectl writes and carries the read-only credential when there is one, no
registry means no pull secret, and a plain-HTTP registry warns once."""

from __future__ import annotations

import base64
import json
import subprocess

import pytest

from devtools.stack_config import Secret

from .harness import (
    IMAGE,
    PULL_PASSWORD,
    REGISTRY_PASSWORD,
    SECRET,
    Template,
    container,
    minimal_config,
    stack_config,
)


@pytest.fixture(scope="module")
def dev() -> Template:
    return Template.synth(stack_config("dev"))


def test_notebooks_run_built_images_by_digest(dev):
    """A notebook using a built image references the pushed repo digest, never a tag."""
    image = container(dev.notebook("analysis"))["image"]
    assert image.startswith("nexus.dev.example.com:5000/teamspace/jupyter@sha256:")
    built = dev.by_name("jupyter-image").manifest
    assert built["imageName"].startswith("nexus.dev.example.com:5000/teamspace/jupyter:content-")
    assert built["build"]["context"] == "images/jupyter" and built["build"]["platform"] == "linux/amd64"
    assert built["build"]["args"]["PIP_PACKAGES"].startswith("kfp==1.8.14")
    assert built["registry"] == {
        "server": "nexus.dev.example.com:5000",
        "username": "nexus-pusher",
        "password": REGISTRY_PASSWORD,
    }
    assert dev.by_name("jupyter-image").inputs["registry"]["value"]  # wrapped: a secret envelope


def _kubectl_secret(server: str, username: str, password: str, namespace: str) -> dict:
    out = subprocess.run(
        [
            "kubectl",
            "create",
            "secret",
            "docker-registry",
            "nexuscred",
            f"--docker-server={server}",
            f"--docker-username={username}",
            f"--docker-password={password}",
            "-n",
            namespace,
            "--dry-run=client",
            "-o",
            "json",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


@pytest.mark.parametrize("password", [REGISTRY_PASSWORD, "plain", "ünïcode-&-<tags>\u2028"])
def test_pull_secret_is_byte_compatible_with_kubectl(password):
    """The Secret equals `kubectl create secret docker-registry --dry-run=client -o json`, byte for byte."""
    template = Template.synth(minimal_config(registryPassword=Secret(password)))
    (secret,) = template.resources(SECRET)
    expected = _kubectl_secret("nexus.example.com:5000", "pusher", password, "data")
    manifest = secret.manifest
    assert manifest["type"] == expected["type"] == "kubernetes.io/dockerconfigjson"
    assert manifest["data"] == expected["data"]
    assert {k: v for k, v in expected["metadata"].items() if v is not None} == manifest["metadata"]
    assert secret.inputs["data"]["value"] == manifest["data"]  # it crossed the wire as a secret


def test_read_only_pull_credential_goes_into_the_secret():
    """With pullUsername/pullPassword, the cluster's secret carries those, not the push credential."""
    template = Template.synth(minimal_config(pullUsername="reader", pullPassword=Secret(PULL_PASSWORD)))
    (secret,) = template.resources(SECRET)
    config_json = json.loads(base64.b64decode(secret.manifest["data"][".dockerconfigjson"]))
    assert config_json["auths"]["nexus.example.com:5000"]["username"] == "reader"
    assert config_json["auths"]["nexus.example.com:5000"]["password"] == PULL_PASSWORD


def test_external_images_without_registry():
    """No registry at all: notebooks run external references, no pull secret, no imagePullSecrets."""
    config = minimal_config(
        registry=None,
        registryPassword=None,
        images=None,
        teams={
            "data": {"notebooks": [{"name": "lab", "type": "jupyter", "image": "ghcr.io/acme/jupyter:v1"}]}
        },
    )
    template = Template.synth(config)
    template.resource_count_is(SECRET, 0)
    template.resource_count_is(IMAGE, 0)
    pod = template.notebook("lab")["spec"]["template"]["spec"]
    assert "imagePullSecrets" not in pod and pod["containers"][0]["image"] == "ghcr.io/acme/jupyter:v1"


def test_insecure_registry_warns_once(dev):
    """insecure: true tells the user about daemon.json exactly once."""
    warnings = [m for level, m in dev.result.logs if level == "warning" and "insecure-registries" in m]
    assert len(warnings) == 1
    assert not [m for _, m in Template.synth(minimal_config()).result.logs if "insecure-registries" in m]
