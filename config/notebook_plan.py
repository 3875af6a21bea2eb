"""What a resolved notebook is made of (`NotebookPlan` and its parts), as plain frozen values,
and the naming rules of a notebook's own image. plan.py builds them; the quota checks read
them and the components only render them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import ImageSpec
from .scheduling import AffinityPreset, Toleration


@dataclass(frozen=True)
class Resources:
    """Requests and limits as Kubernetes quantity strings, plus GPUs (limits only)."""

    cpu: str
    memory: str
    cpu_limit: str
    memory_limit: str
    gpu: int
    gpu_vendor: str


@dataclass(frozen=True)
class NotebookPlacement:
    """Where the notebook may run: its own settings over its size's, the preset resolved."""

    node_selector: Mapping[str, str]
    tolerations: tuple[Toleration, ...]
    affinity: AffinityPreset | None


@dataclass(frozen=True)
class ClaimMount:
    """A PVC mounted into the notebook's container."""

    claim: str
    path: str
    read_only: bool = False


@dataclass(frozen=True)
class HomeClaim:
    """The notebook's own PVC, mounted at /home/jovyan."""

    name: str
    size: str
    storage_class: str | None
    access_mode: str = "ReadWriteOnce"
    import_id: str | None = None
    """The live claim to adopt (`teamspace:adopt`), if any."""


@dataclass(frozen=True)
class DataClaim:
    """A PVC of this notebook alone (`dataVolumes`), mounted below its home."""

    name: str
    size: str
    access_mode: str
    storage_class: str | None
    mount: ClaimMount
    import_id: str | None = None


@dataclass(frozen=True)
class OwnImage:
    """A notebook's own image: its image key's spec plus the notebook's requirements file."""

    key: str
    """`<team>/<notebook>`: its key in the `images` output and in the digests."""
    spec: ImageSpec

    @property
    def repository(self) -> str:
        """The last segment of its registry repository (a `/` would nest it)."""
        return own_image_repository(self.key)


@dataclass(frozen=True)
class NotebookPlan:
    """One notebook, resolved: what its Notebook resource and home claim are made of."""

    team_key: str
    namespace: str
    name: str
    former_names: tuple[str, ...]
    """Earlier names (`previousName`): the notebook keeps its Pulumi identity under them."""
    type: str
    size: str
    image: str
    """A key of the images built here (own image included), or a full image reference."""
    own_image: OwnImage | None
    resources: Resources
    placement: NotebookPlacement
    path: str
    """`/notebook/<namespace>/<name>/`: where the Kubeflow gateway routes to the notebook."""
    url: str
    """The path under `kubeflowUrl`."""
    home: HomeClaim
    mounts: tuple[ClaimMount, ...]
    """Team volumes, by claim name, sorted by claim."""
    labels: Mapping[str, str]
    """The Notebook's labels: the pod's app label, part-of and one per configuration."""
    stopped: bool
    data_claims: tuple[DataClaim, ...] = ()
    """The notebook's own claims besides its home, sorted by claim."""
    image_pull_policy: str = "IfNotPresent"
    pull_secrets: tuple[str, ...] | None = None
    """Existing Secrets to pull with; None: the registry's pull secret, when teamspace makes one."""
    service_account_name: str = "default-editor"
    shm: bool = True
    import_id: str | None = None
    """The live Notebook to adopt (`teamspace:adopt`), if any."""


def own_image_key(team_key: str, notebook: str) -> str:
    return f"{team_key}/{notebook}"


def own_image_repository(key: str) -> str:
    return key.replace("/", "-")
