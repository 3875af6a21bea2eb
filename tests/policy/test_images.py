"""Image references as the pack reads them (`split_image`): registry, repository, tag and
digest of every spelling, Docker Hub when no registry is named."""

from __future__ import annotations

import pytest

from policy.guardrails.images import split_image

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    "reference,expected",
    [
        ("jupyter", ("docker.io", "jupyter", None, None)),
        ("jupyter/scipy-notebook:2024-01", ("docker.io", "jupyter/scipy-notebook", "2024-01", None)),
        ("ghcr.io/kubeflow/notebook:v1.11.0", ("ghcr.io", "kubeflow/notebook", "v1.11.0", None)),
        ("Nexus.Example.com:5000/team/lab", ("nexus.example.com:5000", "team/lab", None, None)),
        ("localhost/lab:dev", ("localhost", "lab", "dev", None)),
        (f"localhost:5000/lab@{DIGEST}", ("localhost:5000", "lab", None, DIGEST)),
        (f"quay.io/org/lab:v2@{DIGEST}", ("quay.io", "org/lab", "v2", DIGEST)),
        # a first part without '.', ':' or localhost is a Docker Hub organisation
        ("LOCALHOST/lab", ("docker.io", "LOCALHOST/lab", None, None)),
        # only a colon in the last path segment starts a tag, and the last colon of it
        ("nexus.example.com/a:b/lab", ("nexus.example.com", "a:b/lab", None, None)),
        ("nexus.example.com/team/a:b/lab", ("nexus.example.com", "team/a:b/lab", None, None)),
        ("nexus.example.com/a:b/lab:v1", ("nexus.example.com", "a:b/lab", "v1", None)),
    ],
)
def test_split_image(reference, expected):
    """(registry, repository, tag, digest), the registry lower-cased, absent parts None."""
    assert split_image(reference) == expected
