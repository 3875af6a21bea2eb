"""NotebookImage: one notebook image built from its type's folder under `images/`, pushed under a
content tag."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_docker as docker

from config import ImageSpec, RegistrySpec, StackPlan
from config.notebook_plan import own_image_repository
from config.presets import BUILD_CONTEXTS
from config.requirements_file import read_requirements

from .content_tag import content_tag

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def build_args(spec: ImageSpec) -> dict[str, str]:
    """The Dockerfile's build args (see images/README.md) for one image spec."""
    # Read through the same checks as config validation (tracked, regular, bounded text).
    requirements = read_requirements(PROJECT_ROOT, spec.requirements) if spec.requirements else ""
    return {
        "BASE_IMAGE": spec.base_image,
        "APT_PACKAGES": " ".join(spec.apt_packages),
        "PIP_PACKAGES": " ".join(spec.pip_packages),
        "PIP_REQUIREMENTS": requirements,
    }


@dataclass(frozen=True)
class NotebookImageArgs:
    """Inputs of a NotebookImage."""

    key: str
    """The image's key in `teamspace:images`; the last path segment of its repository."""
    spec: ImageSpec
    """What to build: type (context folder), base, packages, platform."""
    registry: RegistrySpec
    """Where to push."""
    password: pulumi.Input[str]
    """Push password (secret)."""


class NotebookImage(pulumi.ComponentResource):
    """Builds and pushes one image; notebooks run it by digest."""

    image_name: str
    """`<server>/<repository>/<key>:<content tag>`, known before the build."""
    repo_digest: pulumi.Output[str]
    """`<server>/<repository>/<key>@sha256:...` of the pushed image."""

    def __init__(self, name: str, args: NotebookImageArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("teamspace:index:NotebookImage", name, None, opts)
        context = BUILD_CONTEXTS[args.spec.type]
        arguments = build_args(args.spec)
        tag = content_tag(PROJECT_ROOT / context, arguments, args.spec.platform)
        registry = args.registry
        self.image_name = f"{registry.server}/{registry.repository}/{args.key}:{tag}"
        image = docker.Image(
            f"{name}-image",
            image_name=self.image_name,
            build=docker.DockerBuildArgs(
                context=context,  # relative: the same inputs on every machine
                dockerfile=f"{context}/Dockerfile",
                args=arguments,
                platform=args.spec.platform,
            ),
            registry=docker.RegistryArgs(
                server=registry.server,
                username=registry.username,
                password=pulumi.Output.secret(args.password),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.repo_digest = image.repo_digest
        self.register_outputs({"image_name": self.image_name, "repo_digest": self.repo_digest})


def build_images(stack: StackPlan) -> Mapping[str, NotebookImage]:
    """One NotebookImage per `teamspace:images` key, plus one per notebook with its own
    `requirements` (keyed `<team>/<notebook>`). Config validation guarantees a registry."""
    config = stack.config
    if not config.images:
        return {}
    registry, password = config.registry, config.registry_password
    assert registry is not None and password is not None
    if registry.insecure:
        pulumi.log.warn(
            f"registry {registry.server} is plain HTTP (teamspace:registry.insecure): the docker "
            f'daemon that builds must list it under "insecure-registries" in /etc/docker/daemon.json, '
            "and every cluster node's container runtime must allow it too"
        )
    images = {}
    for key, spec in stack.images.items():
        repository = own_image_repository(key)  # a notebook's own image is keyed `<team>/<notebook>`
        images[key] = NotebookImage(
            repository, NotebookImageArgs(repository, spec, registry, password.get_secret_value())
        )
    return images
