"""What a built notebook image holds, read from inside a container of it by one Python script.

The script runs as the image's own user with the image's own Python (`python` on PATH),
with or without the image's entrypoint, and prints one JSON object.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .builder import Builder

_PROBE = r"""
import grp, importlib, json, os, pwd, shutil, subprocess, sys

def files(root):
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                found[os.path.relpath(path, root)] = {"uid": os.lstat(path).st_uid, "text": handle.read()}
    return found

def dpkg_status(package):
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None

modules, packages = sys.argv[1].split(), sys.argv[2].split()
groups = {g.gr_name: g.gr_mem for g in grp.getgrall()}
home = os.environ["HOME"]
print(json.dumps({
    "user": pwd.getpwuid(os.getuid()).pw_name, "uid": os.getuid(), "gid": os.getgid(), "home": home,
    "home_entries": sorted(os.listdir(home)),
    "home_files": files(home),
    "tmp_home_files": files("/tmp_home/jovyan"),
    "modules": {name: importlib.import_module(name).__file__ for name in modules},
    "dpkg": {name: dpkg_status(name) for name in packages},
    "sudo": sorted({p for p in ("/usr/bin/sudo", "/etc/sudoers", "/etc/sudoers.d", shutil.which("sudo")) if p
                    and os.path.lexists(p)}),
    "sudo_group": groups.get("sudo"),
    "apt_lists": sorted(os.listdir("/var/lib/apt/lists")),
    "which": {tool: shutil.which(tool) for tool in ("bash", "python", "pip", *packages)},
    "pip_owner": pwd.getpwuid(os.stat(shutil.which("pip")).st_uid).pw_name,
}))
"""


def probe(
    builder: Builder,
    image_name: str,
    *,
    entrypoint: bool,
    modules: Sequence[str] = (),
    apt_packages: Sequence[str] = (),
) -> dict[str, Any]:
    """Import `modules` and ask dpkg about `apt_packages` inside the image; everything else too."""
    out = builder.run_in(
        image_name, ["python", "-c", _PROBE, " ".join(modules), " ".join(apt_packages)], entrypoint=entrypoint
    )
    return json.loads(out.strip().splitlines()[-1])
