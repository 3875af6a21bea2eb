"""Bad stack config, one key at a time: unknown keys, wrong types and values out of their format
give one clear error naming the key and what is allowed, and nothing is registered; every
problem is listed at once; `make plan` reports it without a traceback. Mistakes across keys
are in tests/test_bad_config_cross_key.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from config import ConfigError
from devtools.runtime import PROJECT_ROOT

from .harness import Template, minimal_config
from .refused_config import NB, assert_refused_before_anything_is_created, nb, team

# (id, config overrides, expected substrings of the message: the key path first)
CASES = [
    (
        "unknown top-level key",
        {"registy": {"server": "x"}},
        ["teamspace:registy: unknown key 'registy'; did you mean 'registry'?"],
    ),
    (
        "unknown notebook key",
        {"teams": team(nb(szie="small"))},
        [f"{NB}.szie: unknown key 'szie'; did you mean 'size'?"],
    ),
    (
        "unknown team key",
        {"teams": {"data": {"notebook": []}}},
        ["teamspace:teams.data.notebook: unknown key", "did you mean 'notebooks'?"],
    ),
    (
        "unknown registry key",
        {"registry": {"server": "r.example.com", "user": "u"}},
        [
            "teamspace:registry.user: unknown key",
            "allowed: insecure, pullSecretName, repository, server, username",
        ],
    ),
    (
        "wrong type: teams is a list",
        {"teams": ["data"]},
        ["teamspace:teams: Input should be a valid dictionary"],
    ),
    ("wrong type: gpu", {"teams": team(nb(gpu="two"))}, [f"{NB}.gpu: Input should be a valid integer"]),
    (
        "wrong type: stopped",
        {"teams": team(nb(stopped="maybe"))},
        [f"{NB}.stopped: 'maybe' is not a boolean; write true or false"],
    ),
    (
        "unknown notebook type",
        {"teams": team(nb(type="zeppelin"))},
        [f"{NB}.type: unknown value 'zeppelin'; allowed: jupyter, rstudio, vscode"],
    ),
    (
        "notebook name not DNS-1123",
        {"teams": team(nb(name="My_Lab"))},
        ["teamspace:teams.data.notebooks[0].name: 'My_Lab' is not a DNS-1123 label"],
    ),
    (
        "notebook name too long",
        {"teams": team(nb(name="n" * 53))},
        [f"teamspace:teams.data.notebooks[0].name: '{'n' * 53}' is 53 characters; at most 52 allowed"],
    ),
    (
        "namespace too long",
        {"teams": {"data": {"namespace": "x" * 64}}},
        ["teamspace:teams.data.namespace:", "at most 63 allowed"],
    ),
    ("team key not a label", {"teams": {"Data": {}}}, ["teamspace:teams.Data: invalid key"]),
    (
        "previousKey not a label",
        {"teams": {"a": {"previousKey": "Old_Team", "namespace": "a"}}},
        ["teamspace:teams.a.previousKey:"],
    ),
    (
        "invalid quantity",
        {"teams": team(nb(memory="4 GB"))},
        [f"{NB}.memory: '4 GB' is not a Kubernetes quantity"],
    ),
    ("zero quantity", {"teams": team(nb(cpu="0"))}, [f"{NB}.cpu: '0' must be greater than zero"]),
    (
        "relative mount path",
        {"teams": team(nb(mounts={"ds": "data"}), volumes={"ds": {"size": "1Gi"}})},
        [f"{NB}.mounts.ds: 'data' must be an absolute, normalised path"],
    ),
    (
        "kubeflowUrl not http",
        {"kubeflowUrl": "kubeflow.example.com"},
        ["teamspace:kubeflowUrl: 'kubeflow.example.com' must be an http:// or https:// URL"],
    ),
    ("kubeflowUrl missing", {"kubeflowUrl": None}, ["teamspace:kubeflowUrl: required key is missing"]),
    (
        "registry with scheme",
        {"registry": {"server": "http://nexus:5000", "username": "u"}},
        ["teamspace:registry.server: 'http://nexus:5000' must be host[:port] without scheme"],
    ),
    (
        "bad gpu vendor",
        {"teams": team(nb(gpu=1, gpuVendor="gpu"))},
        [
            f"{NB}.gpuVendor: 'gpu' is not a GPU resource name; use nvidia.com/gpu, amd.com/gpu, "
            "habana.ai/gaudi or another extended resource such as nvidia.com/mig-1g.10gb"
        ],
    ),
    (
        "core resource as gpu vendor",
        {"teams": team(nb(gpu=1, gpuVendor="kubernetes.io/cpu"))},
        [f"{NB}.gpuVendor: 'kubernetes.io/cpu' is not a GPU resource name"],
    ),
    (
        "bad pull policy",
        {"teams": team(nb(imagePullPolicy="Sometimes"))},
        [f"{NB}.imagePullPolicy: unknown value 'Sometimes'; allowed: IfNotPresent, Always, Never"],
    ),
    (
        "bad access mode",
        {"teams": team(volumes={"ds": {"size": "1Gi", "accessMode": "RWX"}})},
        ["teamspace:teams.data.volumes.ds.accessMode: unknown value 'RWX'"],
    ),
    ("missing notebook type", {"teams": team({"name": "lab"})}, [f"{NB}.type: required key is missing"]),
    (
        "bad platform",
        {"images": {"jupyter": {"type": "jupyter", "platform": "windows/amd64"}}},
        ["teamspace:images.jupyter.platform: 'windows/amd64' must be linux/<arch>"],
    ),
]


@pytest.mark.parametrize("overrides,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_is_refused_before_anything_is_created(overrides, expected):
    """The program stops with ConfigError naming the key; no resource was registered."""
    assert_refused_before_anything_is_created(overrides, expected)


def test_all_problems_are_listed_at_once():
    """Several mistakes of one kind give one error with one line each."""
    config = minimal_config(kubeflowUrl="ftp://x", teams=team(nb(cpu="x"), nb(name="Bad")))
    error = Template.synth(config, expect_error=True).result.error
    assert isinstance(error, ConfigError) and len(error.problems) == 3
    assert str(error).startswith("invalid stack configuration (3 problems):")
    semantic = minimal_config(teams=team(nb(size="huge"), nb(name="x", image="nope"), nb(name="x")))
    assert len(Template.synth(semantic, expect_error=True).result.error.problems) == 3


def test_plan_reports_bad_config_without_traceback(tmp_path):
    """`make plan` on a bad stack: the message, exit code 1, no traceback, no files written."""
    for item in ("__main__.py", "config", "components", "devtools", "images"):
        source = PROJECT_ROOT / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / item)
    (tmp_path / "Pulumi.broken.yaml").write_text(
        "config:\n  teamspace:kubeflowUrl: https://kf.example.com\n"
        "  teamspace:teams:\n    data:\n      notebooks:\n        - {name: lab, type: jupyter, size: huge}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "devtools.plan", "--stack", "broken", "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 1
    assert "teamspace:teams.data.notebooks[0] (lab).size: unknown size 'huge'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()
