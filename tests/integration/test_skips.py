"""The skip rule itself: outside CI a missing tool skips with a reason naming it; in CI it fails."""

from __future__ import annotations

import pytest

from . import tools


def test_missing_binary_skips_outside_ci_naming_binary_and_package(monkeypatch):
    """Without CI=true a missing binary skips, and the reason names the binary and its apt package."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(
        tools.shutil, "which", lambda name: None if name == "htpasswd" else f"/usr/bin/{name}"
    )
    with pytest.raises(pytest.skip.Exception) as skipped:
        tools.require("docker-registry", "htpasswd")
    assert "`htpasswd` not found (apt-get install apache2-utils)" in str(skipped.value)
    assert "docker-registry`" not in str(skipped.value)


def test_missing_binary_fails_in_ci(monkeypatch):
    """With CI=true a missing binary fails the test instead of skipping it."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(tools.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        tools.require("skopeo", "dockerd")
    assert "`skopeo` not found (apt-get install skopeo)" in str(failed.value)
    assert "`dockerd` not found (apt-get install docker.io)" in str(failed.value)


def test_present_binaries_neither_skip_nor_fail(monkeypatch):
    """With every binary on PATH, require() lets the test run, in CI or not."""
    monkeypatch.setattr(tools.shutil, "which", lambda name: f"/usr/bin/{name}")
    for ci in ("true", ""):
        monkeypatch.setenv("CI", ci)
        tools.require(*tools.APT_PACKAGES)
