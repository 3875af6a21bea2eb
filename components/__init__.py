"""The Pulumi components of teamspace, one per module."""

from .notebook_image import NotebookImage, NotebookImageArgs, build_images
from .notebook_server import NotebookServer, NotebookServerArgs
from .pull_secret import PullSecret, PullSecretArgs
from .team_workspace import TeamWorkspace, TeamWorkspaceArgs, workspace_args

__all__ = [
    "NotebookImage", "NotebookImageArgs", "NotebookServer", "NotebookServerArgs", "PullSecret",
    "PullSecretArgs", "TeamWorkspace", "TeamWorkspaceArgs", "build_images", "workspace_args",
]
