"""plan-diff and make do not run what they are handed (issue: hostile input).

A throwaway repository whose base commit plants its own `devtools/plan.py` (the base side's code
is executed by plan-diff): it reports the environment it was given, or hangs with a child
process. The head is a copy of the checkout, Makefile included. The attacks: shell and make
syntax in BASE and PLAN_DIFF_FLAGS, option-like revisions, secrets in the caller's environment,
and a render that never ends.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from devtools.git_worktree import GitError, resolve_commit
from devtools.plan_diff import UsageError, parse
from devtools.side_render import RENDER_ENV

from .plan_diff_repo import BASE_CONFIG, Run, copy_checkout, git, write_stack

PLANTED = r"""
import json, os, subprocess, sys, time
from pathlib import Path
stack = sys.argv[sys.argv.index("--stack") + 1]
if stack == "slow":
    sleeper = subprocess.Popen(["sleep", "300"])
    Path(os.environ["TMPDIR"], "sleeper.pid").write_text(str(sleeper.pid))
    time.sleep(300)
print("error: environment " + json.dumps(dict(os.environ), sort_keys=True), file=sys.stderr)
sys.exit(1)
"""
ODD_BRANCH = "evil;touch${IFS}pwned`id`$(id)'\""
SECRETS = {
    "PULUMI_CONFIG_PASSPHRASE": "passphrase-3c1d",
    "PULUMI_ACCESS_TOKEN": "pul-7a2b",
    "AWS_SECRET_ACCESS_KEY": "aws-91fe",
    "GITHUB_TOKEN": "ghp-55aa",
    "CI_JOB_TOKEN": "ci-0b0b",
    "TEAMSPACE_UNLISTED": "unlisted-8d8d",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plan-diff-hostile") / "repo"
    (root / "devtools").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "devtools" / "__init__.py").write_text("")
    (root / "devtools" / "plan.py").write_text(PLANTED)
    write_stack(root, "dev", BASE_CONFIG)
    write_stack(root, "slow", {"teamspace:kubeflowUrl": "https://x.example.com"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a base whose code is hostile")
    git(root, "branch", ODD_BRANCH)
    copy_checkout(root)  # the head: the real tools, uncommitted
    write_stack(root, "dev", BASE_CONFIG)
    (root / "Pulumi.slow.yaml").unlink()
    return root


def make(repo: Path, target: str = "plan-diff", env: dict[str, str] | None = None, **variables: str) -> Run:
    """`make <target> VAR=value...` with the test's Python instead of a fresh venv."""
    assignments = [f"{key}={value}" for key, value in variables.items()]
    return Run(
        repo, "-o", "venv", target, f"PY={sys.executable}", *assignments, command=["make", "-s"], env=env
    )


PAYLOADS = [
    "HEAD; touch {m}",  # a command after the ref
    "$(touch {m})",  # shell command substitution
    "`touch {m}`",  # the same, old style
    "$(shell touch {m})",  # make's own function, if make expanded the value
    "x' ; touch {m} ; echo '",  # breaking out of single quotes
    "HEAD\ntouch {m}",  # a second line of the recipe
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_make_plan_diff_does_not_run_base(repo: Path, tmp_path: Path, payload: str):
    """`make plan-diff BASE=<shell or make syntax>` runs nothing: the tool names BASE as not a commit."""
    if shutil.which("make") is None:
        pytest.fail("make is not installed")  # the Makefile is what is under test
    marker = tmp_path / "pwned"
    run = make(repo, BASE=payload.format(m=marker))
    assert run.returncode != 0
    assert "error: --base " in run.stderr and "is not a commit here" in run.stderr, run.stderr
    assert not marker.exists() and not (repo / "pwned").exists()
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("payload", ["dev; touch {m}", "$(shell touch {m})", 'dev" ; touch {m}; "'])
def test_make_plan_stack_is_not_run(repo: Path, tmp_path: Path, payload: str):
    """`make plan STACK=...` hands the name to devtools.plan as one argument: no such stack, nothing run."""
    marker = tmp_path / "pwned"
    run = make(repo, "plan", STACK=payload.format(m=marker))
    assert run.returncode != 0 and "error: no stack file" in run.stderr, run.stderr
    assert not marker.exists()


def test_make_plan_diff_flags_are_not_run(repo: Path, tmp_path: Path):
    """PLAN_DIFF_FLAGS is split into arguments, never given to a shell."""
    marker = tmp_path / "pwned"
    run = make(repo, BASE="HEAD", PLAN_DIFF_FLAGS=f"--stacks dev; touch {marker} $(touch {marker})")
    assert run.returncode != 0 and "unrecognized arguments" in run.stderr
    assert not marker.exists()


def test_an_odd_but_real_branch_name_works(repo: Path, tmp_path: Path):
    """A branch whose name holds `;`, `$`, backticks and quotes is a valid base, and nothing in it runs."""
    # PLAN_DIFF_FLAGS from the environment, as the CI jobs set it
    run = make(repo, BASE=ODD_BRANCH, env={"PLAN_DIFF_FLAGS": "--stacks dev"})
    assert run.returncode == 0, run.stderr
    assert "dev: not compared (base could not be rendered)" in run.stdout
    assert f"Base ``{ODD_BRANCH}`` (" in run.stdout  # a code span that the backticks cannot end
    assert not list(repo.rglob("pwned")) and not list(Path.cwd().glob("pwned"))


@pytest.mark.parametrize(
    "base", ["--output=/tmp/x", "-h", "--all", "HEAD --all", "no-such-ref", "HEAD:README.md"]
)
def test_revision_must_name_a_commit(repo: Path, base: str):
    """Option-like or non-commit revisions are refused by name (one git call, list arguments)."""
    with pytest.raises(GitError) as refused:
        resolve_commit(base, repo)
    assert str(refused.value).startswith(f"--base {base!r} is not a commit here")
    assert re.fullmatch(r"[0-9a-f]{40}", resolve_commit(ODD_BRANCH, repo))


def test_refused_revision_exits_1_without_a_report(repo: Path):
    run = Run(repo, "--base=--output=/tmp/x", "--stacks", "dev")
    assert run.returncode == 1 and "error: --base '--output=/tmp/x' is not a commit here" in run.stderr
    assert not run.report_file.exists()


@pytest.mark.parametrize(
    "args,message",
    [
        (["--stacks", "../../etc"], "--stacks: '../../etc' is not a stack name"),
        (["--timeout", "0"], "--timeout must be a positive number"),
        (["--base="], "--base is empty"),
        (["--from-env"], "TEAMSPACE_PLAN_DIFF_FLAGS (PLAN_DIFF_FLAGS): No closing quotation"),
    ],
)
def test_bad_arguments_are_named(args: list[str], message: str):
    with pytest.raises(UsageError, match=re.escape(message)):
        parse(args, {"TEAMSPACE_PLAN_DIFF_FLAGS": "--stacks 'dev"})


def test_from_env_reads_base_and_flags_verbatim():
    args = parse(
        ["--from-env"],
        {
            "TEAMSPACE_PLAN_DIFF_BASE": ODD_BRANCH,
            "TEAMSPACE_PLAN_DIFF_FLAGS": "--stacks 'dev,prod' --fail-on-pvc-delete",
        },
    )
    assert (args.base, args.stacks, args.fail_on_pvc_delete) == (ODD_BRANCH, ["dev", "prod"], True)
    assert parse(["--from-env"], {}).base is None


def test_base_code_gets_only_the_allow_listed_environment(repo: Path):
    """The base's code sees PATH, locale, time zone and TMPDIR: no Pulumi, cloud, GitHub or CI
    variable, nor anything else unlisted, and none of their values reaches the report."""
    run = Run(repo, "--base", "HEAD", "--stacks", "dev", env=SECRETS)
    assert run.returncode == 0, run.stderr
    seen = json.loads(re.search(r"environment (\{.*?\})\n", run.stdout).group(1))
    assert set(seen) <= set(RENDER_ENV) | {"PYTHONDONTWRITEBYTECODE", "LC_CTYPE"}, sorted(seen)
    assert "PATH" in seen and "TMPDIR" in seen
    for value in SECRETS.values():
        assert value not in run.stdout + run.stderr


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


def test_a_render_that_never_ends_is_stopped(repo: Path):
    """A base render past --timeout is stopped with its children; the error says so; exit 1."""
    run = Run(repo, "--base", "HEAD", "--stacks", "slow", "--timeout", "3")
    assert run.returncode == 1
    assert "the base side's render of stack slow did not finish within 3 s (--timeout)" in run.stderr
    assert "slow: not compared (base could not be rendered)" in run.stdout
    sleeper = next(run.tmpdir.rglob("sleeper.pid"), None)
    assert sleeper is not None and not _alive(int(sleeper.read_text()))
    worktrees = [
        line
        for line in git(repo, "worktree", "list", "--porcelain").splitlines()
        if line.startswith("worktree ")
    ]
    assert worktrees == [f"worktree {repo}"]
