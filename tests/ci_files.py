"""Readers of the CI definitions for the workflow tests: GitHub workflows, .gitlab-ci.yml, pins.

GitHub parses workflows as YAML 1.2 (`on` is a string key) and refuses duplicate keys, so
they are read with ruamel.yaml, which does the same. GitLab parses .gitlab-ci.yml with
Ruby's Psych (YAML 1.1), so it is read with PyYAML, the YAML 1.1 reader.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PREVIEW = WORKFLOWS / "preview.yml"
PULUMI_PREVIEW = WORKFLOWS / "pulumi-preview.yml"
COMMENT = WORKFLOWS / "plan-diff-comment.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
STACKS = {"dev", "prod"}
POLICY_DIR = "policy"

# CI/CD secrets of this project: no job that runs PR/MR code may name one unless it is
# behind the reviewed gate (GitHub environment `preview`, GitLab manual protected `preview`).
SECRET_NAMES = (
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_BACKEND_URL",
    "PULUMI_ACCESS_TOKEN",
    "GITLAB_NOTE_TOKEN",
    "AWS_",
    "AZURE_",
    "GOOGLE_",
    "KUBECONFIG",
)
GATE_ENVIRONMENT = "preview"
NOTE_TOKEN = "GITLAB_NOTE_TOKEN"

SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
TAG_COMMENT = re.compile(r"#\s*(v\d+(?:\.\d+){0,2})\s*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?P<comment>#.*)?$")


def github_files() -> list[Path]:
    """Every GitHub workflow file, including ones other parts of the project add."""
    return sorted(WORKFLOWS.glob("*.y*ml"))


def parse_github(text: str) -> dict:
    """A workflow's text as GitHub reads it (YAML 1.2, duplicate keys refused)."""
    data = YAML(typ="safe", pure=True).load(text)
    assert isinstance(data, dict), "a workflow is a mapping"
    return data


def load_github(path: Path) -> dict:
    """A GitHub workflow file, parsed."""
    return parse_github(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The `on:` block as a mapping of event -> settings."""
    on = workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    return on


def action_name(step: dict) -> str:
    """`owner/repo` of a step's `uses:`, without the ref."""
    return str(step.get("uses", "")).split("@")[0]


def steps_using(job: dict, action: str) -> list[dict]:
    """Steps of a job whose `uses:` is the given action (any ref)."""
    return [s for s in job.get("steps", []) if action_name(s) == action]


def pulumi_command_steps(job: dict) -> list[dict]:
    """pulumi/actions steps that run a command (not the CLI-only install)."""
    return [s for s in steps_using(job, "pulumi/actions") if (s.get("with") or {}).get("command")]


def first_index(job: dict, predicate) -> int:
    """Index of the first step matching predicate, or a large number if none does."""
    return next((i for i, s in enumerate(job.get("steps", [])) if predicate(s)), 10**6)


def uses_lines(text: str) -> Iterator[tuple[int, str, str]]:
    """(line number, ref, comment) of every `uses:` line of a workflow's text."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = USES_LINE.match(line)
        if match:
            yield number, match["ref"], (match["comment"] or "")


# ---------------------------------------------------------------- GitLab


def parse_gitlab(text: str) -> dict:
    """A .gitlab-ci.yml text as GitLab reads it (YAML 1.1)."""
    data = yaml.safe_load(text)
    assert isinstance(data, dict), ".gitlab-ci.yml is a mapping"
    return data


def local_includes(config: dict) -> list[Path]:
    """Files of `include: local` entries (GitLab also takes a bare path string)."""
    entries = config.get("include") or []
    if isinstance(entries, (str, dict)):
        entries = [entries]
    paths = []
    for entry in entries:
        local = entry if isinstance(entry, str) else entry.get("local")
        if local:
            paths.append(ROOT / str(local).lstrip("/"))
    return paths


def load_gitlab(path: Path = GITLAB) -> dict:
    """.gitlab-ci.yml with its local includes merged under it (the main file wins)."""
    config = parse_gitlab(path.read_text(encoding="utf-8"))
    merged: dict = {}
    for included in local_includes(config):
        merged = deep_merge(merged, parse_gitlab(included.read_text(encoding="utf-8")))
    return deep_merge(merged, config)


def deep_merge(base: dict, over: dict) -> dict:
    """GitLab `extends` semantics: hashes merge deeply, everything else is replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def gitlab_job(config: dict, name: str) -> dict:
    """A GitLab job with its `extends` chain resolved."""
    job = config[name]
    parents = job.get("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    merged: dict = {}
    for parent in parents:
        merged = deep_merge(merged, gitlab_job(config, parent))
    own = {k: v for k, v in job.items() if k != "extends"}
    return deep_merge(merged, own)


GITLAB_KEYWORDS = {"stages", "workflow", "variables", "default", "include", "image", "services", "cache"}


def gitlab_jobs(config: dict) -> dict[str, dict]:
    """All visible (non-template) GitLab jobs, resolved."""
    return {
        name: gitlab_job(config, name)
        for name in config
        if name not in GITLAB_KEYWORDS and not name.startswith(".")
    }


def rule_ifs(job: dict) -> list[str]:
    """The `if:` expressions of a job's rules."""
    return [r.get("if", "") for r in job.get("rules", [])]


def script_text(job: dict) -> str:
    """before_script, script and after_script of a job, as one text."""
    parts: list[str] = []
    for key in ("before_script", "script", "after_script"):
        value = job.get(key) or []
        parts.extend([value] if isinstance(value, str) else [str(v) for v in value])
    return "\n".join(parts)


def environment_name(job: dict) -> str | None:
    """The job's environment name (`environment: x` or `environment: {name: x}`)."""
    env = job.get("environment")
    if env is None or isinstance(env, str):
        return env
    return env.get("name")


def requirement_pin(name: str, path: Path = ROOT / "requirements.txt") -> str:
    """The `==` version of a package in a requirements file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(rf"^\s*{re.escape(name)}\s*==\s*([^\s;#]+)", line, re.IGNORECASE)
        if match:
            return match[1]
    raise AssertionError(f"{name} is not pinned with == in {path.name}")


def walk_strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed YAML value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_strings(item)
