"""The example stacks carry what the README and docs/safe-edits.md say they do."""

from __future__ import annotations

import pytest

from devtools.runtime import PROJECT_ROOT
from devtools.stack_yaml import read_stack_file

from .harness import SECRET, STACKS, Template, stack_config

STACK_FILES = sorted(PROJECT_ROOT.glob("Pulumi.*.yaml"))


def test_the_example_stacks_are_the_ones_tested():
    assert sorted(p.name for p in STACK_FILES) == sorted(f"Pulumi.{s}.yaml" for s in STACKS)


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_secret_data_is_updated_in_place(path):
    """docs/safe-edits.md: rotating a password updates the Secret in place, which pulumi-kubernetes
    does only with enableSecretMutable; without it the Secret is deleted and created again."""
    assert str(read_stack_file(path).get("kubernetes:enableSecretMutable")).lower() == "true"


@pytest.mark.parametrize("stack", STACKS)
def test_no_secret_is_immutable(stack):
    """An immutable Secret is replaced on any data change, whatever enableSecretMutable says."""
    secrets = Template.synth(stack_config(stack)).manifests(SECRET)
    assert secrets and all(not s.get("immutable") for s in secrets)


def test_each_stack_pins_its_own_kubeconfig_context():
    """README, "Pin the cluster": `pulumi up -s prod` must not follow the current kubectl context."""
    contexts = [read_stack_file(path).get("kubernetes:context") for path in STACK_FILES]
    assert all(isinstance(c, str) and c for c in contexts), contexts
    assert len(set(contexts)) == len(contexts), contexts


def test_the_docs_say_why():
    safe_edits = (PROJECT_ROOT / "docs" / "safe-edits.md").read_text()
    assert "kubernetes:enableSecretMutable" in safe_edits and "forceNewProperties" in safe_edits
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "kubernetes:context" in readme and "Pin the cluster" in readme
