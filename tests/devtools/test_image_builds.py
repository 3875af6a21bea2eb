"""devtools.image_builds in process, on scratch repositories with the stand-in plan of
tests/devtools/stand_in_plan.py and a stand-in `docker` on PATH: which images count as changed,
what a render problem or a failed build does to the exit code, and what is printed.
(tests/test_image_builds_ci.py runs the real renders once, end to end.)"""

from __future__ import annotations

import functools
import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from devtools import image_builds
from devtools.git_worktree import GitError
from devtools.image_builds import changed_images
from tests.devtools.stand_in_plan import commit_all, configmap, new_repo, write_tree
from tests.plan_diff_repo import git


def image(name: str, tag: str, **args: str) -> dict[str, Any]:
    return {
        "pulumiType": "docker:index/image:Image",
        "inputs": {
            "imageName": f"nexus:5000/teamspace/{name}:{tag}",
            "build": {
                "context": f"images/{name}",
                "dockerfile": f"images/{name}/Dockerfile",
                "platform": "linux/amd64",
                "args": args,
            },
            "registry": {"server": "nexus:5000", "password": "[secret]"},
        },
    }


def stacks(**images: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        stack: {
            "objects": {f"Image_{i}.yaml": found for i, found in enumerate(listed)}
            | {"cm.yaml": configmap("c", {})}
        }
        for stack, listed in images.items()
    }


BASE = stacks(dev=[image("jupyter", "aa"), image("rstudio", "bb")], prod=[image("vscode", "cc")])
HEAD = stacks(
    dev=[image("jupyter", "aa"), image("rstudio", "bb2", BASE_IMAGE="r:2")],
    prod=[image("vscode", "cc"), image("jupyter", "dd"), image("jupyter", "aa")],
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """BASE on main; HEAD in the working tree, not committed."""
    root = tmp_path / "repo"
    new_repo(root, BASE)
    write_tree(root, HEAD)
    return root


def tags(changed: dict[str, dict[str, Any]]) -> list[str]:
    return list(changed)


def test_images_new_at_the_working_tree_are_changed_with_their_inputs(repo: Path):
    changed, problems = changed_images("main", project_root=repo)
    assert problems == []
    assert changed == {
        "bb2": {
            k: v for k, v in image("rstudio", "bb2", BASE_IMAGE="r:2")["inputs"].items() if k != "registry"
        },
        "dd": {k: v for k, v in image("jupyter", "dd")["inputs"].items() if k != "registry"},
    }


def test_a_tag_any_compared_stack_built_at_the_base_is_not_changed(repo: Path):
    write_tree(repo, stacks(dev=[image("vscode", "cc")], prod=[image("jupyter", "aa")]))
    assert changed_images("main", project_root=repo) == ({}, [])


def test_the_named_stacks_are_compared_by_default_the_working_trees(repo: Path):
    assert tags(changed_images("main", ["dev"], project_root=repo)[0]) == ["bb2"]
    # Only prod is left: dev's images at the base (aa) are not among the tags compared.
    write_tree(repo, {"prod": HEAD["prod"]})
    assert tags(changed_images("main", project_root=repo)[0]) == ["aa", "dd"]


def test_a_base_that_does_not_render_has_no_images(repo: Path):
    write_tree(repo, {**BASE, "dev": {**BASE["dev"], "stderr": "error: bad\n", "exit": 1}})
    broken = commit_all(repo, "broken base")
    write_tree(repo, HEAD)
    changed, problems = changed_images(broken, ["dev"], project_root=repo)
    assert (tags(changed), problems) == (["aa", "bb2"], [])


def test_a_stack_that_does_not_render_at_the_working_tree_is_a_problem(repo: Path):
    write_tree(repo, {**HEAD, "dev": {"stderr": "error: teamspace:images.jupyter: bad\n", "exit": 1}})
    changed, problems = changed_images("main", project_root=repo)
    assert problems == ["dev: does not render at the working tree: teamspace:images.jupyter: bad"]
    assert tags(changed) == ["dd"]


def test_a_render_out_of_time_at_the_working_tree_is_a_problem_naming_the_side(repo: Path, monkeypatch):
    monkeypatch.setattr(image_builds, "Renderer", functools.partial(image_builds.Renderer, timeout=1))
    write_tree(repo, {**HEAD, "dev": {"sleep": 5, "pid_file": str(repo.parent / "head.pids")}})
    changed, problems = changed_images("main", project_root=repo)
    assert problems == [
        "dev: does not render at the working tree: the head side's render of stack dev "
        "did not finish within 1 s (--timeout) and was stopped"
    ]
    assert tags(changed) == ["dd"]


def test_a_hostile_base_is_refused(repo: Path):
    with pytest.raises(GitError, match=r"^--base '\$\(touch pwned\)' is not a commit here"):
        changed_images("$(touch pwned)", project_root=repo)
    assert not (repo / "pwned").exists()


@pytest.fixture
def docker(tmp_path: Path, monkeypatch) -> Path:
    """A `docker` on PATH that logs its working directory and arguments, and fails for
    image names holding `broken`; returns the log."""
    bin_dir, log = tmp_path / "bin", tmp_path / "docker.log"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$PWD" "$@" "." >> "{log}"\ncase "$*" in *broken*) exit 1;; esac\n'
    )
    (bin_dir / "docker").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin")
    return log


@pytest.fixture
def main(repo: Path, monkeypatch):
    monkeypatch.setattr(image_builds, "ROOT", repo)
    return image_builds.main


def calls(log: Path) -> list[list[str]]:
    found = log.read_text().split("\n.\n") if log.exists() else []
    return [call.splitlines() for call in found if call]


def test_main_builds_each_changed_image_from_the_project_root(main, repo: Path, docker: Path, capsys):
    assert main(["--base", "main"]) == 0
    assert capsys.readouterr().out == (
        "2 image(s) changed since main\n"
        "- nexus:5000/teamspace/rstudio:bb2 from images/rstudio\n"
        "- nexus:5000/teamspace/jupyter:dd from images/jupyter\n"
    )
    built = calls(docker)
    assert [call[0] for call in built] == [str(repo)] * 2
    assert (
        built[0][1:]
        == image_builds.docker_build_command(
            {
                "imageName": "nexus:5000/teamspace/rstudio:bb2",
                "build": image("rstudio", "bb2", BASE_IMAGE="r:2")["inputs"]["build"],
            }
        )[1:]
    )
    assert "push" not in docker.read_text() and "login" not in docker.read_text()


def test_a_dry_run_lists_and_builds_nothing(main, repo: Path, docker: Path, capsys):
    assert main(["--base", "main", "--stacks", " dev, ,", "--dry-run"]) == 0
    assert capsys.readouterr().out == (
        "1 image(s) changed since main\n- nexus:5000/teamspace/rstudio:bb2 from images/rstudio\n"
    )
    assert calls(docker) == []


def test_a_failed_build_is_named_and_exits_1_after_building_the_rest(main, repo: Path, docker: Path, capsys):
    write_tree(repo, stacks(dev=[image("broken", "b1"), image("jupyter", "j1")]))
    assert main(["--base", "main"]) == 1
    printed = capsys.readouterr()
    assert printed.err == "error: nexus:5000/teamspace/broken:b1 did not build\n"
    assert [call[-1] for call in calls(docker)] == ["images/broken", "images/jupyter"]


def test_a_stack_that_does_not_render_exits_1_but_builds_the_others(main, repo: Path, docker: Path, capsys):
    write_tree(repo, {**HEAD, "prod": {"stderr": "error: bad key\n", "exit": 1}})
    assert main(["--base", "main"]) == 1
    printed = capsys.readouterr()
    assert printed.err == "error: prod: does not render at the working tree: bad key\n"
    assert printed.out.startswith("1 image(s) changed since main\n")
    assert len(calls(docker)) == 1


def test_without_base_the_previous_commit_is_compared(main, repo: Path, docker: Path, capsys):
    write_tree(repo, stacks(dev=[image("jupyter", "aa")]))
    commit_all(repo, "second")
    write_tree(repo, stacks(dev=[image("jupyter", "zz")]))
    assert main(["--dry-run"]) == 0
    assert capsys.readouterr().out.startswith(
        "1 image(s) changed since HEAD~1\n- nexus:5000/teamspace/jupyter:zz"
    )
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert main(["--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("1 image(s) changed since origin/main\n")


def test_an_unknown_base_exits_1_naming_it(main, docker: Path, capsys):
    assert main(["--base", "nope"]) == 1
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == (
        "",
        "error: --base 'nope' is not a commit here: name a branch, tag or commit (fetch it first?)\n",
    )


def test_each_image_is_named_before_its_build_output_when_stdout_is_a_pipe(
    main, tmp_path: Path, monkeypatch, capfd
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text('#!/bin/sh\necho "docker builds $7"\n')
    (bin_dir / "docker").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin")
    # Python's stdout on a pipe (a CI log): block-buffered, unlike the captured one.
    piped = io.TextIOWrapper(io.BufferedWriter(io.FileIO(os.dup(1), "w")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", piped)
    assert main(["--base", "main", "--stacks", "dev"]) == 0
    piped.close()  # flushes what is left
    assert capfd.readouterr().out == (
        "1 image(s) changed since main\n- nexus:5000/teamspace/rstudio:bb2 from images/rstudio\n"
        "docker builds nexus:5000/teamspace/rstudio:bb2\n"
    )


def test_help_says_what_the_tool_does_and_what_each_option_takes(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exited:
        image_builds.main(["--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for expected in (
        " `make image-builds`: build, never push, every notebook image a change touches. options: ",
        " --base BASE git ref to compare with (default: origin/main, else HEAD~1) ",
        " --stacks STACKS comma-separated stacks (default: every Pulumi.<stack>.yaml) ",
        " --dry-run list the images to build, build nothing",
    ):
        assert expected in text
