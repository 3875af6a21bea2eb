"""Content-addressed image tags: the same context and build args always give the same tag."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from docker.utils.build import exclude_paths  # Docker's own .dockerignore semantics

TAG_PREFIX = "content-"


def context_files(context: Path) -> list[str]:
    """The files and symlinks Docker would send for `context`, as sorted POSIX paths relative to it.

    Directories are not listed (their files are); a symlink is listed as itself, never
    followed, as Docker sends it.
    """
    ignore_file = context / ".dockerignore"
    patterns = []
    if ignore_file.exists():
        # utf-8-sig: Docker drops a UTF-8 byte-order mark before the first pattern.
        lines = ignore_file.read_text(encoding="utf-8-sig").splitlines()
        patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    root = str(context)
    kept = exclude_paths(root, patterns)
    # Only the OS's separator is one: on Linux a backslash is part of a file name, and Docker sends it.
    return sorted(p.replace(os.sep, "/") for p in kept if _mode(os.path.join(root, p)) in _SENT)


_SENT = (stat.S_IFREG, stat.S_IFLNK)


def _mode(path: str) -> int:
    """The file type bits of `path` itself (a symlink is not followed); 0 if it is gone."""
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except OSError:
        return 0


def content_tag(context: Path, build_args: Mapping[str, str], platform: str) -> str:
    """`content-<20 hex>` over file paths, contents, executable bits, build args and platform.

    Modification times, file order and the absolute location of the context do not count;
    registry credentials are not inputs, so rotating them never retags an image. A symlink
    counts by its target path (Docker copies the link, not what it points to).
    """
    digest = hashlib.sha256()
    root = str(context)
    for relative in context_files(context):
        # os rather than pathlib: one lstat per file, and nothing else per file but its bytes.
        path = os.path.join(root, relative)
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            digest.update(json.dumps([relative, "symlink", os.readlink(path)]).encode())
            continue
        digest.update(json.dumps([relative, bool(mode & 0o111)]).encode())
        with open(path, "rb") as file:
            digest.update(hashlib.sha256(file.read()).digest())
    digest.update(json.dumps({"args": dict(sorted(build_args.items())), "platform": platform}).encode())
    return TAG_PREFIX + digest.hexdigest()[:20]
