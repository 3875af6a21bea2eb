"""Issue 11.6: hostile values anywhere in a full-featured stack config (hypothesis, derandomized).

tests/test_fuzz_config.py breaks generated configs in ordinary ways; this file plants hostile
values: huge and tiny numbers (1e400, 10**30, 1e-400, NaN), binary and control characters,
all of unicode, strings of thousands of characters, and wrong types, at every key of a config
that uses every feature (images with packages and a requirements file, sizes with tolerations
and node selectors, affinity presets, secrets, quotas, volumes, configurations, every notebook
field). Over 2,000 cases in all. The only outcomes allowed are a valid model or a
ConfigError whose problems name keys of the input; a run of the program with such a config
registers nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError, TeamspaceConfig
from devtools.stack_config import Secret

from .fuzz_strategies import FUZZ, PREFIX, _set, nodes
from .test_fuzz_config import check_load, check_program

NB = {
    "name": "lab",
    "type": "jupyter",
    "size": "gpu",
    "cpu": "2",
    "memory": "4Gi",
    "cpuLimit": "3",
    "memoryLimit": "6Gi",
    "gpu": 1,
    "gpuVendor": "nvidia.com/gpu",
    "homeSize": "20Gi",
    "homeStorageClass": "fast.ssd",
    "mounts": {"datasets": "/home/jovyan/datasets"},
    "configurations": ["s3", "proxy"],
    "nodeSelector": {"kubernetes.io/arch": "amd64"},
    "tolerations": [
        {"key": "gpu", "operator": "Equal", "value": "a100", "effect": "NoExecute", "tolerationSeconds": 60}
    ],
    "affinity": "a100",
    "requirements": "requirements/vision-lab.txt",
}
KITCHEN_SINK: dict[str, Any] = {
    "teamspace:kubeflowUrl": "https://kubeflow.example.com",
    "teamspace:protectVolumes": True,
    "teamspace:registry": {
        "server": "nexus.example.com:5000",
        "repository": "teamspace",
        "username": "pusher",
        "insecure": False,
        "pullSecretName": "nexuscred",
    },
    "teamspace:registryPassword": Secret("push-password"),
    "teamspace:pullUsername": "reader",
    "teamspace:pullPassword": Secret("pull-password"),
    "teamspace:images": {
        "jupyter": {
            "type": "jupyter",
            "base": "nexus.example.com:5000/mirror/jupyter:v1.11.0",
            "pipPackages": ["kfp==1.8.14", "dvc[s3]>=3,<4"],
            "aptPackages": ["libgl1=1.0-1"],
            "platform": "linux/amd64",
        }
    },
    "teamspace:sizes": {
        "gpu": {
            "cpu": "4",
            "memory": "24Gi",
            "gpu": 1,
            "affinity": "a100",
            "nodeSelector": {"gpu": "yes"},
            "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists"}],
        }
    },
    "teamspace:affinities": {
        "a100": {
            "required": [{"key": "nvidia.com/gpu.product", "operator": "In", "values": ["A100"]}],
            "preferred": [
                {"weight": 10, "match": [{"key": "gpu.memory", "operator": "Gt", "values": ["40"]}]}
            ],
        }
    },
    "teamspace:secrets": {"s3-key": Secret("s3-secret")},
    "teamspace:teams": {
        "vision": {
            "namespace": "team-vision",
            "profile": {"owner": "lead@example.com", "ownerKind": "User"},
            "quota": {"cpu": "100", "memory": "1Ti", "gpu": {"nvidia.com/gpu": 8}, "storage": "10Ti"},
            "volumes": {"datasets": {"size": "100Gi", "accessMode": "ReadWriteMany", "storageClass": "nfs"}},
            "configurations": {
                "s3": {
                    "s3": {
                        "endpoint": "https://minio.example.com",
                        "region": "us-east-1",
                        "accessKeyId": "AKIA",
                        "secretAccessKey": "s3-key",
                    },
                    "desc": "S3",
                },
                "proxy": {"env": {"HTTP_PROXY": "http://proxy:3128"}, "pipelines": True},
                "db": {"secretEnv": {"secret": "team-db", "keys": ["DB_URL"]}},
            },
            "notebooks": [
                NB,
                {
                    "name": "ide",
                    "type": "vscode",
                    "image": "ghcr.io/x/y:1",
                    "previousName": "code",
                    "homeVolume": "code-home",
                    "stopped": True,
                },
            ],
        }
    },
}

HUGE_AND_TINY = st.sampled_from(
    [
        10**30,
        -(10**30),
        2**63,
        2**64,
        -(2**63) - 1,
        1e400,
        -1e400,
        float("nan"),
        1e-400,
        5e-324,
        1.7976931348623157e308,
        "1e400",
        "-1e400",
        "1e-400",
        "1e99999999999",
        "1E+18",
        "8Ei",
        "9" * 5000,
        "0." + "0" * 500 + "1",
        "NaN",
        "Infinity",
        "0x10",
        "1_000",
        "١٢",
        "２",
        "1e",
        "+",
        "",
        0,
        -1,
        0.0,
        -0.0,
    ]
)
BINARY = st.binary(min_size=1, max_size=40).map(lambda raw: raw.decode("latin-1"))
UNICODE = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)
CONTROL = st.sampled_from(
    [
        "\x00",
        "a\nb",
        "lab\r",
        "\x1b[31mred",
        "\u202eevil",
        "\ufeffbom",
        "\u200b",
        "tab\t",
        "--index-url=http://evil",
        "-oDPkg::Pre-Invoke::=id",
        "$(id)",
        "`id`",
        "; rm -rf /",
        "../../etc/passwd",
        ".git/config",
        "/proc/self/environ",
        "*",
        "?",
        "[a-z]",
        "a" * 300,
    ]
)
LONG = st.sampled_from([1000, 5000, 20000]).flatmap(
    lambda n: st.sampled_from(["x" * n, "a/" * (n // 2), "é" * n, "-" * n, "1" * n])
)
WRONG_TYPES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
HOSTILE = st.one_of(HUGE_AND_TINY, BINARY, UNICODE, CONTROL, LONG, WRONG_TYPES)
HOSTILE_KEYS = st.one_of(
    UNICODE, BINARY, CONTROL, st.sampled_from(["__proto__", "constructor", "..", "", " "])
)


def leaves_and_branches(config: dict) -> list[tuple]:
    return [path for path, _ in nodes(config) if path]


@st.composite
def hostile_configs(draw, plants: int = 3) -> dict[str, Any]:
    """The kitchen-sink config with 1..`plants` hostile values set at existing keys or new ones."""
    config = copy.deepcopy(KITCHEN_SINK)
    for _ in range(draw(st.integers(1, plants))):
        paths = leaves_and_branches(config)
        if draw(st.integers(0, 4)) == 0:  # a hostile key beside existing ones
            mappings = [path for path, node in nodes(config) if isinstance(node, dict)]
            where = draw(st.sampled_from(mappings))
            key = draw(HOSTILE_KEYS)
            _set(config, (*where, PREFIX + key if not where else key), draw(HOSTILE))
        else:
            _set(config, draw(st.sampled_from(paths)), draw(HOSTILE))
    return config


@pytest.mark.parametrize(
    "field,value",
    [
        ("cpu", "1e400"),
        ("memory", "1e400"),
        ("homeSize", "1e400"),
        ("cpu", 10**30),
        ("cpu", 1e400),
        ("memory", "1e99999999999"),
        ("cpu", "1e-400"),
        ("homeSize", "9" * 5000),
        ("cpuLimit", -(10**30)),
    ],
)
def test_out_of_range_quantities_name_their_key(field, value):
    """The inputs that used to raise decimal.InvalidOperation: a ConfigError at exactly that key."""
    config = copy.deepcopy(KITCHEN_SINK)
    config["teamspace:teams"]["vision"]["notebooks"][0][field] = value
    outcome = check_load(config)
    assert isinstance(outcome, ConfigError)
    assert [p.path for p in outcome.problems] == [f"teams.vision.notebooks[0].{field}"]
    assert len(str(outcome)) < 400


def test_the_kitchen_sink_is_valid():
    """The base of every case loads: each hostile case differs from a valid config by its plants."""
    assert isinstance(check_load(KITCHEN_SINK), TeamspaceConfig)


@settings(FUZZ, max_examples=1200)
@given(hostile_configs(plants=1))
def test_one_hostile_value_anywhere(config):
    """One hostile value or key anywhere: a model or a ConfigError naming keys of the input, nothing else."""
    outcome = check_load(config)
    assert isinstance(outcome, (TeamspaceConfig, ConfigError))


@settings(FUZZ, max_examples=800)
@given(hostile_configs(plants=4))
def test_several_hostile_values(config):
    """Up to four hostile values at once (errors in several places, and in types and references together)."""
    outcome = check_load(config)
    assert isinstance(outcome, (TeamspaceConfig, ConfigError))


@settings(FUZZ, max_examples=60)
@given(hostile_configs(plants=2))
def test_the_program_agrees_and_registers_nothing_on_error(config):
    """The whole program under mocks: the same outcome as load(), nothing registered on an error."""
    check_program(config, check_load(config))
