"""A typed Istio AuthorizationPolicy (security.istio.io/v1beta1), the fields KFAM sets only.

KFAM creates its policies through the v1beta1 client (kubeflow/dashboard v2.0.0
components/access-management/kfam/bindings.go), and Kubeflow's manifests use v1beta1 too;
the CRD (schemas/upstream/istio/) serves v1 and v1beta1 with the same schema.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_kubernetes.apiextensions import CustomResource
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

ISTIO_SECURITY_V1BETA1 = "security.istio.io/v1beta1"


@pulumi.input_type
class SourceArgs:
    def __init__(self, *, principals: Sequence[str]):
        """:param principals: peer identities (SPIFFE without the scheme) a request may come from."""
        pulumi.set(self, "principals", principals)

    @property
    @pulumi.getter
    def principals(self) -> Sequence[str]:
        return pulumi.get(self, "principals")


@pulumi.input_type
class RuleFromArgs:
    def __init__(self, *, source: SourceArgs):
        """:param source: who the request comes from."""
        pulumi.set(self, "source", source)

    @property
    @pulumi.getter
    def source(self) -> SourceArgs:
        return pulumi.get(self, "source")


@pulumi.input_type
class ConditionArgs:
    def __init__(self, *, key: str, values: Sequence[str]):
        """:param key: an attribute such as `request.headers[kubeflow-userid]`.
        :param values: allowed values."""
        pulumi.set(self, "key", key)
        pulumi.set(self, "values", values)

    @property
    @pulumi.getter
    def key(self) -> str:
        return pulumi.get(self, "key")

    @property
    @pulumi.getter
    def values(self) -> Sequence[str]:
        return pulumi.get(self, "values")


@pulumi.input_type
class RuleArgs:
    def __init__(self, *, from_: Sequence[RuleFromArgs], when: Sequence[ConditionArgs]):
        """:param from_: request sources. :param when: conditions that must all hold."""
        pulumi.set(self, "from_", from_)
        pulumi.set(self, "when", when)

    @property
    @pulumi.getter(name="from")
    def from_(self) -> Sequence[RuleFromArgs]:
        return pulumi.get(self, "from_")

    @property
    @pulumi.getter
    def when(self) -> Sequence[ConditionArgs]:
        return pulumi.get(self, "when")


@pulumi.input_type
class AuthorizationPolicySpecArgs:
    def __init__(self, *, rules: Sequence[RuleArgs]):
        """:param rules: any matching rule allows the request (the default action, ALLOW)."""
        pulumi.set(self, "rules", rules)

    @property
    @pulumi.getter
    def rules(self) -> Sequence[RuleArgs]:
        return pulumi.get(self, "rules")


class AuthorizationPolicy(CustomResource):
    """An Istio AuthorizationPolicy: which requests the namespace's workloads accept."""

    def __init__(
        self,
        resource_name: str,
        metadata: ObjectMetaArgs,
        spec: AuthorizationPolicySpecArgs,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(
            resource_name,
            api_version=ISTIO_SECURITY_V1BETA1,
            kind="AuthorizationPolicy",
            metadata=metadata,
            spec=spec,
            opts=opts,
        )
