"""Plain-HTTP registries: the program warns once, and the local test registry really is plain HTTP."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from devtools.runtime import run_program

from ..harness import minimal_config


def insecure_registry_logs(insecure: bool):
    """(level, message) of every log line that mentions insecure-registries, for a two-image config."""
    result = run_program(
        minimal_config(
            registry={"server": "nexus.example.com:5000", "username": "pusher", "insecure": insecure},
            images={"jupyter": {"type": "jupyter"}, "vscode": {"type": "vscode"}},
        )
    )
    assert result.error is None, result.error
    return [(level, message) for level, message in result.logs if "insecure-registries" in message]


def test_insecure_registry_warns_exactly_once():
    """`insecure: true` logs one warning naming the daemon's insecure-registries, however many images."""
    (only,) = insecure_registry_logs(True)
    level, message = only
    assert level == "warning"
    assert "nexus.example.com:5000" in message and "daemon.json" in message


def test_tls_registry_does_not_warn():
    """`insecure: false` logs nothing about insecure-registries."""
    assert insecure_registry_logs(False) == []


@pytest.mark.integration
def test_local_registry_speaks_plain_http_only(registry, tiny_image):
    """The integration registry answers HTTP with a Basic
    challenge, and a TLS-verifying client cannot use it.
    """
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(registry.url(), timeout=5)
    assert answer.value.code == 401
    assert answer.value.headers["WWW-Authenticate"].startswith("Basic ")
    over_tls = registry.inspect(tiny_image.reference, "--creds", registry.reader.creds, tls_verify=True)
    assert over_tls.returncode != 0
    assert "HTTP response to HTTPS client" in over_tls.stderr, over_tls.stderr
    plain = registry.inspect(tiny_image.reference, "--creds", registry.reader.creds, fmt="{{.Digest}}")
    assert plain.returncode == 0 and plain.stdout.strip() == tiny_image.digest
