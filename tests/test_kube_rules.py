"""Issue 11.5: what the API server would reject is caught at config time.

Each test names the upstream check it mirrors (config/kube_rules.py cites them):
apimachinery = k8s.io/apimachinery/pkg/util/validation/validation.go,
core = kubernetes/pkg/apis/core/validation/validation.go. Values that pass here are ones the
API server accepts; values refused here are ones it refuses (or, for mount paths, ones we
refuse on purpose and say why).
"""

from __future__ import annotations

import pytest

from config import ConfigError, load
from config.kube_rules import (
    label_value_problem,
    mount_path_problem,
    node_requirement_problem,
    qualified_name_problem,
    toleration_problem,
)

from .harness import Template, minimal_config
from .test_fuzz_config import cli_values

NB = "teams.data.notebooks[0]"


def problem_paths(**notebook) -> list[str]:
    config = minimal_config(teams={"data": {"notebooks": [{"name": "lab", "type": "jupyter", **notebook}]}})
    try:
        load(cli_values(config))
    except ConfigError as error:
        return [p.path for p in error.problems]
    return []


# --- apimachinery IsQualifiedName: label and nodeSelector keys -----------------------------------


@pytest.mark.parametrize(
    "key",
    ["gpu", "nvidia.com/gpu.product", "kubernetes.io/arch", "a_b.c-d", "A1", "x" * 63, "a" * 253 + "/b"],
)
def test_qualified_names_pass(key):
    """IsQualifiedName accepts an optional DNS-subdomain prefix and a 63-character name part."""
    assert qualified_name_problem(key) is None


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/gpu",
        "-gpu",
        "gpu-",
        "x" * 64,
        "a/b/c",
        "Example.com/x",
        "a b",
        "gpu$",
        "nvidia.com/",
        "a" * 254 + "/b",
        "ünicode",
    ],
)
def test_qualified_names_refused(key):
    """IsQualifiedName refuses an empty or over-long name part, a bad prefix, or other characters."""
    assert qualified_name_problem(key) is not None


# --- apimachinery IsValidLabelValue: label and nodeSelector values -------------------------------


@pytest.mark.parametrize("value", ["", "a100", "NVIDIA-A100-SXM4-40GB", "a.b_c-d", "x" * 63])
def test_label_values_pass(value):
    assert label_value_problem(value) is None


@pytest.mark.parametrize("value", ["x" * 64, "-a", "a-", "_a", "a b", "a/b", "a:b", "ä"])
def test_label_values_refused(value):
    """IsValidLabelValue: at most 63, alphanumeric at both ends."""
    assert label_value_problem(value) is not None


def test_node_selector_keys_and_values_at_their_keys():
    """nodeSelector keys and values are checked through the model, reported at the notebook's nodeSelector."""
    assert problem_paths(nodeSelector={"nvidia.com/gpu.product": "A100"}) == []
    assert problem_paths(nodeSelector={"bad key": "a"}) == [f'{NB}.nodeSelector["bad key"]']
    assert problem_paths(nodeSelector={"ok": "-bad"}) == [f"{NB}.nodeSelector.ok"]


# --- core validateTolerations -------------------------------------------------------------------


@pytest.mark.parametrize(
    "toleration,expected",
    [
        (dict(key="gpu", operator="Exists", value="x"), "value must be empty"),
        (dict(key=None, operator="Equal", value="x"), "operator must be Exists"),
        (dict(key="", operator="Equal"), "operator must be Exists"),
        (
            dict(key="gpu", operator="Equal", value="y", effect="NoSchedule", seconds=30),
            "only allowed with effect NoExecute",
        ),
        (dict(key="gpu", operator="Exists", seconds=30), "only allowed with effect NoExecute"),
        (dict(key="bad key", operator="Exists"), "key "),
        (dict(key="gpu", operator="Equal", value="-x"), "not a label value"),
    ],
)
def test_tolerations_the_api_server_refuses(toleration, expected):
    """Each refusal of validateTolerations: Exists has no value, a keyless toleration is Exists,
    tolerationSeconds needs NoExecute, the key is a qualified name, Equal's value a label value."""
    args = {"key": None, "operator": "Equal", "value": None, "effect": None, "seconds": None, **toleration}
    assert expected in (
        toleration_problem(args["key"], args["operator"], args["value"], args["effect"], args["seconds"])
        or ""
    )


@pytest.mark.parametrize(
    "toleration",
    [
        dict(key="nvidia.com/gpu", operator="Exists"),
        dict(key=None, operator="Exists"),
        dict(key="gpu", operator="Equal", value="a100", effect="NoSchedule"),
        dict(key="gpu", operator="Exists", effect="NoExecute", seconds=300),
    ],
)
def test_tolerations_the_api_server_accepts(toleration):
    args = {"key": None, "operator": "Equal", "value": None, "effect": None, "seconds": None, **toleration}
    assert (
        toleration_problem(args["key"], args["operator"], args["value"], args["effect"], args["seconds"])
        is None
    )


@pytest.mark.parametrize(
    "toleration",
    [
        {"key": "gpu", "operator": "Exists", "value": "x"},
        {"operator": "Equal", "value": "x"},
        {"key": "gpu", "tolerationSeconds": 5},
        {"key": "gpu", "effect": "NoRun"},
        {"key": "gpu", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10**30},
    ],
)
def test_bad_toleration_is_reported_at_its_index(toleration):
    """Through the model: the error names `tolerations[0]` (or a field of it); the effect enum included."""
    paths = problem_paths(tolerations=[toleration])
    assert paths and all(p.startswith(f"{NB}.tolerations[0]") for p in paths), paths


# --- core ValidateNodeSelectorRequirement: node affinity ----------------------------------------


@pytest.mark.parametrize(
    "operator,values,ok",
    [
        ("In", (), False),
        ("NotIn", (), False),
        ("In", ("a",), True),
        ("NotIn", ("a", "b"), True),
        ("Exists", ("a",), False),
        ("DoesNotExist", ("a",), False),
        ("Exists", (), True),
        ("DoesNotExist", (), True),
        ("Gt", (), False),
        ("Lt", ("1", "2"), False),
        ("Gt", ("a",), False),
        ("Lt", ("1.5",), False),
        ("Gt", ("8",), True),
        ("Lt", ("-1",), True),
    ],
)
def test_node_affinity_requirements(operator, values, ok):
    """In/NotIn need values; Exists/DoesNotExist take none; Gt/Lt exactly one integer."""
    assert (node_requirement_problem("gpu.memory", operator, values) is None) == ok


def test_bad_affinity_preset_is_reported_at_its_expression():
    config = minimal_config(
        affinities={
            "a100": {
                "required": [{"key": "gpu", "operator": "In"}],
                "preferred": [{"weight": 1, "match": [{"key": "-x", "operator": "Exists"}]}],
            }
        }
    )
    with pytest.raises(ConfigError) as error:
        load(cli_values(config))
    assert {"affinities.a100.preferred[0].match[0]", "affinities.a100.required[0]"} <= {
        p.path for p in error.value.problems
    }


# --- mount paths (core ValidateVolumeMounts, plus our refusals) -------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "//",
        "relative/x",
        "/home/jovyan/../../etc",
        "/data/..",
        "/a..b",
        "/data:ro",
        "C:/data",
        "/data//x",
        " /data",
        "/data\n",
        "/" + "x" * 1024,
    ],
)
def test_mount_paths_refused(path):
    """Not `/`, no `..` anywhere (no climbing out), no `:` (runtimes split volume specs on it)."""
    assert mount_path_problem(path) is not None


@pytest.mark.parametrize("path", ["/home/jovyan/data", "/data", "/mnt/a.b/c-d_e", "/data/"])
def test_mount_paths_accepted(path):
    assert mount_path_problem(path) is None


def test_bad_mount_path_is_reported_at_the_mount():
    config = minimal_config(
        teams={
            "data": {
                "volumes": {"shared": {"size": "1Gi"}},
                "notebooks": [{"name": "lab", "type": "jupyter", "mounts": {"shared": "/"}}],
            }
        }
    )
    result = Template.synth(config, expect_error=True).result
    assert [p.path for p in result.error.problems] == [f"{NB}.mounts.shared"]
    assert result.registrations == []


# --- volume names: apimachinery IsDNS1123Label ------------------------------------------------


@pytest.mark.parametrize(
    "where,config",
    [
        ("teams.data.volumes.Shared_1", {"volumes": {"Shared_1": {"size": "1Gi"}}}),
        (f"{NB}.homeVolume", {"notebooks": [{"name": "lab", "type": "jupyter", "homeVolume": "a.b"}]}),
        ("teams.data.configurations." + "x" * 64, {"configurations": {"x" * 64: {"pipelines": True}}}),
        (
            f'{NB}.dataVolumes["my.data"]',
            {
                "notebooks": [
                    {
                        "name": "lab",
                        "type": "jupyter",
                        "dataVolumes": {"my.data": {"mountPath": "/data", "size": "1Gi"}},
                    }
                ]
            },
        ),
        (
            f"{NB}.dataVolumes.scratch.mountPath",
            {
                "notebooks": [
                    {
                        "name": "lab",
                        "type": "jupyter",
                        "dataVolumes": {"scratch": {"mountPath": "/data/../etc", "size": "1Gi"}},
                    }
                ]
            },
        ),
    ],
)
def test_volume_names_are_dns_labels(where, config):
    """Every name that becomes a pod volume name (team volumes, the home claim, configuration volumes,
    a notebook's data volumes) is a DNS label; a data volume's mountPath follows the mount-path rules."""
    with pytest.raises(ConfigError) as error:
        load(cli_values(minimal_config(teams={"data": {"notebooks": [], **config}})))
    assert [p.path for p in error.value.problems] == [where]
