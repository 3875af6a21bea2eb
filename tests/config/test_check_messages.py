"""Cross-key problems named exactly: registry credentials, shared namespaces, and the lists
of what is known that an error offers. Config layer only (`config.load`)."""

from __future__ import annotations

from typing import Any

import pytest

from config.quantities import parse_quantity

from .loading import KUBEFLOW_URL, encoded, problems

NOTEBOOK = {"name": "lab", "type": "jupyter", "image": "ghcr.io/x/jupyter:v1"}


def values(**config: Any) -> dict[str, str]:
    """Config values as the CLI passes them (objects JSON-encoded), one notebook unless given."""
    return encoded({"kubeflowUrl": KUBEFLOW_URL, "teams": {"data": {"notebooks": [NOTEBOOK]}}, **config})


REGISTRY = {"server": "nexus.example.com", "username": "pusher"}


# --- registry credentials ----------------------------------------------------------------------


def test_images_need_a_registry_password():
    found = problems(values(registry=REGISTRY, images={"jupyter": {"type": "jupyter"}}))
    assert found == [
        "teamspace:registryPassword: required when teamspace:images is set; "
        "set it with `pulumi config set --secret teamspace:registryPassword`"
    ]


def test_a_registry_password_needs_a_username():
    found = problems(values(registry={"server": "nexus.example.com"}, registryPassword="pw"))
    assert found == ["teamspace:registry.username: required when teamspace:registryPassword is set"]
    assert problems(values(registry={"server": "nexus.example.com"})) == []


@pytest.mark.parametrize(
    "given, missing", [("pullUsername", "pullPassword"), ("pullPassword", "pullUsername")]
)
def test_a_pull_credential_needs_both_halves(given, missing):
    found = problems(values(registry=REGISTRY, **{given: "x"}))
    assert found == [f"teamspace:{missing}: pullUsername and pullPassword must be set together"]


def test_an_empty_pull_password_is_refused():
    """Not a silent fallback to the push credential, which pullUsername was set to avoid."""
    found = problems(values(registry=REGISTRY, registryPassword="pw", pullUsername="reader", pullPassword=""))
    assert found == ["teamspace:pullPassword: must not be empty (the clusters would pull with the push one)"]


def test_a_pull_credential_needs_a_registry():
    found = problems(values(pullUsername="reader", pullPassword="pw"))
    assert found == ["teamspace:registry: required when a pull credential is set"]


# --- namespaces ---------------------------------------------------------------------------------


def test_a_default_namespace_taken_by_another_team_names_the_team():
    """Team `b` wrote no namespace (it defaults to `b`): the problem is at teams.b, not teams.b.namespace."""
    teams = {"a": {"namespace": "b", "notebooks": [NOTEBOOK]}, "b": {"notebooks": [NOTEBOOK]}}
    assert problems(values(teams=teams)) == [
        "teamspace:teams.b: namespace 'b' is also used by team(s) a; each team needs its own"
    ]


def test_every_earlier_team_of_a_shared_namespace_is_listed():
    teams = {key: {"namespace": "shared", "notebooks": [NOTEBOOK]} for key in ("a", "b", "c")}
    assert problems(values(teams=teams)) == [
        "teamspace:teams.b.namespace: namespace 'shared' is also used by team(s) a; each team needs its own",
        "teamspace:teams.c.namespace: namespace 'shared' is also used by team(s) a, b; "
        "each team needs its own",
    ]


# --- what is known ------------------------------------------------------------------------------


def test_an_unknown_team_volume_lists_the_teams_volumes():
    team = {
        "volumes": {"b": {"size": "1Gi"}, "a": {"size": "1Gi"}},
        "notebooks": [{**NOTEBOOK, "mounts": {"c": "/c"}}],
    }
    assert problems(values(teams={"data": team})) == [
        "teamspace:teams.data.notebooks[0] (lab).mounts.c: unknown team volume 'c'; known: a, b"
    ]


@pytest.mark.parametrize(
    "images, known", [({}, "none declared"), ({"r": {"type": "rstudio"}, "j": {"type": "jupyter"}}, "j, r")]
)
def test_an_unknown_image_lists_the_images_and_what_a_reference_looks_like(images, known):
    config = values(
        teams={"data": {"notebooks": [{"name": "lab", "type": "jupyter", "image": "jupyterr"}]}},
        images=images,
        registry=REGISTRY,
        registryPassword="pw",
    )
    assert problems(config) == [
        "teamspace:teams.data.notebooks[0] (lab).image: unknown image 'jupyterr': "
        f"not a key of teamspace:images (known: {known}) nor a full reference like registry/repo:tag"
    ]


@pytest.mark.parametrize("value", [2, None, b"1Gi"])
def test_parse_quantity_refuses_what_is_not_a_string_with_a_value_error(value):
    with pytest.raises(ValueError):
        parse_quantity(value)
