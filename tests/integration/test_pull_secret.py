"""The pull secret the program generates, used as-is against a real registry."""

from __future__ import annotations

import json

import pytest

from devtools.runtime import run_program
from devtools.secret_envelopes import is_secret_envelope
from devtools.stack_config import Secret

from ..harness import SECRET, minimal_config
from .tools import REFUSED, authfile, decode_dockerconfigjson

pytestmark = pytest.mark.integration


def program_config(registry, password, **teamspace):
    """minimal_config pointing at the local plain-HTTP registry, pushing as `pusher` with `password`."""
    return minimal_config(
        registry={"server": registry.server, "username": registry.pusher.username, "insecure": True},
        registryPassword=Secret(password),
        **teamspace,
    )


def generated_authfile(config, path):
    """Run the program; write its one pull Secret's `.dockerconfigjson` bytes, unchanged, to `path`."""
    result = run_program(config)
    assert result.error is None, result.error
    (secret,) = [r for r in result.registrations if r.type == SECRET]
    data = secret.inputs["data"]  # the credential only ever travels as a Pulumi secret
    assert is_secret_envelope(data) or is_secret_envelope(data[".dockerconfigjson"])
    content = decode_dockerconfigjson(secret.manifest)
    return authfile(path, content), json.loads(content)["auths"]


def test_push_credential_secret_reads_the_image(registry, tiny_image, tmp_path):
    """The Secret built from registry.username/registryPassword
    authenticates with skopeo and reads the image.
    """
    path, auths = generated_authfile(
        program_config(registry, registry.pusher.password), tmp_path / "auth.json"
    )
    assert list(auths) == [registry.server]
    inspected = registry.inspect(tiny_image.reference, "--authfile", str(path), check=True)
    assert json.loads(inspected.stdout)["Digest"] == tiny_image.digest


def test_wrong_password_in_config_is_refused(registry, tiny_image, tmp_path):
    """A Secret built from a wrong registryPassword is refused by the registry (401)."""
    path, _ = generated_authfile(program_config(registry, "not-the-password"), tmp_path / "auth.json")
    refused = registry.inspect(tiny_image.reference, "--authfile", str(path))
    assert refused.returncode != 0
    assert REFUSED.search(refused.stderr), refused.stderr


def test_no_credentials_are_refused(registry, tiny_image, tmp_path):
    """Without credentials (an empty authfile `{}`) the registry refuses to serve the image."""
    refused = registry.inspect(
        tiny_image.reference, "--authfile", str(authfile(tmp_path / "auth.json", b"{}"))
    )
    assert refused.returncode != 0
    assert REFUSED.search(refused.stderr), refused.stderr


def test_read_only_pull_credential_is_what_the_secret_carries_and_it_reads(registry, tiny_image, tmp_path):
    """With pullUsername/pullPassword set, the Secret holds the
    reader (never the pusher) and reads the image.
    """
    config = program_config(
        registry,
        registry.pusher.password,
        pullUsername=registry.reader.username,
        pullPassword=Secret(registry.reader.password),
    )
    path, auths = generated_authfile(config, tmp_path / "auth.json")
    entry = auths[registry.server]
    assert (entry["username"], entry["password"]) == (registry.reader.username, registry.reader.password)
    assert registry.pusher.password not in path.read_text()
    inspected = registry.inspect(tiny_image.reference, "--authfile", str(path), check=True)
    assert json.loads(inspected.stdout)["Digest"] == tiny_image.digest


def test_wrong_pull_password_is_refused(registry, tiny_image, tmp_path):
    """A Secret built from a wrong pullPassword is refused, even though the push password is right."""
    config = program_config(
        registry,
        registry.pusher.password,
        pullUsername=registry.reader.username,
        pullPassword=Secret("not-the-reader-password"),
    )
    path, _ = generated_authfile(config, tmp_path / "auth.json")
    refused = registry.inspect(tiny_image.reference, "--authfile", str(path))
    assert refused.returncode != 0
    assert REFUSED.search(refused.stderr), refused.stderr
