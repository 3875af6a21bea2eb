"""devtools/config_schema.py: `make schema`'s command line, its rewrite of Pulumi.yaml's head, and the
Pulumi project-config type it gives each shape of top-level annotation."""

from __future__ import annotations

import typing
from typing import Annotated

import pytest
from pydantic import Field, SecretStr

from devtools import config_schema
from devtools.runtime import PROJECT_ROOT


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the generated files in tmp_path, with the module pointed at it."""
    schema = tmp_path / "schemas" / "stack-config.schema.json"
    schema.parent.mkdir()
    schema.write_text("{}\n")  # stale
    pulumi_yaml = tmp_path / "Pulumi.yaml"
    pulumi_yaml.write_text((PROJECT_ROOT / "Pulumi.yaml").read_text())  # fresh
    monkeypatch.setattr(config_schema, "ROOT", tmp_path)
    monkeypatch.setattr(config_schema, "SCHEMA_PATH", schema)
    monkeypatch.setattr(config_schema, "PROJECT_FILE", pulumi_yaml)
    return tmp_path


def test_check_names_each_stale_file_and_a_run_rewrites_it(project, capsys):
    assert config_schema.main(["--check"]) == 1
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == ("", "stack-config.schema.json is stale: run `make schema`\n")
    assert config_schema.main([]) == 0
    assert capsys.readouterr().out == "wrote schemas/stack-config.schema.json\nwrote Pulumi.yaml\n"
    assert (project / "schemas" / "stack-config.schema.json").read_text() == config_schema.render()
    assert config_schema.main(["--check"]) == 0
    assert capsys.readouterr().err == ""


def test_help_says_what_the_command_and_check_do(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")  # argparse wraps at the terminal's width
    with pytest.raises(SystemExit) as exited:
        config_schema.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "`make schema`: write schemas/stack-config.schema.json and Pulumi.yaml's `config:`" in out
    assert "--check     exit 1 if a committed file is stale" in out


@pytest.mark.parametrize("last_line", ["# kept as written  ", "owner: team X"])
def test_the_head_of_pulumi_yaml_is_kept_as_written(last_line):
    head = f"name: teamspace\nruntime: python\n{last_line}"
    current = f"{head}\n\n{config_schema.MARKER}\nconfig: {{}}\n"
    rendered = config_schema.render_project_file(current)
    assert rendered.startswith(f"{head}\n{config_schema.MARKER}\n# Not declared")
    assert rendered == config_schema.render_project_file(rendered)


def test_a_duplicated_generated_block_is_replaced_by_one():
    head = "name: teamspace\nruntime: python"
    once = config_schema.render_project_file(head + "\n")
    twice = once + once.split(head, 1)[1]  # e.g. a merge that kept both sides' blocks
    assert twice.count(config_schema.MARKER) == 2
    assert config_schema.render_project_file(twice) == once


@pytest.mark.parametrize(
    "annotation,pulumi_type",
    [
        (bool, "boolean"),
        # typing.Optional makes a typing.Union; `X | None` a types.UnionType: the code sees both
        (typing.Optional[bool], "boolean"),  # noqa: UP045
        (int, "integer"),
        (int | None, "integer"),
        (Annotated[int, Field(ge=0)], "integer"),
        (Annotated[int | None, Field(ge=0)], "integer"),
        (typing.Optional[Annotated[int, Field(ge=0)]], "integer"),  # noqa: UP045
        (SecretStr | None, "string"),
        (tuple[str, ...] | None, "array"),
        (dict[str, int] | None, "object"),
    ],
)
def test_project_type_sees_through_optional_and_annotated(annotation, pulumi_type):
    assert config_schema.project_type(annotation) == pulumi_type
