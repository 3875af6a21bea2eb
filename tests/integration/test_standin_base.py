"""The stand-in base honours the contract the notebook Dockerfiles rely on from the Kubeflow
bases (see standin_base.py): if it did not, the real builds would prove nothing."""

from __future__ import annotations

import pytest

from . import standin_base as standin
from .image_probe import probe

pytestmark = pytest.mark.integration

# Test-only: a home that already holds the user's file, as a PVC from an earlier start would.
PVC_LIKE = """\
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
USER root
RUN mkdir -p /tmp_home/jovyan/.config /home/jovyan/.config \\
 && echo default > /tmp_home/jovyan/.config/kept && echo new > /tmp_home/jovyan/.config/added \\
 && echo mine > /home/jovyan/.config/kept && chown -R 1000:100 /tmp_home/jovyan /home/jovyan
USER 1000
"""


def test_base_user_home_python_and_entrypoint(image_builder, standin_base):
    """jovyan 1000:100 with HOME=/home/jovyan, bash, pip on PATH owned by jovyan, an empty home."""
    base = probe(image_builder, standin_base.reference, entrypoint=False)
    assert (base["user"], base["uid"], base["gid"], base["home"]) == ("jovyan", 1000, 100, "/home/jovyan")
    assert base["which"]["bash"] and base["which"]["python"] == "/opt/conda/bin/python"
    assert base["pip_owner"] == "jovyan" and base["sudo"] == [] and base["apt_lists"] == []
    assert base["home_entries"] == [] and base["tmp_home_files"] == {}


def test_entrypoint_copies_home_defaults_without_overwriting(image_builder, registry, standin_base, tmp_path):
    """/init copies /tmp_home/jovyan into the home, adding what is missing, keeping what is there."""
    (tmp_path / "Dockerfile").write_text(PVC_LIKE)
    image_name = f"{registry.server}/teamspace/standin-check:pvc-like"
    image_builder.build(
        cwd=tmp_path,
        context=".",
        dockerfile="Dockerfile",
        image_name=image_name,
        args={"BASE_IMAGE": standin_base.reference},
        platform="linux/amd64",
    )
    started = probe(image_builder, image_name, entrypoint=True)
    assert {path: f["text"] for path, f in started["home_files"].items()} == {
        ".config/kept": "mine\n",
        ".config/added": "new\n",
    }


def test_a_machine_that_cannot_build_the_base_says_why(monkeypatch):
    """Not root, or no debootstrap: the reason (which the fixture skips with, or fails with
    under CI=true) names what is missing and the package that provides it."""
    monkeypatch.setattr(standin.os, "geteuid", lambda: 1000)
    assert "needs root" in standin.cannot_build_reason()
    monkeypatch.setattr(standin.os, "geteuid", lambda: 0)
    monkeypatch.setattr(standin.shutil, "which", lambda name: None)
    assert "apt-get install debootstrap" in standin.cannot_build_reason()
    monkeypatch.setattr(standin.shutil, "which", lambda name: f"/usr/sbin/{name}")
    assert standin.cannot_build_reason() is None
