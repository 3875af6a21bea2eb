"""Messages a user can act on: each names the key, the value, and what to write instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from config import ConfigError, load
from devtools import plan
from devtools.runtime import PROJECT_ROOT

NB = "teams.matilda.notebooks[1] (reports)"


def _config(**notebook) -> dict:
    return {
        "kubeflowUrl": "https://kubeflow.example.com",
        "images": {"jupyter": {"type": "jupyter"}, "rstudio": {"type": "rstudio"}},
        "registry": {"server": "nexus.example.com", "username": "u"},
        "registryPassword": "p",
        "affinities": {"a100": {"required": [{"key": "gpu", "values": ["a100"]}]}},
        "teams": {
            "matilda": {
                "volumes": {"datasets": {"size": "10Gi"}},
                "configurations": {"pipelines": {"pipelines": True}},
                "notebooks": [
                    {"name": "analysis", "type": "jupyter"},
                    {"name": "reports", "type": "rstudio", **notebook},
                ],
            }
        },
    }


def _problems(config: dict) -> list[str]:
    with pytest.raises(ConfigError) as error:
        load(config)
    return [str(p) for p in error.value.problems]


@pytest.mark.parametrize(
    "notebook,expected",
    [
        ({"stopped": "ture"}, f"teamspace:{NB}.stopped: 'ture' is not a boolean; write true or false"),
        (
            {"size": "meduim"},
            f"teamspace:{NB}.size: unknown size 'meduim'; did you mean 'medium'? known: large, medium, small",
        ),
        (
            {"image": "rstuido"},
            f"teamspace:{NB}.image: unknown image 'rstuido': did you mean 'rstudio'? "
            "not a key of teamspace:images",
        ),
        (
            {"configurations": ["pipeline"]},
            f"teamspace:{NB}.configurations[0]: unknown configuration 'pipeline'; "
            "did you mean 'pipelines'? known: pipelines",
        ),
        (
            {"affinity": "a10"},
            f"teamspace:{NB}.affinity: unknown affinity preset 'a10'; did you mean 'a100'? known: a100",
        ),
        (
            {"mounts": {"dataset": "/home/jovyan/data"}},
            (
                f"teamspace:{NB}.mounts.dataset: "
                "unknown team volume 'dataset'; did you mean 'datasets'? known: datasets"
            ),
        ),
        (
            {"memory": "8GB"},
            f"teamspace:{NB}.memory: '8GB' is not a Kubernetes quantity; did you mean '8Gi'?",
        ),
        (
            {"homeSize": "10gi"},
            f"teamspace:{NB}.homeSize: '10gi' is not a Kubernetes quantity; did you mean '10Gi'?",
        ),
        ({"sise": "small"}, f"teamspace:{NB}.sise: unknown key 'sise'; did you mean 'size'?"),
    ],
)
def test_a_notebook_problem_names_key_value_and_fix(notebook, expected):
    problems = _problems(_config(**notebook))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_far_off_name_gets_no_guess():
    (problem,) = _problems(_config(size="enormous"))
    assert "did you mean" not in problem and "known: large, medium, small" in problem


def test_top_level_boolean_and_size_affinity():
    config = _config()
    config["protectVolumes"] = "ture"
    assert _problems(config) == ["teamspace:protectVolumes: 'ture' is not a boolean; write true or false"]
    config = _config()
    config["sizes"] = {"big": {"cpu": "4", "memory": "16gb", "affinity": "a100"}}
    assert _problems(config) == [
        "teamspace:sizes.big.memory: '16gb' is not a Kubernetes quantity; did you mean "
        "'16Gi'? (e.g. 500m, 2, 1Gi, 512Mi)"
    ]
    config["sizes"]["big"].update(memory="16Gi", affinity="a10")
    assert _problems(config) == [
        "teamspace:sizes.big.affinity: unknown affinity preset 'a10'; did you mean 'a100'? known: a100"
    ]


def test_the_plain_http_warning_prints_once_per_run(capsys, tmp_path):
    """dev has four images (one a notebook's own) on an insecure registry: one warning line."""
    assert plan.main(["--stack", "dev", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("insecure-registries") == 1 and err.count("is plain HTTP") == 1, err


def test_plan_of_a_missing_stack_lists_the_stacks(capsys, tmp_path):
    assert plan.main(["--stack", "staging", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no stack file Pulumi.staging.yaml" in err and "stacks here: dev, prod" in err
    assert "Traceback" not in err


def _make(*args: str) -> subprocess.CompletedProcess:
    make = shutil.which("make")
    if make is None:
        if os.environ.get("CI") == "true":
            pytest.fail("make is missing on CI")
        pytest.skip("make is not installed here; CI has it")
    # `-o venv`: use the interpreter running these tests instead of (re)building ./venv.
    return subprocess.run(
        [make, "-s", "-o", "venv", f"PY={sys.executable}", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_help_lists_every_target_with_a_line():
    done = _make("help")
    assert done.returncode == 0, done.stderr
    targets = re.findall(r"^([a-z][a-z-]*):", (PROJECT_ROOT / "Makefile").read_text(), re.M)
    listed = dict(re.findall(r"^  (\S+)\s+(.+)$", done.stdout, re.M))
    assert set(listed) == set(targets) >= {"help", "plan", "plan-diff", "schema", "test"}
    assert all(len(line) > 10 for line in listed.values()), listed


def test_make_plan_of_a_missing_stack_lists_the_stacks():
    done = _make("plan", "STACK=staging")
    assert done.returncode != 0 and "stacks here: dev, prod" in done.stderr, done.stderr


def test_make_passes_a_hostile_stack_name_as_data(tmp_path):
    marker = tmp_path / "pwned"
    done = _make("plan", f'STACK=x"; touch {marker}; echo "')
    assert done.returncode != 0 and not marker.exists()
    assert "no stack" in done.stderr
