"""`make image-builds`: build, never push, every notebook image a change touches.

    python -m devtools.image_builds --base REF [--stacks dev,prod] [--dry-run]

An image changed when its content tag (components/content_tag.py: the context's files after
.dockerignore, the build args, the platform) in the working tree is not among the tags the
stacks render at REF. Both sides are rendered offline by their own code, as plan-diff does.
Each changed image is built with `docker build` from exactly the inputs the program hands
pulumi-docker, so a bad pin or a misspelt apt package fails here and not at `pulumi up`.
Nothing is pushed and no registry is logged in to: pull-request code gets no secrets.

Exit 0 when every changed image builds (or none changed); 1 when a build fails, a stack does
not render at the working tree, or REF cannot be resolved.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .git_worktree import BaseTree, GitError, default_base
from .plan_diff import stacks_in
from .side_render import Renderer, Side

ROOT = Path(__file__).resolve().parent.parent
IMAGE_TYPE = "docker:index/image:Image"


def image_builds(side: Side) -> dict[str, dict[str, Any]]:
    """Content tag -> {imageName, build} of every image a rendered stack builds."""
    found = {}
    for document in (side.objects or {}).values():
        if document.get("pulumiType") == IMAGE_TYPE:
            inputs = document["inputs"]
            found[inputs["imageName"].rsplit(":", 1)[1]] = {
                "imageName": inputs["imageName"],
                "build": inputs["build"],
            }
    return found


def changed_images(
    base_ref: str, stacks: list[str] | None = None, project_root: Path = ROOT
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """(content tag -> image inputs for every image new at the working tree, render problems)."""
    problems: list[str] = []
    renderer = Renderer(sys.executable)  # each side's own code, a scrubbed environment, a time limit
    with BaseTree(base_ref, project_root) as base_tree, tempfile.TemporaryDirectory() as scratch:
        assert base_tree.path is not None
        names = stacks if stacks is not None else sorted(stacks_in(project_root))
        before: set[str] = set()
        after: dict[str, dict[str, Any]] = {}
        for stack in names:
            head = renderer.render(project_root, stack, Path(scratch) / "head", "head")
            if head.objects is None:
                problems.append(f"{stack}: does not render at the working tree: {head.error}")
            after.update(image_builds(head))
            # A base that does not render (or has no such stack) counts as having no images.
            base = renderer.render(base_tree.path, stack, Path(scratch) / "base", "base")
            before |= set(image_builds(base))
    return {tag: image for tag, image in sorted(after.items()) if tag not in before}, problems


def docker_build_command(image: dict[str, Any]) -> list[str]:
    """`docker build` with the program's inputs; argv, never a shell line (args are config data)."""
    build = image["build"]
    command = [
        "docker",
        "build",
        "--platform",
        build["platform"],
        "-f",
        build["dockerfile"],
        "-t",
        image["imageName"],
    ]
    for key, value in sorted((build.get("args") or {}).items()):
        command += ["--build-arg", f"{key}={value}"]
    return command + ["--", build["context"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default=None, help="git ref to compare with (default: origin/main, else HEAD~1)"
    )
    parser.add_argument(
        "--stacks", default=None, help="comma-separated stacks (default: every Pulumi.<stack>.yaml)"
    )
    parser.add_argument("--dry-run", action="store_true", help="list the images to build, build nothing")
    args = parser.parse_args(argv)
    base_ref = args.base or default_base(ROOT)
    stacks = [s.strip() for s in args.stacks.split(",") if s.strip()] if args.stacks else None
    try:
        changed, problems = changed_images(base_ref, stacks, ROOT)
    except GitError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(changed)} image(s) changed since {base_ref}")
    failed = []
    for image in changed.values():
        print(f"- {image['imageName']} from {image['build']['context']}", flush=True)
        if not args.dry_run and subprocess.run(docker_build_command(image), cwd=ROOT).returncode != 0:
            failed.append(image["imageName"])
    for name in failed:
        print(f"error: {name} did not build", file=sys.stderr)
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
