"""config/image_reference.py: the imagePullPolicy Kubernetes defaults a container to, which the
adopter states explicitly (SetDefaults_Container with ParseImageName, read in Kubernetes' source)."""

from __future__ import annotations

import pytest

from config.image_reference import default_pull_policy, split_reference

SHA256 = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("image", "parts"),
    [
        ("jupyter", ("jupyter", "", "")),
        ("reg:5000/team/jupyter", ("reg:5000/team/jupyter", "", "")),
        ("reg:5000/team/jupyter:v1", ("reg:5000/team/jupyter", "v1", "")),
        (f"jupyter:v1@{SHA256}", ("jupyter", "v1", SHA256)),
        (f"reg:5000/jupyter@{SHA256}", ("reg:5000/jupyter", "", SHA256)),
    ],
)
def test_a_reference_splits_into_name_tag_and_digest(image, parts):
    assert split_reference(image) == parts


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        # The parser reads `latest` into a reference with neither a tag nor a digest.
        ("jupyter", "Always"),
        ("registry.example.com:5000/team/jupyter", "Always"),
        ("registry.example.com/jupyter:latest", "Always"),
        (f"registry.example.com/jupyter:latest@{SHA256}", "Always"),  # the tag counts, not the digest
        ("registry.example.com/jupyter:v1", "IfNotPresent"),
        ("registry.example.com/jupyter:Latest", "IfNotPresent"),
        (f"jupyter@{SHA256}", "IfNotPresent"),
        (f"jupyter:v1@{SHA256}", "IfNotPresent"),
        ("jupyter@sha512:" + "ab" * 64, "IfNotPresent"),
        ("MyRegistry/jupyter", "Always"),  # an upper-case first component is a registry host
        # What the parser refuses has no tag, so it gets IfNotPresent, not Always.
        ("reg/ns:x/img", "IfNotPresent"),
        ("Registry.example.com/Jupyter", "IfNotPresent"),
        ("jupyter@sha256:0123", "IfNotPresent"),
        ("jupyter:latest@sha256:0123", "IfNotPresent"),
        ("jupyter@", "IfNotPresent"),
        ("jupyter@md5:" + "ab" * 16, "IfNotPresent"),
        ("0123456789abcdef" * 4, "IfNotPresent"),
        ("jupyter:" + "v" * 129, "IfNotPresent"),
        ("a/" + "b" * 254, "IfNotPresent"),
        ("a/" + "b" * 253, "Always"),
        ("jupyter notebook", "IfNotPresent"),
        ("jüpyter", "IfNotPresent"),
        ("", "IfNotPresent"),
    ],
)
def test_the_default_pull_policy_is_kubernetes(image, policy):
    assert default_pull_policy(image) == policy
