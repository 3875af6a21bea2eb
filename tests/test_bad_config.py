"""Bad stack config: one clear error naming the key and what is allowed, and nothing registered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from config import ConfigError
from devtools.runtime import PROJECT_ROOT

from .harness import Template, minimal_config

NB = "teamspace:teams.data.notebooks[0] (lab)"  # paths into a notebook list name the notebook


def team(*notebooks, **extra):
    return {"data": {"notebooks": list(notebooks), **extra}}


def nb(**fields):
    return {"name": "lab", "type": "jupyter", **fields}


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
        "unknown size",
        {"teams": team(nb(size="huge"))},
        [f"{NB}.size: unknown size 'huge'; known: large, medium, small"],
    ),
    (
        "unknown image key",
        {"teams": team(nb(image="jupyterr"))},
        [f"{NB}.image: unknown image 'jupyterr'", "known: jupyter"],
    ),
    ("default image missing", {"teams": team(nb(type="rstudio"))}, [f"{NB}.type: unknown image 'rstudio'"]),
    (
        "image of another type",
        {
            "images": {"jupyter": {"type": "jupyter"}, "rs": {"type": "rstudio"}},
            "teams": team(nb(image="rs")),
        },
        [f"{NB}.image: image 'rs' is built for type rstudio, not jupyter"],
    ),
    (
        "unknown volume",
        {"teams": team(nb(mounts={"data": "/home/jovyan/data"}))},
        [f"{NB}.mounts.data: unknown team volume 'data'; known: none declared"],
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
        "duplicate notebook names",
        {"teams": team(nb(), nb(type="jupyter"))},
        ["teamspace:teams.data.notebooks[1].name: 'lab' is already used by notebooks[0] in namespace 'data'"],
    ),
    (
        "two teams share a namespace",
        {"teams": {"a": {"namespace": "shared"}, "b": {"namespace": "shared"}}},
        ["teamspace:teams.b.namespace: namespace 'shared' is also used by team(s) a"],
    ),
    (
        "previousKey still a team",
        {"teams": {"a": {}, "b": {"previousKey": "a", "namespace": "b"}}},
        ["teamspace:teams.b.previousKey: 'a' is still a team key; a renamed team's old key must be gone"],
    ),
    (
        "previousKey claimed twice",
        {"teams": {"a": {"previousKey": "old"}, "b": {"previousKey": "old", "namespace": "b"}}},
        ["teamspace:teams.b.previousKey: 'old' is already the previousKey of team a"],
    ),
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
        "limit below request",
        {"teams": team(nb(cpu="2", cpuLimit="1"))},
        [f"{NB}.cpuLimit: limit 1 is below the request 2"],
    ),
    (
        "memory limit below request",
        {"teams": team(nb(memory="4Gi", memoryLimit="1Gi"))},
        [f"{NB}.memoryLimit: limit 1Gi is below the request 4Gi"],
    ),
    (
        "relative mount path",
        {"teams": team(nb(mounts={"ds": "data"}), volumes={"ds": {"size": "1Gi"}})},
        [f"{NB}.mounts.ds: 'data' must be an absolute, normalised path"],
    ),
    (
        "mount over home",
        {"teams": team(nb(mounts={"ds": "/home/jovyan"}), volumes={"ds": {"size": "1Gi"}})},
        [f"{NB}.mounts.ds: '/home/jovyan' is reserved"],
    ),
    (
        "duplicated mount path",
        {
            "teams": team(
                nb(mounts={"a": "/data", "b": "/data"}), volumes={"a": {"size": "1Gi"}, "b": {"size": "1Gi"}}
            )
        },
        [f"{NB}.mounts.b: mount path '/data' is already used by mounts.a"],
    ),
    (
        "cpu over quota",
        {"teams": team(nb(size="large"), quota={"cpu": "2"})},
        ["teamspace:teams.data.quota.cpu: running notebooks' cpu requests add up to 4, above the quota 2"],
    ),
    (
        "memory over quota",
        {"teams": team(nb(size="large"), quota={"memory": "8Gi"})},
        ["teamspace:teams.data.quota.memory: running notebooks' memory requests add up to 16Gi"],
    ),
    (
        "gpu over quota",
        {"teams": team(nb(gpu=2), quota={"gpu": 1})},
        ["teamspace:teams.data.quota.gpu: running notebooks use 2 nvidia.com/gpu, above the quota 1"],
    ),
    (
        "storage over quota",
        {"teams": team(nb(homeSize="50Gi"), quota={"storage": "20Gi"}, volumes={})},
        ["teamspace:teams.data.quota.storage: PVC sizes add up to 50Gi, above the quota 20Gi"],
    ),
    (
        "missing registry password",
        {"registryPassword": None},
        [
            "teamspace:registryPassword: required when teamspace:images is set",
            "pulumi config set --secret teamspace:registryPassword",
        ],
    ),
    ("missing registry", {"registry": None}, ["teamspace:registry: required when teamspace:images is set"]),
    (
        "pull username without password",
        {"pullUsername": "reader"},
        ["teamspace:pullPassword: pullUsername and pullPassword must be set together"],
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
        "data volume at home",
        {"teams": team(nb(dataVolumes={"d": {"mountPath": "/home/jovyan", "size": "1Gi"}}))},
        [f"{NB}.dataVolumes.d.mountPath: '/home/jovyan' is reserved (home volume or shared memory)"],
    ),
    (
        "data volume is a team volume",
        {
            "teams": team(
                nb(dataVolumes={"ds": {"mountPath": "/d", "size": "1Gi"}}), volumes={"ds": {"size": "1Gi"}}
            )
        },
        [f"{NB}.dataVolumes.ds: claim 'ds' is already declared at teams.data.volumes.ds"],
    ),
    (
        "read-only mount that is not a mount",
        {"teams": team(nb(readOnlyMounts=["ds"]))},
        [f"{NB}.readOnlyMounts[0]: 'ds' is not one of this notebook's mounts (known: none)"],
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
    (
        "home clashes with team volume",
        {"teams": team(nb(), volumes={"lab-workspace": {"size": "1Gi"}})},
        [
            "teamspace:teams.data.notebooks[0].name: home volume 'lab-workspace' "
            "clashes with teams.data.volumes.lab-workspace"
        ],
    ),
]


@pytest.mark.parametrize("overrides,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_is_refused_before_anything_is_created(overrides, expected):
    """The program stops with ConfigError naming the key; no resource was registered."""
    template = Template.synth(minimal_config(**overrides), expect_error=True)
    error = template.result.error
    assert isinstance(error, ConfigError), repr(error)
    message = str(error)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert template.registrations == []


def test_all_problems_are_listed_at_once():
    """Several mistakes of one kind give one error with one line each."""
    config = minimal_config(kubeflowUrl="ftp://x", teams=team(nb(cpu="x"), nb(name="Bad")))
    error = Template.synth(config, expect_error=True).result.error
    assert isinstance(error, ConfigError) and len(error.problems) == 3
    assert str(error).startswith("invalid stack configuration (3 problems):")
    semantic = minimal_config(teams=team(nb(size="huge"), nb(name="x", image="nope"), nb(name="x")))
    assert len(Template.synth(semantic, expect_error=True).result.error.problems) == 3


def test_cross_key_checks_follow_type_checks():
    """Cross-key checks (sizes, images, quotas) run once every value has the right type, and say so."""
    config = minimal_config(kubeflowUrl="ftp://x", teams=team(nb(size="huge")))
    message = str(Template.synth(config, expect_error=True).result.error)
    assert "kubeflowUrl" in message and "references and quotas are checked once these are fixed" in message


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
