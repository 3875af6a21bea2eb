"""The benchmark's floors replay exactly the program's registrations (bench/README.md).

The benchmark itself is not part of the suite (it takes many minutes); this keeps its
yardstick honest: if the program's registrations change and the floor could not replay them
(a new resource type, a new input type), these tests fail rather than the benchmark
silently comparing against something else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from offline.runtime import run_program, unwrap_secrets
from offline.stack_config import Secret

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import floor_program  # noqa: E402
from configs import make_config  # noqa: E402


def _identity(result) -> list:
    return sorted((r.urn, r.type, r.parent, r.protect, r.retain_on_delete, sorted(r.ignore_changes),
                   sorted(r.depends_on),
                   json.dumps(unwrap_secrets(r.inputs), sort_keys=True)) for r in result.registrations)


@pytest.fixture(scope="module")
def recording():
    config = make_config(7, team_size=3, secret=Secret)
    result = run_program(config, stack="bench", record_outputs=True)
    assert result.error is None, result.error
    return config, result


@pytest.mark.parametrize("typed_inputs", [False, True], ids=["plain", "typed"])
@pytest.mark.parametrize("register_outputs", [False, True], ids=["bare", "outputs"])
def test_floor_makes_the_programs_registrations(recording, typed_inputs, register_outputs):
    """Same URNs, types, parents, options, dependencies and inputs; with outputs, the same
    component outputs too."""
    config, program = recording
    floor_program.PLAN = floor_program.prepare(program.registrations, program.component_outputs,
                                               typed_inputs=typed_inputs)
    floor_program.REGISTER_OUTPUTS = register_outputs
    try:
        replayed = run_program(config, stack="bench", program=BENCH / "floor_program.py", record_outputs=True)
    finally:
        floor_program.PLAN, floor_program.REGISTER_OUTPUTS = (), False
    assert replayed.error is None, replayed.error
    assert _identity(replayed) == _identity(program)
    expected_outputs = program.component_outputs if register_outputs else {}
    assert {urn: out for urn, out in replayed.component_outputs.items() if urn in expected_outputs or out} \
        == expected_outputs


def test_typed_floor_passes_input_type_instances(recording):
    """The typed floor hands the SDK input types (what the program does), the plain one dicts."""
    from pulumi_kubernetes.core.v1 import PersistentVolumeClaimSpecArgs

    from components.crds import NotebookSpecArgs

    _, program = recording
    typed = floor_program.prepare(program.registrations, typed_inputs=True)
    plain = floor_program.prepare(program.registrations)
    claim = next(s for s in typed if s.type == "kubernetes:core/v1:PersistentVolumeClaim")
    notebook = next(s for s in typed if s.kwargs.get("kind") == "Notebook")
    assert isinstance(claim.kwargs["spec"], PersistentVolumeClaimSpecArgs)
    assert isinstance(notebook.kwargs["spec"], NotebookSpecArgs)
    assert all(not hasattr(s.kwargs.get("spec"), "__dict__") for s in plain if s.custom)
