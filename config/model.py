"""The stack configuration as one typed, immutable model (what `teamspace:*` keys may hold).

Field names are snake_case in Python and camelCase in stack config (the alias), exactly as
the README's config reference lists them.
"""

from __future__ import annotations

from typing import Annotated, Any, Mapping, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, SecretStr, model_validator
from pydantic.alias_generators import to_camel

from . import presets
from .configurations import PodDefaultSpec
from .image_reference import ImageReference
from .kube_rules import MountPath
from .kubeflow import DefaultEditorSpec, ExternalConfigurationEntry, KubeflowSpec, MemberSpec, StopScheduleSpec
from .packages import AptSpec, PipSpec
from .requirements_file import RequirementsPath
from .scheduling import AffinityPreset, SchedulingSpec
from .fields import (
    AccessMode, Count, GpuVendor, HttpUrl, Label, Namespace, NonEmpty,
    NotebookName, NotebookType, OwnerKind, Platform, PullPolicy, Quantity, RegistryHost,
    RepositoryPath, Subdomain,
)
from .volumes import NotebookVolume


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True
    )


class RegistrySpec(_Model):
    """Where images are pushed, and the name of the pull secret notebooks use."""

    server: RegistryHost
    repository: RepositoryPath = "teamspace"
    username: Optional[NonEmpty] = None
    insecure: bool = False
    pull_secret_name: Subdomain = "nexuscred"


class ImageSpec(_Model):
    """One notebook image built from its type's context under `images/` and pushed to the registry."""

    type: NotebookType
    base: Optional[ImageReference] = None
    pip_packages: tuple[PipSpec, ...] = ()
    apt_packages: tuple[AptSpec, ...] = ()
    platform: Platform = "linux/amd64"
    requirements: Optional[RequirementsPath] = None
    """A requirements.txt in this repository, baked into the image."""

    @property
    def base_image(self) -> str:
        return self.base or presets.DEFAULT_BASE_IMAGES[self.type]


class SizeSpec(SchedulingSpec):
    """A named resource preset; limits default to request x 1.2."""

    cpu: Quantity
    memory: Quantity
    cpu_limit: Optional[Quantity] = None
    memory_limit: Optional[Quantity] = None
    gpu: Count = 0
    gpu_vendor: GpuVendor = presets.DEFAULT_GPU_VENDOR


class NotebookSpec(SchedulingSpec):
    """One notebook server of a team."""

    name: NotebookName
    previous_name: Optional[NotebookName] = None
    type: NotebookType
    image: Optional[NonEmpty] = None
    size: NonEmpty = presets.DEFAULT_SIZE
    cpu: Optional[Quantity] = None
    memory: Optional[Quantity] = None
    cpu_limit: Optional[Quantity] = None
    memory_limit: Optional[Quantity] = None
    gpu: Optional[Count] = None
    gpu_vendor: Optional[GpuVendor] = None
    home_volume: Optional[Label] = None  # also the pod's volume name: a DNS label
    """The home PVC's name, when it is no longer `<previousName or name>-workspace`."""
    home_size: Quantity = presets.DEFAULT_HOME_SIZE
    home_storage_class: Optional[Subdomain] = None
    home_access_mode: AccessMode = "ReadWriteOnce"
    mounts: Mapping[Label, MountPath] = {}
    read_only_mounts: tuple[Label, ...] = ()
    """Keys of `mounts` mounted read-only."""
    data_volumes: Mapping[Label, NotebookVolume] = {}  # claim names are pod volume names: DNS labels
    """Claims of this notebook alone, by claim name (the web app's data volumes)."""
    image_pull_policy: PullPolicy = "IfNotPresent"
    image_pull_secrets: Optional[tuple[Subdomain, ...]] = None
    """Existing Secrets to pull with; unset means the registry's pull secret, when teamspace makes one."""
    service_account_name: Subdomain = "default-editor"
    shm: bool = True
    """An in-memory /dev/shm, as the web app mounts by default."""
    stopped: bool = False
    configurations: tuple[Label, ...] = ()
    requirements: Optional[RequirementsPath] = None
    """A requirements.txt baked into this notebook's own image (built from its image key)."""

    @property
    def image_key(self) -> str:
        """The `teamspace:images` key or full reference this notebook runs."""
        return self.image or self.type

    @property
    def home_claim(self) -> str:
        """The home PVC's name; a renamed notebook keeps its original volume."""
        return self.home_volume or f"{self.previous_name or self.name}-workspace"


class ProfileSpec(_Model):
    """The Kubeflow Profile that creates and owns the team namespace."""

    owner: NonEmpty
    owner_kind: OwnerKind = "User"


def _per_vendor(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= 64:  # Count's bounds, reported here: the vendor key is not the user's
            raise ValueError("must be a GPU count from 0 to 64")
        return {presets.DEFAULT_GPU_VENDOR: value}
    raise ValueError("must be a GPU count, or a map of vendor (nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi) to count")


class QuotaSpec(_Model):
    """Namespace-wide limits on the sum of requests and of PVC storage."""

    cpu: Optional[Quantity] = None
    memory: Optional[Quantity] = None
    # A bare number counts GPUs of the default vendor; a map counts them per vendor.
    gpu: Optional[Annotated[Mapping[GpuVendor, Count], BeforeValidator(_per_vendor)]] = None
    storage: Optional[Quantity] = None


class TeamVolumeSpec(_Model):
    """A shared PVC of the team, mountable into its notebooks."""

    size: Quantity
    access_mode: AccessMode = "ReadWriteMany"
    storage_class: Optional[Subdomain] = None


class TeamSpec(_Model):
    """A team: its namespace and what lives in it."""

    namespace: Namespace
    previous_key: Optional[Label] = None
    """The team's key before a rename: its resources keep their Pulumi identity (aliases)."""
    profile: Optional[ProfileSpec] = None
    configurations: Mapping[Label, PodDefaultSpec] = {}
    quota: Optional[QuotaSpec] = None
    volumes: Mapping[Label, TeamVolumeSpec] = {}
    notebooks: tuple[NotebookSpec, ...] = ()
    members: tuple[MemberSpec, ...] = ()
    """Contributors of the profile namespace (KFAM's RoleBinding and AuthorizationPolicy each)."""
    external_configurations: tuple[ExternalConfigurationEntry, ...] = ()
    """PodDefaults created by others that notebooks may select, by name or {name, label}."""
    stop_schedule: Optional[StopScheduleSpec] = None
    default_editor: DefaultEditorSpec = DefaultEditorSpec()

    def configuration_label(self, name: str) -> str:
        """The label key that selects configuration `name`'s PodDefault (its name unless declared)."""
        external = {entry.name: entry.label_key for entry in self.external_configurations}
        return external.get(name, name)


def _former_key(team: dict[str, Any]) -> Optional[str]:
    previous = team.get("previousKey", team.get("previous_key"))
    return previous if isinstance(previous, str) else None


class TeamspaceConfig(_Model):
    """Everything under the `teamspace:` config namespace of one stack."""

    kubeflow_url: HttpUrl
    protect_volumes: bool = True
    registry: Optional[RegistrySpec] = None
    registry_password: Optional[SecretStr] = None
    pull_username: Optional[NonEmpty] = None
    pull_password: Optional[SecretStr] = None
    images: Mapping[Label, ImageSpec] = {}
    sizes: Mapping[NonEmpty, SizeSpec] = {}
    affinities: Mapping[Label, AffinityPreset] = {}
    secrets: Mapping[NonEmpty, SecretStr] = {}
    teams: Mapping[Label, TeamSpec] = {}
    kubeflow: KubeflowSpec = KubeflowSpec()
    adopt: tuple[NonEmpty, ...] = ()
    """Live objects the next `pulumi up` imports, as `Kind/namespace/name` (see docs/adopt.md)."""

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        # Defaults that depend on other keys: built-in sizes under user overrides, and a
        # team's namespace defaulting to its key (its former key, when renamed: a new key must
        # not move the team to another namespace).
        if not isinstance(data, dict):
            return data
        data = dict(data)
        sizes = data.get("sizes", {})
        if isinstance(sizes, dict):
            data["sizes"] = {**presets.BUILTIN_SIZES, **sizes}
        teams = data.get("teams")
        if isinstance(teams, dict):
            data["teams"] = {
                key: ({"namespace": _former_key(team) or key, **team} if isinstance(team, dict) else team)
                for key, team in teams.items()
            }
        return data

    @property
    def pull_credential(self) -> Optional[tuple[str, SecretStr]]:
        """What the clusters pull with: the read-only pull credential, else the push one."""
        if self.pull_username and self.pull_password:
            return self.pull_username, self.pull_password
        if self.registry and self.registry.username and self.registry_password:
            return self.registry.username, self.registry_password
        return None
