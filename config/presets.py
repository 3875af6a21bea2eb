"""Built-in defaults: notebook sizes, and the upstream base image and build context per notebook type."""

from __future__ import annotations

# Requests only: limits follow the Kubeflow web app's rule (request x 1.2) unless set.
BUILTIN_SIZES: dict[str, dict[str, str]] = {
    "small": {"cpu": "0.5", "memory": "1Gi"},
    "medium": {"cpu": "2", "memory": "8Gi"},
    "large": {"cpu": "4", "memory": "16Gi"},
}

DEFAULT_SIZE = "small"
DEFAULT_HOME_SIZE = "10Gi"
DEFAULT_GPU_VENDOR = "nvidia.com/gpu"
LIMIT_FACTOR = "1.2"

# Kubeflow Notebooks v1.11.0 images, one per server type.
DEFAULT_BASE_IMAGES: dict[str, str] = {
    "jupyter": "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
    "rstudio": "ghcr.io/kubeflow/kubeflow/notebook-servers/rstudio-tidyverse:v1.11.0",
    "vscode": "ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:v1.11.0",
}

# The Dockerfile folder under the project root per type. RStudio and VS Code differ only in
# their base, so they share one Dockerfile (images/README.md says why jupyter cannot).
BUILD_CONTEXTS: dict[str, str] = {
    "jupyter": "images/jupyter",
    "rstudio": "images/packages",
    "vscode": "images/packages",
}

HOME = "/home/jovyan"
