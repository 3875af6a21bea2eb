"""The stack configuration as one typed, immutable model (what `teamspace:*` keys may hold).

Field names are snake_case in Python and camelCase in stack config (the alias), exactly as
the README's config reference lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, SecretStr, model_validator

from . import presets
from .configurations import PodDefaultSpec
from .fields import (
    AccessMode,
    Count,
    GpuVendor,
    HttpUrl,
    Label,
    Namespace,
    NonEmpty,
    NotebookType,
    OwnerKind,
    Platform,
    Quantity,
    RegistryHost,
    RepositoryPath,
    Subdomain,
)
from .image_reference import ImageReference
from .kubeflow import (
    DefaultEditorSpec,
    ExternalConfigurationEntry,
    KubeflowSpec,
    MemberSpec,
    StopScheduleSpec,
)
from .notebook_spec import NotebookSpec, SizeSpec
from .packages import AptSpec, PipSpec
from .requirements_file import RequirementsPath
from .scheduling import AffinityPreset
from .spec_model import SpecModel


class RegistrySpec(SpecModel):
    """Where images are pushed, and the name of the pull secret notebooks use."""

    server: RegistryHost
    """Registry to push to and pull from: host[:port], no scheme (e.g. nexus.example.com:5000)."""
    repository: RepositoryPath = "teamspace"
    """Path prefix of pushed images: <server>/<repository>/<image key>."""
    username: NonEmpty | None = None
    """Push user; its password is teamspace:registryPassword."""
    insecure: bool = False
    """The registry speaks plain HTTP: docker daemons and cluster nodes must allow it
    (README, HTTP registries)."""
    pull_secret_name: Subdomain = "nexuscred"
    """Name of the kubernetes.io/dockerconfigjson Secret created in each team namespace."""


class ImageSpec(SpecModel):
    """One notebook image built from its type's context under `images/` and pushed to the registry."""

    type: NotebookType
    """Which build context under images/ (jupyter, rstudio or vscode)."""
    base: ImageReference | None = None
    """BASE_IMAGE build arg, e.g. a mirror in your registry; default: the type's Kubeflow v1.11.0 image."""
    pip_packages: tuple[PipSpec, ...] = ()
    """pip requirement specifiers baked into the image."""
    apt_packages: tuple[AptSpec, ...] = ()
    """Debian packages installed as root in one layer."""
    platform: Platform = "linux/amd64"
    """Build platform, linux/<arch>."""
    requirements: RequirementsPath | None = None
    """A requirements.txt in this repository, baked into the image."""

    @property
    def base_image(self) -> str:
        return self.base or presets.DEFAULT_BASE_IMAGES[self.type]


class ProfileSpec(SpecModel):
    """The Kubeflow Profile that creates and owns the team namespace."""

    owner: NonEmpty
    """The owner's name (a user's e-mail, a group or a service account)."""
    owner_kind: OwnerKind = "User"
    """User, Group or ServiceAccount."""


def _per_vendor(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= 64:  # Count's bounds, reported here: the vendor key is not the user's
            raise ValueError("must be a GPU count from 0 to 64")
        return {presets.DEFAULT_GPU_VENDOR: value}
    raise ValueError(
        "must be a GPU count, or a map of vendor (nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi) to count"
    )


class QuotaSpec(SpecModel):
    """Namespace-wide limits on the sum of requests and of PVC storage."""

    cpu: Quantity | None = None
    """Sum of CPU requests in the namespace."""
    memory: Quantity | None = None
    """Sum of memory requests in the namespace."""
    # A bare number counts GPUs of the default vendor; a map counts them per vendor.
    gpu: (
        Annotated[
            Mapping[GpuVendor, Count],
            BeforeValidator(_per_vendor, json_schema_input_type=Count | Mapping[GpuVendor, Count]),
        ]
        | None
    ) = None
    """GPUs: a count of nvidia.com/gpu, or a map of vendor to count."""
    storage: Quantity | None = None
    """Sum of PVC storage requests in the namespace."""


class TeamVolumeSpec(SpecModel):
    """A shared PVC of the team, mountable into its notebooks."""

    size: Quantity
    """Storage request (grow only)."""
    access_mode: AccessMode = "ReadWriteMany"
    """ReadWriteMany (shared by the team's notebooks), ReadWriteOnce, ReadOnlyMany or ReadWriteOncePod."""
    storage_class: Subdomain | None = None
    """StorageClass; default: the cluster's default class."""


def _namespace_may_be_omitted(schema: dict[str, Any]) -> None:
    schema["required"] = [key for key in schema.get("required", []) if key != "namespace"]


class TeamSpec(SpecModel):
    """A team: its namespace and what lives in it."""

    # TeamspaceConfig fills `namespace` from the team key, so a stack file may leave it out.
    model_config = ConfigDict(json_schema_extra=_namespace_may_be_omitted)

    namespace: Namespace
    """The team namespace, a DNS label; default: the team key (its previousKey, if set)."""
    previous_key: Label | None = None
    """The team's key before a rename: its resources keep their Pulumi identity (aliases)."""
    profile: ProfileSpec | None = None
    """Create the Kubeflow Profile that creates and owns the namespace."""
    configurations: Mapping[Label, PodDefaultSpec] = {}
    """Named PodDefaults (S3, Pipelines, environment) notebooks opt into."""
    quota: QuotaSpec | None = None
    """Namespace quota: in the Profile, else a ResourceQuota; checked against the notebooks."""
    volumes: Mapping[Label, TeamVolumeSpec] = {}
    """Shared team PVCs, by name."""
    notebooks: tuple[NotebookSpec, ...] = ()
    """The team's notebooks."""
    members: tuple[MemberSpec, ...] = ()
    """Contributors of the profile namespace (KFAM's RoleBinding and AuthorizationPolicy each)."""
    external_configurations: tuple[ExternalConfigurationEntry, ...] = ()
    """PodDefaults created by others that notebooks may select, by name or {name, label}."""
    stop_schedule: StopScheduleSpec | None = None
    """A CronJob that stops every running notebook of the namespace on a schedule."""
    default_editor: DefaultEditorSpec = DefaultEditorSpec()
    """What teamspace sets on the namespace's default-editor ServiceAccount."""

    def configuration_label(self, name: str) -> str:
        """The label key that selects configuration `name`'s PodDefault (its name unless declared)."""
        external = {entry.name: entry.label_key for entry in self.external_configurations}
        return external.get(name, name)


def _former_key(team: dict[str, Any]) -> str | None:
    previous = team.get("previousKey", team.get("previous_key"))
    return previous if isinstance(previous, str) else None


class TeamspaceConfig(SpecModel):
    """Everything under the `teamspace:` config namespace of one stack."""

    kubeflow_url: HttpUrl
    """Base URL of the Kubeflow dashboard; notebook URLs are <kubeflowUrl>/notebook/<namespace>/<name>/."""
    protect_volumes: bool = True
    """Give every PVC Pulumi's protect option (every PVC is retainOnDelete regardless)."""
    registry: RegistrySpec | None = None
    """Where images are pushed and pulled; required with images or a pull credential."""
    registry_password: SecretStr | None = None
    """Push password (secret); required when images is set."""
    pull_username: NonEmpty | None = None
    """Read-only user for the clusters' pull secret (default: the push credential)."""
    pull_password: SecretStr | None = None
    """Password of pullUsername (secret)."""
    images: Mapping[Label, ImageSpec] = {}
    """Notebook images to build and push, by key."""
    sizes: Mapping[NonEmpty, SizeSpec] = {}
    """Size presets added to or overriding the built-in small, medium and large."""
    affinities: Mapping[Label, AffinityPreset] = {}
    """Named node-affinity presets."""
    secrets: Mapping[NonEmpty, SecretStr] = {}
    """Secret values (set with --secret) that configurations refer to by name."""
    teams: Mapping[Label, TeamSpec] = {}
    """The teams, by key (a DNS label)."""
    kubeflow: KubeflowSpec = KubeflowSpec()
    """How this Kubeflow installation identifies users (identity header, trusted principals)."""
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
    def pull_credential(self) -> tuple[str, SecretStr] | None:
        """What the clusters pull with: the read-only pull credential, else the push one."""
        if self.pull_username and self.pull_password:
            return self.pull_username, self.pull_password
        if self.registry and self.registry.username and self.registry_password:
            return self.registry.username, self.registry_password
        return None
