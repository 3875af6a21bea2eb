"""PullSecret: a team namespace's `kubernetes.io/dockerconfigjson` Secret for the registry."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.core.v1 import Secret
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from .renames import child_options, former_names


def dockerconfigjson(server: str, username: str, password: str) -> str:
    """The exact bytes `kubectl create secret docker-registry` writes for one registry.

    kubectl marshals with Go's encoding/json: field order username, password, auth; no
    spaces; non-ASCII kept as UTF-8; and `<`, `>`, `&`, U+2028, U+2029 escaped.
    """
    auth = base64.b64encode(f"{username}:{password}".encode()).decode()
    entry = {"username": username, "password": password, "auth": auth}
    text = json.dumps({"auths": {server: entry}}, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


@dataclass(frozen=True)
class PullSecretArgs:
    """Inputs of a PullSecret."""

    namespace: str
    """Namespace the Secret lives in."""
    secret_name: str
    """metadata.name, referenced by the notebooks' imagePullSecrets."""
    server: str
    """Registry host[:port], exactly as images are referenced."""
    username: str
    """Pull username (not secret)."""
    password: pulumi.Input[str]
    """Pull password; only ever handled as a Pulumi secret."""


class PullSecret(pulumi.ComponentResource):
    """The registry credential a namespace's pods pull with."""

    secret_name: str
    """Name of the created Secret (set explicitly, never auto-named)."""

    def __init__(self, name: str, args: PullSecretArgs, opts: pulumi.ResourceOptions | None = None):
        former = former_names(opts)
        super().__init__("teamspace:index:PullSecret", name, None, opts)
        config_json = pulumi.Output.secret(args.password).apply(
            lambda password: base64.b64encode(
                dockerconfigjson(args.server, args.username, password).encode()
            ).decode()
        )
        Secret(
            f"{name}-secret",
            metadata=ObjectMetaArgs(name=args.secret_name, namespace=args.namespace),
            type="kubernetes.io/dockerconfigjson",
            data={".dockerconfigjson": config_json},
            opts=child_options(self, former, "secret"),
        )
        self.secret_name = args.secret_name
        self.register_outputs({"secret_name": self.secret_name})
