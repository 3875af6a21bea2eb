"""NotebookImage (components/notebook_image.py): the output it registers, the reference it pushes
and the one notebooks run by digest."""

from __future__ import annotations

import hashlib
import re

from devtools.runtime import run_program

from ..harness import IMAGE, minimal_config

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
