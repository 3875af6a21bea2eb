"""The PVC rules (resource options) and the stack-output rule, both ways."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    Secret,
    StackValidationArgs,
    StackValidationPolicy,
)

from policy.guardrails import rules
from policy.guardrails.rules import PVC, STACK
from policy.guardrails.volume_rules import check_pvc_protected, retain_on_delete_of

from ..policy_args import NotApplicable
from .rule_cases import BY_NAME, NEXUS_IMAGE, options, policy_resource, resource_args, violations

# --- PVC rules (resource options) ------------------------------------------------------------

UNPROTECTED = (
    "PersistentVolumeClaim is not protected (teamspace:protectVolumes is false?): a change to an "
    "immutable field (name, namespace, storage class, access modes) replaces it, and its data"
)
PVC_PROPS = {
    "apiVersion": "v1",
    "kind": "PersistentVolumeClaim",
    "metadata": {"name": "lab-workspace", "namespace": "data"},
    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}},
}


def test_pvc_retain_on_delete_both_ways():
    """pvc-retain-on-delete reports a PVC that is not retain_on_delete and passes one that is."""
    policy = BY_NAME["pvc-retain-on-delete"]
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(retain=False))) == [
        "PersistentVolumeClaim is not retain_on_delete: removing it from config would delete the "
        "claim and, with a Delete reclaim policy, the user data on its volume"
    ]
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(retain=True))) == []


def test_pvc_retain_on_delete_is_not_applicable_where_the_analyzer_cannot_see_it():
    """With pulumi-policy 1.21's options (no retainOnDelete field) the rule says not-applicable, not 'ok'."""
    assert not hasattr(options(), "retain_on_delete")
    assert violations(BY_NAME["pvc-retain-on-delete"], resource_args(PVC, PVC_PROPS)) is None
    with pytest.raises(NotApplicable) as skipped:
        BY_NAME["pvc-retain-on-delete"].validate(resource_args(PVC, PVC_PROPS), lambda *a: None)
    assert skipped.value.reason == (
        "this analyzer does not report retainOnDelete (pulumi-policy 1.21); "
        "tests/test_data_safety.py checks it on every PVC the program registers"
    )


def test_pvc_protected_is_advisory_both_ways():
    """pvc-protected (advisory) reports an unprotected PVC and passes a protected one."""
    policy = BY_NAME["pvc-protected"]
    assert policy.enforcement_level == EnforcementLevel.ADVISORY
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(protect=False))) == [UNPROTECTED]
    assert violations(policy, resource_args(PVC, PVC_PROPS, opts=options(protect=True))) == []


def test_pvc_options_the_analyzer_leaves_out_count_as_unset():
    """Options without `protect` are unprotected; `retainOnDelete` (camelCase) is read like
    `retain_on_delete`, so an SDK that spells it so is enforced, not passed as not-applicable."""
    assert check_pvc_protected(SimpleNamespace()) == [UNPROTECTED]
    assert retain_on_delete_of(SimpleNamespace(retainOnDelete=False)) is False
    assert retain_on_delete_of(SimpleNamespace(retainOnDelete=1)) is True
    assert retain_on_delete_of(SimpleNamespace()) is None


# --- the stack rule -------------------------------------------------------------------------------

PASSWORD = "pull-S3cret-9e1f"


def stack_resources(outputs: dict) -> list[PolicyResource]:
    config_json = json.dumps(
        {
            "auths": {
                "nexus.example.com:5000": {
                    "username": "reader",
                    "password": PASSWORD,
                    "auth": base64.b64encode(f"reader:{PASSWORD}".encode()).decode(),
                }
            }
        }
    )
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/dockerconfigjson",
        "metadata": {"name": "nexuscred", "namespace": "data"},
        "data": {".dockerconfigjson": base64.b64encode(config_json.encode()).decode()},
    }
    return [
        policy_resource("kubernetes:core/v1:Secret", secret, "data-pull-secret"),
        policy_resource(STACK, outputs, "teamspace-dev"),
    ]


def stack_violations(resources: list[PolicyResource]) -> list[str]:
    found: list[str] = []
    BY_NAME["stack-no-secret-outputs"].validate(
        StackValidationArgs(resources), lambda m, urn=None: found.append(m)
    )
    return found


CLEAN_OUTPUTS = {
    "notebookUrls": {"data/lab": "https://kubeflow.example.com/notebook/data/lab/"},
    "notebooks": {
        "data/lab": {
            "namespace": "data",
            "name": "lab",
            "image": NEXUS_IMAGE,
            "stopped": False,
            "pullSecret": "nexuscred",
        }
    },
    "images": {"jupyter": NEXUS_IMAGE},
}
USERPASS = f"reader:{PASSWORD}".encode()
LEAKY_OUTPUTS = {
    "plain": {"debug": f"pulled with {PASSWORD}"},
    "base64": {"header": base64.b64encode(USERPASS).decode()},
    "base64-in-text": {"note": "Authorization: Basic " + base64.b64encode(USERPASS).decode()},
    "urlsafe": {"x": base64.urlsafe_b64encode(b"~~" + PASSWORD.encode() + b"??").decode()},
    "secret-marked": {"registry": Secret("anything")},
    "credential-key": {"nexus": {"password": "whatever-it-is"}},
    "dockerconfig": {"cfg": json.dumps({"auths": {"other.example.com": {"auth": "eDp5"}}})},
    "dockerconfig-base64": {"cfg": base64.b64encode(b'{"auths":{}}' * 2).decode()},
    # 12 bytes, 16 base64 characters: the shortest text that can hold a docker config.
    "dockerconfig-base64-shortest": {"cfg": base64.b64encode(b'{"auths":{}}').decode()},
}


def test_stack_rule_passes_clean_outputs():
    """stack-no-secret-outputs accepts URLs, image digests and secret *names*."""
    assert stack_violations(stack_resources(CLEAN_OUTPUTS)) == []


@pytest.mark.parametrize("case", sorted(LEAKY_OUTPUTS))
def test_stack_rule_reports_secret_material(case):
    """stack-no-secret-outputs reports outputs carrying credentials in any encoding or marking."""
    found = stack_violations(stack_resources({**CLEAN_OUTPUTS, **LEAKY_OUTPUTS[case]}))
    assert found, case


def test_stack_rule_ignores_non_credential_secret_entries():
    """An S3 Secret's region or endpoint may appear in outputs; its secretAccessKey may not."""
    s3 = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": "s3", "namespace": "data"},
        "data": {
            key: base64.b64encode(value.encode()).decode()
            for key, value in {
                "region": "us-east-1",
                "endpoint": "https://minio.example.com:9000",
                "secretAccessKey": "wJalrXUtnFEMI-K7MDENG",
            }.items()
        },
    }
    resources = [policy_resource("kubernetes:core/v1:Secret", s3, "data-s3-secret")]
    clean = {
        **CLEAN_OUTPUTS,
        "storage": {"region": "us-east-1", "endpoint": "https://minio.example.com:9000"},
    }
    assert stack_violations(resources + [policy_resource(STACK, clean, "teamspace-dev")]) == []
    leaky = {**CLEAN_OUTPUTS, "storage": {"note": "key wJalrXUtnFEMI-K7MDENG"}}
    assert stack_violations(resources + [policy_resource(STACK, leaky, "teamspace-dev")])


def test_stack_rule_is_a_mandatory_stack_policy():
    """The output rule is a mandatory StackValidationPolicy; the pack has both kinds of rules."""
    policy = BY_NAME["stack-no-secret-outputs"]
    assert isinstance(policy, StackValidationPolicy)
    assert policy.enforcement_level == EnforcementLevel.MANDATORY
    assert {p.enforcement_level for p in rules.POLICIES} == {
        EnforcementLevel.MANDATORY,
        EnforcementLevel.ADVISORY,
    }
