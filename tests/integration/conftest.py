"""Session fixtures: one real registry, one tiny image in it, one builder; all stopped at the end.

Binaries come from the Debian packages `.ci/run` installs. Outside CI a missing one skips
the tests that need it (the reason names the binary and the package); with `CI=true` it
fails them instead. `TEAMSPACE_TEST_BUILDER=dockerd|buildah` forces one builder.
"""

from __future__ import annotations

import os
import warnings

import pytest

from ..harness import PULL_PASSWORD, REGISTRY_PASSWORD
from .tools import (
    BuildahBuilder, Builder, Credential, DockerdBuilder, LocalRegistry, PushedImage, missing_reason,
    push_tiny_image, require, run, start_registry, stop_process, unavailable,
)

PUSHER = Credential("pusher", REGISTRY_PASSWORD)  # has & < >: escaped in .dockerconfigjson
READER = Credential("reader", PULL_PASSWORD)

# Versions of the real tools the run used, printed at the end (for the closing note).
_VERSIONS: dict[str, str] = {}


def _record(name: str, command: list[str]) -> None:
    if name not in _VERSIONS:
        done = run(command, check=False)
        _VERSIONS[name] = (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def pytest_terminal_summary(terminalreporter):
    if _VERSIONS:
        terminalreporter.write_sep("-", "integration tools used")
        for name, version in sorted(_VERSIONS.items()):
            terminalreporter.write_line(f"{name}: {version}")


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> LocalRegistry:
    """docker-registry on 127.0.0.1:<free port>, plain HTTP, htpasswd users pusher and reader."""
    require("docker-registry", "htpasswd")
    _record("docker-registry", ["docker-registry", "--version"])
    started = start_registry(tmp_path_factory.mktemp("registry"), PUSHER, READER)
    yield started
    stop_process(started.process)


@pytest.fixture(scope="session")
def tiny_image(registry, tmp_path_factory) -> PushedImage:
    """A one-file FROM-scratch image (linux/amd64) pushed as teamspace/tiny:v1 with skopeo."""
    require("skopeo")
    _record("skopeo", ["skopeo", "--version"])
    return push_tiny_image(registry, tmp_path_factory.mktemp("tiny"), "teamspace/tiny", "v1")


@pytest.fixture(scope="session")
def builder() -> Builder:
    """A real builder: a private dockerd if it starts, else buildah."""
    forced = os.environ.get("TEAMSPACE_TEST_BUILDER", "")
    docker_missing = missing_reason(["dockerd", "docker"])
    buildah_missing = missing_reason(["buildah"])
    chosen, problems = None, []
    if forced != "buildah":
        if docker_missing:
            problems.append(docker_missing)
        else:
            try:
                chosen = DockerdBuilder()
            except RuntimeError as error:
                problems.append(str(error))
                warnings.warn(f"falling back to buildah: {error}")
    if chosen is None and forced != "dockerd":
        if buildah_missing:
            problems.append(buildah_missing)
        else:
            chosen = BuildahBuilder()
    if chosen is None:
        unavailable("no image builder: " + "; ".join(problems))
    _VERSIONS[f"builder ({chosen.name})"] = chosen.version()
    yield chosen
    chosen.stop()
