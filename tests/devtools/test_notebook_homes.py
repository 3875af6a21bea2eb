"""devtools/notebook_homes.py on hand-made Notebooks: which notebooks would open a home other than
their own after a change (another's, a new claim, or each other's when entries swap names)."""

from __future__ import annotations

from config.presets import HOME
from devtools.notebook_homes import home_changes
from devtools.volume_fate import Tracked


def notebook(name: str, home: str | None = None, image: str = "jupyter", namespace: str = "team") -> Tracked:
    pod = {
        "volumes": [{"name": "home", "persistentVolumeClaim": {"claimName": home or f"{name}-workspace"}}],
        "containers": [{"name": name, "image": image, "volumeMounts": [{"name": "home", "mountPath": HOME}]}],
    }
    manifest = {
        "kind": "Notebook",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": {"spec": pod}},
    }
    return Tracked(
        f"Notebook/{namespace}/{name}",
        f"urn:pulumi:dev::teamspace::kubeflow:Notebook::{name}",
        "Notebook",
        manifest,
    )


def test_an_unchanged_notebook_does_not_hide_a_later_one_that_opens_a_new_claim():
    """Notebooks are checked in id order: `a`, unchanged, comes first."""
    before = [notebook("a"), notebook("b")]
    assert home_changes(before, [notebook("a"), notebook("b", home="other")]) == [
        "Notebook/team/b would mount the claim `other` as its home instead of `b-workspace`."
    ]


def test_identical_notebooks_left_as_they_are_are_no_swap():
    """Two entries with the same settings look alike once their own names are blanked: no change."""
    same = [notebook("a"), notebook("b")]
    assert home_changes(same, same) == []


def test_entries_that_swap_names_are_found_past_a_pair_that_looks_alike():
    """`a` and `b` have the same settings (no swap between them), `a` and `c` exchange theirs: the
    pair is still reported, with each notebook's old and new settings named."""
    before = [notebook("a"), notebook("b"), notebook("c", image="rstudio")]
    after = [notebook("a", image="rstudio"), notebook("b"), notebook("c")]
    assert home_changes(before, after) == [
        "Notebook/team/a and Notebook/team/c swap names: `a` gets the settings (image, type, size) of `c` "
        "and the other way round, while each home claim stays with its name, so each notebook would open "
        "the other's home."
    ]
