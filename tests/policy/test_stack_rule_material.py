"""The credentials the stack-output rule looks for (`secret_material`, `is_credential_key`):
credential-named entries of Secrets (plain or base64, marked secret or not), the passwords
inside a docker config, and any value under a credential-named key of any resource."""

from __future__ import annotations

import base64
import json

import pytest
from pulumi_policy import Secret

from policy.guardrails.stack_rules import K8S_SECRET, STACK, is_credential_key, secret_material

from .rule_cases import policy_resource


@pytest.mark.parametrize(
    "key,expected",
    [
        ("password", True),
        ("api_key", True),
        ("Client-Secret", True),
        ("apiKey", True),
        ("dbPassword", True),
        ("refresh_token", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("sshPrivateKey", True),
        # a secret's *name*, a URL, a policy: not credentials
        ("pullSecret", False),
        ("secretName", False),
        ("tokenUrl", False),
        ("passwordPolicy", False),
        ("region", False),
    ],
)
def test_is_credential_key(key, expected):
    """Names are compared without case and punctuation; a credential word must end the name."""
    assert is_credential_key(key) is expected


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def k8s_secret(field: str, entries: dict):
    manifest = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "data"}}
    return policy_resource(K8S_SECRET, {**manifest, field: entries}, "s")


def dockerconfig(entry: dict) -> str:
    return json.dumps({"auths": {"registry.example.com": entry}})


@pytest.mark.parametrize(
    "entry,credentials",
    [
        ({"username": "reader", "password": "password-only"}, {"password-only"}),
        # the password after the first ':' of auth, colons and all
        ({"auth": b64("reader:pa:ss:word")}, {b64("reader:pa:ss:word"), "pa:ss:word"}),
        (
            {"identitytoken": "identity-token-1", "registrytoken": "registry-token-2"},
            {"identity-token-1", "registry-token-2"},
        ),
        # auth that is not base64, or holds no user:password, is a credential as it stands
        ({"auth": "!!not-base64!!"}, {"!!not-base64!!"}),
        ({"auth": b64("no-colon-here")}, {b64("no-colon-here")}),
        ({"auth": "dXNl cjpw YXNz d29y ZA=="}, {"dXNl cjpw YXNz d29y ZA=="}),
        # unpadded base64 is read as Docker writes it
        ({"auth": b64("reader:secret9").rstrip("=")}, {b64("reader:secret9").rstrip("="), "secret9"}),
    ],
)
def test_secret_material_of_a_docker_config(entry, credentials):
    """The credentials of a dockerconfigjson Secret (stringData, marked secret or not): the
    whole config and each entry's secrets."""
    text = dockerconfig(entry)
    assert secret_material([k8s_secret("stringData", {".dockerconfigjson": text})]) == {text} | credentials
    marked = k8s_secret("stringData", {".dockerconfigjson": Secret(text)})
    assert secret_material([marked]) == {text} | credentials


PASSWORD = "pull-S3cret-9e1f"
TOKEN = "token-value-1"


@pytest.mark.parametrize(
    "resources,credentials",
    [
        # base64 data: the entry as stored and decoded, for every credential entry
        (
            [k8s_secret("data", {"replicas": 3, "password": b64(PASSWORD), "token": b64(TOKEN)})],
            {b64(PASSWORD), PASSWORD, b64(TOKEN), TOKEN},
        ),
        # the stack's own outputs hold no credential of the stack, and do not end the search
        (
            [
                policy_resource(STACK, {"password": "not-looked-at"}, "dev"),
                k8s_secret("data", {"token": b64(TOKEN)}),
            ],
            {b64(TOKEN), TOKEN},
        ),
        # any resource: a value under a credential-named key, marked secret or not, of six characters or more
        (
            [
                policy_resource(
                    "docker:index/image:Image",
                    {
                        "registry": {"server": "nexus", "password": Secret(PASSWORD)},
                        "auth": {"apiToken": "s3cr3t"},
                    },
                    "img",
                ),
                policy_resource(
                    "random:index/randomPassword:RandomPassword", {"result": "short", "token": "12345"}, "pw"
                ),
            ],
            {PASSWORD, "s3cr3t"},
        ),
    ],
    ids=["secret-data", "stack-first", "any-resource"],
)
def test_secret_material(resources, credentials):
    """Exactly the credential values of the stack's resources."""
    assert secret_material(resources) == credentials
