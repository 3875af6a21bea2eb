"""adopt.reader.files_of: which files `make adopt FROM=...` reads, in which order."""

from __future__ import annotations

from pathlib import Path

import pytest

from adopt.reader import InputError, files_of


def touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")


def test_folders_are_expanded_recursively_sorted_to_yaml_yml_and_json(tmp_path: Path):
    touch(tmp_path, "b.yaml", "a/z.yml", "a/y.json", "c.txt", "d.YAML", "eyaml", "f.yaml.bak", "g/h/i.yaml")
    (tmp_path / "folder.yaml").mkdir()
    assert files_of([str(tmp_path)]) == [
        tmp_path / name for name in ("a/y.json", "a/z.yml", "b.yaml", "g/h/i.yaml")
    ]


def test_named_files_are_read_as_given_in_order_whatever_their_suffix(tmp_path: Path):
    touch(tmp_path, "export.txt", "b.yaml", "sub/a.yaml")
    sources = [str(tmp_path / "export.txt"), str(tmp_path / "sub"), str(tmp_path / "b.yaml")]
    assert files_of(sources) == [tmp_path / "export.txt", tmp_path / "sub" / "a.yaml", tmp_path / "b.yaml"]


def test_a_missing_source_is_named(tmp_path: Path):
    touch(tmp_path, "a.yaml")
    with pytest.raises(InputError) as refused:
        files_of([str(tmp_path / "a.yaml"), "missing/export.yaml"])
    assert str(refused.value) == "missing/export.yaml: no such file or folder"


@pytest.mark.parametrize("sources", [[], ["empty"]])
def test_no_yaml_file_at_all_is_refused(tmp_path: Path, monkeypatch, sources: list[str]):
    monkeypatch.chdir(tmp_path)
    touch(tmp_path, "empty/notes.txt")
    with pytest.raises(InputError) as refused:
        files_of(sources)
    assert str(refused.value) == "no YAML files given (FROM names files or folders of .yaml/.yml/.json)"
