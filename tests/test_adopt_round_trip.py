"""Issue 13, points 2 and 5: the generated stack, run by the program, reproduces what it adopted."""

from __future__ import annotations

import pytest

from adopt import adopt
from devtools.runtime import run_program
from tests.adoption import (
    NOTEBOOK,
    PVC,
    URL,
    adopted,
    assert_reproduced,
    fixture_documents,
    live_objects,
    needs_external_configurations,
    objects_of,
    run_generated,
    web_app_without_external,
)
from tests.harness import STACKS, stack_config


def _round_trip(stack):
    original = run_program(stack_config(stack), stack=stack)
    assert original.error is None
    adoption = adopt(live_objects(original), URL)
    assert adoption.exit_code == 0, adoption.problems
    again = run_generated(adoption)
    for type_ in (NOTEBOOK, PVC):
        assert objects_of(again, type_) == objects_of(original, type_)
    return adoption


def test_prod_stack_round_trips_exactly():
    """adopt(render(prod)) renders every Notebook and claim manifest exactly as before."""
    adoption = _round_trip("prod")
    assert "Profile/matilda" in adoption.config["adopt"]


@needs_external_configurations
def test_dev_stack_round_trips_exactly():
    """dev selects an S3 PodDefault whose Secret values the tool never reads: it stays external."""
    adoption = _round_trip("dev")
    assert adoption.config["teams"]["team-vision"]["externalConfigurations"] == ["s3"]


def test_every_project_stack_is_covered():
    assert set(STACKS) == {"dev", "prod"}  # a new stack file needs its own round-trip test above


def test_field_notes_template_round_trips():
    documents = fixture_documents("field_notes")
    adoption = adopted("field_notes")
    assert adoption.exit_code == 0
    assert_reproduced(documents, run_generated(adoption), added_server_type=True)


@pytest.mark.parametrize("fixture", ["gpu", "stopped", "profile_quota"])
def test_fixture_round_trips(fixture):
    documents = fixture_documents(fixture)
    adoption = adopted(fixture)
    assert adoption.exit_code == 0, adoption.problems
    assert_reproduced(documents, run_generated(adoption))


def test_web_app_notebooks_round_trip_with_their_managed_configurations():
    """Each server type with data volumes, a shared read-only claim, tolerations, the web app's
    anti-affinity preset and a PodDefault teamspace takes over. (The Pipelines PodDefault is an
    external configuration: the full fixture is the next test.)"""
    adoption = web_app_without_external()
    assert adoption.exit_code == 0, adoption.problems
    documents = fixture_documents("web_app")
    for document in documents:
        if document["kind"] == "Notebook":
            document["metadata"]["labels"].pop("access-ml-pipeline", None)
    assert_reproduced(documents, run_generated(adoption))


@needs_external_configurations
def test_web_app_notebooks_round_trip_with_external_configurations():
    documents = fixture_documents("web_app")
    adoption = adopted("web_app")
    assert adoption.exit_code == 0, adoption.problems
    assert_reproduced(documents, run_generated(adoption))


def test_refused_notebooks_leave_a_stack_that_still_runs():
    documents = fixture_documents("refused")
    adoption = adopted("refused")
    assert adoption.exit_code == 3
    result = run_generated(adoption)
    assert set(objects_of(result, NOTEBOOK)) == {("lab", "fine")}
    assert set(objects_of(result, PVC)) == {("lab", "fine-workspace")}
    assert_reproduced([d for d in documents if d["metadata"]["name"] in ("fine", "fine-workspace")], result)
