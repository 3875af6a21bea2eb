"""GPU scheduling through the whole program: each vendor's toleration and limit, size presets'
nodeSelector and typed affinity, a notebook's own tolerations, unknown affinity presets and
per-vendor GPU quotas."""

from __future__ import annotations

import pytest

from .harness import Template, minimal_config
from .schemas import validate_podspec


def gpu_notebook(**fields):
    return minimal_config(
        teams={"data": {"notebooks": [{"name": "gpu", "type": "jupyter", **fields}]}},
        affinities={
            "a100": {
                "required": [{"key": "gpu.product", "values": ["A100"]}],
                "preferred": [{"weight": 10, "match": [{"key": "zone", "values": ["a"]}]}],
            }
        },
        sizes={
            "gpu-xl": {
                "cpu": "8",
                "memory": "64Gi",
                "gpu": 2,
                "gpuVendor": "amd.com/gpu",
                "nodeSelector": {"pool": "gpu"},
                "affinity": "a100",
            }
        },
    )


@pytest.mark.parametrize(
    "fields,vendor",
    [
        ({"gpu": 1}, "nvidia.com/gpu"),
        ({"gpu": 1, "gpuVendor": "habana.ai/gaudi"}, "habana.ai/gaudi"),
        ({"size": "gpu-xl"}, "amd.com/gpu"),
    ],
)
def test_gpu_notebooks_tolerate_their_vendor_taint(fields, vendor):
    """A GPU notebook gets its vendor's toleration and GPU limit by default."""
    pod = Template.synth(gpu_notebook(**fields)).notebook("gpu")["spec"]["template"]["spec"]
    validate_podspec(pod)
    assert pod["tolerations"] == [{"key": vendor, "operator": "Exists"}]
    assert vendor in pod["containers"][0]["resources"]["limits"]


def test_scheduling_presets_and_overrides():
    """Size presets carry nodeSelector and a typed affinity; a notebook's own tolerations win, even empty."""
    pod = Template.synth(gpu_notebook(size="gpu-xl", tolerations=[])).notebook("gpu")["spec"]["template"][
        "spec"
    ]
    validate_podspec(pod)
    assert "tolerations" not in pod and pod["nodeSelector"] == {"pool": "gpu"}
    node = pod["affinity"]["nodeAffinity"]
    assert node["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"] == [
        {"matchExpressions": [{"key": "gpu.product", "operator": "In", "values": ["A100"]}]}
    ]
    assert node["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"] == 10
    plain = Template.synth(gpu_notebook()).notebook("gpu")["spec"]["template"]["spec"]
    assert not {"tolerations", "nodeSelector", "affinity"} & set(plain)


def test_unknown_affinity_preset_and_vendor_quota():
    """Unknown presets and per-vendor GPU quotas are checked with key paths."""
    error = Template.synth(gpu_notebook(affinity="h100"), expect_error=True).result.error
    assert (
        "teamspace:teams.data.notebooks[0] (gpu).affinity: "
        "unknown affinity preset 'h100'; did you mean 'a100'? known: a100" in str(error)
    )
    config = gpu_notebook(size="gpu-xl")
    config["teamspace:teams"]["data"]["quota"] = {"gpu": {"nvidia.com/gpu": 4}}
    error = Template.synth(config, expect_error=True).result.error
    assert "teamspace:teams.data.quota.gpu: running notebooks use 2 amd.com/gpu, above the quota 0" in str(
        error
    )
    config["teamspace:teams"]["data"]["quota"] = {"gpu": {"amd.com/gpu": 2}}
    assert Template.synth(config).result.error is None
