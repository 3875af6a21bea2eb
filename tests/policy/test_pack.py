"""The pack itself: layout, pins, entry point, standalone imports, its quantity parser."""

from __future__ import annotations

import ast
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml

from config.quantities import parse_quantity as program_parse_quantity
from policy.guardrails import rules

from .rule_cases import POLICY_DIR

# --- the pack itself ------------------------------------------------------------------------------


def test_pack_layout_and_pins():
    """PulumiPolicy.yaml names the python runtime; requirements pin pulumi-policy 1.21.0 and its needs."""
    manifest = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    pins = dict(
        line.split("==")
        for line in (POLICY_DIR / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert pins["pulumi-policy"] == "1.21.0"
    assert {"pulumi", "protobuf", "grpcio"} <= set(pins)


def test_pack_entry_point_only_builds_the_pack():
    """policy/__main__.py imports the rules and makes exactly one PolicyPack call; nothing else."""
    tree = ast.parse((POLICY_DIR / "__main__.py").read_text())
    calls = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    assert calls.count("PolicyPack") == 1
    assert not any(isinstance(node, (ast.FunctionDef, ast.ClassDef)) for node in tree.body)
    pack_call = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "PolicyPack"
    )
    assert {k.arg for k in pack_call.keywords} >= {"name", "policies"}


def test_rules_import_standalone_without_the_program():
    """rules.py imports with only policy/ on sys.path (as the CLI
    runs the pack): no config, pydantic or SDK run.
    """
    code = (
        "import sys; import guardrails.rules as rules; "
        "bad = {'config', 'pydantic', 'devtools', 'components'} & set(sys.modules); "
        "assert not bad, bad; print(len(rules.POLICIES))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=POLICY_DIR, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(rules.POLICIES)


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "1",
        "500m",
        "0.5",
        "1.",
        ".5",
        "1Gi",
        "1229Mi",
        "2Ti",
        "1k",
        "1M",
        "1e3",
        "1E3",
        "2E",
        "100n",
        "3u",
        "+4",
        "1.5Ki",
    ],
)
def test_pack_quantity_parser_agrees_with_the_program(text):
    """The pack's own quantity parser gives the program's value for every quantity spelling."""
    assert rules.parse_quantity(text) == program_parse_quantity(text)


@pytest.mark.parametrize("text", ["", "1 Gi", "Gi", "1GB", "abc", "1.2.3", "--1"])
def test_pack_quantity_parser_rejects_non_quantities(text):
    """Strings that are not Kubernetes quantities raise ValueError, so a rule reports them."""
    with pytest.raises(ValueError):
        rules.parse_quantity(text)
    assert isinstance(rules.parse_quantity(2), Decimal)
