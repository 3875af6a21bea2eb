"""What each Notebook policy declares to the pack: its enforcement level, its description and
which of them accept the `publicRegistries` policy config (the CLI validates a user's policy
config against these schemas and shows the description beside each violation).
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel

from policy.guardrails import notebook_rules

NOTEBOOK_POLICIES = {
    notebook_rules.notebook_name: EnforcementLevel.MANDATORY,
    notebook_rules.notebook_home_volume: EnforcementLevel.MANDATORY,
    notebook_rules.notebook_security_context: EnforcementLevel.MANDATORY,
    notebook_rules.notebook_resources: EnforcementLevel.MANDATORY,
    notebook_rules.notebook_image_pinned: EnforcementLevel.MANDATORY,
    notebook_rules.notebook_pull_secret: EnforcementLevel.MANDATORY,
    notebook_rules.notebook_routing_annotations: EnforcementLevel.MANDATORY,
    notebook_rules.external_image_digest: EnforcementLevel.ADVISORY,
    notebook_rules.notebook_shared_memory: EnforcementLevel.ADVISORY,
}
USES_REGISTRIES = {"notebook-image-pinned", "notebook-pull-secret", "external-image-digest"}


def test_each_notebook_policy_has_its_own_level():
    """Seven notebook rules block a deployment; the digest and /dev/shm rules only advise."""
    for policy, level in NOTEBOOK_POLICIES.items():
        assert policy.enforcement_level == level, policy.name


def test_each_notebook_policy_is_described():
    """Every rule carries the sentence the CLI prints with its violations."""
    for policy in NOTEBOOK_POLICIES:
        assert isinstance(policy.description, str) and policy.description.endswith("."), policy.name


def test_only_the_image_rules_accept_public_registries_config():
    """The three image rules declare `publicRegistries` (a list of strings); the others take no config."""
    for policy in NOTEBOOK_POLICIES:
        schema = policy.config_schema
        if policy.name in USES_REGISTRIES:
            assert schema is not None, policy.name
            registries = schema.properties["publicRegistries"]
            assert registries["type"] == "array" and registries["items"] == {"type": "string"}
        else:
            assert schema is None, policy.name
