"""Requirements baked into images: an image's or a notebook's `requirements` file becomes the
PIP_REQUIREMENTS build arg, and bad `requirements` paths are refused with the key path."""

from __future__ import annotations

import pytest

from config import ConfigError

from .harness import IMAGE, Template, container, minimal_config, stack_config


def test_requirements_are_baked_into_images(tmp_path):
    """An image's and a notebook's `requirements` file becomes the PIP_REQUIREMENTS build arg."""
    template = Template.synth(stack_config("dev"))
    own = template.by_name("vision-lab-image").manifest
    assert "opencv-python-headless==" in own["build"]["args"]["PIP_REQUIREMENTS"]
    assert own["imageName"].startswith("nexus.dev.example.com:5000/teamspace/vision-lab:content-")
    lab = container(template.notebook("lab"))["image"]
    assert lab.startswith("nexus.dev.example.com:5000/teamspace/vision-lab@sha256:")
    assert template.result.outputs["images"]["vision/lab"] == lab
    assert template.by_name("jupyter-image").manifest["build"]["args"]["PIP_REQUIREMENTS"] == ""
    config = minimal_config(
        images={"jupyter": {"type": "jupyter", "requirements": "requirements/vision-lab.txt"}}
    )
    built = Template.synth(config).resources(IMAGE)[0].manifest
    assert built["build"]["args"]["PIP_REQUIREMENTS"].startswith("# Baked into")


@pytest.mark.parametrize(
    "where,config,expected",
    [
        (
            "missing file",
            minimal_config(images={"jupyter": {"type": "jupyter", "requirements": "nope.txt"}}),
            "teamspace:images.jupyter.requirements: file 'nope.txt' not found",
        ),
        (
            "outside the repo",
            minimal_config(images={"jupyter": {"type": "jupyter", "requirements": "../x.txt"}}),
            "teamspace:images.jupyter.requirements: '../x.txt' must be a path inside this repository",
        ),
        (
            "external image",
            minimal_config(
                teams={
                    "data": {
                        "notebooks": [
                            {
                                "name": "lab",
                                "type": "jupyter",
                                "image": "ghcr.io/a/b:1",
                                "requirements": "requirements/vision-lab.txt",
                            }
                        ]
                    }
                }
            ),
            "teamspace:teams.data.notebooks[0] (lab).requirements: needs an image built here",
        ),
    ],
)
def test_requirements_errors(where, config, expected):
    """Bad requirements paths are refused with the key path."""
    error = Template.synth(config, expect_error=True).result.error
    assert isinstance(error, ConfigError) and expected in str(error), where
