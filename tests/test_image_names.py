"""The program's image names: the tag is the content tag of the registered build inputs, and
rotating registry credentials or running from a copy of the project elsewhere does not retag.
The content tag itself is tested in tests/components/test_content_tag.py."""

from __future__ import annotations

from components.content_tag import content_tag
from devtools.runtime import PROJECT_ROOT, run_program
from devtools.stack_config import Secret

from .harness import IMAGE, minimal_config
from .project_copy import copy_project, run_copy


def image_name(result) -> str:
    assert result.error is None, result.error
    images = [r for r in result.registrations if r.type == IMAGE]
    assert len(images) == 1
    return images[0].inputs["imageName"]


def test_rotating_registry_credentials_keeps_the_image_name():
    """Two program runs differing only in registry username/password
    (push and pull) register the same imageName.
    """
    first = run_program(minimal_config())
    second = run_program(
        minimal_config(
            registry={"server": "nexus.example.com:5000", "username": "another-pusher"},
            registryPassword=Secret("rotated-password"),
            pullUsername="reader",
            pullPassword=Secret("reader-password"),
        )
    )
    assert image_name(first) == image_name(second)
    registries = [
        next(r for r in run.registrations if r.type == IMAGE).manifest["registry"] for run in (first, second)
    ]
    assert registries[0]["username"] != registries[1]["username"]  # the change did reach the program
    assert registries[0]["password"] != registries[1]["password"]


def test_program_tag_is_the_content_tag_of_its_build_inputs():
    """The imageName's tag is content_tag over the registered context, args and platform."""
    result = run_program(minimal_config())
    image = next(r for r in result.registrations if r.type == IMAGE).manifest
    build = image["build"]
    expected = content_tag(PROJECT_ROOT / build["context"], build["args"], build["platform"])
    assert image["imageName"] == f"nexus.example.com:5000/teamspace/jupyter:{expected}"


def test_a_copy_of_the_project_elsewhere_registers_the_same_image_name(tmp_path):
    """The program run from a copy of the project at another path
    (fresh mtimes) tags identically; editing the copy retags.
    """
    copy = copy_project(tmp_path / "elsewhere" / "teamspace")
    assert image_name(run_copy(copy, minimal_config())) == image_name(run_program(minimal_config()))
    with (copy / "images" / "jupyter" / "Dockerfile").open("a") as dockerfile:
        dockerfile.write("# edited in the copy\n")
    assert image_name(run_copy(copy, minimal_config())) != image_name(run_program(minimal_config()))
