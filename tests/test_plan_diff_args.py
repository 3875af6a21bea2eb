"""plan-diff's command line in process: what `parse` accepts and refuses (with the exact
message), what `--from-env` reads, and what `main` hands to the renders, prints and returns.
The renders themselves are replaced by a recorder (tests/test_plan_diff*.py run them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from devtools import plan_diff
from devtools.git_worktree import GitError
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
