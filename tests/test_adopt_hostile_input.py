"""Malformed or hostile input objects are refused or skipped with a reason, never a crash, and
no value of a Secret reaches the outputs."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adopt import adopt
from adopt.report import report
from adopt.stack_file import dump
from tests.adoption import URL, fixture_documents

BASE = fixture_documents("field_notes", "web_app", "gpu", "profile_quota", "stopped")
JUNK = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.text(max_size=12),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=2),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


# Derandomized like the config fuzzers: a CI run never fails on a draw the last one did not make.
@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_malformed_field_anywhere_is_refused_or_skipped_never_a_crash(data):
    documents = copy.deepcopy(BASE)
    node = data.draw(st.sampled_from(documents))
    for _ in range(data.draw(st.integers(0, 7))):  # walk down to a random node
        children = [
            c
            for c in (node.values() if isinstance(node, dict) else node)
            if isinstance(c, (dict, list)) and c
        ]
        if not children:
            break
        node = data.draw(st.sampled_from(children))
    if isinstance(node, dict):
        node[data.draw(st.sampled_from(sorted(node)))] = data.draw(JUNK)
    else:
        node[data.draw(st.integers(0, len(node) - 1))] = data.draw(JUNK)
    adoption = adopt(documents, URL)
    assert adoption.exit_code in (0, 3)
    report(adoption, "out")
    assert "TEST-SECRET" not in dump(adoption)


def test_a_document_that_is_not_an_object_of_any_kind_is_skipped():
    adoption = adopt(
        [
            *fixture_documents("field_notes"),
            {"kind": "Notebook", "metadata": "x"},
            {"kind": 7, "metadata": {"name": ["x"]}},
        ],
        URL,
    )
    assert adoption.exit_code == 0
    assert "Notebook without a proper metadata.name" in report(adoption, "out")


@pytest.mark.parametrize(
    "field, junk",
    [("name", None), ("name", ["HTTP_PROXY"]), ("value", ["x"]), ("value", 3128), ("value", None)],
)
def test_a_podDefault_env_entry_that_is_not_strings_stays_external(field, junk):
    """Found by the fuzzer above under mutmut's random seed: a None or list name crashed adopt
    (TypeError), and a list value was adopted as the text of the list."""
    documents = fixture_documents("web_app")
    (proxy,) = [d for d in documents if d["kind"] == "PodDefault" and d["metadata"]["name"] == "proxy"]
    proxy["spec"]["env"][0][field] = junk
    adoption = adopt(documents, URL)
    team = adoption.config["teams"]["team-alice"]
    assert adoption.exit_code == 0 and "proxy" not in team.get("configurations", {})
    assert team["externalConfigurations"] == ["access-ml-pipeline", "proxy"]
