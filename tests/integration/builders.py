"""Choosing a real image builder for the integration tests and `make bench-images`: a private
dockerd (overlay2, else vfs) if one starts, else buildah."""

from __future__ import annotations

import warnings

from .buildah_builder import BuildahBuilder
from .builder import Builder
from .dockerd_builder import DockerdBuilder
from .tools import missing_reason


def start_builder(forced: str = "") -> tuple[Builder | None, list[str]]:
    """A private dockerd (overlay2, else vfs) if one starts, else buildah; `forced` is "dockerd",
    "buildah" or "". Also the reasons each option failed."""
    chosen: Builder | None = None
    problems: list[str] = []
    if forced != "buildah":
        docker_missing = missing_reason(["dockerd", "docker"])
        if docker_missing:
            problems.append(docker_missing)
        else:
            for driver in ("overlay2", "vfs"):  # vfs works everywhere, but copies the image per step
                try:
                    chosen = DockerdBuilder(driver)
                    break
                except RuntimeError as error:
                    problems.append(str(error))
                    warnings.warn(
                        f"dockerd with {driver} failed, trying the next option: {error}", stacklevel=2
                    )
    if chosen is None and forced != "dockerd":
        buildah_missing = missing_reason(["buildah"])
        if buildah_missing:
            problems.append(buildah_missing)
        else:
            chosen = BuildahBuilder()
    return chosen, problems
