"""The notebook image rules (images/README.md) as a checker over Dockerfiles.

`image_rule_violations` is the one checker used for the real Dockerfiles
(tests/test_dockerfiles.py) and for the deliberately bad ones (tests/test_dockerfile_rules.py).
The default base per type comes from config/presets.py, as the program's does.
"""

from __future__ import annotations

import re
from pathlib import Path

from config.presets import BUILD_CONTEXTS, DEFAULT_BASE_IMAGES, HOME

from .dockerfile_reading import (
    PIP_INSTALL,
    arg_declarations,
    copy_operands,
    is_apt_install,
    is_pip_install,
    label_map,
    parse_instructions,
    references,
    run_commands,
    runs_with_user,
    shell_words,
    user_name,
)

REPO = Path(__file__).resolve().parents[1]
CONTEXT_NAMES = sorted({Path(context).name for context in BUILD_CONTEXTS.values()})
BUILD_ARGS = ("BASE_IMAGE", "APT_PACKAGES", "PIP_PACKAGES", "PIP_REQUIREMENTS")
PACKAGE_ARGS = BUILD_ARGS[1:]
OPTIONAL_ARGS = ("PIP_INDEX_URL",)  # for hand builds and tests; the program never sets it
NB_USER = "jovyan"
HOME_TMP = "/tmp_home/jovyan"
JUPYTER_CONFIG = f"{HOME_TMP}/.jupyter/jupyter_lab_config.py"
DELETE_TO_TRASH = "c.FileContentsManager.delete_to_trash = False"
LAB_SETTINGS_DIR = f"{HOME_TMP}/.jupyter/lab/user-settings/@jupyterlab"
JUPYTER_SETTINGS = {  # path in the build context -> exact JSON content
    "docmanager-extension/plugin.jupyterlab-settings": {"defaultViewer": {"markdown": "Markdown Preview"}},
    "extensionmanager-extension/plugin.jupyterlab-settings": {"disclaimed": True},
}
REQUIRED_LABELS = ("org.opencontainers.image.title", "org.opencontainers.image.description")


def dockerfile(context_name: str) -> Path:
    return REPO / "images" / context_name / "Dockerfile"


def types_built_from(context_name: str) -> list[str]:
    """The notebook types whose images the program builds from this context."""
    return sorted(t for t, c in BUILD_CONTEXTS.items() if Path(c).name == context_name)


def default_bases(context_name: str) -> set[str]:
    return {DEFAULT_BASE_IMAGES[t] for t in types_built_from(context_name)}


_APT_UPDATE = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*update\b")
_APT_LISTS_CLEANUP = re.compile(r"\brm\s+-(?:rf|fr|r\s+-f|f\s+-r)\s+/var/lib/apt/lists/\*")
_ANY_INSTALL = re.compile(
    r"\bapt(?:-get)?\s+.*\binstall\b|\bapk\s+add\b|\b(?:yum|dnf|microdnf|zypper)\s+.*\binstall\b"
    r"|\bdpkg\s+-i\b|\b(?:conda|mamba|micromamba)\s+install\b|" + PIP_INSTALL.pattern
)
_SUDO_WORD = re.compile(r"(?<![\w./-])sudo(?![\w])")
_GRANTS_GROUP = re.compile(r"\b(?:usermod|adduser|gpasswd|addgroup)\b")
_HOME_DIR = re.compile(r"(?<![\w.-])" + re.escape(HOME) + r"(?![\w.-])")
_HOME_VAR = re.compile(r"\$\{?HOME\b|(?:^|[\s=:\"'])~/")
_USER_OPTION = re.compile(r"(?<!\S)--user(?![\w-])")
_ROOT_USERS = {"root", "0"}


# --- the checker ---------------------------------------------------------------------


def image_rule_violations(path: Path) -> list[str]:
    """Every breach of the notebook image rules in the Dockerfile at `path`."""
    instructions = parse_instructions(path)
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
    if not users or user_name(users[-1]["value"]) != NB_USER:
        found = user_name(users[-1]["value"]) if users else "none in the final stage"
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
            _, _, dest = copy_operands(value)
            if dest != HOME_TMP and not dest.startswith(HOME_TMP + "/"):
                problems.append(f"{at(instr)}: destination {dest!r} is not under {HOME_TMP}")
        if kind == "RUN":
            if _HOME_VAR.search(value):
                problems.append(f"{at(instr)}: writes via $HOME or ~ (= /home/jovyan at build time)")
            for command in run_commands(value):
                if command.split()[0] == "sudo":
                    problems.append(f"{at(instr)}: runs sudo")
                elif _SUDO_WORD.search(command) and (
                    _ANY_INSTALL.search(command) or _GRANTS_GROUP.search(command)
                ):
                    problems.append(f"{at(instr)}: installs or grants sudo: {command!r}")
                if PIP_INSTALL.search(command) and _USER_OPTION.search(command):
                    problems.append(f"{at(instr)}: pip install --user")

    # apt: one root layer that updates, installs without recommends, and cleans up.
    runs = runs_with_user(instructions)
    apt_runs = [(r, u) for r, u in runs if is_apt_install(r["value"])]
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
        if not references(value, "APT_PACKAGES"):
            problems.append(f"{at(run)}: the apt RUN does not use $APT_PACKAGES")

    # pip: as jovyan, without a cache; the two pip build args reach a pip install.
    pip_runs = [(r, u) for r, u in runs if is_pip_install(r["value"])]
    for run, user in pip_runs:
        if user != NB_USER:
            problems.append(f"{at(run)}: pip install runs as {user or 'the base user'}, not {NB_USER}")
        if "--no-cache-dir" not in run["value"]:
            problems.append(f"{at(run)}: pip install without --no-cache-dir")
    if not any(references(r["value"], "PIP_PACKAGES") for r, _ in pip_runs):
        problems.append("no pip install RUN uses $PIP_PACKAGES")
    if not any(
        references(r["value"], "PIP_REQUIREMENTS") and re.search(r"(?<!\S)(-r|--requirement)\b", r["value"])
        for r, _ in pip_runs
    ):
        problems.append("no pip install -r RUN uses $PIP_REQUIREMENTS")

    # Build args: exactly the contract's, in the right scope, package defaults empty.
    global_args: dict[str, str | None] = {}
    for instr in instructions[:first_from]:
        if instr["instruction"] == "ARG":
            global_args.update(arg_declarations(instr["value"]))
    stage_args: dict[str, str | None] = {}
    declared_at: dict[str, int] = {}
    for n, instr in enumerate(final_stage):
        if instr["instruction"] == "ARG":
            for name, default in arg_declarations(instr["value"]).items():
                stage_args[name] = default
                declared_at.setdefault(name, n)
    extra = (set(global_args) | set(stage_args)) - set(BUILD_ARGS) - set(OPTIONAL_ARGS)
    if extra:
        problems.append(f"unexpected build args: {sorted(extra)}")
    if not global_args.get("BASE_IMAGE"):
        problems.append("ARG BASE_IMAGE=<default> must be declared before FROM")
    from_image = shell_words(instructions[last_from]["value"])[0] if instructions[last_from]["value"] else ""
    if from_image not in ("${BASE_IMAGE}", "$BASE_IMAGE"):
        problems.append(f"FROM must use ${{BASE_IMAGE}}, found {from_image!r}")
    for name in PACKAGE_ARGS + OPTIONAL_ARGS:
        if name not in stage_args:
            if name in PACKAGE_ARGS:
                problems.append(f"ARG {name} is not declared in the final stage (RUN cannot see it)")
            continue
        if stage_args[name] is not None and shell_words(stage_args[name]):
            problems.append(f"ARG {name} must default to empty, not {stage_args[name]!r}")
        # A RUN above the ARG sees an empty variable and silently installs nothing.
        early = [
            i
            for i in final_stage[: declared_at[name]]
            if i["instruction"] == "RUN" and references(i["value"], name)
        ]
        problems += [f"{at(i)}: uses ${name} before its ARG is declared" for i in early]

    labels = label_map(instructions)
    problems += [f"missing LABEL {key}" for key in REQUIRED_LABELS if not labels.get(key)]
    return problems


def jupyter_violations(path: Path) -> list[str]:
    """Breaches of the JupyterLab-only rules (trash setting, user-settings files)."""
    instructions = parse_instructions(path)
    problems = []
    appends = [
        c
        for i in instructions
        if i["instruction"] == "RUN"
        for c in run_commands(i["value"])
        if DELETE_TO_TRASH in c
    ]
    append_target = re.compile(r">>\s*[\"']?" + re.escape(JUPYTER_CONFIG) + r"[\"']?\s*$")
    if not any(append_target.search(c) for c in appends):
        problems.append(f"{DELETE_TO_TRASH!r} is not appended (>>) to {JUPYTER_CONFIG}")
    copies = {}
    for instr in instructions:
        if instr["instruction"] == "COPY":
            flags, sources, dest = copy_operands(instr["value"])
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
