"""Each notebook resolved once: everything its Notebook and claims need, as plain values.

The config layer builds these after the model validates and names resolve; the quota checks
read them, and the components only render them. Nothing below here looks up a size, a
preset or another key again. What a plan is made of is in notebook_plan.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from . import presets
from .adoption import import_id
from .model import ImageSpec, TeamspaceConfig, TeamSpec
from .notebook_plan import (
    ClaimMount,
    DataClaim,
    HomeClaim,
    NotebookPlacement,
    NotebookPlan,
    OwnImage,
    Resources,
    own_image_key,
)
from .notebook_spec import NotebookSpec, SizeSpec
from .quantities import scaled_cpu, scaled_memory
from .scheduling import gpu_toleration

_FACTOR = Decimal(presets.LIMIT_FACTOR)
PART_OF = {"app.kubernetes.io/part-of": "teamspace"}
"""The label on every object teamspace makes for a team."""


def notebook_path(namespace: str, name: str) -> str:
    """Where the Kubeflow gateway serves a notebook, below the Kubeflow URL."""
    return f"/notebook/{namespace}/{name}/"


def resources_of(notebook: NotebookSpec, size: SizeSpec) -> Resources:
    """What the notebook's container asks for; a limit not given is request x 1.2.

    A request overridden on the notebook drops the preset's limit too, so that raising
    `cpu` above a preset's `cpuLimit` means "bigger notebook", not "invalid notebook".
    """
    cpu = notebook.cpu or size.cpu
    memory = notebook.memory or size.memory
    preset_cpu_limit = None if notebook.cpu else size.cpu_limit
    preset_memory_limit = None if notebook.memory else size.memory_limit
    return Resources(
        cpu=cpu,
        memory=memory,
        cpu_limit=notebook.cpu_limit or preset_cpu_limit or scaled_cpu(cpu, _FACTOR),
        memory_limit=notebook.memory_limit or preset_memory_limit or scaled_memory(memory, _FACTOR),
        gpu=size.gpu if notebook.gpu is None else notebook.gpu,
        gpu_vendor=notebook.gpu_vendor or size.gpu_vendor,
    )


def _placement(
    config: TeamspaceConfig, notebook: NotebookSpec, size: SizeSpec, resources: Resources
) -> NotebookPlacement:
    # A GPU notebook tolerates its vendor's taint unless `tolerations` is given (even empty).
    tolerations = notebook.tolerations if notebook.tolerations is not None else size.tolerations
    if tolerations is None:
        default = gpu_toleration(resources.gpu_vendor) if resources.gpu else None
        tolerations = (default,) if default else ()
    node_selector = notebook.node_selector if notebook.node_selector is not None else size.node_selector
    preset = notebook.affinity or size.affinity
    return NotebookPlacement(
        node_selector=dict(node_selector or {}),
        tolerations=tuple(tolerations),
        affinity=config.affinities.get(preset) if preset else None,
    )


def plan_notebook(
    config: TeamspaceConfig, team_key: str, team: TeamSpec, notebook: NotebookSpec
) -> NotebookPlan:
    """Resolve one notebook whose size exists. A dangling affinity or image key (reported by the
    checks) resolves to nothing, so that limits and quotas can be checked in the same pass."""
    size = config.sizes[notebook.size]
    resources = resources_of(notebook, size)
    own_image = None
    if notebook.requirements and notebook.image_key in config.images:
        own_image = OwnImage(
            own_image_key(team_key, notebook.name),
            config.images[notebook.image_key].model_copy(update={"requirements": notebook.requirements}),
        )
    path = notebook_path(team.namespace, notebook.name)
    adopted = frozenset(config.adopt)

    def adopting(kind: str, name: str) -> str | None:
        return import_id(adopted, kind, team.namespace, name)

    return NotebookPlan(
        team_key=team_key,
        namespace=team.namespace,
        name=notebook.name,
        former_names=(notebook.previous_name,) if notebook.previous_name else (),
        type=notebook.type,
        size=notebook.size,
        image=own_image.key if own_image else notebook.image_key,
        own_image=own_image,
        resources=resources,
        placement=_placement(config, notebook, size, resources),
        path=path,
        url=config.kubeflow_url + path,
        home=HomeClaim(
            notebook.home_claim,
            notebook.home_size,
            notebook.home_storage_class,
            notebook.home_access_mode,
            adopting("PersistentVolumeClaim", notebook.home_claim),
        ),
        mounts=tuple(
            ClaimMount(claim=volume, path=path, read_only=volume in notebook.read_only_mounts)
            for volume, path in sorted(notebook.mounts.items())
        ),
        labels={
            "app": notebook.name,
            **PART_OF,
            **{team.configuration_label(name): "true" for name in notebook.configurations},
        },
        stopped=notebook.stopped,
        data_claims=tuple(
            DataClaim(
                claim,
                volume.size,
                volume.access_mode,
                volume.storage_class,
                ClaimMount(claim=claim, path=volume.mount_path, read_only=volume.read_only),
                adopting("PersistentVolumeClaim", claim),
            )
            for claim, volume in sorted(notebook.data_volumes.items())
        ),
        image_pull_policy=notebook.image_pull_policy,
        pull_secrets=notebook.image_pull_secrets,
        service_account_name=notebook.service_account_name,
        shm=notebook.shm,
        import_id=adopting("Notebook", notebook.name),
    )


def plan_notebooks(config: TeamspaceConfig) -> dict[str, dict[int, NotebookPlan]]:
    """Team key -> notebook index -> its plan, for every notebook whose size exists."""
    return {
        key: {
            index: plan_notebook(config, key, team, nb)
            for index, nb in enumerate(team.notebooks)
            if nb.size in config.sizes
        }
        for key, team in config.teams.items()
    }


@dataclass(frozen=True)
class StackPlan:
    """The validated stack config with every notebook resolved once, by team key."""

    config: TeamspaceConfig
    notebooks: Mapping[str, tuple[NotebookPlan, ...]]

    @property
    def images(self) -> dict[str, ImageSpec]:
        """Every image to build: `teamspace:images`, then each notebook's own image."""
        own = {
            plan.own_image.key: plan.own_image.spec
            for plans in self.notebooks.values()
            for plan in plans
            if plan.own_image
        }
        return {**self.config.images, **own}
