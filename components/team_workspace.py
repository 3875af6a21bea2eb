"""TeamWorkspace: everything one team gets in its namespace."""

from __future__ import annotations
from dataclasses import dataclass
from typing import Mapping, Optional

import pulumi
from pulumi_kubernetes.core.v1 import ResourceQuota, ResourceQuotaSpecArgs
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs
from pulumi_kubernetes.rbac.v1 import SubjectArgs

from config import Team, TeamspaceConfig, placement_of, resources_of
from config.model import Quota

from .claims import data_claim
from .crds import Profile, ProfileSpecArgs
from .notebook_server import NotebookServer, NotebookServerArgs
from .pull_secret import PullSecret, PullSecretArgs
from .renames import aliases_for, child_aliases, child_options
from .team_configuration import TeamConfiguration, TeamConfigurationArgs


def quota_hard(quota: Quota) -> dict[str, str]:
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
class TeamWorkspaceArgs:
    """Inputs of a TeamWorkspace."""

    team_key: str
    """The team's key under `teamspace:teams`."""
    config: TeamspaceConfig
    """The validated stack config (sizes, registry, URLs, volume protection)."""
    images: Mapping[str, pulumi.Input[str]]
    """Image key (or `<team>/<notebook>` for a notebook's own image) -> pushed reference by digest."""

    @property
    def team(self) -> Team:
        return self.config.teams[self.team_key]


class TeamWorkspace(pulumi.ComponentResource):
    """Profile or ResourceQuota, pull secret, team volumes and notebooks of one team."""

    notebook_urls: dict[str, str]
    """Notebook name -> URL."""
    notebooks: dict[str, dict[str, object]]
    """Notebook name -> {namespace, name, type, url, image, size, stopped}."""

    def __init__(self, name: str, args: TeamWorkspaceArgs, opts: Optional[pulumi.ResourceOptions] = None):
        config, team, ns = args.config, args.team, args.team.namespace
        # A renamed team key (`previousKey`) keeps every resource's identity, and so its data.
        former = [team.previous_key] if team.previous_key else []
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=aliases_for(former) or None))
        super().__init__("teamspace:index:TeamWorkspace", name, None, opts)
        namespace_ready: list[pulumi.Resource] = []
        if team.profile:
            namespace_ready.append(Profile(
                f"{name}-profile",
                metadata=ObjectMetaArgs(name=ns),
                spec=ProfileSpecArgs(
                    owner=SubjectArgs(kind=team.profile.owner_kind, name=team.profile.owner,
                                      api_group="rbac.authorization.k8s.io"),
                    resource_quota_spec=ResourceQuotaSpecArgs(hard=quota_hard(team.quota)) if team.quota else None),
                # Deleting a Profile deletes its namespace and every PVC in it: dropping the team
                # (or its profile) from config must leave the Profile in the cluster.
                opts=child_options(self, former, "profile", retain_on_delete=True)))
        elif team.quota:
            ResourceQuota(f"{name}-quota",
                          metadata=ObjectMetaArgs(name="teamspace-quota", namespace=ns),
                          spec=ResourceQuotaSpecArgs(hard=quota_hard(team.quota)),
                          opts=child_options(self, former, "quota"))

        def in_namespace(role: str, *former_roles: str) -> pulumi.ResourceOptions:
            """Options of the child component `<name>-<role>`. It waits for the Profile, whose
            controller creates the namespace, and is aliased to every name it may have had:
            under a former team key, and under a former role (a renamed notebook)."""
            earlier = (f"{key}-{r}" for key in [name, *former] for r in (role, *former_roles))
            return pulumi.ResourceOptions(parent=self, depends_on=namespace_ready, aliases=aliases_for(
                n for n in earlier if n != f"{name}-{role}") or None)

        pull_secret = None
        credential = config.pull_credential
        if credential and config.registry:
            pull_secret = config.registry.pull_secret_name
            PullSecret(f"{name}-pull", PullSecretArgs(
                namespace=ns, secret_name=pull_secret, server=config.registry.server,
                username=credential[0], password=credential[1].get_secret_value()), opts=in_namespace("pull"))

        secrets = {key: pulumi.Output.secret(value.get_secret_value()) for key, value in config.secrets.items()}
        for conf_name, conf in team.configurations.items():
            TeamConfiguration(f"{name}-config-{conf_name}",
                              TeamConfigurationArgs(conf_name, ns, conf, secrets),
                              opts=in_namespace(f"config-{conf_name}"))

        labels = {"app.kubernetes.io/part-of": "teamspace"}
        for key, volume in team.volumes.items():
            data_claim(f"{name}-volume-{key}", claim_name=key, namespace=ns, size=volume.size,
                       access_mode=volume.access_mode, storage_class=volume.storage_class,
                       protect=config.protect_volumes, parent=self, labels=labels,
                       aliases=child_aliases(former, f"volume-{key}"))

        self.notebook_urls, self.notebooks = {}, {}
        for nb in team.notebooks:
            url = f"{config.kubeflow_url}/notebook/{ns}/{nb.name}/"
            image = args.images.get(f"{args.team_key}/{nb.name}") or args.images.get(nb.image_key, nb.image_key)
            size = config.size_of(nb)
            resources = resources_of(nb, size)
            placement = placement_of(nb, size, resources)
            NotebookServer(
                f"{name}-{nb.name}",
                NotebookServerArgs(
                    notebook=nb, namespace=ns, resources=resources,
                    image=image, pull_secret=pull_secret, team_claims={k: k for k in team.volumes},
                    url=url, protect_volumes=config.protect_volumes, placement=placement,
                    affinity=config.affinities.get(placement.affinity) if placement.affinity else None),
                # A renamed notebook (`previousName`) keeps its identity too, under either team key.
                opts=in_namespace(nb.name, *filter(None, [nb.previous_name])))
            self.notebook_urls[nb.name] = url
            self.notebooks[nb.name] = {"namespace": ns, "name": nb.name, "type": nb.type, "url": url,
                                       "image": image, "size": nb.size, "stopped": nb.stopped}
        self.register_outputs({"notebook_urls": self.notebook_urls})
