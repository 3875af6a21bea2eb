"""The `spawnerImages` stack output: the images built here, grouped as the web app's spawner lists them."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from config import TeamspaceConfig

# Keys of the Jupyter web app's spawner_ui_config.yaml (kubeflow/notebooks v1.11.0) per type:
# image (Jupyter), imageGroupOne (VS Code), imageGroupTwo (RStudio).
SERVER_TYPES = ("jupyter", "vscode", "rstudio")


def spawner_images(config: TeamspaceConfig, digests: Mapping[str, pulumi.Input[str]]) -> dict[str, list]:
    """Type -> the digest references of the `teamspace:images` keys built for it, by key.

    A notebook's own image (its `requirements`) is for that notebook only and is left out.
    """
    return {
        kind: [digests[key] for key in sorted(config.images) if config.images[key].type == kind]
        for kind in SERVER_TYPES
    }
