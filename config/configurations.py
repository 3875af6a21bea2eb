"""Team configurations: what a PodDefault injects into the notebooks that opt in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from .fields import HttpUrl, NonEmpty
from .spec_model import SpecModel

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _env_name(value: str) -> str:
    if not _ENV_NAME.match(value):
        raise ValueError(f"'{value}' is not an environment variable name (letters, digits, '_')")
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]


class S3Access(SpecModel):
    """S3 credentials for the AWS CLI, DVC (boto3) and the JupyterLab S3 browser."""

    endpoint: HttpUrl | None = None
    """S3 endpoint URL (MinIO, Ceph...); default: AWS."""
    region: NonEmpty = "us-east-1"
    """AWS_DEFAULT_REGION / AWS_REGION."""
    access_key_id: NonEmpty
    """The access key id (not a secret)."""
    secret_access_key: NonEmpty
    """A key of `teamspace:secrets`, never the value itself."""


class SecretEnv(SpecModel):
    """Environment variables read from keys of an existing Secret in the namespace."""

    secret: NonEmpty
    """Name of an existing Secret in the team namespace."""
    keys: tuple[EnvName, ...] = Field(min_length=1)
    """Keys of that Secret, each injected as an environment variable of the same name."""


class PodDefaultSpec(SpecModel):
    """One named configuration (`teams.<team>.configurations.<name>`), made into a PodDefault;
    kinds may be combined."""

    desc: str | None = None
    """Description shown in the Kubeflow notebook web app."""
    s3: S3Access | None = None
    """S3 credentials for the AWS CLI, DVC and the JupyterLab S3 browser."""
    pipelines: bool = False
    """Mount a Kubeflow Pipelines service-account token (KFP SDK in multi-user mode)."""
    env: Mapping[EnvName, str] = {}
    """Plain environment variables (never secrets)."""
    secret_env: SecretEnv | None = None
    """Environment variables from keys of an existing Secret."""

    @model_validator(mode="after")
    def _not_empty(self) -> PodDefaultSpec:
        if not (self.s3 or self.pipelines or self.env or self.secret_env):
            raise ValueError("a configuration needs at least one of s3, pipelines, env, secretEnv")
        return self
