"""The parts of a resolved notebook (config/notebook_plan.py): an own image's key and repository."""

from __future__ import annotations

from config.model import ImageSpec
from config.notebook_plan import OwnImage, own_image_key


def test_an_own_images_repository_is_one_segment():
    # (Built here: a plan with a requirements file needs a git checkout, which mutmut's copy is not.)
    own = OwnImage(own_image_key("data", "lab"), ImageSpec(type="jupyter"))
    assert (own.key, own.repository) == ("data/lab", "data-lab")
