"""Typed stack configuration: models, presets, validation, the loader and resolved notebooks."""

from .configurations import PodDefaultSpec
from .errors import ConfigError, Problem
from .loader import load, load_stack_config, resolve
from .model import ImageSpec, RegistrySpec, TeamspaceConfig, TeamSpec, TeamVolumeSpec
from .notebook_plan import NotebookPlan, Resources
from .notebook_spec import NotebookSpec
from .plan import StackPlan, resources_of

__all__ = [
    "ConfigError",
    "ImageSpec",
    "NotebookPlan",
    "NotebookSpec",
    "PodDefaultSpec",
    "Problem",
    "RegistrySpec",
    "Resources",
    "StackPlan",
    "TeamSpec",
    "TeamVolumeSpec",
    "TeamspaceConfig",
    "load",
    "load_stack_config",
    "resolve",
    "resources_of",
]
