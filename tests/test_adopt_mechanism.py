"""Issue 13, point 4, what mocks can prove: the first run imports (the registrations carry the
engine's `import` ids), claims ignore the fields the cluster fills in, and once adoption is
switched off the program registers identical inputs under the same URNs."""

from __future__ import annotations

from components.claims import UNSET_CLAIM_FIELDS
from tests.adoption import NOTEBOOK, PVC, adopted, run_generated, web_app_without_external
from tests.harness import Template, minimal_config

SWITCHED_OFF = ("teamspace:adopt", "kubernetes:enablePatchForce")


def _by_urn(result):
    return {r.urn: r for r in result.registrations}


def test_registrations_carry_the_import_ids():
    adoption = adopted("field_notes", "gpu", "profile_quota", "stopped")
    result = run_generated(adoption)
    imported = {r.import_id for r in result.registrations if r.import_id}
    assert imported == {
        "matilda/test-notebook",
        "matilda/test-notebook-vol",
        "matilda/paused",
        "matilda/paused-workspace",
        "ml/train",
        "ml/train-workspace",
        "ml/mig",
        "ml/mig-workspace",
        "vision/lab",
        "vision/lab-workspace",
        "vision",  # the Profile is cluster-scoped: its name
    }
    for registration in result.registrations:
        if registration.type in (NOTEBOOK, PVC):
            meta = registration.manifest["metadata"]
            assert registration.import_id == f"{meta['namespace']}/{meta['name']}"


def test_every_claim_ignores_the_fields_the_cluster_fills_in_and_is_never_deleted():
    result = run_generated(adopted("field_notes", "gpu"))
    claims = [r for r in result.registrations if r.type == PVC]
    assert claims
    for claim in claims:
        assert {"spec.volumeName", "spec.selector", "spec.volumeMode"} <= set(claim.ignore_changes)
        assert set(UNSET_CLAIM_FIELDS) <= set(claim.ignore_changes)
        assert claim.retain_on_delete and claim.protect
        assert not {"volumeName", "selector", "volumeMode"} & set(claim.manifest["spec"])


def test_switching_adoption_off_registers_identical_inputs():
    adoption = adopted("field_notes", "gpu", "profile_quota", "stopped")
    adopting, after = run_generated(adoption), run_generated(adoption, drop=SWITCHED_OFF)
    first, second = _by_urn(adopting), _by_urn(after)
    assert set(first) == set(second)
    for urn, registration in first.items():
        assert second[urn].inputs == registration.inputs, urn
        assert second[urn].ignore_changes == registration.ignore_changes, urn
        assert (second[urn].protect, second[urn].retain_on_delete) == (
            registration.protect,
            registration.retain_on_delete,
        )
        assert second[urn].import_id == ""


def test_a_stack_without_adopt_imports_nothing():
    template = Template.synth(minimal_config())
    assert not [r for r in template.registrations if r.import_id]


def test_adopt_entries_must_name_declared_objects():
    config = minimal_config(
        adopt=["Notebook/data/lab", "Notebook/data/lba", "Secret/data/nexuscred", "Notebook/data/lab"]
    )
    error = str(Template.synth(config, expect_error=True).result.error)
    assert (
        "teamspace:adopt[1]: 'Notebook/data/lba' is not an object this stack declares; "
        "did you mean 'Notebook/data/lab'?" in error
    )
    assert "teamspace:adopt[2]: 'Secret/data/nexuscred': unknown kind 'Secret'" in error
    assert "teamspace:adopt[3]: 'Notebook/data/lab' is listed twice" in error


def test_a_managed_configuration_adopts_its_live_podDefault():
    result = run_generated(web_app_without_external())
    pod_defaults = [
        r for r in result.registrations if r.type == "kubernetes:kubeflow.org/v1alpha1:PodDefault"
    ]
    assert [(r.manifest["metadata"]["name"], r.import_id) for r in pod_defaults] == [
        ("proxy", "team-alice/proxy")
    ]
    assert pod_defaults[0].manifest["spec"] == {
        "selector": {"matchLabels": {"proxy": "true"}},
        "desc": "Corporate HTTP proxy",
        "env": [
            {"name": "HTTP_PROXY", "value": "http://proxy.corp.example.com:3128"},
            {"name": "NO_PROXY", "value": ".svc,.cluster.local"},
        ],
    }


def test_an_adopted_team_volume_is_imported_too():
    result = run_generated(web_app_without_external())
    [volume] = [
        r for r in result.registrations if r.type == PVC and r.manifest["metadata"]["name"] == "team-data"
    ]
    assert volume.import_id == "team-alice/team-data"
