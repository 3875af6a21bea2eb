"""Session fixtures: one real registry, one tiny image in it, one builder, the stand-in notebook
base and a local wheel index; all stopped at the end.

Binaries come from the Debian packages `.ci/run` installs. Outside CI a missing one skips
the tests that need it (the reason names the binary and the package); with `CI=true` it
fails them instead. `TEAMSPACE_TEST_BUILDER=dockerd|buildah` forces one builder.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from ..harness import PULL_PASSWORD, REGISTRY_PASSWORD
from . import standin_base as standin
from . import tool_versions
from .builder import Builder
from .builders import start_builder
from .tools import (
    Credential,
    LocalRegistry,
    PushedImage,
    push_tiny_image,
    require,
    start_registry,
    stop_process,
    unavailable,
)
from .wheel_index import WheelIndex, ensure_wheels, serve, write_simple_index

PUSHER = Credential("pusher", REGISTRY_PASSWORD)  # has & < >: escaped in .dockerconfigjson
READER = Credential("reader", PULL_PASSWORD)


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> LocalRegistry:
    """docker-registry on 127.0.0.1:<free port>, plain HTTP, htpasswd users pusher and reader."""
    require("docker-registry", "htpasswd")
    tool_versions.record("docker-registry", ["docker-registry", "--version"])
    started = start_registry(tmp_path_factory.mktemp("registry"), PUSHER, READER)
    yield started
    stop_process(started.process)


@pytest.fixture(scope="session")
def tiny_image(registry, tmp_path_factory) -> PushedImage:
    """A one-file FROM-scratch image (linux/amd64) pushed as teamspace/tiny:v1 with skopeo."""
    require("skopeo")
    tool_versions.record("skopeo", ["skopeo", "--version"])
    return push_tiny_image(registry, tmp_path_factory.mktemp("tiny"), "teamspace/tiny", "v1")


@pytest.fixture(scope="session")
def builder() -> Builder:
    """A real builder: a private dockerd if it starts, else buildah."""
    chosen, problems = start_builder(os.environ.get("TEAMSPACE_TEST_BUILDER", ""))
    if chosen is None:
        unavailable("no image builder: " + "; ".join(problems))
    tool_versions.USED[f"builder ({chosen.name})"] = chosen.version()
    yield chosen
    chosen.stop()


@pytest.fixture(scope="session")
def standin_base(registry, tmp_path_factory) -> PushedImage:
    """The stand-in notebook base (standin_base.py), pushed once; `reference` is pinned by digest."""
    require("skopeo")
    try:
        layout = standin.ensure_layout()  # cached: built once per recipe, normally by .ci/run
    except RuntimeError as error:
        unavailable(f"no stand-in base image: {error}")
    workdir = tmp_path_factory.mktemp("standin")
    reference = standin.push(registry, layout, workdir)
    return PushedImage(reference, reference.split("@", 1)[1])


@pytest.fixture(scope="session")
def wheel_index(tmp_path_factory) -> WheelIndex:
    """A PEP 503 index on 127.0.0.1 with the test wheels (fetched from PyPI once, then cached)."""
    try:
        files = ensure_wheels()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        unavailable(f"could not download the test wheels from PyPI: {error}")
    root = tmp_path_factory.mktemp("wheel-index")
    write_simple_index(files, root)
    index = serve(root)
    yield index
    stop_process(index.process)


@pytest.fixture(scope="session")
def image_builder(builder, registry) -> Builder:
    """The session's builder, logged in to the local registry as the pusher."""
    builder.login(registry.server, registry.pusher.username, registry.pusher.password)
    return builder
