"""DNS-1123 label and subdomain fields (notebook names, namespaces, storage classes) and GPU
resource names: the length limit at its boundary and the whole message, key path included.
Config layer only (`config.load`)."""

from __future__ import annotations

import pytest

from config.model import TeamspaceConfig
from config.notebook_spec import NotebookSpec

from .loading import team_problems
from .test_check_messages import NOTEBOOK, problems, values

NB = "teamspace:teams.data.notebooks[0].name"
NS = "teamspace:teams.data.namespace"


def team(name: str, **fields) -> dict:
    return {"data": {"notebooks": [{**NOTEBOOK, "name": name}], **fields}}


def test_a_name_exactly_at_its_limit_is_allowed():
    """52 characters for a notebook (its StatefulSet's pods add a suffix), 63 for a namespace."""
    assert problems(values(teams=team("n" * 52, namespace="m" * 63))) == []


def test_one_character_over_the_limit_says_how_long_it_is_and_what_is_allowed():
    assert problems(values(teams=team("n" * 53, namespace="m" * 64))) == [
        f"{NS}: '{'m' * 64}' is 64 characters; at most 63 allowed",
        f"{NB}: '{'n' * 53}' is 53 characters; at most 52 allowed",
    ]


def test_a_name_that_is_not_a_dns_label_gets_the_rule_in_full():
    assert problems(values(teams=team("lab-"))) == [
        f"{NB}: 'lab-' is not a DNS-1123 label (lowercase letters, digits and '-', "
        "starting and ending with a letter or digit)"
    ]


AT = "teamspace:teams.data.notebooks[0] (lab)"
NOT_A_SUBDOMAIN = "is not a DNS-1123 subdomain (lowercase, digits, '-', '.')"
NOT_A_GPU = (
    "is not a GPU resource name; use nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi "
    "or another extended resource such as nvidia.com/mig-1g.10gb"
)
DOMAIN_244 = "g" * 240 + ".com"  # the longest a quota's `requests.<domain>` prefix allows


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"homeStorageClass": "s" * 253}, []),
        ({"homeStorageClass": "s" * 254}, [f"{AT}.homeStorageClass: '{'s' * 254}' {NOT_A_SUBDOMAIN}"]),
        ({"homeStorageClass": "Fast_SSD"}, [f"{AT}.homeStorageClass: 'Fast_SSD' {NOT_A_SUBDOMAIN}"]),
        ({"gpu": 1, "gpuVendor": f"{DOMAIN_244}/gpu12345"}, []),
        (
            {"gpu": 1, "gpuVendor": f"g{DOMAIN_244}/gpu12345"},
            [f"{AT}.gpuVendor: 'g{DOMAIN_244}/gpu12345' {NOT_A_GPU}"],
        ),
        ({"gpu": 1, "gpuVendor": f"{DOMAIN_244}/{'n' * 63}"}, []),
        (
            {"gpu": 1, "gpuVendor": f"g{DOMAIN_244}/g"},
            [f"{AT}.gpuVendor: 'g{DOMAIN_244}/g' {NOT_A_GPU}"],
        ),
        (
            {"gpu": 1, "gpuVendor": f"example.com/{'n' * 64}"},
            [f"{AT}.gpuVendor: 'example.com/{'n' * 64}' {NOT_A_GPU}"],
        ),
        ({"gpu": 1, "gpuVendor": "gpu.k8s.io/a100"}, [f"{AT}.gpuVendor: 'gpu.k8s.io/a100' {NOT_A_GPU}"]),
        (
            {"gpu": 1, "gpuVendor": "node.kubernetes.io/gpu"},
            [f"{AT}.gpuVendor: 'node.kubernetes.io/gpu' {NOT_A_GPU}"],
        ),
    ],
    ids=[
        "subdomain-253",
        "subdomain-254",
        "subdomain-case",
        "gpu-253",
        "gpu-254",
        "gpu-name-63",
        "gpu-domain-245",
        "gpu-name-64",
        "gpu-k8s.io",
        "gpu-kubernetes.io",
    ],
)
def test_subdomains_and_gpu_resources_at_their_limits(fields, expected):
    """A subdomain has at most 253 characters; a GPU resource's domain 244 (its quota key is
    `requests.<domain>/<name>`) and its name 63; the Kubernetes domains hold no GPUs."""
    assert team_problems({**NOTEBOOK, **fields}) == expected


@pytest.mark.parametrize(
    "given, text",
    [
        (2, "2"),
        (1234567890, "1234567890"),
        (1.0, "1"),
        (0.5, "0.5"),
        (1234567.0, "1234567"),
        (1e-05, "1e-05"),
    ],
    ids=["int", "long-int", "whole-float", "float", "long-float", "small-float"],
)
def test_a_quantity_given_as_a_number_is_written_as_it_was_given(given, text):
    """YAML reads `cpu: 2` as a number; its text is what the manifests carry, every digit kept."""
    spec = NotebookSpec.model_validate({"name": "lab", "type": "jupyter", "cpu": given, "memory": given})
    assert (spec.cpu, spec.memory) == (text, text)


@pytest.mark.parametrize(
    "server", ["nexus.example.com/teamspace", "https://nexus.example.com", "nexus:5000:1"]
)
def test_a_registry_server_is_a_host_and_port_only(server):
    assert problems(values(registry={"server": server})) == [
        f"teamspace:registry.server: '{server}' must be host[:port] without scheme or path, "
        "e.g. nexus.example.com:5000"
    ]


def test_a_registry_repository_is_lowercase_segments():
    assert problems(values(registry={"server": "nexus.example.com", "repository": "Team/images"})) == [
        "teamspace:registry.repository: 'Team/images' is not a registry path "
        "(lowercase segments separated by '/')"
    ]


@pytest.mark.parametrize(
    "given, url",
    [("https://kf.example.com/", "https://kf.example.com"), ("http://kf/PREFIX//", "http://kf/PREFIX")],
)
def test_a_url_loses_only_its_trailing_slashes(given, url):
    assert TeamspaceConfig.model_validate({"kubeflowUrl": given}).kubeflow_url == url


@pytest.mark.parametrize("given", [True, ["1"]])
def test_a_quantity_that_is_neither_text_nor_a_number_is_refused_as_such(given):
    """`cpu: true` is YAML's boolean, not the number 1."""
    assert team_problems({**NOTEBOOK, "cpu": given}) == [f"{AT}.cpu: Input should be a valid string"]
