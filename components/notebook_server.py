"""NotebookServer: one Kubeflow notebook and its home volume."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.core.v1 import (
    ContainerArgs,
    EmptyDirVolumeSourceArgs,
    LocalObjectReferenceArgs,
    PersistentVolumeClaim,
    PersistentVolumeClaimVolumeSourceArgs,
    PodSecurityContextArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    ResourceRequirementsArgs,
    SecurityContextArgs,
    VolumeArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from config import NotebookPlan
from config.plan import PART_OF
from config.presets import HOME

from .claims import claim_inputs
from .crds import Notebook, NotebookSpecArgs
from .placement import affinity_args, toleration_args
from .renames import child_aliases, child_options, former_names
from .service_account_pull import PATCH_FORCE

SERVER_TYPES = {"jupyter": "jupyter", "vscode": "group-one", "rstudio": "group-two"}
STOPPED = "kubeflow-resource-stopped"
# A fixed value: the controller only checks that the key exists, and a timestamp of
# "now" would make every run a diff.
STOPPED_VALUE = "1970-01-01T00:00:00Z"
# Written by the controller and its culler; never ours to diff on.
CONTROLLER_ANNOTATIONS = (
    "notebooks.kubeflow.org/last-activity",
    "notebooks.kubeflow.org/last_activity_check_timestamp",
)


def notebook_annotations(plan: NotebookPlan) -> dict[str, str]:
    """The routing annotations the Kubeflow web app would set for this server type."""
    return routing_annotations(plan.type, plan.path, plan.stopped)


def routing_annotations(kind: str, path: str, stopped: bool) -> dict[str, str]:
    """The annotations of a `kind` server served at `path` (`/notebook/<namespace>/<name>/`);
    `make adopt` compares live notebooks with them."""
    annotations = {"notebooks.kubeflow.org/server-type": SERVER_TYPES[kind]}
    if kind in ("vscode", "rstudio"):
        annotations["notebooks.kubeflow.org/http-rewrite-uri"] = "/"
    if kind == "rstudio":
        root = json.dumps({"X-RStudio-Root-Path": path}, separators=(",", ":"))
        annotations["notebooks.kubeflow.org/http-headers-request-set"] = root
    if stopped:
        annotations[STOPPED] = STOPPED_VALUE
        # The culler or the web app may already own the key with a timestamp: a stopped
        # notebook's apply is forced, so it takes the key over instead of failing on a
        # conflict; a running notebook never sets the key and is never forced. See
        # docs/kubeflow.md, "Stop, start and the culler".
        annotations[PATCH_FORCE] = "true"
    return annotations


@dataclass(frozen=True)
class NotebookServerArgs:
    """Inputs of a NotebookServer."""

    plan: NotebookPlan
    """The notebook, resolved by the config layer."""
    image: pulumi.Input[str]
    """Image reference, by digest when built here."""
    pull_secret: str | None
    """Name of the namespace's registry pull secret, if any."""
    protect_volumes: bool
    """Whether the home PVC gets `protect`."""


class NotebookServer(pulumi.ComponentResource):
    """A `Notebook` custom resource plus its home PVC mounted at /home/jovyan."""

    url: str
    """`<kubeflowUrl>/notebook/<namespace>/<name>/`."""
    home_claim: str
    """Name of the home PVC (known before deploy: it is never auto-named)."""

    def __init__(self, name: str, args: NotebookServerArgs, opts: pulumi.ResourceOptions | None = None):
        # A renamed notebook (or team) keeps its resources' identity, and so its data: the
        # component's name aliases in `opts` carry over to its children.
        former = former_names(opts)
        super().__init__("teamspace:index:NotebookServer", name, None, opts)
        plan = args.plan
        claim_labels = {"app": plan.name, **PART_OF}
        PersistentVolumeClaim(
            f"{name}-home",
            **claim_inputs(
                claim_name=plan.home.name,
                namespace=plan.namespace,
                size=plan.home.size,
                access_mode=plan.home.access_mode,
                storage_class=plan.home.storage_class,
                protect=args.protect_volumes,
                parent=self,
                labels=claim_labels,
                aliases=child_aliases(former, "home"),
                import_id=plan.home.import_id,
            ),
        )
        for claim in plan.data_claims:
            PersistentVolumeClaim(
                f"{name}-data-{claim.name}",
                **claim_inputs(
                    claim_name=claim.name,
                    namespace=plan.namespace,
                    size=claim.size,
                    access_mode=claim.access_mode,
                    storage_class=claim.storage_class,
                    protect=args.protect_volumes,
                    parent=self,
                    labels=claim_labels,
                    aliases=child_aliases(former, f"data-{claim.name}"),
                    import_id=claim.import_id,
                ),
            )
        Notebook(
            f"{name}-notebook",
            metadata=ObjectMetaArgs(
                # The controller copies these labels to the pod; PodDefaults select on them.
                name=plan.name,
                namespace=plan.namespace,
                labels=dict(plan.labels),
                annotations=notebook_annotations(plan),
            ),
            spec=NotebookSpecArgs(template=PodTemplateSpecArgs(spec=_pod_spec(args))),
            opts=child_options(
                self,
                former,
                "notebook",
                import_=plan.import_id,
                ignore_changes=[f'metadata.annotations["{key}"]' for key in CONTROLLER_ANNOTATIONS],
            ),
        )
        self.url = plan.url
        self.home_claim = plan.home.name
        self.register_outputs({"url": self.url, "home_claim": self.home_claim})


def _pod_spec(args: NotebookServerArgs) -> PodSpecArgs:
    plan, res = args.plan, args.plan.resources
    limits = {"cpu": res.cpu_limit, "memory": res.memory_limit}
    if res.gpu:
        limits[res.gpu_vendor] = str(res.gpu)
    volumes, mounts = _volumes(plan)
    pull_secrets = plan.pull_secrets if plan.pull_secrets is not None else filter(None, [args.pull_secret])
    placement = plan.placement
    return PodSpecArgs(
        service_account_name=plan.service_account_name,
        containers=[
            ContainerArgs(
                name=plan.name,
                image=args.image,
                image_pull_policy=plan.image_pull_policy,
                resources=ResourceRequirementsArgs(
                    requests={"cpu": res.cpu, "memory": res.memory}, limits=limits
                ),
                volume_mounts=mounts,
                security_context=SecurityContextArgs(allow_privilege_escalation=False, privileged=False),
            )
        ],
        image_pull_secrets=[LocalObjectReferenceArgs(name=secret) for secret in pull_secrets] or None,
        # The controller adds fsGroup 100 only when there is no securityContext at all.
        security_context=PodSecurityContextArgs(run_as_user=1000, fs_group=100),
        volumes=volumes,
        node_selector=dict(placement.node_selector) or None,
        tolerations=[toleration_args(t) for t in placement.tolerations] or None,
        affinity=affinity_args(placement.affinity),
    )


def _volumes(plan: NotebookPlan) -> tuple[list[VolumeArgs], list[VolumeMountArgs]]:
    """Pod volumes and mounts: home, /dev/shm, team volumes, then the notebook's own claims."""

    def claim_volume(claim: str) -> VolumeArgs:
        return VolumeArgs(
            name=claim, persistent_volume_claim=PersistentVolumeClaimVolumeSourceArgs(claim_name=claim)
        )

    volumes = [claim_volume(plan.home.name)]
    mounts = [VolumeMountArgs(name=plan.home.name, mount_path=HOME)]
    if plan.shm:
        volumes.append(VolumeArgs(name="dshm", empty_dir=EmptyDirVolumeSourceArgs(medium="Memory")))
        mounts.append(VolumeMountArgs(name="dshm", mount_path="/dev/shm"))
    for mount in (*plan.mounts, *(claim.mount for claim in plan.data_claims)):
        volumes.append(claim_volume(mount.claim))
        mounts.append(
            VolumeMountArgs(name=mount.claim, mount_path=mount.path, read_only=mount.read_only or None)
        )
    return volumes, mounts
