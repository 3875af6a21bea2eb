"""TeamWorkspace: everything one team gets in its namespace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.core.v1 import PersistentVolumeClaim, ResourceQuota, ResourceQuotaSpecArgs
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs
from pulumi_kubernetes.rbac.v1 import SubjectArgs
from pydantic import SecretStr

from config import NotebookPlan, StackPlan, TeamSpec
from config.adoption import QUOTA_NAME, import_id
from config.kubeflow import KubeflowSpec
from config.model import QuotaSpec
from config.plan import PART_OF

from .claims import claim_inputs
from .crds import Profile, ProfileSpecArgs
from .notebook_server import NotebookServer, NotebookServerArgs
from .pull_secret import PullSecret, PullSecretArgs
from .renames import aliases_for, child_aliases, child_options
from .service_account_pull import DefaultEditorPullSecrets, DefaultEditorPullSecretsArgs
from .stop_schedule import StopSchedule, StopScheduleArgs
from .team_member import TeamMember, TeamMemberArgs
from .team_pod_default import TeamPodDefault, TeamPodDefaultArgs


def quota_hard(quota: QuotaSpec) -> dict[str, str]:
    """ResourceQuota `hard` entries: sums of requests, GPUs per vendor, PVC storage."""
    hard = {}
    if quota.cpu:
        hard["requests.cpu"] = quota.cpu
    if quota.memory:
        hard["requests.memory"] = quota.memory
    for vendor, count in sorted((quota.gpu or {}).items()):
        hard[f"requests.{vendor}"] = str(count)
    if quota.storage:
        hard["requests.storage"] = quota.storage
    return hard


@dataclass(frozen=True)
class PullCredential:
    """The registry pull secret every notebook of the team references."""

    secret_name: str
    server: str
    username: str
    password: SecretStr


@dataclass(frozen=True)
class TeamWorkspaceArgs:
    """Inputs of a TeamWorkspace."""

    team: TeamSpec
    """The team's namespace, Profile or quota, volumes and configurations."""
    notebooks: tuple[NotebookPlan, ...]
    """The team's notebooks, resolved."""
    images: Mapping[str, pulumi.Input[str]]
    """Image key (or `<team>/<notebook>` for a notebook's own image) -> pushed reference by digest."""
    pull: PullCredential | None
    """The pull secret to create, if the stack has a registry credential."""
    secrets: Mapping[str, SecretStr]
    """`teamspace:secrets` values by key, for the configurations that read them."""
    protect_volumes: bool
    """Whether PVCs get `protect`."""
    kubeflow: KubeflowSpec = KubeflowSpec()
    """The installation's user-id header, prefix and principals, and the nightly stop's image."""
    adopted: frozenset[str] = frozenset()
    """`teamspace:adopt` keys: the live objects to import rather than create."""


def workspace_args(
    stack: StackPlan, team_key: str, images: Mapping[str, pulumi.Input[str]]
) -> TeamWorkspaceArgs:
    """What the TeamWorkspace of one team renders, picked from the resolved stack."""
    config = stack.config
    credential, pull = config.pull_credential, None
    if credential and config.registry:
        pull = PullCredential(
            config.registry.pull_secret_name, config.registry.server, credential[0], credential[1]
        )
    return TeamWorkspaceArgs(
        team=config.teams[team_key],
        notebooks=stack.notebooks[team_key],
        images=images,
        pull=pull,
        secrets=config.secrets,
        protect_volumes=config.protect_volumes,
        kubeflow=config.kubeflow,
        adopted=frozenset(config.adopt),
    )


class TeamWorkspace(pulumi.ComponentResource):
    """Profile or ResourceQuota, pull secret, team volumes and notebooks of one team."""

    notebook_urls: dict[str, str]
    """Notebook name -> URL."""
    notebooks: dict[str, dict[str, object]]
    """Notebook name -> {namespace, name, type, url, image, size, stopped}."""

    def __init__(self, name: str, args: TeamWorkspaceArgs, opts: pulumi.ResourceOptions | None = None):
        team, ns = args.team, args.team.namespace
        # A renamed team key (`previousKey`) keeps every resource's identity, and so its data.
        former = [team.previous_key] if team.previous_key else []
        if former:
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=aliases_for(former)))
        super().__init__("teamspace:index:TeamWorkspace", name, None, opts)
        adopted = args.adopted
        namespace_ready: list[pulumi.Resource] = []
        if team.profile:
            namespace_ready.append(
                Profile(
                    f"{name}-profile",
                    metadata=ObjectMetaArgs(name=ns),
                    spec=ProfileSpecArgs(
                        owner=SubjectArgs(
                            kind=team.profile.owner_kind,
                            name=team.profile.owner,
                            api_group="rbac.authorization.k8s.io",
                        ),
                        resource_quota_spec=ResourceQuotaSpecArgs(hard=quota_hard(team.quota))
                        if team.quota
                        else None,
                    ),
                    # Deleting a Profile deletes its namespace and every PVC in it: dropping the team
                    # (or its profile) from config must leave the Profile in the cluster.
                    opts=child_options(
                        self,
                        former,
                        "profile",
                        retain_on_delete=True,
                        import_=import_id(adopted, "Profile", None, ns),
                    ),
                )
            )
        elif team.quota:
            ResourceQuota(
                f"{name}-quota",
                metadata=ObjectMetaArgs(name=QUOTA_NAME, namespace=ns),
                spec=ResourceQuotaSpecArgs(hard=quota_hard(team.quota)),
                opts=child_options(
                    self, former, "quota", import_=import_id(adopted, "ResourceQuota", ns, QUOTA_NAME)
                ),
            )

        def namespaced_child_options(role: str, *former_roles: str) -> pulumi.ResourceOptions:
            """Options of the child component `<name>-<role>`: it waits for the Profile, whose
            controller creates the namespace, and is aliased to every name it may have had
            (under a former team key, and under a former role: a renamed notebook)."""
            earlier = (f"{key}-{r}" for key in [name, *former] for r in (role, *former_roles))
            return pulumi.ResourceOptions(
                parent=self,
                depends_on=namespace_ready,
                aliases=aliases_for(n for n in earlier if n != f"{name}-{role}") or None,
            )

        pull = args.pull
        if pull:
            secret = PullSecret(
                f"{name}-pull",
                PullSecretArgs(
                    namespace=ns,
                    secret_name=pull.secret_name,
                    server=pull.server,
                    username=pull.username,
                    password=pull.password.get_secret_value(),
                ),
                opts=namespaced_child_options("pull"),
            )
            if team.default_editor.attach_pull_secret:
                # After the Secret: its create retries until the profile controller has made the
                # namespace, so the patch starts with the namespace in place.
                DefaultEditorPullSecrets(
                    f"{name}-default-editor",
                    DefaultEditorPullSecretsArgs(ns, pull.secret_name, team.default_editor.keep_pull_secrets),
                    opts=pulumi.ResourceOptions.merge(
                        namespaced_child_options("default-editor"),
                        pulumi.ResourceOptions(depends_on=[secret]),
                    ),
                )

        for member in team.members:
            TeamMember(
                f"{name}-member-{member.binding_name}",
                TeamMemberArgs(ns, member, args.kubeflow),
                opts=namespaced_child_options(f"member-{member.binding_name}"),
            )
        if team.stop_schedule:
            StopSchedule(
                f"{name}-stop-schedule",
                StopScheduleArgs(
                    ns,
                    team.stop_schedule,
                    args.kubeflow.stop_schedule_image,
                    pull.secret_name if pull else None,
                ),
                opts=namespaced_child_options("stop-schedule"),
            )

        secrets = {key: pulumi.Output.secret(value.get_secret_value()) for key, value in args.secrets.items()}
        for conf_name, conf in team.configurations.items():
            TeamPodDefault(
                f"{name}-config-{conf_name}",
                TeamPodDefaultArgs(
                    conf_name, ns, conf, secrets, import_id(adopted, "PodDefault", ns, conf_name)
                ),
                opts=namespaced_child_options(f"config-{conf_name}"),
            )

        for key, volume in team.volumes.items():
            PersistentVolumeClaim(
                f"{name}-volume-{key}",
                **claim_inputs(
                    claim_name=key,
                    namespace=ns,
                    size=volume.size,
                    access_mode=volume.access_mode,
                    storage_class=volume.storage_class,
                    protect=args.protect_volumes,
                    parent=self,
                    labels=dict(PART_OF),
                    aliases=child_aliases(former, f"volume-{key}"),
                    import_id=import_id(adopted, "PersistentVolumeClaim", ns, key),
                ),
            )

        self.notebook_urls, self.notebooks = {}, {}
        for plan in args.notebooks:
            image = args.images.get(plan.image, plan.image)
            NotebookServer(
                f"{name}-{plan.name}",
                NotebookServerArgs(
                    plan=plan,
                    image=image,
                    pull_secret=pull.secret_name if pull else None,
                    protect_volumes=args.protect_volumes,
                ),
                # A renamed notebook (`previousName`) keeps its identity too, under either team key.
                opts=namespaced_child_options(plan.name, *plan.former_names),
            )
            self.notebook_urls[plan.name] = plan.url
            self.notebooks[plan.name] = {
                "namespace": ns,
                "name": plan.name,
                "type": plan.type,
                "url": plan.url,
                "image": image,
                "size": plan.size,
                "stopped": plan.stopped,
            }
        self.register_outputs({"notebook_urls": self.notebook_urls})
