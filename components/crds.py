"""Typed Kubeflow custom resources, shaped the way crd2pulumi would generate them.

crd2pulumi cannot run here, so the few spec types we need are declared by hand, reusing
the `pulumi_kubernetes` Args classes for everything that is plain Kubernetes (PodSpec,
ResourceQuotaSpec, rbac Subject, EnvVar, Volume). Only `Notebook`, `Profile` and `PodDefault`
are needed, and of PodDefault only the fields teamspace sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pulumi
from pulumi_kubernetes.apiextensions import CustomResource
from pulumi_kubernetes.core.v1 import (
    EnvVarArgs,
    PodTemplateSpecArgs,
    ResourceQuotaSpecArgs,
    VolumeArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs
from pulumi_kubernetes.rbac.v1 import SubjectArgs

KUBEFLOW_V1 = "kubeflow.org/v1"
KUBEFLOW_V1ALPHA1 = "kubeflow.org/v1alpha1"


class KubeflowResource(CustomResource):
    """A Kubeflow custom resource: typed metadata and spec, its group version and kind fixed."""

    API_VERSION: ClassVar[str]
    KIND: ClassVar[str]

    def __init__(
        self,
        resource_name: str,
        metadata: ObjectMetaArgs,
        spec: object,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(
            resource_name,
            api_version=self.API_VERSION,
            kind=self.KIND,
            metadata=metadata,
            spec=spec,
            opts=opts,
        )


@pulumi.input_type
class NotebookSpecArgs:
    def __init__(self, *, template: pulumi.Input[PodTemplateSpecArgs]):
        """:param template: the pod template of the notebook's StatefulSet."""
        pulumi.set(self, "template", template)

    @property
    @pulumi.getter
    def template(self) -> pulumi.Input[PodTemplateSpecArgs]:
        return pulumi.get(self, "template")


class Notebook(KubeflowResource):
    """A Kubeflow Notebook (kubeflow.org/v1): the controller turns it into a StatefulSet."""

    API_VERSION, KIND = KUBEFLOW_V1, "Notebook"


@pulumi.input_type
class ProfileSpecArgs:
    def __init__(
        self,
        *,
        owner: pulumi.Input[SubjectArgs],
        resource_quota_spec: pulumi.Input[ResourceQuotaSpecArgs] | None = None,
    ):
        """:param owner: who owns the namespace. :param resource_quota_spec: the namespace quota."""
        pulumi.set(self, "owner", owner)
        if resource_quota_spec is not None:
            pulumi.set(self, "resource_quota_spec", resource_quota_spec)

    @property
    @pulumi.getter
    def owner(self) -> pulumi.Input[SubjectArgs]:
        return pulumi.get(self, "owner")

    @property
    @pulumi.getter(name="resourceQuotaSpec")
    def resource_quota_spec(self) -> pulumi.Input[ResourceQuotaSpecArgs] | None:
        return pulumi.get(self, "resource_quota_spec")


class Profile(KubeflowResource):
    """A Kubeflow Profile (kubeflow.org/v1, cluster-scoped): creates and owns a team namespace."""

    API_VERSION, KIND = KUBEFLOW_V1, "Profile"


@pulumi.input_type
class PodDefaultSpecArgs:
    def __init__(
        self,
        *,
        selector: pulumi.Input[LabelSelectorArgs],
        desc: str | None = None,
        env: Sequence[EnvVarArgs] | None = None,
        volumes: Sequence[VolumeArgs] | None = None,
        volume_mounts: Sequence[VolumeMountArgs] | None = None,
    ):
        """:param selector: pods to inject into. :param desc: shown in the web app's configuration list."""
        pulumi.set(self, "selector", selector)
        for key, value in (
            ("desc", desc),
            ("env", env),
            ("volumes", volumes),
            ("volume_mounts", volume_mounts),
        ):
            if value:
                pulumi.set(self, key, value)

    @property
    @pulumi.getter
    def selector(self) -> pulumi.Input[LabelSelectorArgs]:
        return pulumi.get(self, "selector")

    @property
    @pulumi.getter
    def desc(self) -> str | None:
        return pulumi.get(self, "desc")

    @property
    @pulumi.getter
    def env(self) -> Sequence[EnvVarArgs] | None:
        return pulumi.get(self, "env")

    @property
    @pulumi.getter
    def volumes(self) -> Sequence[VolumeArgs] | None:
        return pulumi.get(self, "volumes")

    @property
    @pulumi.getter(name="volumeMounts")
    def volume_mounts(self) -> Sequence[VolumeMountArgs] | None:
        return pulumi.get(self, "volume_mounts")


class PodDefault(KubeflowResource):
    """A Kubeflow PodDefault (kubeflow.org/v1alpha1): injects env and volumes into matching pods."""

    API_VERSION, KIND = KUBEFLOW_V1ALPHA1, "PodDefault"
