"""The Pulumi components of teamspace, one per module."""

from .notebook_image import NotebookImage, NotebookImageArgs, build_images
from .notebook_server import NotebookServer, NotebookServerArgs
from .pull_secret import PullSecret, PullSecretArgs
from .service_account_pull import DefaultEditorPullSecrets, DefaultEditorPullSecretsArgs
from .stop_schedule import StopSchedule, StopScheduleArgs
from .team_member import TeamMember, TeamMemberArgs
from .team_workspace import TeamWorkspace, TeamWorkspaceArgs, workspace_args

__all__ = [
    "DefaultEditorPullSecrets",
    "DefaultEditorPullSecretsArgs",
    "NotebookImage",
    "NotebookImageArgs",
    "NotebookServer",
    "NotebookServerArgs",
    "PullSecret",
    "PullSecretArgs",
    "StopSchedule",
    "StopScheduleArgs",
    "TeamMember",
    "TeamMemberArgs",
    "TeamWorkspace",
    "TeamWorkspaceArgs",
    "build_images",
    "workspace_args",
]
