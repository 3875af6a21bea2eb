"""The stack file `make adopt` writes (adopt/stack_file.py, from adopt/build.py and teams.py):
its whole text for each adoption fixture (expected files in tests/fixtures/adopt/stacks/, read
and checked by hand) and its bytes, whatever the machine."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from adopt import adopt
from adopt.build import Adoption
from adopt.reader import Inventory
from adopt.stack_file import dump, read_config, write
from tests.adoption import FIXTURES, URL, adopted, fixture_documents


def test_the_stack_file_is_utf_8_even_where_the_default_encoding_is_not(tmp_path: Path, monkeypatch):
    documents = fixture_documents("web_app")
    for document in documents:
        if document["kind"] == "PodDefault" and document["metadata"]["name"] == "proxy":
            document["spec"]["desc"] = "Proxy für das Labor"
    adoption = adopt(documents, URL)
    assert adoption.config["teams"]["team-alice"]["configurations"]["proxy"]["desc"] == "Proxy für das Labor"
    # What a file opened without an encoding gets on a cp1252 (Windows) or Latin-1 machine.
    default = io.text_encoding
    monkeypatch.setattr(io, "text_encoding", lambda encoding, *rest: encoding or "cp1252")
    write(adoption, tmp_path / "Pulumi.adopted.yaml")
    monkeypatch.setattr(io, "text_encoding", default)
    text = (tmp_path / "Pulumi.adopted.yaml").read_bytes().decode("utf-8")
    assert text == dump(adoption)
    assert read_config(text)["teamspace:teams"] == adoption.config["teams"]


@pytest.mark.parametrize("fixture", ["field_notes", "gpu", "profile_quota", "refused", "stopped", "web_app"])
def test_the_stack_file_of_each_fixture_is_exactly_its_expected_text(fixture: str):
    expected = (FIXTURES / "stacks" / f"{fixture}.yaml").read_text(encoding="utf-8")
    assert dump(adopted(fixture)) == expected


@pytest.mark.parametrize("length, lines", [(4067, [4096]), (4068, [4096, 5])])
def test_a_line_is_folded_only_past_4096_characters_and_reads_back_the_same(length: int, lines: list[int]):
    value = "x" * length + " y z"
    text = dump(Adoption({"kubeflowUrl": value}, {}, [], Inventory()))
    assert [len(line) for line in text.split("\nconfig:\n", 1)[1].splitlines()] == lines
    assert read_config(text)["teamspace:kubeflowUrl"] == value
