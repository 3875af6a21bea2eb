"""A notebook's effective requests, limits and placement: notebook overrides over its size preset."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import presets
from typing import Mapping, Optional

from .model import Notebook, Size
from .quantities import scaled_cpu, scaled_memory
from .scheduling import Toleration, gpu_toleration

_FACTOR = Decimal(presets.LIMIT_FACTOR)


@dataclass(frozen=True)
class Resources:
    """Requests and limits as Kubernetes quantity strings, plus GPUs (limits only)."""

    cpu: str
    memory: str
    cpu_limit: str
    memory_limit: str
    gpu: int
    gpu_vendor: str


def resources_of(notebook: Notebook, size: Size) -> Resources:
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


@dataclass(frozen=True)
class Placement:
    """Where the notebook may run."""

    node_selector: Mapping[str, str]
    tolerations: tuple[Toleration, ...]
    affinity: Optional[str]


def placement_of(notebook: Notebook, size: Size, resources: Resources) -> Placement:
    """Notebook settings over the size's; a GPU notebook tolerates its vendor's taint unless
    `tolerations` is given (even as an empty list)."""
    tolerations = notebook.tolerations if notebook.tolerations is not None else size.tolerations
    if tolerations is None:
        tolerations = (gpu_toleration(resources.gpu_vendor),) if resources.gpu else ()
    node_selector = notebook.node_selector if notebook.node_selector is not None else size.node_selector
    return Placement(node_selector=dict(node_selector or {}), tolerations=tuple(tolerations),
                     affinity=notebook.affinity or size.affinity)
