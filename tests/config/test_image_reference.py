"""config/image_reference.py: which image references pin a base image, and the exact refusals."""

from __future__ import annotations

import pytest

from config.image_reference import MAX_NAME, image_reference_problem

EXAMPLE = "e.g. nexus.example.com:5000/mirror/jupyter-scipy:v1.11.0 or ...@sha256:<64 hex digits>"
DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "value",
    [
        "nexus.example.com:5000/mirror/jupyter-scipy:v1.11.0",
        "busybox:1.36",
        "localhost:5000/a/b__c.d-e:latest",
        f"jupyter/scipy@{DIGEST}",
        f"nexus.example.com:5000/jupyter/scipy:v1@{DIGEST}",
        "a" * MAX_NAME + ":1",  # the longest name
        "a/b:" + "x" * 128,  # the longest tag
    ],
)
def test_pinned_references(value):
    assert image_reference_problem(value) is None


@pytest.mark.parametrize(
    "value, message",
    [
        # without a tag the port's ':' is no tag, and neither is a ':' before the last '/'
        ("nexus.example.com:5000/mirror/jupyter", f"pins nothing: add a tag or a digest ({EXAMPLE})"),
        ("busybox", f"pins nothing: add a tag or a digest ({EXAMPLE})"),
        ("a/b:1/c", f"does not name a repository ({EXAMPLE})"),
        ("a/B:1", f"does not name a repository ({EXAMPLE})"),
        ("a/b:1 x", f"is not an image reference ({EXAMPLE})"),
        ("a/b:\u00e91", f"is not an image reference ({EXAMPLE})"),
        ("a/b@sha256:abc", "a digest must be sha256: followed by 64 lowercase hex digits"),
        ("a/b:.x", "has an invalid tag (letters, digits, '_', '.', '-', at most 128)"),
    ],
)
def test_refusals_say_why(value, message):
    separator = ": " if message.startswith("a digest") else " "
    assert (
        image_reference_problem(value)
        == f"'{value.encode('unicode_escape').decode('ascii')}'{separator}{message}"
    )


def test_an_overlong_name_and_tag_have_their_own_messages():
    """(Quoted shortened, so only the reasons are compared.)"""
    assert image_reference_problem("a" * (MAX_NAME + 1) + ":1").endswith(
        f"does not name a repository ({EXAMPLE})"
    )
    assert image_reference_problem("a/b:" + "x" * 129).endswith(
        "has an invalid tag (letters, digits, '_', '.', '-', at most 128)"
    )
