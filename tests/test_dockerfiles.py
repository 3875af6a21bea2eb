"""The real notebook Dockerfiles under images/: hadolint, the image rules, the build contexts,
and each RUN step's shell text run locally with apt-get and pip stubbed.

Real builds of these Dockerfiles: tests/integration/test_image_builds.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import get_args

import pytest

from config.fields import NotebookType
from config.presets import BUILD_CONTEXTS

from .dockerfile_rules import (
    CONTEXT_NAMES,
    DELETE_TO_TRASH,
    HOME_TMP,
    JUPYTER_SETTINGS,
    LAB_SETTINGS_DIR,
    REPO,
    arg_declarations,
    copy_operands,
    default_bases,
    dockerfile,
    image_rule_violations,
    is_apt_install,
    is_pip_install,
    jupyter_violations,
    parse_instructions,
)
from .dockerfile_steps import dockerignore_patterns, dockerignored, hadolint_path, only_run, run_step

HADOLINT_CONFIG = REPO / ".hadolint.yaml"
REQUIRED_DOCKERIGNORE = ("*.md", ".git", "__pycache__")


@pytest.mark.parametrize("name", CONTEXT_NAMES)
def test_hadolint_passes(name):
    """hadolint with the repo's .hadolint.yaml reports nothing at or above the threshold."""
    proc = subprocess.run(
        [hadolint_path(), "--no-color", "--config", str(HADOLINT_CONFIG), str(dockerfile(name))],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, f"hadolint failed on images/{name}/Dockerfile:\n{proc.stdout}{proc.stderr}"


def test_hadolint_config_explains_every_ignore():
    """Each rule in .hadolint.yaml's ignored list has a why-comment; no inline ignores hide elsewhere."""
    lines = HADOLINT_CONFIG.read_text().splitlines()
    threshold = [line.split(":", 1)[1].strip() for line in lines if line.startswith("failure-threshold:")]
    assert threshold and threshold[0] in ("warning", "info", "style"), f"failure-threshold: {threshold}"
    start = next(n for n, line in enumerate(lines) if re.match(r"^ignored:\s*(#.*)?$", line))
    ignored = []
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if line.strip() and not line.startswith((" ", "-", "#")):
            break  # next top-level key
        item = re.match(r"^\s*-\s*([A-Z]+[0-9]+)\s*(#.*)?$", line)
        if item:
            ignored.append(item.group(1))
            above = lines[n - 1].strip()
            assert item.group(2) or above.startswith("#"), f"{item.group(1)} is ignored without a comment"
    assert ignored == sorted(set(ignored)), f"ignored rules listed twice or unsorted: {ignored}"
    for name in CONTEXT_NAMES:
        text = dockerfile(name).read_text()
        assert "hadolint ignore" not in text, f"images/{name}: put ignores in .hadolint.yaml, with a reason"


@pytest.mark.parametrize("name", CONTEXT_NAMES)
def test_image_rules_hold(name):
    """The Dockerfile breaks none of the notebook image rules."""
    assert image_rule_violations(dockerfile(name)) == []


@pytest.mark.parametrize("name", CONTEXT_NAMES)
def test_base_image_default(name):
    """BASE_IMAGE defaults to the Kubeflow v1.11.0 base of a type built from this context."""
    first_arg = next(i for i in parse_instructions(dockerfile(name)) if i["instruction"] == "ARG")
    (default,) = arg_declarations(first_arg["value"]).values()
    assert list(arg_declarations(first_arg["value"])) == ["BASE_IMAGE"]
    assert default in default_bases(name), (default, default_bases(name))


def test_every_type_has_a_context_and_rstudio_shares_with_vscode():
    """Each notebook type maps to a folder with a Dockerfile; RStudio and VS Code build from one."""
    assert set(BUILD_CONTEXTS) == set(get_args(NotebookType))
    for kind, context in BUILD_CONTEXTS.items():
        assert (REPO / context / "Dockerfile").is_file(), kind
    assert BUILD_CONTEXTS["rstudio"] == BUILD_CONTEXTS["vscode"] != BUILD_CONTEXTS["jupyter"]


@pytest.mark.parametrize("name", CONTEXT_NAMES)
def test_build_context(name):
    """COPY sources exist and survive .dockerignore, which drops docs, VCS and caches."""
    context = REPO / "images" / name
    patterns = dockerignore_patterns(context)
    for wanted in REQUIRED_DOCKERIGNORE:
        assert wanted in patterns or f"**/{wanted}" in patterns, f"{name}/.dockerignore lacks {wanted}"
    for instr in parse_instructions(context / "Dockerfile"):
        if instr["instruction"] in ("COPY", "ADD"):
            flags, sources, _ = copy_operands(instr["value"])
            if any(f.startswith("--from=") for f in flags):
                continue
            for source in sources:
                assert (context / source).exists(), f"{name}: COPY source {source} is missing"
                assert not dockerignored(source, patterns), f"{name}: {source} is excluded by .dockerignore"


@pytest.mark.parametrize("name", CONTEXT_NAMES)
def test_apt_layer_behaviour(name, tmp_path):
    """The apt RUN is a no-op when empty, installs the given list, and refuses sudo."""
    step = only_run(name, is_apt_install)

    proc, calls = run_step(name, step, tmp_path, {"APT_PACKAGES": ""})
    assert proc.returncode == 0 and calls == [], proc.stderr

    proc, calls = run_step(name, step, tmp_path, {"APT_PACKAGES": " libgl1-mesa-glx  awscli\n"})
    assert proc.returncode == 0, proc.stderr
    install = "apt-get install -y --no-install-recommends libgl1-mesa-glx awscli"
    assert calls[:2] == ["apt-get update", install], calls
    assert len(calls) == 3 and calls[2].startswith("rm -rf /var/lib/apt/lists/"), calls

    proc, calls = run_step(name, step, tmp_path, {"APT_PACKAGES": "curl sudo=1.9.13"})
    assert proc.returncode != 0 and calls == [] and "sudo" in proc.stderr


@pytest.mark.parametrize("name", CONTEXT_NAMES)
def test_pip_layer_behaviour(name, tmp_path):
    """The pip RUN is a no-op when empty and makes one pip call with specifiers and -r file."""
    step = only_run(name, is_pip_install)

    proc, calls = run_step(name, step, tmp_path, {"PIP_PACKAGES": " ", "PIP_REQUIREMENTS": "\n"})
    assert proc.returncode == 0, proc.stderr
    assert not [c for c in calls if c.startswith("pip")], calls

    requirements = "pandas==2.2.3\n# comment\nscikit-learn>=1.5"
    packages = "kfp==1.8.14 jupyterlab-s3-browser s3fs[boto]"
    build_args = {"PIP_PACKAGES": packages, "PIP_REQUIREMENTS": requirements}
    proc, calls = run_step(name, step, tmp_path, build_args)
    assert proc.returncode == 0, proc.stderr
    pip_calls = [c for c in calls if c.startswith("pip")]
    assert len(pip_calls) == 1, calls
    assert pip_calls[0].startswith(f"pip install --no-cache-dir {packages} -r "), pip_calls
    assert (tmp_path / "calls.log.requirements").read_text() == requirements + "\n"

    proc, calls = run_step(name, step, tmp_path, {"PIP_PACKAGES": "", "PIP_REQUIREMENTS": requirements})
    assert proc.returncode == 0, proc.stderr
    assert [c for c in calls if c.startswith("pip")][0].startswith("pip install --no-cache-dir -r ")


def test_jupyter_rules_hold():
    """The JupyterLab image appends delete_to_trash and copies both settings files, chowned."""
    assert jupyter_violations(dockerfile("jupyter")) == []


@pytest.mark.parametrize("source", sorted(JUPYTER_SETTINGS))
def test_jupyter_settings_content(source):
    """Each JupyterLab user-settings file in the build context holds exactly the wanted JSON."""
    with open(REPO / "images" / "jupyter" / source, encoding="utf-8") as handle:
        assert json.load(handle) == JUPYTER_SETTINGS[source]


def test_jupyter_home_defaults_step(tmp_path):
    """The home-defaults RUN creates the settings folders and appends the trash setting."""
    step = only_run("jupyter", lambda v: DELETE_TO_TRASH in v)
    home = tmp_path / "tmp_home" / "jovyan"
    (home / ".jupyter").mkdir(parents=True)
    (home / ".jupyter" / "jupyter_lab_config.py").write_text("c.ServerApp.ip = '0.0.0.0'\n")
    proc, _ = run_step("jupyter", step.replace(HOME_TMP, str(home)), tmp_path, {})
    assert proc.returncode == 0, proc.stderr
    config = (home / ".jupyter" / "jupyter_lab_config.py").read_text()
    assert config == f"c.ServerApp.ip = '0.0.0.0'\n{DELETE_TO_TRASH}\n"
    for source in JUPYTER_SETTINGS:
        target_dir = Path(f"{LAB_SETTINGS_DIR}/{source}").parent.relative_to(HOME_TMP)
        assert (home / target_dir).is_dir(), f"{target_dir} not created before the COPY"
