"""Sharing a namespace with the web app and Pipelines: default-editor's pull secret,
spawnerImages, and PodDefaults that teamspace does not create."""

from __future__ import annotations

import pytest

from config import ConfigError

from .harness import NOTEBOOK, SECRET, Template, external_image_config, minimal_config, stack_config
from .schemas import validate_k8s
from .ssa_model import Conflict, LiveObject

SA_PATCH = "kubernetes:core/v1:ServiceAccountPatch"
PODDEFAULT = "kubernetes:kubeflow.org/v1alpha1:PodDefault"


def team(**fields):
    return {
        "data": {
            "profile": {"owner": "lead@example.com"},
            "notebooks": [{"name": "lab", "type": "jupyter"}],
            **fields,
        }
    }


def test_default_editor_gets_the_pull_secret_by_default():
    """A server-side-apply patch of default-editor that sets only imagePullSecrets, under a
    fixed field manager, not forced, after the pull Secret (and so after the namespace)."""
    template = Template.synth(minimal_config(teams=team()))
    template.resource_count_is(SA_PATCH, 1)
    patch = template.resources(SA_PATCH)[0]
    assert patch.manifest == {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {
            "name": "default-editor",
            "namespace": "data",
            "annotations": {"pulumi.com/patchFieldManager": "teamspace-default-editor"},
        },
        "imagePullSecrets": [{"name": "nexuscred"}],
    }
    validate_k8s(patch.manifest)
    component = template.by_name("data-default-editor")
    assert template.by_name("data-pull-secret").urn in component.depends_on  # the SDK expands the component
    assert template.by_name("data-profile").urn in component.depends_on
    assert patch.parent == component.urn


def test_keep_pull_secrets_takes_the_whole_list_over():
    """Listing the other owner's secrets keeps them and forces the (atomic) list over to teamspace;
    without them the apply is not forced, so a conflict fails instead of wiping them."""
    template = Template.synth(
        minimal_config(teams=team(defaultEditor={"keepPullSecrets": ["harbor", "quay"]}))
    )
    patch = template.resources(SA_PATCH)[0].manifest
    assert patch["imagePullSecrets"] == [{"name": "nexuscred"}, {"name": "harbor"}, {"name": "quay"}]
    assert patch["metadata"]["annotations"]["pulumi.com/patchForce"] == "true"
    plain = Template.synth(minimal_config(teams=team())).resources(SA_PATCH)[0].manifest
    assert "pulumi.com/patchForce" not in plain["metadata"]["annotations"]


def test_atomic_list_conflict_then_takeover_then_relinquish():
    """The documented behaviour, played with the real patch inputs through the field-ownership
    model (tests/ssa_model.py): a list another manager owns is a conflict and stays; listing its
    entries in keepPullSecrets takes it over keeping them; deleting the patch (an empty apply)
    removes what teamspace owned."""

    def patch_of(editor):
        manifest = (
            Template.synth(minimal_config(teams=team(defaultEditor=editor))).resources(SA_PATCH)[0].manifest
        )
        names = tuple(entry["name"] for entry in manifest["imagePullSecrets"])
        return {"imagePullSecrets": names}, manifest["metadata"]["annotations"].get(
            "pulumi.com/patchForce"
        ) == "true"

    account = LiveObject()
    account.update("kubectl-patch", "imagePullSecrets", ("harbor",))
    config, force = patch_of({})
    with pytest.raises(Conflict):
        account.apply("teamspace-default-editor", config, force)
    assert account.fields["imagePullSecrets"] == ("harbor",)
    config, force = patch_of({"keepPullSecrets": ["harbor"]})
    account.apply("teamspace-default-editor", config, force)
    assert account.fields["imagePullSecrets"] == ("nexuscred", "harbor")
    assert account.owners["imagePullSecrets"] == {"teamspace-default-editor"}
    account.apply("teamspace-default-editor", {}, False)  # ssa.Relinquish
    assert "imagePullSecrets" not in account.fields


@pytest.mark.parametrize(
    "config",
    [
        minimal_config(teams=team(defaultEditor={"attachPullSecret": False})),
        external_image_config(
            {"name": "lab", "type": "jupyter", "image": "quay.io/jupyter/scipy-notebook:2025-01-01"}
        ),
    ],
    ids=["switched off", "no pull secret"],
)
def test_no_patch_when_switched_off_or_without_a_pull_secret(config):
    template = Template.synth(config)
    template.resource_count_is(SA_PATCH, 0)


@pytest.mark.parametrize(
    "editor,expected",
    [
        (
            {"keepPullSecrets": ["nexuscred"]},
            "teamspace:teams.data.defaultEditor.keepPullSecrets: 'nexuscred' is the registry pull secret",
        ),
        (
            {"keepPullSecrets": ["a", "a"]},
            "teamspace:teams.data.defaultEditor.keepPullSecrets[1]: 'a' is listed twice",
        ),
        ({"attachPullSecret": False, "keepPullSecrets": ["a"]}, "only used with attachPullSecret: true"),
        ({"keepPullSecret": ["a"]}, "teamspace:teams.data.defaultEditor.keepPullSecret: unknown key"),
    ],
)
def test_default_editor_errors(editor, expected):
    error = Template.synth(minimal_config(teams=team(defaultEditor=editor)), expect_error=True).result.error
    assert isinstance(error, ConfigError) and expected in str(error)


def test_spawner_images_group_the_built_digests_by_type():
    """spawnerImages: every `teamspace:images` key by digest
    under its type; a notebook's own image is left out.
    """
    template = Template.synth(stack_config("dev"))
    outputs = template.result.outputs
    images = outputs["images"]
    assert outputs["spawnerImages"] == {
        "jupyter": [images["jupyter"]],
        "vscode": [images["vscode"]],
        "rstudio": [images["rstudio"]],
    }
    assert images["vision/lab"] not in outputs["spawnerImages"]["jupyter"]
    config = minimal_config(images={"a-lab": {"type": "jupyter"}, "jupyter": {"type": "jupyter"}})
    grouped = Template.synth(config).result.outputs["spawnerImages"]
    assert [ref.split("@")[0].rsplit("/", 1)[1] for ref in grouped["jupyter"]] == ["a-lab", "jupyter"]
    assert grouped["vscode"] == grouped["rstudio"] == []


def test_external_configuration_is_selected_but_not_created():
    """A declared external PodDefault is only a label on the notebook; teamspace creates nothing for it."""
    config = minimal_config(
        teams=team(
            externalConfigurations=[
                "access-ml-pipeline",
                {"name": "gpu-drivers", "label": "example.com/gpu-drivers"},
            ],
            notebooks=[
                {"name": "lab", "type": "jupyter", "configurations": ["access-ml-pipeline", "gpu-drivers"]}
            ],
        )
    )
    template = Template.synth(config)
    labels = template.notebook("lab")["metadata"]["labels"]
    assert labels == {
        "app": "lab",
        "app.kubernetes.io/part-of": "teamspace",
        "access-ml-pipeline": "true",
        "example.com/gpu-drivers": "true",
    }
    template.resource_count_is(PODDEFAULT, 0)
    assert len(template.resources(SECRET)) == 1  # the pull secret only


def test_managed_and_external_configurations_together():
    """Managed configurations keep their name as label; the dev stack's access-ml-pipeline is external."""
    template = Template.synth(stack_config("dev"))
    labels = template.notebook("analysis")["metadata"]["labels"]
    assert labels["access-ml-pipeline"] == "true"
    assert {m["metadata"]["name"] for m in template.manifests(PODDEFAULT)} == {"s3", "pipelines", "proxy"}
    assert all(m["metadata"]["namespace"] == "team-vision" for m in template.manifests(PODDEFAULT))


@pytest.mark.parametrize(
    "fields,expected",
    [
        (
            {
                "externalConfigurations": [],
                "notebooks": [{"name": "lab", "type": "jupyter", "configurations": ["access-ml-pipeline"]}],
            },
            (
                "teamspace:teams.data.notebooks[0] (lab).configurations[0]: "
                "unknown configuration 'access-ml-pipeline'; known: none declared"
            ),
        ),
        (
            {"externalConfigurations": ["x", "x"]},
            "teamspace:teams.data.externalConfigurations[1]: 'x' is already declared",
        ),
        (
            {"externalConfigurations": [{"name": "p", "label": "app"}]},
            (
                "teamspace:teams.data.externalConfigurations[0]: "
                "label 'app' collides with a label the notebook controller sets"
            ),
        ),
        (
            {"externalConfigurations": [{"name": "p", "label": "Bad Label"}]},
            "teamspace:teams.data.externalConfigurations[0].label: 'Bad Label' is not a qualified name",
        ),
        (
            {"externalConfigurations": ["proxy"], "configurations": {"proxy": {"env": {"A": "b"}}}},
            (
                "teamspace:teams.data.externalConfigurations[0]: "
                "'proxy' is also a configuration teamspace creates"
            ),
        ),
        (
            {"externalConfigurations": [{"label": "x"}]},
            "teamspace:teams.data.externalConfigurations[0].name: required key is missing",
        ),
        (
            {"externalConfigurations": [5]},
            "teamspace:teams.data.externalConfigurations[0]: must be a PodDefault name, or {name:",
        ),
        (
            {"externalConfigurations": [{"name": "p", "lable": "x"}]},
            (
                "teamspace:teams.data.externalConfigurations[0].lable: "
                "unknown key 'lable'; did you mean 'label'?"
            ),
        ),
    ],
)
def test_external_configuration_errors(fields, expected):
    error = Template.synth(minimal_config(teams=team(**fields)), expect_error=True).result.error
    assert isinstance(error, ConfigError) and expected in str(error)


def test_dev_stack_declares_every_new_kind():
    """The dev stack exercises members, the default-editor patch and the nightly stop, so the
    all-objects schema test (tests/test_program.py) validates each of these kinds."""
    template = Template.synth(stack_config("dev"))
    kinds = {r.manifest["kind"] for r in template.registrations if r.type.startswith("kubernetes:")}
    assert {"AuthorizationPolicy", "RoleBinding", "Role", "ServiceAccount", "CronJob"} <= kinds
    template.resource_count_is(SA_PATCH, 2)  # both teams have the registry pull secret


def test_notebook_kinds_unchanged_by_sharing():
    """The dev stack still renders its five notebooks; the new objects add, they do not replace."""
    Template.synth(stack_config("dev")).resource_count_is(NOTEBOOK, 5)
