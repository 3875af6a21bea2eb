"""schemas/stack-config.schema.json and Pulumi.yaml's config declarations follow the config model."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import referencing
from hypothesis import given, settings
from pydantic import SecretStr

from config.model import TeamspaceConfig
from config.notebook_spec import NotebookSpec
from devtools import config_schema
from devtools.runtime import PROJECT_ROOT
from devtools.stack_yaml import read_stack_document

from .fuzz_strategies import FUZZ, valid_configs
from .harness import STACKS, UPSTREAM_SCHEMAS

SCHEMA = json.loads(config_schema.SCHEMA_PATH.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
CONFIG_VALIDATOR = jsonschema.Draft202012Validator(
    {"$ref": f"{config_schema.SCHEMA_ID}#/$defs/StackConfig"},
    registry=referencing.Registry().with_resource(
        config_schema.SCHEMA_ID, referencing.Resource.from_contents(SCHEMA)
    ),
)


def test_committed_files_equal_the_generated_ones():
    """After a model change, `make schema` regenerates both; this fails until it is run."""
    for path, text in config_schema.outputs().items():
        assert path.read_text() == text, f"{path.name} is stale: run `make schema`"
    assert config_schema.main(["--check"]) == 0


def test_schema_is_valid_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _described(node, at="#"):
    """Every property schema without a description, as JSON pointers."""
    missing = []
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and "description" not in prop:
                missing.append(f"{at}/properties/{name}")
        for key, value in node.items():
            missing += _described(value, f"{at}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing += _described(value, f"{at}/{index}")
    return missing


def test_every_field_has_its_docstring_as_description():
    assert _described(SCHEMA["$defs"]) == []
    notebook = SCHEMA["$defs"]["NotebookSpec"]["properties"]
    assert notebook["stopped"]["description"] == NotebookSpec.model_fields["stopped"].description
    config = SCHEMA["$defs"]["StackConfig"]["properties"]
    assert (
        config["teamspace:kubeflowUrl"]["description"]
        == TeamspaceConfig.model_fields["kubeflow_url"].description
    )


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_file_validates(stack):
    document = read_stack_document(PROJECT_ROOT / f"Pulumi.{stack}.yaml")
    assert list(VALIDATOR.iter_errors(document)) == []
    assert list(CONFIG_VALIDATOR.iter_errors(document["config"])) == []


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_file_points_editors_at_the_schema(stack):
    first = (PROJECT_ROOT / f"Pulumi.{stack}.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=./schemas/stack-config.schema.json"


def _dev_config() -> dict:
    return copy.deepcopy(read_stack_document(PROJECT_ROOT / "Pulumi.dev.yaml")["config"])


def _errors(config: dict) -> list[str]:
    """Every error's path, including those inside anyOf branches (an Optional field is an anyOf)."""
    found, pending = [], list(CONFIG_VALIDATOR.iter_errors(config))
    while pending:
        error = pending.pop()
        found.append(f"{error.json_path}: {error.validator}")
        pending += error.context or []
    return sorted(found)


@pytest.mark.parametrize(
    "edit,where",
    [
        (lambda c: c.update({"teamspace:protectVolume": True}), "$"),
        (lambda c: c["teamspace:teams"]["matilda"]["notebooks"][0].update(stopped="ture"), "stopped"),
        (lambda c: c["teamspace:teams"]["matilda"]["notebooks"][0].update(sise="small"), "notebooks[0]"),
        (lambda c: c["teamspace:registry"].update(insecure={"secure": "v1:x"}), "insecure"),
        (lambda c: c.pop("teamspace:kubeflowUrl"), "$"),
        (lambda c: c["teamspace:teams"]["matilda"]["notebooks"][0].update(type="emacs"), "type"),
    ],
)
def test_schema_refuses_what_the_model_refuses(edit, where):
    config = _dev_config()
    edit(config)
    errors = _errors(config)
    assert errors and any(where in e for e in errors), errors


def test_secure_values_only_where_secrets_go_and_provider_keys_pass():
    config = _dev_config()
    config["teamspace:pullUsername"] = "reader"
    config["teamspace:pullPassword"] = {"secure": "v1:abc"}
    config["teamspace:secrets"]["other"] = {"secure": "v1:def"}
    config["kubernetes:context"] = "dev-cluster"
    config["aws:region"] = "eu-west-1"
    config["teamspace:teams"]["matilda"]["notebooks"][0]["cpu"] = 3  # YAML numbers are quantities too
    assert _errors(config) == []
    config["teamspace:kubeflowUrl"] = {"secure": "v1:x"}
    assert _errors(config) != []


# --- Pulumi.yaml: project-level config declarations -------------------------------------------


def _project() -> dict:
    return read_stack_document(PROJECT_ROOT / "Pulumi.yaml")


def test_project_file_validates_against_the_clis_own_schema():
    cli_schema = json.loads((UPSTREAM_SCHEMAS / "pulumi-project.schema.json").read_text())
    assert list(jsonschema.Draft202012Validator(cli_schema).iter_errors(_project())) == []


def _cli_accepts(type_name: str, value) -> bool:
    """The CLI's ValidateConfigValue (sdk/go/common/workspace/project.go) for the types used here."""
    return {
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool) or value in ("true", "false"),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
    }[type_name]


def test_declarations_match_the_model():
    declared = _project()["config"]
    fields = {f"teamspace:{f.alias}": f for f in TeamspaceConfig.model_fields.values()}
    assert set(declared) | set(config_schema.undeclared_keys()) == set(fields)
    for key, declaration in declared.items():
        field = fields[key]
        assert declaration["description"] == field.description, key
        if field.is_required():
            assert "default" not in declaration, key
        else:  # the CLI passes the default when a stack omits the key: it must mean what the model's does
            assert _cli_accepts(declaration["type"], declaration["default"]), key
            assert TeamspaceConfig.model_validate(
                {"kubeflowUrl": "https://k", field.alias: declaration["default"]}
            ) == TeamspaceConfig.model_validate({"kubeflowUrl": "https://k"}), key
        secret = field.annotation is SecretStr or "SecretStr" in str(field.annotation)
        assert not (declaration.get("secret") and "default" in declaration), key
        assert declaration.get("secret", False) == (secret and field.is_required()), key
    assert declared["teamspace:protectVolumes"] == {
        "type": "boolean",
        "description": fields["teamspace:protectVolumes"].description,
        "default": True,
    }
    assert declared["teamspace:teams"]["type"] == "object"
    # A declared key without a default is required by the CLI: only required keys may be like that.
    assert [k for k, d in declared.items() if "default" not in d] == ["teamspace:kubeflowUrl"]
    assert set(config_schema.undeclared_keys()) == {
        "teamspace:registry",
        "teamspace:registryPassword",
        "teamspace:pullUsername",
        "teamspace:pullPassword",
    }


def test_make_schema_is_one_command():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "\nschema: venv\n\t$(PY) -m devtools.config_schema\n" in makefile
    assert Path(config_schema.__file__).name == "config_schema.py"


@settings(FUZZ, max_examples=40)
@given(valid_configs())
def test_every_config_the_model_accepts_passes_the_schema(config):
    """The schema is generated from the model, so it never refuses what the program accepts."""
    assert _errors(json.loads(json.dumps(config))) == []
