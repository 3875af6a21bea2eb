"""TeamMember: a contributor of a profile namespace, exactly as the dashboard's KFAM adds one."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs
from pulumi_kubernetes.rbac.v1 import RoleBinding, RoleRefArgs, SubjectArgs

from config.kubeflow import CLUSTER_ROLES, KubeflowSpec, MemberSpec

from .istio import (
    AuthorizationPolicy,
    AuthorizationPolicySpecArgs,
    ConditionArgs,
    RuleArgs,
    RuleFromArgs,
    SourceArgs,
)
from .renames import child_options, former_names

RBAC_GROUP = "rbac.authorization.k8s.io"


@dataclass(frozen=True)
class TeamMemberArgs:
    """Inputs of a TeamMember."""

    namespace: str
    """The team's profile namespace."""
    member: MemberSpec
    """The user id (email) and the short role, edit or view."""
    settings: KubeflowSpec
    """The installation's user-id header and prefix and the principals allowed to forward them."""


class TeamMember(pulumi.ComponentResource):
    """KFAM's two objects for one contributor: a RoleBinding and an Istio AuthorizationPolicy.

    Both are named like KFAM names them and carry its `user` and `role` annotations, so the
    dashboard lists the member (role edit) and can remove it (kubeflow/dashboard v2.0.0,
    components/access-management/kfam/bindings.go: Create, List).
    """

    binding_name: str
    """metadata.name of both objects."""

    def __init__(self, name: str, args: TeamMemberArgs, opts: pulumi.ResourceOptions | None = None):
        former = former_names(opts)
        super().__init__("teamspace:index:TeamMember", name, None, opts)
        member, settings = args.member, args.settings
        self.binding_name = member.binding_name
        metadata = ObjectMetaArgs(
            name=self.binding_name,
            namespace=args.namespace,
            annotations={"user": member.user, "role": member.role},
        )
        # KFAM's List fails for the whole namespace if an annotated binding has any other
        # number of subjects: exactly one.
        RoleBinding(
            f"{name}-rolebinding",
            metadata=metadata,
            role_ref=RoleRefArgs(api_group=RBAC_GROUP, kind="ClusterRole", name=CLUSTER_ROLES[member.role]),
            subjects=[SubjectArgs(api_group=RBAC_GROUP, kind="User", name=member.user)],
            opts=child_options(self, former, "rolebinding"),
        )
        AuthorizationPolicy(
            f"{name}-policy",
            metadata=metadata,
            spec=AuthorizationPolicySpecArgs(
                rules=[
                    RuleArgs(
                        when=[
                            ConditionArgs(
                                key=f"request.headers[{settings.user_id_header}]",
                                values=[settings.user_id_prefix + member.user],
                            )
                        ],
                        from_=[RuleFromArgs(source=SourceArgs(principals=list(settings.principals)))],
                    )
                ]
            ),
            opts=child_options(self, former, "policy"),
        )
        self.register_outputs({"binding_name": self.binding_name})
