"""A notebook's effective requests and limits: notebook overrides over its size preset."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import presets
from .model import Notebook, Size
from .quantities import scaled_cpu, scaled_memory

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
