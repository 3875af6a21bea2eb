"""URNs as the Pulumi engine builds them: the type part chains every ancestor's type with `$`.

These strings are what `pulumi stack --show-urns` prints for a real stack and what the
`pulumi state ...` recipes in docs/safe-edits.md take, so they are pinned in full.
"""

from __future__ import annotations

import copy

import pytest

from devtools.render import rendered_objects
from devtools.urns import alias_urn, make_urn, split_urn

from .harness import NOTEBOOK, PVC, Template, stack_config

WS = "teamspace:index:TeamWorkspace"
SERVER = "teamspace:index:NotebookServer"
HOME_URN = (
    f"urn:pulumi:dev::teamspace::{WS}${SERVER}$kubernetes:core/v1:PersistentVolumeClaim"
    "::matilda-analysis-home"
)
NOTEBOOK_URN = (
    f"urn:pulumi:dev::teamspace::{WS}${SERVER}$kubernetes:kubeflow.org/v1:Notebook::matilda-analysis-notebook"
)


@pytest.fixture(scope="module")
def dev() -> Template:
    return Template.synth(stack_config("dev"))


def test_a_home_claim_and_a_notebook_have_the_engines_urns(dev):
    assert dev.by_name("matilda-analysis-home").urn == HOME_URN
    assert dev.by_name("matilda-analysis-notebook").urn == NOTEBOOK_URN
    # Top-level components hang under the root stack, whose type the engine leaves out.
    assert dev.by_name("matilda").urn == f"urn:pulumi:dev::teamspace::{WS}::matilda"


def test_the_rendered_plan_carries_the_engines_urn(dev):
    objects = rendered_objects(dev.result)
    assert objects["PersistentVolumeClaim/matilda/analysis-workspace"]["x-pulumi-options"]["urn"] == HOME_URN


def test_every_urn_chains_its_ancestors_types(dev):
    by_urn = {r.urn: r for r in dev.registrations}
    for registration in dev.registrations:
        chain, parent = [registration.type], by_urn.get(registration.parent)
        while parent is not None:
            chain.insert(0, parent.type)
            parent = by_urn.get(parent.parent)
        assert split_urn(registration.urn)[2] == "$".join(chain), registration.name


def test_a_team_rename_aliases_each_resource_to_its_old_urn(dev):
    """previousKey: the new home claim's alias is exactly the URN the old state holds."""
    config = copy.deepcopy(stack_config("dev"))
    teams = config["teamspace:teams"]
    teams["matilda-ds"] = {**teams.pop("matilda"), "previousKey": "matilda"}
    after = Template.synth(config)
    home = after.by_name("matilda-ds-analysis-home")
    assert home.urn == HOME_URN.replace("::matilda-analysis-home", "::matilda-ds-analysis-home")
    assert home.aliases == [HOME_URN]
    assert after.by_name("matilda-ds-analysis-notebook").aliases == [NOTEBOOK_URN]
    assert after.by_name("matilda-ds").aliases == [f"urn:pulumi:dev::teamspace::{WS}::matilda"]
    # Every renamed resource aliases its own old URN (some also carry the provider's aliases
    # to older API versions of their type, e.g. batch/v1beta1 CronJob).
    old = {r.name: r.urn for r in dev.registrations if r.name.startswith("matilda")}
    renamed = [r for r in after.registrations if r.name.startswith("matilda-ds")]
    assert len(renamed) == len(old)
    for registration in renamed:
        assert old["matilda" + registration.name[len("matilda-ds") :]] in registration.aliases, (
            registration.name
        )


def test_alias_specs_collapse_like_the_engine():
    parent = make_urn("dev", "teamspace", "", WS, "team")
    own = dict(stack="dev", project="teamspace", parent_urn=parent, type_=PVC, name="team-new")
    assert alias_urn(**own, alias_name="team-old") == f"urn:pulumi:dev::teamspace::{WS}${PVC}::team-old"
    assert alias_urn(**own, alias_name="x", no_parent=True) == f"urn:pulumi:dev::teamspace::{PVC}::x"
    assert (
        alias_urn(**own, alias_type=NOTEBOOK, alias_stack="prod")
        == f"urn:pulumi:prod::teamspace::{WS}${NOTEBOOK}::team-new"
    )
    root = make_urn("dev", "teamspace", "", "pulumi:pulumi:Stack", "teamspace-dev")
    assert make_urn("dev", "teamspace", root, WS, "team") == parent
    assert split_urn("urn:pulumi:a::b::c$d::n::m") == ("a", "b", "c$d", "n::m")


def test_a_string_that_is_no_urn_is_refused_by_name():
    with pytest.raises(ValueError) as error:
        split_urn("teamspace:index:TeamWorkspace::data")
    assert str(error.value) == "not a Pulumi URN: 'teamspace:index:TeamWorkspace::data'"
