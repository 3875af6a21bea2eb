"""A notebook and the size preset it starts from, as declared in stack config
(`teamspace:teams.<team>.notebooks[]`, `teamspace:sizes.<name>`)."""

from __future__ import annotations

from collections.abc import Mapping

from . import presets
from .fields import (
    AccessMode,
    Count,
    GpuVendor,
    Label,
    NonEmpty,
    NotebookName,
    NotebookType,
    PullPolicy,
    Quantity,
    Subdomain,
)
from .kube_rules import MountPath
from .requirements_file import RequirementsPath
from .scheduling import SchedulingSpec
from .volumes import NotebookVolume


class SizeSpec(SchedulingSpec):
    """A named resource preset; limits default to request x 1.2."""

    cpu: Quantity
    """CPU request, a Kubernetes quantity (e.g. 500m, 2)."""
    memory: Quantity
    """Memory request, a Kubernetes quantity (e.g. 8Gi)."""
    cpu_limit: Quantity | None = None
    """CPU limit; default: request x 1.2."""
    memory_limit: Quantity | None = None
    """Memory limit; default: request x 1.2."""
    gpu: Count = 0
    """GPUs (limits only)."""
    gpu_vendor: GpuVendor = presets.DEFAULT_GPU_VENDOR
    """GPU resource name: nvidia.com/gpu, amd.com/gpu or habana.ai/gaudi."""


class NotebookSpec(SchedulingSpec):
    """One notebook server of a team."""

    name: NotebookName
    """DNS label of at most 52 characters: the Notebook's metadata.name and URL path."""
    previous_name: NotebookName | None = None
    """The notebook's former name: a rename keeps its Pulumi identity and its home volume."""
    type: NotebookType
    """jupyter, rstudio or vscode: the web app's routing annotations and the default image key."""
    image: NonEmpty | None = None
    """A key of teamspace:images or a full image reference; default: the key equal to type."""
    size: NonEmpty = presets.DEFAULT_SIZE
    """A size preset: small, medium, large or a key of teamspace:sizes."""
    cpu: Quantity | None = None
    """CPU request over the size's (drops the size's cpuLimit)."""
    memory: Quantity | None = None
    """Memory request over the size's (drops the size's memoryLimit)."""
    cpu_limit: Quantity | None = None
    """CPU limit; default: the size's, else request x 1.2."""
    memory_limit: Quantity | None = None
    """Memory limit; default: the size's, else request x 1.2."""
    gpu: Count | None = None
    """GPUs over the size's."""
    gpu_vendor: GpuVendor | None = None
    """GPU resource name over the size's."""
    home_volume: Label | None = None  # also the pod's volume name: a DNS label
    """The home PVC's name, when it is no longer `<previousName or name>-workspace`."""
    home_size: Quantity = presets.DEFAULT_HOME_SIZE
    """Size of the home volume mounted at /home/jovyan (grow only)."""
    home_storage_class: Subdomain | None = None
    """StorageClass of the home volume; default: the cluster's default class."""
    home_access_mode: AccessMode = "ReadWriteOnce"
    """Access mode of the home volume."""
    mounts: Mapping[Label, MountPath] = {}
    """Team volume name -> absolute mount path."""
    read_only_mounts: tuple[Label, ...] = ()
    """Keys of `mounts` mounted read-only."""
    data_volumes: Mapping[Label, NotebookVolume] = {}  # claim names are pod volume names: DNS labels
    """Claims of this notebook alone, by claim name (the web app's data volumes)."""
    image_pull_policy: PullPolicy = "IfNotPresent"
    """The container's imagePullPolicy."""
    image_pull_secrets: tuple[Subdomain, ...] | None = None
    """Existing Secrets to pull with; unset means the registry's pull secret, when teamspace makes one."""
    service_account_name: Subdomain = "default-editor"
    """The ServiceAccount the notebook pod runs as."""
    shm: bool = True
    """An in-memory /dev/shm, as the web app mounts by default."""
    stopped: bool = False
    """true stops the notebook (scaled to 0, volumes kept); false starts it."""
    configurations: tuple[Label, ...] = ()
    """Names of the team's configurations (PodDefaults) this notebook opts into."""
    requirements: RequirementsPath | None = None
    """A requirements.txt baked into this notebook's own image (built from its image key)."""

    @property
    def image_key(self) -> str:
        """The `teamspace:images` key or full reference this notebook runs."""
        return self.image or self.type

    @property
    def home_claim(self) -> str:
        """The home PVC's name; a renamed notebook keeps its original volume."""
        return self.home_volume or f"{self.previous_name or self.name}-workspace"
