"""Every value the policy pack copies from the program agrees with the program.

The pack is installed and run on its own (`pulumi preview --policy-pack policy`), so it
cannot import the program; it keeps copies. These tests fail when one side changes alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.content_tag import content_tag
from components.notebook_server import SERVER_TYPES, STOPPED
from config import ConfigError, load
from config.presets import HOME
from config.system_namespaces import SYSTEM_NAMESPACES
from policy.guardrails import namespace_rules, notebook_metadata_checks, notebook_pod_checks
from policy.guardrails.images import CONTENT_TAG

from ..harness import NOTEBOOK, Template, minimal_config

KINDS = ("jupyter", "rstudio", "vscode")


@pytest.fixture(scope="module")
def notebooks() -> dict[str, dict]:
    config = minimal_config(
        teams={
            "data": {
                "notebooks": [
                    {"name": kind, "type": kind, "image": f"r.example.com/{kind}:1"} for kind in KINDS
                ]
            }
        }
    )
    template = Template.synth(config)
    return {m["metadata"]["name"]: m for m in template.manifests(NOTEBOOK)}


def test_home_path():
    assert notebook_pod_checks.HOME == HOME


def test_user_and_group(notebooks):
    for manifest in notebooks.values():
        context = manifest["spec"]["template"]["spec"]["securityContext"]
        assert (context["runAsUser"], context["fsGroup"]) == (
            notebook_pod_checks.USER_ID,
            notebook_pod_checks.FS_GROUP,
        )


def test_server_types_and_annotation_contract(notebooks):
    assert set(notebook_metadata_checks.SERVER_TYPES) == set(SERVER_TYPES.values())
    for kind, manifest in notebooks.items():
        annotations = manifest["metadata"]["annotations"]
        assert annotations[notebook_metadata_checks.SERVER_TYPE] == SERVER_TYPES[kind]
        if kind != "jupyter":
            assert annotations[notebook_metadata_checks.REWRITE_URI] == "/"
    headers = json.loads(
        notebooks["rstudio"]["metadata"]["annotations"][notebook_metadata_checks.HEADERS_SET]
    )
    assert list(headers) == [notebook_metadata_checks.RSTUDIO_ROOT]
    assert STOPPED == "kubeflow-resource-stopped"


def test_name_limit():
    longest = "n" * notebook_metadata_checks.MAX_NOTEBOOK_NAME
    ok = minimal_config(teams={"data": {"notebooks": [{"name": longest, "type": "jupyter"}]}})
    load({k.removeprefix("teamspace:"): v for k, v in _plain(ok).items()})
    too_long = minimal_config(teams={"data": {"notebooks": [{"name": longest + "n", "type": "jupyter"}]}})
    with pytest.raises(ConfigError, match=r"notebooks\[0\]\.name"):
        load({k.removeprefix("teamspace:"): v for k, v in _plain(too_long).items()})


def test_system_namespaces():
    """The pack's copy of the list of system namespaces (config/system_namespaces.py is the original)."""
    assert namespace_rules.SYSTEM_NAMESPACES == SYSTEM_NAMESPACES


def test_content_tag_shape(tmp_path: Path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    assert CONTENT_TAG.match(content_tag(tmp_path, {"A": "1"}, "linux/amd64"))


def _plain(config: dict) -> dict:
    """Config values as the CLI passes them to `load`: strings, objects JSON-encoded."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}
