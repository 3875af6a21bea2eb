"""NotebookServer: one Kubeflow notebook and its home volume."""

from __future__ import annotations
import json
from dataclasses import dataclass
from typing import Mapping, Optional

import pulumi
from pulumi_kubernetes.core.v1 import (
    ContainerArgs, EmptyDirVolumeSourceArgs, LocalObjectReferenceArgs,
    PersistentVolumeClaimVolumeSourceArgs, PodSecurityContextArgs, PodSpecArgs,
    PodTemplateSpecArgs, ResourceRequirementsArgs, SecurityContextArgs, VolumeArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from config import Notebook as NotebookConfig
from config import Placement, Resources
from config.scheduling import AffinityPreset

from .claims import data_claim
from .crds import Notebook, NotebookSpecArgs
from .placement import affinity_args, toleration_args
from .renames import child_aliases, child_options, former_names

HOME = "/home/jovyan"
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


def notebook_annotations(kind: str, namespace: str, name: str, stopped: bool) -> dict[str, str]:
    """The routing annotations the Kubeflow web app would set for this server type."""
    annotations = {"notebooks.kubeflow.org/server-type": SERVER_TYPES[kind]}
    if kind in ("vscode", "rstudio"):
        annotations["notebooks.kubeflow.org/http-rewrite-uri"] = "/"
    if kind == "rstudio":
        root = json.dumps({"X-RStudio-Root-Path": f"/notebook/{namespace}/{name}/"}, separators=(",", ":"))
        annotations["notebooks.kubeflow.org/http-headers-request-set"] = root
    if stopped:
        annotations[STOPPED] = STOPPED_VALUE
    return annotations


@dataclass(frozen=True)
class NotebookServerArgs:
    """Inputs of a NotebookServer."""

    notebook: NotebookConfig
    """The notebook as declared in stack config."""
    namespace: str
    """The team namespace."""
    resources: Resources
    """Effective requests and limits."""
    image: pulumi.Input[str]
    """Image reference, by digest when built here."""
    pull_secret: Optional[str]
    """Name of the namespace's registry pull secret, if any."""
    team_claims: Mapping[str, str]
    """Team volume key -> PVC name, for `mounts`."""
    url: str
    """Where the notebook is served."""
    protect_volumes: bool
    """Whether the home PVC gets `protect`."""
    placement: Placement
    """Node selector, tolerations and affinity preset name."""
    affinity: Optional[AffinityPreset]
    """The resolved affinity preset, if any."""


class NotebookServer(pulumi.ComponentResource):
    """A `Notebook` custom resource plus the `<name>-workspace` PVC mounted at /home/jovyan."""

    url: str
    """`<kubeflowUrl>/notebook/<namespace>/<name>/`."""
    home_claim: str
    """Name of the home PVC (known before deploy: it is never auto-named)."""

    def __init__(self, name: str, args: NotebookServerArgs, opts: Optional[pulumi.ResourceOptions] = None):
        # A renamed notebook (or team) keeps its resources' identity, and so its data: the
        # component's name aliases in `opts` carry over to its children.
        former = former_names(opts)
        super().__init__("teamspace:index:NotebookServer", name, None, opts)
        nb = args.notebook
        labels = {"app": nb.name, "app.kubernetes.io/part-of": "teamspace"}
        data_claim(
            f"{name}-home", claim_name=nb.home_claim, namespace=args.namespace, size=nb.home_size,
            access_mode="ReadWriteOnce", storage_class=nb.home_storage_class,
            protect=args.protect_volumes, parent=self, labels=labels, aliases=child_aliases(former, "home"))
        Notebook(
            f"{name}-notebook",
            metadata=ObjectMetaArgs(
                # The controller copies these labels to the pod; PodDefaults select on them.
                name=nb.name, namespace=args.namespace,
                labels={**labels, **{name: "true" for name in nb.configurations}},
                annotations=notebook_annotations(nb.type, args.namespace, nb.name, nb.stopped)),
            spec=NotebookSpecArgs(template=PodTemplateSpecArgs(spec=_pod_spec(args))),
            opts=child_options(
                self, former, "notebook",
                ignore_changes=[f'metadata.annotations["{key}"]' for key in CONTROLLER_ANNOTATIONS]),
        )
        self.url = args.url
        self.home_claim = nb.home_claim
        self.register_outputs({"url": self.url, "home_claim": self.home_claim})


def _pod_spec(args: NotebookServerArgs) -> PodSpecArgs:
    nb, res = args.notebook, args.resources
    limits = {"cpu": res.cpu_limit, "memory": res.memory_limit}
    if res.gpu:
        limits[res.gpu_vendor] = str(res.gpu)
    volumes = [
        VolumeArgs(name=nb.home_claim,
                   persistent_volume_claim=PersistentVolumeClaimVolumeSourceArgs(claim_name=nb.home_claim)),
        VolumeArgs(name="dshm", empty_dir=EmptyDirVolumeSourceArgs(medium="Memory")),
    ]
    mounts = [VolumeMountArgs(name=nb.home_claim, mount_path=HOME),
              VolumeMountArgs(name="dshm", mount_path="/dev/shm")]
    for volume, path in sorted(nb.mounts.items()):
        claim = args.team_claims[volume]
        volumes.append(VolumeArgs(
            name=claim, persistent_volume_claim=PersistentVolumeClaimVolumeSourceArgs(claim_name=claim)))
        mounts.append(VolumeMountArgs(name=claim, mount_path=path))
    return PodSpecArgs(
        service_account_name="default-editor",
        containers=[ContainerArgs(
            name=nb.name,
            image=args.image,
            image_pull_policy="IfNotPresent",
            resources=ResourceRequirementsArgs(requests={"cpu": res.cpu, "memory": res.memory}, limits=limits),
            volume_mounts=mounts,
            security_context=SecurityContextArgs(allow_privilege_escalation=False, privileged=False),
        )],
        image_pull_secrets=[LocalObjectReferenceArgs(name=args.pull_secret)] if args.pull_secret else None,
        # The controller adds fsGroup 100 only when there is no securityContext at all.
        security_context=PodSecurityContextArgs(run_as_user=1000, fs_group=100),
        volumes=volumes,
        node_selector=dict(args.placement.node_selector) or None,
        tolerations=[toleration_args(t) for t in args.placement.tolerations] or None,
        affinity=affinity_args(args.affinity),
    )
