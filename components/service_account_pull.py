"""DefaultEditorPullSecrets: the registry pull secret on the namespace's `default-editor` account.

Notebooks started from the Kubeflow web app run as `default-editor` and name no pull secret,
so the account's `imagePullSecrets` is how they pull the team's images. The list is atomic
(`x-kubernetes-list-type: atomic` in the core/v1 ServiceAccount schema): whoever applies it
owns all of it. How the provider treats a patch (server-side apply, retries while the
namespace is missing, field ownership given up on delete) is in docs/kubeflow.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.core.v1 import LocalObjectReferencePatchArgs, ServiceAccountPatch
from pulumi_kubernetes.meta.v1 import ObjectMetaPatchArgs

from .renames import child_options, former_names

DEFAULT_EDITOR = "default-editor"
# A fixed field manager (pulumi-kubernetes' `pulumi.com/patchFieldManager`): conflict messages
# and `kubectl get --show-managed-fields` then name teamspace, and ownership survives a new
# Pulumi state. It must not start with "kubectl", which the provider takes over on updates.
FIELD_MANAGER = "teamspace-default-editor"
PATCH_FIELD_MANAGER = "pulumi.com/patchFieldManager"
PATCH_FORCE = "pulumi.com/patchForce"


@dataclass(frozen=True)
class DefaultEditorPullSecretsArgs:
    """Inputs of a DefaultEditorPullSecrets."""

    namespace: str
    """The team namespace."""
    pull_secret: str
    """The registry pull secret teamspace creates there."""
    keep: Sequence[str] = ()
    """Other secrets the list must keep. Declaring them takes the list over from its other owner."""


def pull_secret_annotations(keep: Sequence[str]) -> dict[str, str]:
    """Annotations of the patch: the field manager, and force only once `keep` lists the rest."""
    annotations = {PATCH_FIELD_MANAGER: FIELD_MANAGER}
    if keep:
        annotations[PATCH_FORCE] = "true"
    return annotations


class DefaultEditorPullSecrets(pulumi.ComponentResource):
    """A server-side-apply patch of `default-editor` that sets only its imagePullSecrets."""

    secret_names: list[str]
    """The whole imagePullSecrets list, pull secret first."""

    def __init__(
        self, name: str, args: DefaultEditorPullSecretsArgs, opts: pulumi.ResourceOptions | None = None
    ):
        former = former_names(opts)
        super().__init__("teamspace:index:DefaultEditorPullSecrets", name, None, opts)
        self.secret_names = [args.pull_secret, *args.keep]
        ServiceAccountPatch(
            f"{name}-patch",
            metadata=ObjectMetaPatchArgs(
                name=DEFAULT_EDITOR, namespace=args.namespace, annotations=pull_secret_annotations(args.keep)
            ),
            image_pull_secrets=[LocalObjectReferencePatchArgs(name=secret) for secret in self.secret_names],
            opts=child_options(self, former, "patch"),
        )
        self.register_outputs({"secret_names": self.secret_names})
