"""devtools/rendered_record.py: what each file of `make plan` records besides the manifest, as the
current renderer writes it and as older renderers (which render a plan diff's base) wrote it."""

from __future__ import annotations

from devtools.render import rendered_objects, tracked_resources
from devtools.rendered_record import from_document, legacy_id, options_entry
from devtools.volume_fate import ANCESTOR_TYPES, PARENT_TYPE

from .harness import Template, minimal_config

STACK = "urn:pulumi:dev::teamspace"


def test_rendered_files_carry_id_and_identity():
    """Every rendered object records its id; data-holding ones also protect, retain, URN and aliases."""
    config = minimal_config(
        teams={"data": {"notebooks": [{"name": "lab2", "previousName": "lab", "type": "jupyter"}]}}
    )
    result = Template.synth(config).result
    objects = rendered_objects(result)
    for object_id, document in objects.items():
        assert document["x-pulumi-options"]["id"] == object_id
        assert from_document(document, "ignored.yaml").id == object_id
    claim = objects["PersistentVolumeClaim/data/lab-workspace"]["x-pulumi-options"]
    # The offline runtime writes the engine's URNs: every ancestor's type (devtools/urns.py).
    assert claim["protect"] and claim["retainOnDelete"] and claim["urnTypes"] == ANCESTOR_TYPES
    assert any(alias.endswith("::data-lab-home") for alias in claim["aliases"])
    assert set(objects["Notebook/data/lab2"]["x-pulumi-options"]) == {"id"}
    tracked = {r.id: r for r in tracked_resources(result)}["PersistentVolumeClaim/data/lab-workspace"]
    read = from_document(objects["PersistentVolumeClaim/data/lab-workspace"], "x")
    fields = ("id", "urn", "kind", "protect", "retain_on_delete", "aliases", "urn_types")
    assert [getattr(read, f) for f in fields] == [getattr(tracked, f) for f in fields]


def test_files_of_older_renderers_are_read():
    """The base of a plan diff is rendered by older code: no id (the caller's fallback is used),
    name aliases (made URNs under the claim's own type), no urnTypes (parent type only)."""
    urn = f"{STACK}::teamspace:index:NotebookServer$kubernetes:core/v1:PersistentVolumeClaim::data-lab2-home"
    document = {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "lab-workspace", "namespace": "data"},
        "x-pulumi-options": {
            "protect": True,
            "retainOnDelete": True,
            "urn": urn,
            "aliases": ["data-lab-home"],
        },
    }
    resource = from_document(document, "PersistentVolumeClaim_data_lab-workspace.yaml")
    assert resource.id == "PersistentVolumeClaim/data/lab-workspace" and resource.urn == urn
    assert resource.aliases == (urn.rsplit("::", 1)[0] + "::data-lab-home",)
    assert resource.protect and resource.retain_on_delete and resource.urn_types == PARENT_TYPE
    assert "x-pulumi-options" not in resource.manifest
    assert options_entry(resource, with_identity=False) == {"id": resource.id}


def test_legacy_ids():
    """Without a recorded id: Kubernetes objects from their manifest, others from the file name."""
    claim = {"kind": "PersistentVolumeClaim", "metadata": {"name": "x"}}
    assert legacy_id("whatever.yaml", claim) == "PersistentVolumeClaim/_cluster/x"
    image = {"pulumiType": "docker:index/image:Image", "inputs": {}}
    assert legacy_id("Image_jupyter-image.yaml", image) == "Image/jupyter-image"
    assert from_document(image, "Image_jupyter-image.yaml").kind == "Image"
    assert from_document({"metadata": {"name": "x"}}, "Thing_x.yaml").kind == "", (
        "neither kind nor pulumiType"
    )


def test_legacy_ids_need_both_kind_and_metadata_and_split_the_file_name_once():
    """A document missing its kind or its metadata mapping takes its id from the file name, whose
    first `_` alone separates the type from the name (a Pulumi name may hold `_` itself)."""
    assert legacy_id("Image_my-image.yaml", {"metadata": {"name": "x"}}) == "Image/my-image"
    assert legacy_id("Image_my-image.yaml", {"kind": "Image", "metadata": "x"}) == "Image/my-image"
    assert legacy_id("Image_my_new_image.yaml", {}) == "Image/my_new_image"
