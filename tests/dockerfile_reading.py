"""Reading Dockerfiles for the rule checker: instructions, RUN commands, words, ARGs, users.

Structure comes from dockerfile_parse (one entry per instruction, continuations joined);
regexes only look inside single instruction values.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from dockerfile_parse import DockerfileParser

# Separators between simple commands inside one RUN (||, &&, ;, |, newlines, compound words).
COMMAND_SPLIT = re.compile(r"\|\||&&|;|\||\n|\b(?:then|do|else)\b")
APT_INSTALL = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b")
PIP_INSTALL = re.compile(r"(?:\bpython[0-9.]*\s+-m\s+)?\bpip[0-9.]*\s+install\b")


def parse_instructions(path: Path) -> list[dict]:
    """Instructions of a Dockerfile (comments dropped), as dockerfile_parse structures."""
    parser = DockerfileParser(path=str(path))
    return [i for i in parser.structure if i["instruction"] != "COMMENT"]


def run_commands(run_value: str) -> list[str]:
    """Simple commands of a RUN shell string, with leading braces/env assignments dropped."""
    commands = []
    for part in COMMAND_SPLIT.split(run_value):
        part = part.strip().lstrip("{(!").strip()
        part = re.sub(r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+", "", part)
        if part:
            commands.append(part)
    return commands


def shell_words(value: str) -> list[str]:
    """Shell-like words of an instruction value; whitespace split if quoting is odd."""
    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def arg_declarations(value: str) -> dict[str, str | None]:
    """NAME -> default (None when declared without one) for one ARG instruction."""
    declared = {}
    for word in shell_words(value):
        name, eq, default = word.partition("=")
        declared[name] = default if eq else None
    return declared


def copy_operands(value: str) -> tuple[list[str], list[str], str]:
    """(flags, sources, destination) of a COPY/ADD value, shell or JSON form."""
    words = json.loads(value) if value.lstrip().startswith("[") else shell_words(value)
    flags = [w for w in words if w.startswith("--")]
    operands = [w for w in words if not w.startswith("--")]
    return flags, operands[:-1], operands[-1] if operands else ""


def references(text: str, name: str) -> bool:
    """True when `text` expands build arg `name` ($NAME or ${NAME...})."""
    return re.search(r"\$\{?" + re.escape(name) + r"\b", text) is not None


def user_name(value: str) -> str:
    return value.strip().split(":", 1)[0]


def runs_with_user(instructions: list[dict]) -> list[tuple[dict, str | None]]:
    """Every RUN with the USER in effect (None: the base image's user, unknown here)."""
    result, user = [], None
    for instr in instructions:
        kind = instr["instruction"]
        if kind == "FROM":
            user = None
        elif kind == "USER":
            user = user_name(instr["value"])
        elif kind == "RUN":
            result.append((instr, user))
    return result


def is_apt_install(run_value: str) -> bool:
    return any(APT_INSTALL.search(c) for c in run_commands(run_value))


def is_pip_install(run_value: str) -> bool:
    return any(PIP_INSTALL.search(c) for c in run_commands(run_value))


def label_map(instructions: list[dict]) -> dict[str, str]:
    labels = {}
    for instr in instructions:
        if instr["instruction"] == "LABEL":
            for word in shell_words(instr["value"]):
                key, _, val = word.partition("=")
                labels[key] = val
    return labels


def shell(instrs: list[dict]) -> list[str]:
    """The SHELL in effect at the end of the Dockerfile (Docker's default without one)."""
    shells = [json.loads(i["value"]) for i in instrs if i["instruction"] == "SHELL"]
    return shells[-1] if shells else ["/bin/sh", "-c"]
