"""devtools.git_worktree in process, on scratch repositories: the default base, what a base ref
may name (hostile refs are refused, never run), and the detached worktree of the base commit,
removed afterwards whatever happens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devtools.git_worktree import BaseTree, GitError, default_base, resolve_commit
from tests.plan_diff_repo import git


def commit_file(repo: Path, name: str, text: str, message: str) -> str:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def two_commits(root: Path) -> Path:
    """Two commits on main: `first` (project/README says one) and `second` (it says two)."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit_file(root, "project/README", "one\n", "first")
    git(root, "tag", "-a", "v1", "-m", "an annotated tag")
    commit_file(root, "project/README", "two\n", "second")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return two_commits(tmp_path / "repo")


@pytest.fixture(scope="module")
def unchanged_repo(tmp_path_factory) -> Path:
    """The same, shared by the tests that only read it."""
    return two_commits(tmp_path_factory.mktemp("shared") / "repo")


def worktrees(repo: Path) -> list[str]:
    return [
        line
        for line in git(repo, "worktree", "list", "--porcelain").splitlines()
        if line.startswith("worktree ")
    ]


def test_default_base_is_origin_main_when_it_exists_else_the_previous_commit(repo: Path, tmp_path: Path):
    assert default_base(repo) == "HEAD~1"
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    assert default_base(repo) == "origin/main"
    assert default_base(repo / "project") == "origin/main"
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    assert default_base(outside) == "HEAD~1"


def test_default_base_prints_nothing_and_is_not_fooled_by_a_file_named_like_the_ref(repo: Path, capfd):
    # Without `--verify`, git takes `origin/main^{commit}` for a path when such a file exists.
    (repo / "origin").mkdir()
    (repo / "origin" / "main^{commit}").write_text("a file, not a branch\n")
    assert default_base(repo) == "HEAD~1"
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    assert default_base(repo) == "origin/main"
    assert capfd.readouterr() == ("", "")  # git's answer is read, not shown


def test_a_branch_named_origin_main_that_is_not_a_commit_is_not_the_default(repo: Path):
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    git(repo, "update-ref", "refs/remotes/origin/main", tree)
    assert default_base(repo) == "HEAD~1"


def test_resolve_commit_names_the_full_commit_of_branches_tags_and_short_ids(unchanged_repo: Path):
    repo = unchanged_repo
    first = git(repo, "rev-parse", "HEAD~1").strip()
    second = git(repo, "rev-parse", "HEAD").strip()
    assert resolve_commit("main", repo) == second
    assert resolve_commit("HEAD~1", repo) == first
    assert resolve_commit("v1", repo) == first  # the tag object peeled to its commit
    assert resolve_commit(first[:8], repo) == first
    assert resolve_commit("main", repo / "project") == second


def test_a_branch_whose_name_starts_with_a_dash_is_read_as_a_ref_not_an_option(repo: Path):
    """`git branch` refuses such names, but `update-ref` and a fetched remote can make them.
    Only git's `--end-of-options` makes rev-parse read the argument as a revision."""
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-ref", "refs/heads/--output", "HEAD~1")
    git(repo, "update-ref", "refs/heads/-x", "HEAD")
    assert resolve_commit("--output", repo) == git(repo, "rev-parse", "HEAD~1").strip()
    assert resolve_commit("-x", repo) == head


@pytest.mark.parametrize(
    "ref",
    [
        "no-such-branch",
        "",
        "HEAD^{tree}",
        "HEAD:project/README",  # a blob
        "--all",
        "-h",
        "--git-dir=/",
        "main;touch pwned",
        "$(touch pwned)",
        "`touch pwned`",
        "main\ntouch pwned",
    ],
)
def test_resolve_commit_refuses_what_is_not_a_commit_naming_it(unchanged_repo: Path, ref: str):
    repo = unchanged_repo
    with pytest.raises(GitError) as refused:
        resolve_commit(ref, repo)
    assert str(refused.value) == (
        f"--base {ref!r} is not a commit here: name a branch, tag or commit (fetch it first?)"
    )
    assert sorted(p.name for p in repo.iterdir()) == [".git", "project"]


def test_resolve_commit_outside_a_repository_is_refused(tmp_path: Path):
    with pytest.raises(GitError, match="is not a commit here"):
        resolve_commit("HEAD", tmp_path)


def test_base_tree_holds_the_base_commit_at_the_projects_place(repo: Path, scratch: Path):
    first = git(repo, "rev-parse", "HEAD~1").strip()
    (repo / "project" / "README").write_text("uncommitted\n")
    base = BaseTree("HEAD~1", repo / "project")
    assert (base.ref, base.commit, base.short, base.toplevel) == ("HEAD~1", first, first[:12], repo.resolve())
    assert base.path is None
    with base as entered:
        assert entered is base and base.path is not None
        assert base.path.name == "project" and base.path.parent.parent.parent == scratch
        assert (base.path / "README").read_text() == "one\n"
        assert git(base.path, "rev-parse", "HEAD").strip() == first
        assert len(worktrees(repo)) == 2
        (base.path / "build").mkdir()  # what a render leaves behind
        (base.path / "build" / "out.yaml").write_text("x: 1\n")
    assert list(scratch.iterdir()) == []
    assert worktrees(repo) == [f"worktree {repo.resolve()}"]
    assert (repo / "project" / "README").read_text() == "uncommitted\n"


def test_base_tree_at_the_top_of_the_repository(repo: Path, scratch: Path):
    with BaseTree("v1", repo) as base:
        assert base.path is not None and base.path.name == "base"
        assert (base.path / "project" / "README").read_text() == "one\n"
    assert list(scratch.iterdir()) == [] and len(worktrees(repo)) == 1


def test_base_tree_is_removed_when_the_work_inside_fails(repo: Path, scratch: Path):
    with pytest.raises(KeyboardInterrupt), BaseTree("main", repo):
        raise KeyboardInterrupt
    assert list(scratch.iterdir()) == [] and len(worktrees(repo)) == 1


def test_the_cleanup_leaves_the_repositorys_other_worktrees_alone(repo: Path, scratch: Path):
    git(repo, "worktree", "add", "-q", "--detach", "None", "HEAD")  # "None": what an unset path would name
    with BaseTree("v1", repo):
        assert len(worktrees(repo)) == 3
    assert list(scratch.iterdir()) == []
    assert worktrees(repo) == [f"worktree {repo.resolve()}", f"worktree {repo.resolve() / 'None'}"]


def test_a_base_tree_deleted_during_the_work_still_ends_cleanly(repo: Path, scratch: Path):
    # A temp cleaner (or a user) removes the whole folder while the renders run: leaving must not
    # fail, and git must not keep a registered worktree whose folder is gone.
    with BaseTree("v1", repo):
        for folder in scratch.iterdir():
            shutil.rmtree(folder)
    assert list(scratch.iterdir()) == []
    assert worktrees(repo) == [f"worktree {repo.resolve()}"]


def test_a_hostile_ref_is_refused_before_any_worktree_is_made(repo: Path, scratch: Path):
    with pytest.raises(GitError, match=r"^--base '\$\(touch pwned\)' is not a commit here"):
        BaseTree("$(touch pwned)", repo)
    assert list(scratch.iterdir()) == [] and len(worktrees(repo)) == 1
    assert not (repo / "pwned").exists()


def test_outside_a_git_checkout_the_error_names_the_git_command(tmp_path: Path):
    with pytest.raises(GitError) as refused:
        BaseTree("HEAD", tmp_path)
    assert str(refused.value).startswith("git rev-parse --show-toplevel: fatal: not a git repository")


def test_a_base_commit_gone_before_the_worktree_is_made_leaves_nothing_behind(
    repo: Path, scratch: Path, capfd
):
    git(repo, "checkout", "-q", "-b", "doomed")
    doomed = commit_file(repo, "project/README", "three\n", "doomed")
    base = BaseTree("doomed", repo)
    git(repo, "checkout", "-q", "main")
    git(repo, "branch", "-q", "-D", "doomed")
    git(repo, "reflog", "expire", "--expire=now", "--all")
    git(repo, "gc", "-q", "--prune=now")
    git(repo, "worktree", "add", "-q", "--detach", "None", "main")  # another worktree, to be kept
    with pytest.raises(GitError) as failed:
        base.__enter__()
    assert str(failed.value).startswith(f"git worktree add --detach {scratch}/teamspace-plan-diff-")
    assert str(failed.value).endswith(f"/base {doomed}: fatal: invalid reference: {doomed}")
    assert (
        list(scratch.iterdir()) == [] and len(worktrees(repo)) == 2 and (repo / "None" / "project").is_dir()
    )
    assert capfd.readouterr() == ("", "")  # the error is the exception's, git's own cleanup says nothing
