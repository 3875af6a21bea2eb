"""Content tags (components/content_tag.py), the edges of what Docker sends: a file name with a
backslash, a context without a .dockerignore, a comment in one, which permission bits count, and
the tag of a fixed context, pinned (the rest of the subject: test_content_tag.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from components.content_tag import content_tag, context_files

ARGS = {"BASE_IMAGE": "quay.io/jupyter/base:2025", "PIP_PACKAGES": "kfp==1.8.14"}
PLATFORM = "linux/amd64"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
        (root / name).chmod(0o644)
    return root


def test_a_file_name_with_a_backslash_is_one_file(tmp_path):
    """On Linux a backslash is an ordinary character of a file name, and Docker sends the file."""
    context = write(tmp_path, {"Dockerfile": "FROM scratch\n", "notes\\draft.txt": "one"})
    assert context_files(context) == ["Dockerfile", "notes\\draft.txt"]
    first = content_tag(context, ARGS, PLATFORM)
    (context / "notes\\draft.txt").write_text("two")
    assert content_tag(context, ARGS, PLATFORM) != first


def test_without_a_dockerignore_every_file_is_sent(tmp_path):
    context = write(tmp_path, {"Dockerfile": "FROM scratch\n", "a/b.txt": "b", "README.md": "r"})
    assert context_files(context) == ["Dockerfile", "README.md", "a/b.txt"]


def test_comments_and_blank_lines_in_a_dockerignore_exclude_nothing(tmp_path):
    """As Docker reads it: a line starting with `#` is a comment, even one naming a file."""
    files = {"Dockerfile": "FROM scratch\n", "#notes": "n", "x.md": "x", ".dockerignore": "#notes\n\n*.md\n"}
    assert context_files(write(tmp_path, files)) == ["#notes", ".dockerignore", "Dockerfile"]


@pytest.mark.parametrize(
    "mode, same",
    [(0o600, True), (0o646, True), (0o666, True), (0o744, False), (0o654, False), (0o645, False)],
)
def test_any_executable_bit_counts_and_no_other(tmp_path, mode, same):
    """Executable by owner, group or others: one flag (what git keeps); read and write bits never count."""
    context = write(tmp_path, {"Dockerfile": "FROM scratch\n", "start.sh": 'exec "$@"\n'})
    before = content_tag(context, ARGS, PLATFORM)
    (context / "start.sh").chmod(mode)
    assert (content_tag(context, ARGS, PLATFORM) == before) is same


def test_the_tag_of_a_fixed_context_is_pinned(tmp_path):
    """A changed scheme would retag, rebuild and push every image on the next `up`: it must be a
    deliberate change of this value. The context has a symlink with a file after it."""
    context = write(tmp_path, {"Dockerfile": "FROM scratch\n", "settings/a.json": "{}\n", "z.sh": "exit 0\n"})
    (context / "z.sh").chmod(0o755)
    os.symlink("settings/a.json", context / "link")
    assert content_tag(context, ARGS, PLATFORM) == "content-1647cc633c648ebb5be6"
