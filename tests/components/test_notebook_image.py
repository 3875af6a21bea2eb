"""NotebookImage (components/notebook_image.py): the docker build it registers (context, build
args, platform, push credential), the output it registers and the digest it reports."""

from __future__ import annotations

import hashlib
import json
import re

import pulumi

from components import NotebookImage, NotebookImageArgs
from components.content_tag import content_tag
from config import resolve
from devtools.runtime import PROJECT_ROOT, run_program
from devtools.secret_envelopes import is_secret_envelope

from ..harness import IMAGE, REGISTRY_PASSWORD, Template, alias_names, minimal_config

IMAGE_TYPE = "teamspace:index:NotebookImage"


def test_the_component_registers_its_tag_and_the_pushed_digest():
    """What `pulumi stack` shows for each image: the content-tagged name and the digest the
    registry gave it (the mocks answer like docker-build: sha256 of the name)."""
    result = run_program(minimal_config(), record_outputs=True)
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == IMAGE_TYPE]
    [image] = [r for r in result.registrations if r.type == IMAGE]
    assert (component.name, image.name, image.parent) == ("jupyter", "jupyter-image", component.urn)
    name = image.manifest["imageName"]
    assert re.fullmatch(r"nexus\.example\.com:5000/teamspace/jupyter:content-[0-9a-f]{20}", name)
    digest = hashlib.sha256(name.encode()).hexdigest()
    assert result.component_outputs[component.urn] == {
        "image_name": name,
        "repo_digest": f"nexus.example.com:5000/teamspace/jupyter@sha256:{digest}",
    }


def test_the_image_is_built_from_its_types_folder_with_the_specs_build_args_and_pushed_as_a_secret():
    """The Dockerfile's build args (images/README.md) from the spec, packages space-separated; the
    tag is the content tag of exactly that build; the push credential crosses to Pulumi as a secret."""
    packages = {"aptPackages": ["git", "vim"], "pipPackages": ["kfp==1.8.14", "dvc==3.0.0"]}
    result = run_program(minimal_config(images={"jupyter": {"type": "jupyter", **packages}}))
    assert result.error is None, result.error
    [image] = [r for r in result.registrations if r.type == IMAGE]
    build = {
        "context": "images/jupyter",
        "dockerfile": "images/jupyter/Dockerfile",
        "args": {
            "BASE_IMAGE": "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
            "APT_PACKAGES": "git vim",
            "PIP_PACKAGES": "kfp==1.8.14 dvc==3.0.0",
            "PIP_REQUIREMENTS": "",
        },
        "platform": "linux/amd64",
    }
    tag = content_tag(PROJECT_ROOT / "images" / "jupyter", build["args"], "linux/amd64")
    assert image.manifest == {
        "imageName": f"nexus.example.com:5000/teamspace/jupyter:{tag}",
        "build": build,
        "registry": {"server": "nexus.example.com:5000", "username": "pusher", "password": REGISTRY_PASSWORD},
        "buildOnPreview": False,
        "skipPush": False,
    }
    assert is_secret_envelope(image.inputs["registry"])


def test_an_insecure_registry_warns_what_the_daemon_and_the_nodes_need():
    """The whole warning: a plain-HTTP push fails unless both the builder and every node allow it."""
    registry = {"server": "nexus.example.com:5000", "username": "pusher", "insecure": True}
    result = run_program(minimal_config(registry=registry))
    assert result.error is None, result.error
    assert [message for level, message in result.logs if "insecure" in message] == [
        "registry nexus.example.com:5000 is plain HTTP (teamspace:registry.insecure): the docker daemon "
        'that builds must list it under "insecure-registries" in /etc/docker/daemon.json, and every '
        "cluster node's container runtime must allow it too"
    ]


def test_the_component_honours_its_resource_options():
    """Options given to the component (here a former name) reach its registration."""
    stack = resolve(
        {
            "kubeflowUrl": "https://kf.example.com",
            "registry": json.dumps({"server": "nexus.example.com:5000", "username": "pusher"}),
            "registryPassword": "pw-123456",
            "images": json.dumps({"jupyter": {"type": "jupyter"}}),
            "teams": json.dumps({"data": {"notebooks": [{"name": "lab", "type": "jupyter"}]}}),
        }
    )
    args = NotebookImageArgs("jupyter", stack.images["jupyter"], stack.config.registry, "pw-123456")
    options = pulumi.ResourceOptions(aliases=[pulumi.Alias(name="jupyter-old")])
    [component] = Template.of_component(lambda: NotebookImage("jupyter", args, options)).resources(IMAGE_TYPE)
    assert alias_names(component) == ["jupyter-old"]
