"""TeamPodDefault: one named configuration of a team, made into a PodDefault (plus its S3 Secret)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.core.v1 import (
    EnvVarArgs,
    EnvVarSourceArgs,
    ProjectedVolumeSourceArgs,
    Secret,
    SecretKeySelectorArgs,
    ServiceAccountTokenProjectionArgs,
    VolumeArgs,
    VolumeMountArgs,
    VolumeProjectionArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs

from config import PodDefaultSpec

from .crds import PodDefault, PodDefaultSpecArgs
from .renames import child_options, former_names

# As Kubeflow's own `access-ml-pipeline` PodDefault mounts the KFP token in multi-user mode.
PIPELINES_TOKEN_DIR = "/var/run/secrets/kubeflow/pipelines"
PIPELINES_AUDIENCE = "pipelines.kubeflow.org"
# Which variable each S3 client reads: the AWS CLI and DVC (boto3) read AWS_*, the JupyterLab
# S3 browser reads JUPYTERLAB_S3_*. All come from the Secret, none as a plain value.
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "accessKeyId",
    "AWS_SECRET_ACCESS_KEY": "secretAccessKey",
    "AWS_DEFAULT_REGION": "region",
    "AWS_REGION": "region",
    "AWS_ENDPOINT_URL": "endpoint",
    "JUPYTERLAB_S3_ACCESS_KEY_ID": "accessKeyId",
    "JUPYTERLAB_S3_SECRET_ACCESS_KEY": "secretAccessKey",
    "JUPYTERLAB_S3_ENDPOINT": "endpoint",
}


@dataclass(frozen=True)
class TeamPodDefaultArgs:
    """Inputs of a TeamPodDefault."""

    name: str
    """Configuration name: the PodDefault's name, the selecting label key and the Secret's name."""
    namespace: str
    """The team namespace."""
    configuration: PodDefaultSpec
    """What to inject."""
    secrets: Mapping[str, pulumi.Input[str]]
    """`teamspace:secrets` values by key (secret Outputs)."""
    import_id: str | None = None
    """Adopt the live PodDefault with this id instead of creating it (docs/adopt.md)."""


class TeamPodDefault(pulumi.ComponentResource):
    """A PodDefault selecting pods labelled `<name>: "true"`, and for S3 the Secret it reads."""

    label: dict[str, str]
    """The label a notebook carries to receive this configuration."""

    def __init__(self, name: str, args: TeamPodDefaultArgs, opts: pulumi.ResourceOptions | None = None):
        former = former_names(opts)
        # The type token predates the class name; changing it would change every URN.
        super().__init__("teamspace:index:TeamConfiguration", name, None, opts)
        conf, ns = args.configuration, args.namespace
        env: list[EnvVarArgs] = [EnvVarArgs(name=k, value=v) for k, v in sorted(conf.env.items())]
        volumes, mounts = [], []
        if conf.s3:
            data = {"accessKeyId": conf.s3.access_key_id, "region": conf.s3.region}
            if conf.s3.endpoint:
                data["endpoint"] = conf.s3.endpoint
            secret_data = {
                k: pulumi.Output.secret(base64.b64encode(v.encode()).decode()) for k, v in data.items()
            }
            secret_data["secretAccessKey"] = pulumi.Output.secret(
                args.secrets[conf.s3.secret_access_key]
            ).apply(lambda v: base64.b64encode(v.encode()).decode())
            Secret(
                f"{name}-secret",
                metadata=ObjectMetaArgs(name=args.name, namespace=ns),
                type="Opaque",
                data=secret_data,
                opts=child_options(self, former, "secret"),
            )
            env += [
                _from_secret(var, args.name, key)
                for var, key in S3_ENV.items()
                if key in {*data, "secretAccessKey"}
            ]
        if conf.pipelines:
            volumes.append(
                VolumeArgs(
                    name="volume-kf-pipeline-token",
                    projected=ProjectedVolumeSourceArgs(
                        sources=[
                            VolumeProjectionArgs(
                                service_account_token=ServiceAccountTokenProjectionArgs(
                                    path="token", expiration_seconds=7200, audience=PIPELINES_AUDIENCE
                                )
                            )
                        ]
                    ),
                )
            )
            mounts.append(
                VolumeMountArgs(
                    name="volume-kf-pipeline-token", mount_path=PIPELINES_TOKEN_DIR, read_only=True
                )
            )
            env.append(EnvVarArgs(name="KF_PIPELINES_SA_TOKEN_PATH", value=f"{PIPELINES_TOKEN_DIR}/token"))
        if conf.secret_env:
            env += [_from_secret(key, conf.secret_env.secret, key) for key in conf.secret_env.keys]
        self.label = {args.name: "true"}
        PodDefault(
            f"{name}-poddefault",
            metadata=ObjectMetaArgs(name=args.name, namespace=ns),
            spec=PodDefaultSpecArgs(
                selector=LabelSelectorArgs(match_labels=self.label),
                desc=conf.desc or _describe(args.name, conf),
                env=env,
                volumes=volumes,
                volume_mounts=mounts,
            ),
            opts=child_options(self, former, "poddefault", import_=args.import_id),
        )
        self.register_outputs({"label": self.label})


def _from_secret(variable: str, secret: str, key: str) -> EnvVarArgs:
    return EnvVarArgs(
        name=variable, value_from=EnvVarSourceArgs(secret_key_ref=SecretKeySelectorArgs(name=secret, key=key))
    )


def _describe(name: str, conf: PodDefaultSpec) -> str:
    kinds = [
        kind
        for kind, on in (
            ("S3 credentials", conf.s3),
            ("Kubeflow Pipelines access", conf.pipelines),
            ("environment", conf.env),
            ("secret environment", conf.secret_env),
        )
        if on
    ]
    return f"{name}: {', '.join(kinds)}"
