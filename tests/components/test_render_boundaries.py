"""What the program renders at the edges of its rules: GPUs switched off, limits rounded up
to the unit, mounts' access (the pull secret: test_pull_secret.py). Whole-program runs under the mocks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from config.quantities import scaled_cpu, scaled_memory

from ..harness import Template, container, minimal_config

GPU_SIZES = {"gpu1": {"cpu": "1", "memory": "1Gi", "gpu": 1}}


def render(**notebook) -> dict:
    """The Notebook manifest of one notebook `lab` with these fields (sizes include `gpu1`)."""
    config = minimal_config(
        sizes=GPU_SIZES,
        teams={
            "data": {
                "volumes": {"shared": {"size": "1Gi"}},
                "notebooks": [{"name": "lab", "type": "jupyter", **notebook}],
            }
        },
    )
    return Template.synth(config).notebook("lab")


def pod(manifest: dict) -> dict:
    return manifest["spec"]["template"]["spec"]


# --- GPUs ---------------------------------------------------------------------------------------


def test_a_gpu_size_gives_a_gpu_limit_and_its_toleration():
    manifest = render(size="gpu1")
    assert container(manifest)["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert pod(manifest)["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists"}]


def test_gpu_zero_on_a_gpu_size_means_no_gpu():
    """No GPU limit of any vendor and no GPU toleration: the pod can land on any node."""
    manifest = render(size="gpu1", gpu=0)
    assert container(manifest)["resources"]["limits"] == {"cpu": "1200m", "memory": "1229Mi"}
    assert "tolerations" not in pod(manifest)


def test_a_gpu_count_overrides_the_sizes():
    limits = container(render(size="gpu1", gpu=2, gpuVendor="amd.com/gpu"))["resources"]["limits"]
    assert limits == {"cpu": "1200m", "memory": "1229Mi", "amd.com/gpu": "2"}


# --- limits: request x 1.2, rounded up to the unit ----------------------------------------------


@pytest.mark.parametrize(
    "request_, limit",
    [
        ("0.5", "600m"),
        ("2.5", "3"),
        ("5", "6"),
        ("0.3333", "400m"),
        ("1001m", "1202m"),
        ("1m", "2m"),
        ("0.0001", "1m"),
        ("100n", "1m"),
        ("1k", "1200"),
    ],
)
def test_cpu_limits_round_up_to_whole_millicores(request_, limit):
    """0.3333 x 1.2 = 399.96m -> 400m; 1001m -> 1201.2m -> 1202m; anything above 0 is at least 1m."""
    assert scaled_cpu(request_, Decimal("1.2")) == limit


@pytest.mark.parametrize(
    "request_, limit",
    [
        ("1Gi", "1229Mi"),
        ("5Gi", "6Gi"),
        ("1001Mi", "1202Mi"),
        ("1000Mi", "1200Mi"),
        ("1", "1Mi"),
        ("1G", "1145Mi"),
    ],
)
def test_memory_limits_round_up_to_whole_mebibytes(request_, limit):
    """1Gi x 1.2 = 1228.8Mi -> 1229Mi; one byte still needs 1Mi; 1G = 953.67Mi -> 1144.4Mi -> 1145Mi."""
    assert scaled_memory(request_, Decimal("1.2")) == limit


def test_the_rendered_limits_are_the_rounded_ones():
    resources = container(render(cpu="0.3333", memory="1001Mi"))["resources"]
    assert resources == {
        "requests": {"cpu": "0.3333", "memory": "1001Mi"},
        "limits": {"cpu": "400m", "memory": "1202Mi"},
    }


def test_limits_given_in_config_are_kept_exactly():
    resources = container(render(cpu="1", memory="1Gi", cpuLimit="1", memoryLimit="1Gi"))["resources"]
    assert resources["limits"] == {"cpu": "1", "memory": "1Gi"}


# --- mounts -------------------------------------------------------------------------------------


def mounts_by_path(manifest: dict) -> dict[str, dict]:
    return {m["mountPath"]: m for m in container(manifest)["volumeMounts"]}


def test_team_volume_mounts_are_read_write_unless_config_says_read_only():
    """`readOnlyMounts` lists the mounts that are read-only; every other mount stays writable."""
    writable = mounts_by_path(render(mounts={"shared": "/home/jovyan/shared"}))
    assert set(writable) == {"/home/jovyan", "/dev/shm", "/home/jovyan/shared"}
    assert not any(m.get("readOnly") for m in writable.values()), writable
    read_only = mounts_by_path(render(mounts={"shared": "/home/jovyan/shared"}, readOnlyMounts=["shared"]))
    assert read_only["/home/jovyan/shared"]["readOnly"] is True
    assert not any(m.get("readOnly") for path, m in read_only.items() if path != "/home/jovyan/shared")


def test_the_shared_mount_is_the_team_volumes_claim():
    manifest = render(mounts={"shared": "/home/jovyan/shared"})
    claims = {
        v["name"]: v.get("persistentVolumeClaim", {}).get("claimName") for v in pod(manifest)["volumes"]
    }
    assert claims[mounts_by_path(manifest)["/home/jovyan/shared"]["name"]] == "shared"


@pytest.mark.parametrize("read_only", [False, True])
def test_a_data_volume_mount_is_read_only_exactly_when_config_says(read_only):
    volume = {"mountPath": "/data", "size": "1Gi", "readOnly": read_only}
    mount = mounts_by_path(render(dataVolumes={"lab-data": volume}))["/data"]
    assert bool(mount.get("readOnly")) is read_only


def test_shared_memory_is_an_in_memory_volume_at_dev_shm():
    manifest = render()
    [shm] = [m for m in container(manifest)["volumeMounts"] if m["mountPath"] == "/dev/shm"]
    [volume] = [v for v in pod(manifest)["volumes"] if v["name"] == shm["name"]]
    assert volume == {"name": shm["name"], "emptyDir": {"medium": "Memory"}}
