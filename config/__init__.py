"""Typed stack configuration: models, presets, validation and the loader."""

from .errors import ConfigError, Problem
from .loader import load, load_stack_config
from .model import ImageSpec, Notebook, Registry, Team, TeamspaceConfig, TeamVolume
from .configurations import Configuration
from .resources import Placement, Resources, placement_of, resources_of

__all__ = [
    "ConfigError", "Configuration", "ImageSpec", "Placement", "placement_of", "Notebook", "Problem", "Registry", "Resources", "Team",
    "TeamVolume", "TeamspaceConfig", "load", "load_stack_config", "resources_of",
]
