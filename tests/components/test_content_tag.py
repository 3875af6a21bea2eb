"""Content-addressed image tags: what changes a tag and what must not.

The tag is `content-<20 hex>` over the build context Docker would send (after
`.dockerignore`), the build args and the platform. It must be the same on every machine
and every run for the same inputs, and new for any input a build can see.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.content_tag import TAG_PREFIX, content_tag, context_files
from config.presets import BUILD_CONTEXTS
from devtools.runtime import PROJECT_ROOT

TAG = re.compile(rf"^{TAG_PREFIX}[0-9a-f]{{20}}$")
ARGS = {
    "BASE_IMAGE": "nexus.example.com:5000/mirror/jupyter-scipy:v1.11.0",
    "APT_PACKAGES": "libgl1-mesa-glx",
    "PIP_PACKAGES": "kfp==1.8.14",
    "PIP_REQUIREMENTS": "",
}
PLATFORM = "linux/amd64"
# A small context like images/jupyter: a Dockerfile, a .dockerignore, files in a subfolder.
FILES = {
    "Dockerfile": b"ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY settings/ /tmp_home/jovyan/\n",
    ".dockerignore": b"# keep the context small\n**/*.md\n**/__pycache__\n*.swp\n",
    "settings/a.json": b'{"defaultViewer": {"markdown": "Markdown Preview"}}\n',
    "settings/b.json": b'{"disclaimed": true}\n',
    "start.sh": b'#!/bin/sh\nexec "$@"\n',
}


def write_context(root: Path, files=FILES, order=None, mtime=None) -> Path:
    """Write `files` under `root` in the given order, optionally forcing every mtime."""
    for name in order or sorted(files):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        if mtime is not None:
            os.utime(path, (mtime, mtime))
    return root


def tag(context: Path, args=ARGS, platform=PLATFORM) -> str:
    return content_tag(context, args, platform)


@pytest.fixture
def context(tmp_path) -> Path:
    return write_context(tmp_path / "ctx")


# --- the same inputs give the same tag --------------------------------------------------


def test_tag_format_and_repeatable_in_one_process(context):
    """The tag is `content-` plus 20 hex digits and is the same when computed again."""
    first = tag(context)
    assert TAG.match(first)
    assert tag(context) == first


def test_same_tag_in_a_fresh_interpreter(context):
    """Another Python process (other hash seed) computes the same tag: nothing depends on process state."""
    script = (
        "import sys; from pathlib import Path; from components.content_tag import content_tag; "
        f"print(content_tag(Path(sys.argv[1]), {ARGS!r}, {PLATFORM!r}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script, str(context)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == tag(context)


def test_copies_at_other_paths_in_other_order_with_other_mtimes_agree(tmp_path):
    """Absolute location, file creation order and mtimes (os.utime) do not change the tag."""
    a = write_context(tmp_path / "a", order=sorted(FILES), mtime=1_000_000_000)
    b = write_context(
        tmp_path / "some" / "deeper" / "place" / "b", order=sorted(FILES, reverse=True), mtime=2_000_000_000
    )
    c = tmp_path / "c"
    shutil.copytree(a, c)  # copytree keeps mtimes; then make them all different
    for i, path in enumerate(sorted(c.rglob("*"))):
        os.utime(path, (1_500_000_000 + i * 3_600, 1_500_000_000 + i * 3_600))
    assert tag(a) == tag(b) == tag(c)


def test_real_image_contexts_copied_elsewhere_keep_their_tags(tmp_path):
    """Each build context under images/ copied to a temp dir (new mtimes) has the tag of the original."""
    for kind in sorted({Path(c).name for c in BUILD_CONTEXTS.values()}):
        original = PROJECT_ROOT / "images" / kind
        copy = tmp_path / "checkout" / kind
        shutil.copytree(original, copy, copy_function=shutil.copyfile)  # fresh mtimes, same bits
        for source in original.rglob("*"):
            shutil.copymode(source, copy / source.relative_to(original))
        assert tag(copy) == tag(original), kind


@settings(
    max_examples=25,
    derandomize=True,  # as every fuzzer here: CI runs the same draws each time
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    order=st.permutations(sorted(FILES)),
    mtimes=st.lists(st.integers(0, 4_000_000_000), min_size=len(FILES), max_size=len(FILES)),
)
def test_any_write_order_and_mtimes_give_the_same_tag(tmp_path_factory, order, mtimes):
    """Property: writing the same files in any order with any mtimes gives the baseline tag."""
    baseline = tag(write_context(tmp_path_factory.mktemp("base")))
    root = write_context(tmp_path_factory.mktemp("perm"), order=order)
    for name, mtime in zip(order, mtimes, strict=True):
        os.utime(root / name, (mtime, mtime))
    assert tag(root) == baseline


# --- .dockerignore ------------------------------------------------------------------------


def test_files_excluded_by_dockerignore_do_not_count(context):
    """Files matched by .dockerignore (any depth for `**/`)
    neither change the tag nor appear in the file list.
    """
    before = tag(context)
    write_context(
        context,
        {
            "README.md": b"docs",
            "settings/notes.md": b"more docs",
            "settings/__pycache__/x.pyc": b"\0\1",
            "start.sh.swp": b"swap",
        },
    )
    assert tag(context) == before
    assert context_files(context) == [
        ".dockerignore",
        "Dockerfile",
        "settings/a.json",
        "settings/b.json",
        "start.sh",
    ]


def test_negated_dockerignore_pattern_and_the_dockerfile_always_count(context):
    """A `!` re-included file counts; the Dockerfile counts even
    if .dockerignore lists it (Docker always sends it).
    """
    (context / ".dockerignore").write_bytes(FILES[".dockerignore"] + b"!KEEP.md\nDockerfile\n")
    before = tag(context)
    (context / "KEEP.md").write_text("kept")
    with_keep = tag(context)
    assert with_keep != before
    (context / "Dockerfile").write_bytes(FILES["Dockerfile"] + b"LABEL x=y\n")
    assert tag(context) != with_keep
    assert "Dockerfile" in context_files(context)


def test_dockerignore_with_a_byte_order_mark_still_applies_its_first_pattern(context):
    """A UTF-8 BOM before the first .dockerignore pattern is dropped, as Docker does."""
    (context / ".dockerignore").write_bytes(b"\xef\xbb\xbf*.md\n")
    before = tag(context)
    (context / "README.md").write_text("docs")
    assert tag(context) == before
    assert "README.md" not in context_files(context)


# --- any input a build can see gives a new tag --------------------------------------------


def _mutations():
    """(id, mutate(context) -> (args, platform)) for every change that must retag."""

    def edit(name, data):
        def apply(ctx):
            (ctx / name).parent.mkdir(parents=True, exist_ok=True)
            (ctx / name).write_bytes(data)
            return ARGS, PLATFORM

        return apply

    def chmod_x(ctx):
        path = ctx / "settings" / "a.json"
        path.chmod(path.stat().st_mode | 0o100)
        return ARGS, PLATFORM

    def rename(ctx):
        (ctx / "settings" / "b.json").rename(ctx / "settings" / "c.json")
        return ARGS, PLATFORM

    def remove(ctx):
        (ctx / "start.sh").unlink()
        return ARGS, PLATFORM

    def symlink(ctx):
        (ctx / "link").symlink_to("settings/a.json")
        return ARGS, PLATFORM

    def arg(name, value):
        return lambda ctx: ({**ARGS, name: value}, PLATFORM)

    return [
        (
            "one byte of a file",
            edit("settings/a.json", FILES["settings/a.json"].replace(b"Preview", b"Previex")),
        ),
        ("Dockerfile", edit("Dockerfile", FILES["Dockerfile"] + b"USER jovyan\n")),
        ("new file", edit("extra.txt", b"")),
        ("new file in a subfolder", edit("settings/deeper/extra.json", b"{}")),
        (".dockerignore itself", edit(".dockerignore", FILES[".dockerignore"] + b"*.tmp\n")),
        ("renamed file", rename),
        ("removed file", remove),
        ("executable bit", chmod_x),
        ("new symlink", symlink),
        ("base image", arg("BASE_IMAGE", "nexus.example.com:5000/mirror/jupyter-scipy:v1.11.1")),
        (
            "base pinned by digest",
            arg("BASE_IMAGE", "nexus.example.com:5000/mirror/jupyter-scipy@sha256:" + "0" * 64),
        ),
        ("apt packages", arg("APT_PACKAGES", "libgl1-mesa-glx vim")),
        ("pip packages", arg("PIP_PACKAGES", "kfp==1.8.15")),
        ("pip requirements", arg("PIP_REQUIREMENTS", "pandas==2.2.3\n")),
        (
            "empty arg vs absent arg",
            lambda ctx: ({k: v for k, v in ARGS.items() if k != "PIP_REQUIREMENTS"}, PLATFORM),
        ),
        ("new build arg", arg("EXTRA", "1")),
        ("platform", lambda ctx: (ARGS, "linux/arm64")),
    ]


MUTATIONS = _mutations()


@pytest.mark.parametrize("mutate", [m for _, m in MUTATIONS], ids=[i for i, _ in MUTATIONS])
def test_each_visible_change_gives_a_new_tag(context, mutate):
    """Any change to a file, the file set, an executable bit, a build arg, the base or the platform retags."""
    before = tag(context)
    args, platform = mutate(context)
    assert tag(context, args, platform) != before


def test_all_changes_give_pairwise_distinct_tags(tmp_path):
    """No two of the changes above collide with each other or with the baseline."""
    tags = {"baseline": tag(write_context(tmp_path / "baseline"))}
    for i, (name, mutate) in enumerate(MUTATIONS):
        ctx = write_context(tmp_path / f"m{i}")
        args, platform = mutate(ctx)
        tags[name] = tag(ctx, args, platform)
    assert len(set(tags.values())) == len(tags), tags


def test_symlink_counts_by_its_target_path_not_by_what_it_points_to(context, tmp_path):
    """A symlink is hashed as a link (Docker sends the link):
    retargeting retags, editing an outside target does not.
    """
    outside = tmp_path / "outside.txt"
    outside.write_text("one")
    (context / "link").symlink_to(outside)
    first = tag(context)
    outside.write_text("two")  # outside the context: Docker never reads it
    assert tag(context) == first
    (context / "link").unlink()
    (context / "link").symlink_to("settings/a.json")
    assert tag(context) != first
    assert "link" in context_files(context)


def test_exec_bit_counts_but_other_permission_bits_do_not(context):
    """Only the executable bit counts (what git keeps across checkouts); a umask difference does not retag."""
    before = tag(context)
    path = context / "settings" / "b.json"
    path.chmod(0o600)
    assert tag(context) == before
    path.chmod(0o755)
    assert tag(context) != before
