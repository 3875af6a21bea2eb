"""Content-addressed image tags: the same context and build args always give the same tag."""

from __future__ import annotations

import hashlib
import json
import os
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
    kept = exclude_paths(str(context), patterns)
    return sorted(p.replace("\\", "/") for p in kept if (context / p).is_symlink() or (context / p).is_file())


def content_tag(context: Path, build_args: Mapping[str, str], platform: str) -> str:
    """`content-<20 hex>` over file paths, contents, executable bits, build args and platform.

    Modification times, file order and the absolute location of the context do not count;
    registry credentials are not inputs, so rotating them never retags an image. A symlink
    counts by its target path (Docker copies the link, not what it points to).
    """
    digest = hashlib.sha256()
    for relative in context_files(context):
        path = context / relative
        if path.is_symlink():
            digest.update(json.dumps([relative, "symlink", os.readlink(path)]).encode())
            continue
        digest.update(json.dumps([relative, bool(path.stat().st_mode & 0o111)]).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps({"args": dict(sorted(build_args.items())), "platform": platform}).encode())
    return TAG_PREFIX + digest.hexdigest()[:20]
