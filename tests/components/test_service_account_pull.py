"""DefaultEditorPullSecrets (components/service_account_pull.py): the output it registers (the
patch it applies to `default-editor`: tests/test_kubeflow_sharing.py)."""

from __future__ import annotations

from devtools.runtime import run_program

from ..harness import alias_names, minimal_config

EDITOR_TYPE = "teamspace:index:DefaultEditorPullSecrets"


def test_the_component_registers_the_whole_list_it_applies_pull_secret_first():
    """What `pulumi stack` shows: every name the account's imagePullSecrets holds, in order."""
    team = {
        "defaultEditor": {"keepPullSecrets": ["harbor", "quay"]},
        "notebooks": [{"name": "lab", "type": "jupyter"}],
    }
    result = run_program(minimal_config(teams={"data": team}), record_outputs=True)
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == EDITOR_TYPE]
    assert result.component_outputs[component.urn] == {"secret_names": ["nexuscred", "harbor", "quay"]}
    [patch] = [r for r in result.registrations if r.parent == component.urn]
    assert patch.name == "data-default-editor-patch"
    assert patch.manifest["imagePullSecrets"] == [{"name": "nexuscred"}, {"name": "harbor"}, {"name": "quay"}]


def test_a_renamed_teams_patch_aliases_its_old_name():
    """Team key data -> analytics (previousKey): the patch keeps its identity, so no second
    field manager is left holding the list."""
    team = {"previousKey": "data", "notebooks": [{"name": "lab", "type": "jupyter"}]}
    result = run_program(minimal_config(teams={"analytics": team}))
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == EDITOR_TYPE]
    [patch] = [r for r in result.registrations if r.parent == component.urn]
    assert alias_names(patch) == ["data-default-editor-patch"]
