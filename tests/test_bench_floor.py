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

import pulumi
import pytest

from devtools.runtime import run_program
from devtools.secret_envelopes import unwrap_secrets
from devtools.stack_config import Secret

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import floor_program  # noqa: E402
from configs import make_config  # noqa: E402


def _identity(result) -> list:
    return sorted(
        (
            r.urn,
            r.type,
            r.parent,
            r.protect,
            r.retain_on_delete,
            sorted(r.ignore_changes),
            sorted(r.depends_on),
            json.dumps(unwrap_secrets(r.inputs), sort_keys=True),
        )
        for r in result.registrations
    )


@pytest.fixture(scope="module")
def recording():
    config = make_config(7, team_size=3, secret=Secret)
    caught = floor_program.TypedInputs()
    result = run_program(
        config, stack="bench", record_outputs=True, program=floor_program.recording_program(caught)
    )
    assert result.error is None, result.error
    return config, result, caught


def test_recording_changes_nothing_the_program_registers(recording):
    """Catching the typed inputs (a stack transformation) leaves the program's registrations as they are."""
    config, program, _ = recording
    plain = run_program(config, stack="bench", record_outputs=True)
    assert plain.error is None, plain.error
    assert _identity(plain) == _identity(program)
    assert plain.component_outputs == program.component_outputs


@pytest.mark.parametrize("typed_inputs", [False, True], ids=["plain", "typed"])
@pytest.mark.parametrize("register_outputs", [False, True], ids=["bare", "outputs"])
def test_floor_makes_the_programs_registrations(recording, typed_inputs, register_outputs):
    """Same URNs, types, parents, options, dependencies and inputs; with outputs, the same
    component outputs too."""
    config, program, caught = recording
    steps = floor_program.prepare(
        program.registrations, program.component_outputs, typed_inputs=caught if typed_inputs else None
    )
    replayed = run_program(
        config, stack="bench", program=floor_program.floor(steps, register_outputs), record_outputs=True
    )
    assert replayed.error is None, replayed.error
    assert _identity(replayed) == _identity(program)
    expected_outputs = program.component_outputs if register_outputs else {}
    assert {
        urn: out for urn, out in replayed.component_outputs.items() if urn in expected_outputs or out
    } == expected_outputs


def _values(value):
    """Every leaf and object inside an input tree (input-type objects through their fields)."""
    yield value
    children = (
        value.values()
        if isinstance(value, dict)
        else value
        if isinstance(value, list)
        else (vars(value).values() if hasattr(value, "__dict__") and not isinstance(value, type) else ())
    )
    for child in children:
        yield from _values(child)


def test_typed_floor_passes_input_type_instances_without_outputs(recording):
    """The typed floor hands the SDK the program's input types (resolved: no Output of the
    recording run is left in them), the plain one dicts."""
    from pulumi_kubernetes.core.v1 import PersistentVolumeClaimSpecArgs, PodTemplateSpecArgs

    _, program, caught = recording
    typed = floor_program.prepare(program.registrations, typed_inputs=caught)
    plain = floor_program.prepare(program.registrations)
    assert len(caught.by_urn) == sum(r.custom for r in program.registrations)
    claim = next(s for s in typed if s.type == "kubernetes:core/v1:PersistentVolumeClaim")
    notebook = next(s for s in typed if s.kwargs.get("kind") == "Notebook")
    assert isinstance(claim.kwargs["spec"], PersistentVolumeClaimSpecArgs)
    assert isinstance(notebook.kwargs["spec"].template, PodTemplateSpecArgs)
    assert not any(isinstance(v, pulumi.Output) for s in typed for v in _values(s.kwargs))
    images = [
        v
        for s in typed
        if s.kwargs.get("kind") == "Notebook"
        for v in _values(s.kwargs)
        if isinstance(v, str) and "@sha256:" in v
    ]
    assert images, "the Notebooks' image digests (Outputs in the program) are resolved values"
    assert all(not hasattr(s.kwargs.get("spec"), "__dict__") for s in plain if s.custom)
