"""plan-diff's command line in process: what `parse` accepts and refuses (with the exact
message), what `--from-env` reads, and what `main` hands to the renders, prints and returns.
The renders themselves are replaced by a recorder (tests/test_plan_diff*.py run them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from devtools import plan_diff
from devtools.git_worktree import GitError, default_base
from devtools.manifest_diff import compare
from devtools.plan_diff import DEFAULT_OUT, ROOT, UsageError, parse
from devtools.side_render import DEFAULT_TIMEOUT, Side

FLAGS, BASE = "TEAMSPACE_PLAN_DIFF_FLAGS", "TEAMSPACE_PLAN_DIFF_BASE"


def refusal(argv: list[str], environ: dict[str, str] | None = None) -> str:
    with pytest.raises(UsageError) as refused:
        parse(argv, environ or {})
    return str(refused.value)


def test_defaults():
    args = parse([], {})
    assert (args.base, args.stacks, args.timeout, args.fail_on_pvc_delete) == (
        None,
        None,
        DEFAULT_TIMEOUT,
        False,
    )
    assert args.out == DEFAULT_OUT == ROOT / "build" / "plan-diff.md"


def test_stacks_are_split_on_commas_and_trimmed():
    args = parse(["--stacks", " dev, ,prod ", "--timeout", "0.5", "--from-env"], {})
    assert (args.stacks, args.timeout, args.base) == (["dev", "prod"], 0.5, None)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--base="], "--base is empty; name a branch, tag or commit"),
        (["--timeout", "0"], "--timeout must be a positive number of seconds, not 0"),
        (["--timeout", "-1.5"], "--timeout must be a positive number of seconds, not -1.5"),
        (["--stacks", "dev,a b"], "--stacks: 'a b' is not a stack name (letters, digits, '.', '_', '-')"),
    ],
)
def test_refusals_say_exactly_what_is_wrong(argv: list[str], message: str):
    assert refusal(argv) == message


def test_from_env_reads_flags_and_base_and_the_command_line_wins():
    environ = {FLAGS: "--stacks 'dev,prod' --fail-on-pvc-delete --timeout 9", BASE: "feature/x"}
    args = parse(["--from-env", "--timeout", "4"], environ)
    assert (args.base, args.stacks, args.fail_on_pvc_delete, args.timeout) == (
        "feature/x",
        ["dev", "prod"],
        True,
        4.0,
    )


def test_from_env_with_nothing_set_changes_nothing():
    assert vars(parse(["--from-env"], {})) == {**vars(parse([], {})), "from_env": True}
    assert parse(["--from-env"], {BASE: ""}).base is None


def test_from_env_refuses_flags_a_shell_could_not_split():
    assert refusal(["--from-env"], {FLAGS: "--stacks 'dev"}) == (
        "TEAMSPACE_PLAN_DIFF_FLAGS (PLAN_DIFF_FLAGS): No closing quotation"
    )


@pytest.fixture
def renders(monkeypatch) -> list[tuple]:
    """Each call `main` makes to plan_diff, answered with one unchanged stack."""
    calls: list[tuple] = []

    def fake(base_ref, stacks=None, **options):
        calls.append((base_ref, stacks, options))
        return [compare("dev", Side({}), Side({}))], "abc1234def56", set()

    monkeypatch.setattr(plan_diff, "plan_diff", fake)
    return calls


def test_main_hands_the_arguments_to_the_renders(renders, tmp_path: Path, capsys):
    out = tmp_path / "deep" / "er" / "report.md"
    argv = ["--base", "v1.2", "--stacks", "dev", "--timeout", "7.5", "--out", str(out)]
    assert plan_diff.main(argv) == 0
    assert renders == [("v1.2", ["dev"], {"timeout": 7.5})]
    printed = capsys.readouterr()
    assert printed.out == out.read_text() and printed.err == ""
    assert "Base `v1.2` (`abc1234def56`)" in printed.out


def test_main_reads_sys_argv_and_the_environment(renders, monkeypatch, tmp_path: Path):
    out = tmp_path / "report.md"
    monkeypatch.setattr(sys, "argv", ["plan_diff", "--from-env", "--out", str(out)])
    monkeypatch.setenv(BASE, "feature/y")
    monkeypatch.setenv(FLAGS, "--stacks prod")
    assert plan_diff.main() == 0
    assert renders == [("feature/y", ["prod"], {"timeout": DEFAULT_TIMEOUT})]


@pytest.mark.parametrize("from_sys_argv", [False, True])
def test_main_refuses_a_bad_argument_with_exit_1(renders, monkeypatch, capsys, from_sys_argv: bool):
    argv = ["--stacks", "../etc"]
    monkeypatch.setattr(sys, "argv", ["plan_diff", *argv])
    assert (plan_diff.main() if from_sys_argv else plan_diff.main(argv)) == 1
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == (
        "",
        "error: --stacks: '../etc' is not a stack name (letters, digits, '.', '_', '-')\n",
    )
    assert renders == []


def test_main_reports_a_git_error_with_exit_1_and_no_report(monkeypatch, tmp_path: Path, capsys):
    def refuse(*args, **options):
        raise GitError("--base 'nope' is not a commit here")

    monkeypatch.setattr(plan_diff, "plan_diff", refuse)
    out = tmp_path / "report.md"
    out.write_text("stale")
    assert plan_diff.main(["--base", "nope", "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == ("", "error: --base 'nope' is not a commit here\n")
    assert not out.exists()


def test_a_render_out_of_time_exits_1_and_names_it_after_writing_the_report(
    monkeypatch, tmp_path: Path, capsys
):
    late = Side(
        None,
        error="the base side's render of stack dev did not finish within 3 s (--timeout)",
        timed_out=True,
    )
    slow = Side(
        None,
        error="the head side's render of stack dev did not finish within 3 s (--timeout)",
        timed_out=True,
    )
    monkeypatch.setattr(
        plan_diff, "plan_diff", lambda *a, **k: ([compare("dev", late, slow)], "abc1234def56", set())
    )
    out = tmp_path / "report.md"
    assert plan_diff.main(["--base", "HEAD", "--out", str(out), "--fail-on-pvc-delete"]) == 1
    printed = capsys.readouterr()
    assert printed.out == out.read_text()
    assert printed.err == f"error: {late.error}; {slow.error}. Report (incomplete): {out}\n"


HELP = {
    "--help": "show this help message and exit",
    "--base": "git revision to compare with (default: origin/main, else HEAD~1)",
    "--fail-on-pvc-delete": "exit 2 when a `!!` line puts a claim's data at risk",
    "--stacks": "comma-separated stacks (default: every Pulumi.<stack>.yaml)",
    "--out": "where to write the Markdown report",
    "--timeout": "seconds each render may take",
    "--from-env": "read the base from TEAMSPACE_PLAN_DIFF_BASE and more options from "
    "TEAMSPACE_PLAN_DIFF_FLAGS (how `make plan-diff` passes them, never through a shell)",
}


def test_help_says_what_each_flag_does_and_names_every_flag_the_docs_name(monkeypatch, capsys):
    """`--help` is the reference at hand: what the tool does, each flag's default, exit code or
    variable; every flag of the usage in its docstring and of the README's plan-diff section."""
    monkeypatch.setenv("COLUMNS", "500")  # one line per flag
    with pytest.raises(SystemExit) as done:
        parse(["--help"], {})
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "\n\n`make plan-diff`: what a change does to each stack's rendered plan, for review.\n\n" in text
    shown = dict(
        re.fullmatch(r"  (?:-h, )?(--[a-z-]+)(?: [A-Z]+)? +(.+)", line).groups()
        for line in text.split("\noptions:\n")[1].splitlines()
    )
    assert shown == HELP
    readme = (ROOT / "README.md").read_text().split("## Reviewing changes")[1].split("\n## ")[0]
    documented = set(re.findall(r"--[a-z][a-z-]+", plan_diff.__doc__.split("\n\n")[1] + readme))
    assert documented >= {"--fail-on-pvc-delete", "--timeout", "--from-env"} and documented <= set(HELP)


def test_without_base_the_projects_origin_main_is_the_default_wherever_it_runs(
    renders, monkeypatch, tmp_path: Path
):
    """The default base is probed in the project, not in the current directory: from a
    directory that answers the other way, the base stays the project's."""
    expected = default_base(ROOT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if expected == "HEAD~1":  # a repository that has origin/main, unlike the project
        git = ["git", "-C", str(elsewhere), "-c", "user.name=t", "-c", "user.email=t@example.com"]
        for step in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "x"]):
            subprocess.run(git + step, check=True)
        subprocess.run(git + ["update-ref", "refs/remotes/origin/main", "HEAD"], check=True)
    assert default_base(elsewhere) != expected
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv(BASE, raising=False)
    assert plan_diff.main(["--out", str(tmp_path / "report.md")]) == 0
    assert renders[0][0] == expected
