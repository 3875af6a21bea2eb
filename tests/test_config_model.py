"""The config model on its own: defaults, presets, limits, quantities. No Pulumi runtime."""

from __future__ import annotations

import json
from decimal import Decimal

import pydantic
import pytest

from config import ConfigError, load, resources_of
from config.quantities import parse_quantity, scaled_cpu, scaled_memory


def raw(**values):
    """Config values as the CLI passes them: strings, objects JSON-encoded."""
    base = {
        "kubeflowUrl": "https://kf.example.com/",
        "teams": {
            "data": {"notebooks": [{"name": "lab", "type": "jupyter", "image": "ghcr.io/x/jupyter:v1"}]}
        },
    }
    base.update(values)
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in base.items()}


def notebook_resources(**notebook):
    config = load(
        raw(
            teams={
                "data": {
                    "notebooks": [{"name": "lab", "type": "jupyter", "image": "ghcr.io/x/j:1", **notebook}]
                }
            },
            sizes={"fixed": {"cpu": "1", "memory": "2Gi", "cpuLimit": "3", "memoryLimit": "4Gi"}},
        )
    )
    nb = config.teams["data"].notebooks[0]
    return resources_of(nb, config.sizes[nb.size])


def test_defaults_fill_in():
    """A team's namespace defaults to its key; built-in sizes exist; the URL loses its trailing slash."""
    config = load(raw())
    assert config.teams["data"].namespace == "data"
    assert {"small", "medium", "large"} <= set(config.sizes)
    assert config.kubeflow_url == "https://kf.example.com"
    assert config.protect_volumes is True
    nb = config.teams["data"].notebooks[0]
    assert (nb.size, nb.home_size, nb.stopped, nb.home_claim) == ("small", "10Gi", False, "lab-workspace")


def test_small_size_limits_follow_the_web_app_rule():
    """small = 0.5 cpu / 1Gi, limits = request x 1.2 rounded up to millicores / MiB."""
    res = notebook_resources()
    assert (res.cpu, res.memory, res.cpu_limit, res.memory_limit) == ("0.5", "1Gi", "600m", "1229Mi")
    assert res.gpu == 0


def test_preset_limits_and_notebook_overrides():
    """A preset's explicit limits apply; a notebook's own request replaces the preset's limit with x1.2."""
    res = notebook_resources(size="fixed")
    assert (res.cpu_limit, res.memory_limit) == ("3", "4Gi")
    res = notebook_resources(size="fixed", cpu="5")
    assert (res.cpu, res.cpu_limit, res.memory_limit) == ("5", "6", "4Gi")
    res = notebook_resources(cpu="2", cpuLimit="2", memory="3Gi", gpu=2, gpuVendor="amd.com/gpu")
    assert (res.cpu_limit, res.memory_limit, res.gpu, res.gpu_vendor) == ("2", "3687Mi", 2, "amd.com/gpu")


def test_user_sizes_override_builtins():
    """teamspace:sizes adds presets and may redefine a built-in one."""
    config = load(raw(sizes={"small": {"cpu": "1", "memory": "2Gi"}, "xl": {"cpu": 8, "memory": "32Gi"}}))
    assert config.sizes["small"].cpu == "1"
    assert config.sizes["xl"].cpu == "8"  # a YAML number becomes the quantity string
    assert "medium" in config.sizes


@pytest.mark.parametrize(
    "text,value",
    [
        ("500m", Decimal("0.5")),
        ("2", Decimal(2)),
        ("1Gi", Decimal(2**30)),
        ("1.5G", Decimal("1.5e9")),
        ("100Mi", Decimal(100 * 2**20)),
        ("1e3", Decimal(1000)),
        ("0.1", Decimal("0.1")),
    ],
)
def test_quantities_parse(text, value):
    """Kubernetes quantity strings parse to exact values."""
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "1 Gi", "1GB", "abc", "1.2.3", "Gi", " 1"])
def test_non_quantities_are_rejected(text):
    """Strings Kubernetes would reject are rejected."""
    with pytest.raises(ValueError):
        parse_quantity(text)


def test_scaling_rounds_up():
    """Derived limits never fall below request x 1.2."""
    assert scaled_cpu("1", Decimal("1.2")) == "1200m"
    assert scaled_cpu("5", Decimal("1.2")) == "6"
    assert scaled_memory("10Gi", Decimal("1.2")) == "12Gi"
    assert scaled_memory("5Gi", Decimal("1.2")) == "6Gi"
    assert scaled_memory("1000M", Decimal("1.2")) == "1145Mi"


def test_model_is_immutable():
    """The validated config cannot be changed by a component."""
    config = load(raw())
    with pytest.raises(pydantic.ValidationError):
        config.kubeflow_url = "https://other"  # type: ignore[misc]


def test_secrets_never_show_in_repr_or_errors():
    """Passwords are SecretStr: not in repr, not in error messages."""
    config = load(raw(registry={"server": "r.example.com", "username": "u"}, registryPassword="hunter2-XYZ"))
    assert "hunter2-XYZ" not in repr(config)
    assert config.registry_password.get_secret_value() == "hunter2-XYZ"
    with pytest.raises(ConfigError) as error:
        load(raw(registryPassword="hunter2-XYZ", pullPassword="hunter2-XYZ"))
    assert "hunter2-XYZ" not in str(error.value)


def test_pull_credential_prefers_the_read_only_one():
    """Clusters pull with pullUsername/pullPassword when set, else with the push credential."""
    push = load(raw(registry={"server": "r.example.com", "username": "pusher"}, registryPassword="a"))
    assert push.pull_credential[0] == "pusher"
    both = load(
        raw(
            registry={"server": "r.example.com", "username": "pusher"},
            registryPassword="a",
            pullUsername="reader",
            pullPassword="b",
        )
    )
    assert both.pull_credential[0] == "reader"
    assert both.pull_credential[1].get_secret_value() == "b"
    assert load(raw()).pull_credential is None
    # A push password without a registry has no username to pull with.
    assert load(raw(registryPassword="a")).pull_credential is None


def test_quota_gpu_accepts_a_count_or_a_map():
    """`gpu: 2` means two of the default vendor; a map counts per vendor."""
    config = load(raw(teams={"data": {"quota": {"gpu": 2}}, "other": {"quota": {"gpu": {"amd.com/gpu": 1}}}}))
    assert dict(config.teams["data"].quota.gpu) == {"nvidia.com/gpu": 2}
    assert dict(config.teams["other"].quota.gpu) == {"amd.com/gpu": 1}


def test_a_password_that_looks_like_json_stays_a_string():
    """Scalar keys are never JSON-decoded: a password may start with '[' or '{'."""
    config = load(
        raw(
            registry={"server": "r.example.com", "username": "u"},
            registryPassword='["x"]',
            pullUsername="reader",
            pullPassword='{"a": 1}',
        )
    )
    assert config.registry_password.get_secret_value() == '["x"]'
    assert config.pull_password.get_secret_value() == '{"a": 1}'


def test_an_optional_user_name_that_looks_like_json_stays_a_string():
    """`pullUsername` (optional, with a constraint) is a scalar key too: '[ci]'-style JSON text
    is the user name itself, never decoded into a list."""
    config = load(
        raw(
            registry={"server": "r.example.com", "username": "u"}, pullUsername='["robot"]', pullPassword="pw"
        )
    )
    assert config.pull_username == '["robot"]'
