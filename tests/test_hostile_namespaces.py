"""Issue 11.3: teams stay out of system namespaces, in config and in the policy pack.

The attack: a team in `kube-system` (its key or `namespace:`) puts a ResourceQuota there that
can keep system pods from starting. Config refuses it naming the key; the policy pack refuses
any object the stack would put there (or a Profile naming one), whatever wrote it.
"""

from __future__ import annotations

import pytest

from config import ConfigError
from config.system_namespaces import SYSTEM_NAMESPACES
from policy.guardrails import rules
from policy.guardrails.rules import NOTEBOOK, PVC

from .harness import PROFILE, QUOTA, Template, minimal_config
from .policy.rule_cases import notebook, resource_args, violations

RULE = {policy.name: policy for policy in rules.POLICIES}["no-system-namespace"]
ISSUE_LIST = (
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "kubeflow",
    "istio-system",
    "cert-manager",
    "auth",
    "knative-serving",
    "knative-eventing",
    "kubeflow-user-example-com",
)


def error_of(config) -> ConfigError:
    result = Template.synth(config, expect_error=True).result
    assert isinstance(result.error, ConfigError), repr(result.error)
    assert result.registrations == []
    return result.error


def test_the_list_is_the_issues_and_the_pack_has_the_same():
    """One list (config/system_namespaces.py); the pack's copy is identical, order included."""
    assert set(SYSTEM_NAMESPACES) == set(ISSUE_LIST)
    assert rules.SYSTEM_NAMESPACES == SYSTEM_NAMESPACES


@pytest.mark.parametrize("namespace", ISSUE_LIST)
def test_namespace_key_refused(namespace):
    """`namespace: kube-system` (with a quota, the real harm) is
    a ConfigError at that key; nothing registered.
    """
    error = error_of(
        minimal_config(
            teams={
                "data": {
                    "namespace": namespace,
                    "quota": {"cpu": "4"},
                    "notebooks": [{"name": "lab", "type": "jupyter"}],
                }
            }
        )
    )
    assert [p.path for p in error.problems] == ["teams.data.namespace"]
    assert "system namespace" in str(error) or "belongs to the cluster" in str(error)


@pytest.mark.parametrize(
    "key,team,path",
    [
        ("kube-system", {}, "teams.kube-system"),  # the namespace defaults to the team key
        ("renamed", {"previousKey": "kubeflow"}, "teams.renamed.previousKey"),  # ... or to the previous key
        ("data", {"namespace": "default", "profile": {"owner": "a@example.com"}}, "teams.data.namespace"),
    ],
)
def test_defaulted_namespace_is_reported_where_it_comes_from(key, team, path):
    """A system namespace the user did not write as `namespace:` is reported at the key it came from."""
    error = error_of(minimal_config(teams={key: {**team, "notebooks": [{"name": "lab", "type": "jupyter"}]}}))
    assert [p.path for p in error.problems] == [path]


def test_ordinary_namespaces_still_pass():
    """Names that merely contain a system name are fine."""
    for namespace in ("kubeflow-data", "team-default", "kube-systems", "auth2"):
        Template.synth(minimal_config(teams={"data": {"namespace": namespace}}))


# --- the policy pack's rule, both ways ---------------------------------------------------------


@pytest.mark.parametrize("namespace", ISSUE_LIST)
def test_policy_reports_objects_in_a_system_namespace(namespace):
    """no-system-namespace reports a Notebook, PVC or quota there, and a Profile naming one."""
    nb = notebook(namespace=namespace)
    assert violations(RULE, resource_args(NOTEBOOK, nb))
    pvc = {"metadata": {"name": "x", "namespace": namespace}}
    assert violations(RULE, resource_args(PVC, pvc))
    assert violations(RULE, resource_args(QUOTA, pvc))
    assert violations(RULE, resource_args(PROFILE, {"metadata": {"name": namespace}}))


def test_policy_passes_team_namespaces_and_other_resources():
    """Team namespaces pass; a non-Kubernetes resource (an image) is not judged; the rule is mandatory."""
    assert violations(RULE, resource_args(NOTEBOOK, notebook(namespace="team-vision"))) == []
    assert violations(RULE, resource_args(PROFILE, {"metadata": {"name": "data"}})) == []
    assert (
        violations(
            RULE, resource_args("docker:index/image:Image", {"metadata": {"namespace": "kube-system"}})
        )
        == []
    )
    assert RULE in rules.MANDATORY_POLICIES


def test_policy_message_names_the_field_and_every_system_namespace():
    """The finding in full: the field, its value and the whole list, comma-separated."""
    expected = (
        "metadata.{field} '{value}' is a system namespace (cluster or Kubeflow); team objects there "
        "can block system pods. Not allowed: default, kube-system, kube-public, kube-node-lease, "
        "kubeflow, istio-system, cert-manager, auth, knative-serving, knative-eventing, "
        "kubeflow-user-example-com"
    )
    nb = notebook(namespace="kube-system")
    assert violations(RULE, resource_args(NOTEBOOK, nb)) == [
        expected.format(field="namespace", value="kube-system")
    ]
    profile = {"metadata": {"name": "auth"}}
    assert violations(RULE, resource_args(PROFILE, profile)) == [expected.format(field="name", value="auth")]
