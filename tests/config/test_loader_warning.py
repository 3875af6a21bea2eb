"""`load_stack_config` under the Pulumi runtime warns once, in its own words, when teams pull
images with the push credential; not with a pull credential of their own, nor without a registry."""

from __future__ import annotations

from config.loader import load_stack_config
from devtools.runtime import run_program
from devtools.stack_config import Secret

from ..harness import minimal_config

PUSH_CREDENTIAL = (
    "teams pull images with the push credential (registry.username/registryPassword): anyone who "
    "reads a team's pull secret can overwrite images. Set teamspace:pullUsername and "
    "`pulumi config set --secret teamspace:pullPassword` to a read-only registry account"
)


def test_pulling_with_the_push_credential_warns_once():
    result = run_program(minimal_config(), program=load_stack_config)
    assert (result.error, result.logs) == (None, [("warning", PUSH_CREDENTIAL)])


def test_a_pull_credential_of_its_own_is_no_warning():
    config = minimal_config(pullUsername="reader", pullPassword=Secret("pull-pw-1"))
    result = run_program(config, program=load_stack_config)
    assert (result.error, result.logs) == (None, [])


def test_without_a_registry_there_is_no_warning():
    notebook = {"name": "lab", "type": "jupyter", "image": "ghcr.io/x/jupyter:v1"}
    config = minimal_config(
        registry=None, registryPassword=None, images=None, teams={"data": {"notebooks": [notebook]}}
    )
    result = run_program(config, program=load_stack_config)
    assert (result.error, result.logs) == (None, [])
