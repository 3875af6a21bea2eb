"""The CI rules for untrusted pull requests (docs/security.md), as checks that list violations.

Each check takes parsed workflow/pipeline data and returns human-readable violations, so the
tests can run it on the real files (expecting none) and on deliberately weakened copies
(expecting the weakening to be named).
"""

from __future__ import annotations

import re

from tests.ci_files import (
    GATE_ENVIRONMENT,
    NOTE_TOKEN,
    SECRET_NAMES,
    SHA_PIN,
    TAG_COMMENT,
    action_name,
    environment_name,
    gitlab_jobs,
    script_text,
    triggers,
    uses_lines,
    walk_strings,
)

PR_EVENTS = {"pull_request", "pull_request_target"}
PRIVILEGED_EVENTS = {"pull_request_target", "workflow_run"}
# `secrets.NAME` (but the job's own GITHUB_TOKEN), `secrets[...]` and `toJSON(secrets)`.
SECRET_REF = re.compile(r"secrets\.(?!GITHUB_TOKEN\b)\w+|secrets\s*\[|\(\s*secrets\s*\)")


def _names_secret(value) -> bool:
    if isinstance(value, dict) and "secrets" in value:  # a reusable-workflow call: `secrets: inherit`
        return True
    return any(SECRET_REF.search(s) for s in walk_strings(value))


def github_secret_gate(name: str, workflow: dict) -> list[str]:
    """Secrets only in jobs behind an environment; on PR triggers, only behind `preview`."""
    out = []
    on_pr = bool(PR_EVENTS & set(triggers(workflow)))
    if _names_secret(workflow.get("env")):
        out.append(f"{name}: workflow-level env names a secret (it reaches every job)")
    for job_id, job in workflow["jobs"].items():
        if not _names_secret(job):
            continue
        env = environment_name(job)
        if env is None:
            out.append(f"{name}:{job_id} uses secrets outside any environment")
        elif on_pr and env != GATE_ENVIRONMENT:
            out.append(
                f"{name}:{job_id} runs PR code with secrets in environment {env!r}, not {GATE_ENVIRONMENT!r}"
            )
        for step in job.get("steps", []):
            if SECRET_REF.search(str(step.get("run", ""))):
                out.append(f"{name}:{job_id} interpolates a secret into a shell script")
    return out


def github_privileged_runs_no_code(name: str, workflow: dict) -> list[str]:
    """Workflows that hold a write token or secrets for PRs never check out or run code."""
    if not PRIVILEGED_EVENTS & set(triggers(workflow)):
        return []
    out = []
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if action_name(step) == "actions/checkout":
                out.append(f"{name}:{job_id} checks out code in a privileged workflow")
            if "run" in step:
                out.append(f"{name}:{job_id} runs a shell step in a privileged workflow")
    return out


def github_read_only_on_pr(name: str, workflow: dict) -> list[str]:
    """A pull_request workflow declares its token's permissions, and none of them writes."""
    if "pull_request" not in triggers(workflow):
        return []
    out = []
    if "permissions" not in workflow:
        out.append(f"{name}: no workflow-level permissions (the repository default may be write)")
    scopes = [("workflow", workflow.get("permissions"))]
    scopes += [(job_id, job.get("permissions")) for job_id, job in workflow["jobs"].items()]
    for where, permissions in scopes:
        if permissions in ("write-all",):
            out.append(f"{name}:{where} grants write-all")
        elif isinstance(permissions, dict):
            out += [
                f"{name}:{where} grants {scope}: write"
                for scope, level in permissions.items()
                if level == "write"
            ]
    return out


def github_checkout_keeps_no_token(name: str, workflow: dict) -> list[str]:
    """Every checkout sets persist-credentials: false (no token left in .git/config)."""
    return [
        f"{name}:{job_id} checkout persists the token"
        for job_id, job in workflow["jobs"].items()
        for step in job.get("steps", [])
        if action_name(step) == "actions/checkout"
        and (step.get("with") or {}).get("persist-credentials") is not False
    ]


def pin_violations(name: str, text: str) -> list[str]:
    """Every `uses:` is a local action or pinned by full commit SHA with `# vX.Y.Z`."""
    out = []
    for line, ref, comment in uses_lines(text):
        if ref.startswith("./"):
            continue
        if ref.startswith("docker://"):
            if not re.search(r"@sha256:[0-9a-f]{64}$", ref):
                out.append(f"{name}:{line} docker action {ref} not pinned by digest")
            continue
        if not SHA_PIN.match(ref):
            out.append(f"{name}:{line} {ref} is not pinned by a 40-hex commit SHA")
        elif not TAG_COMMENT.search(comment):
            out.append(f"{name}:{line} {ref} has no `# vX.Y.Z` comment naming its tag")
    return out


def pins_by_action(texts: dict[str, str]) -> dict[str, set[tuple[str, str]]]:
    """action -> every (sha, tag comment) it is pinned to, across files."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for text in texts.values():
        for _, ref, comment in uses_lines(text):
            if "@" in ref and not ref.startswith(("./", "docker://")):
                action, sha = ref.split("@", 1)
                tag = TAG_COMMENT.search(comment)
                pins.setdefault(action, set()).add((sha, tag[1] if tag else ""))
    return pins


# ---------------------------------------------------------------- GitLab


def runs_in_mr_pipeline(job: dict) -> bool:
    """Whether a job can run in a merge request pipeline (no rules: every pipeline)."""
    rules = job.get("rules")
    if not rules:
        return True
    return any(
        "merge_request_event" in str(rule.get("if", "")) and rule.get("when") != "never" for rule in rules
    ) or any("if" not in rule and rule.get("when") != "never" for rule in rules)


def fetches_code(job: dict) -> bool:
    """Whether the runner fetches the repository for the job."""
    return (job.get("variables") or {}).get("GIT_STRATEGY") != "none"


def _names_secret_var(job: dict) -> list[str]:
    text = script_text(job) + "\n" + "\n".join(walk_strings(job.get("variables") or {}))
    return [s for s in SECRET_NAMES if s in text]


def gitlab_mr_jobs_get_no_secrets(config: dict) -> list[str]:
    """Jobs that run MR code name no secret and get no environment's variables, except the gate."""
    out = []
    for name, job in gitlab_jobs(config).items():
        if not (runs_in_mr_pipeline(job) and fetches_code(job)):
            continue
        env = environment_name(job)
        if env is None:
            out += [f"{name} runs MR code and names {s}" for s in _names_secret_var(job)]
        elif env != GATE_ENVIRONMENT:
            out.append(f"{name} runs MR code in environment {env!r} (its scoped variables reach it)")
        else:
            mr_rules = [r for r in job.get("rules", []) if "merge_request_event" in str(r.get("if", ""))]
            if not mr_rules or any(r.get("when") != "manual" for r in mr_rules):
                out.append(f"{name} runs MR code in {env!r} without being manual")
    return out


def gitlab_note_job_isolated(config: dict) -> list[str]:
    """Only one job names the note token; it runs no repository code and reads only the artifact."""
    jobs = gitlab_jobs(config)
    holders = [
        n for n, j in jobs.items() if NOTE_TOKEN in script_text(j) or NOTE_TOKEN in str(j.get("variables"))
    ]
    if len(holders) != 1:
        return [f"{NOTE_TOKEN} is named by {holders or 'no job'}, expected exactly one note job"]
    name, job = holders[0], config[holders[0]]
    out = []
    if "extends" in job:
        out.append(f"{name} extends a template (it must be self-contained)")
    if (job.get("variables") or {}).get("GIT_STRATEGY") != "none":
        out.append(f"{name} fetches the repository (GIT_STRATEGY is not none)")
    if job.get("inherit") != {"default": False, "variables": False}:
        out.append(f"{name} inherits default: or global variables:")
    for key in ("cache", "before_script", "after_script", "services"):
        if key in job:
            out.append(f"{name} has {key}: (MR jobs can poison or run it)")
    needs = job.get("needs") or []
    if [n.get("job") if isinstance(n, dict) else n for n in needs] != ["plan-diff"]:
        out.append(f"{name} needs {needs}, expected only plan-diff's artifact")
    if environment_name(job) is None:
        out.append(f"{name} has no environment to scope {NOTE_TOKEN} to")
    script = script_text(job)
    if not re.search(r"\bpython3 -I\b", script):
        out.append(f"{name} does not run Python in isolated mode (-I)")
    if re.search(r"^\s*(git|make|pip|pulumi)\b|\bsource\b|^\s*\.\s", script, re.MULTILINE):
        out.append(f"{name} runs a tool that reads repository code")
    if "O_NOFOLLOW" not in script:
        out.append(f"{name} may follow a symlinked artifact")
    return out
