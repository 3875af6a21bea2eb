"""A stand-in for the Kubeflow notebook-server bases, built here with debootstrap and no pulls.

It honours what `images/*/Dockerfile` rely on from the bases (see images/README.md): user
jovyan 1000:100 with HOME=/home/jovyan, a Python with pip at /opt/conda/bin owned by
jovyan, bash, apt that works as root, and an `/init` entrypoint that copies
/tmp_home/jovyan into the home without overwriting, as the bases' s6 cont-init step does.
It has no s6 services, JupyterLab, RStudio or code-server.

The result is an OCI image layout cached under build/standin-base/<recipe hash>/, so it is
built once per recipe (about 2-3 minutes, as root) and reused by every test session and
bench run. `.ci/run` builds it before `make test`: `python3 -m tests.integration.standin_base`.
Standard library only, so it runs before the venv exists.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .oci_layout import blob, file_sha256, write_image

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "standin-base"
SUITE, MIRROR = "bookworm", "http://deb.debian.org/debian"
PACKAGES = ("python3", "python3-venv")  # bash, apt and coreutils are in minbase
TAG = "standin"
NB_UID, NB_GID = 1000, 100  # Debian's `users` group is GID 100, as in the Ubuntu-based upstream

# Imitates the upstream cont-init step (kubeflow/kubeflow, components/example-notebook-servers/
# base/s6/cont-init.d/01-copy-tmp-home): group-writable copies, never over the user's files.
INIT = """#!/bin/bash
# Stand-in for the Kubeflow bases' s6-overlay /init: only the step that copies the home
# defaults into the (PVC-backed) home without overwriting, then the command.
set -euo pipefail
umask 0002
if [[ -d "${HOME_TMP}" ]]; then
  cp -n -r -T "${HOME_TMP}" "${HOME}"
fi
exec "$@"
"""

SETUP = f"""set -euo pipefail
useradd -M -s /bin/bash -N -u {NB_UID} -g {NB_GID} jovyan
mkdir -p /home/jovyan /tmp_home/jovyan
python3 -m venv /opt/conda
chown -R {NB_UID}:{NB_GID} /home/jovyan /tmp_home /opt/conda
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
# Smaller is faster: every test session pulls and unpacks this layer.
rm -rf /usr/share/doc/* /usr/share/man/* /usr/share/locale/* /usr/share/info/* /usr/share/python-wheels \
  /usr/lib/x86_64-linux-gnu/gconv /usr/lib/python3.11/{{idlelib,lib2to3,pydoc_data,tkinter,turtledemo,ensurepip}}
"""  # noqa: E501 - the shell script is kept byte for byte

ENV = [
    "PATH=/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME=/home/jovyan",
    "HOME_TMP=/tmp_home/jovyan",
    "NB_USER=jovyan",
    f"NB_UID={NB_UID}",
    "NB_PREFIX=/",
    "SHELL=/bin/bash",
    "LANG=C.UTF-8",
]


def recipe_key() -> str:
    """Hash of this file: any change to the recipe builds a new base."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def layout_dir() -> Path:
    """Where the OCI layout for the current recipe lives (it may not exist yet)."""
    return CACHE / recipe_key() / "oci"


def cannot_build_reason() -> str | None:
    """Why this machine cannot build the base (not root, no debootstrap), or None."""
    if os.geteuid() != 0:
        return "building the stand-in base needs root (debootstrap, chroot)"
    if shutil.which("debootstrap") is None:
        return "`debootstrap` not found (apt-get install debootstrap)"
    return None


def _run(args: list[str], **kwargs) -> None:
    subprocess.run(args, check=True, **kwargs)


def _make_rootfs(rootfs: Path) -> None:
    _run(
        ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE, str(rootfs), MIRROR],
        stdout=subprocess.DEVNULL,
    )
    (rootfs / "init").write_text(INIT)
    (rootfs / "init").chmod(0o755)
    clean_env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}
    _run(["chroot", str(rootfs), "/bin/bash", "-c", SETUP], env=clean_env)


def _write_layout(rootfs: Path, layout: Path) -> None:
    work = layout.parent
    layer_tar, layer_gz = work / "layer.tar", work / "layer.tar.gz"
    _run(
        [
            "tar",
            "--numeric-owner",
            "--sort=name",
            "--xattrs",
            "--exclude=./dev/*",
            "--exclude=./proc/*",
            "--exclude=./sys/*",
            "-C",
            str(rootfs),
            "-cf",
            str(layer_tar),
            ".",
        ]
    )
    diff_id = f"sha256:{file_sha256(layer_tar)}"
    with layer_tar.open("rb") as src, gzip.GzipFile(layer_gz, "wb", compresslevel=1, mtime=0) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    layer_tar.unlink()
    layer = {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **blob(layout, path=layer_gz)}
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2000-01-01T00:00:00Z",
        "config": {
            "User": str(NB_UID),
            "Env": ENV,
            "Entrypoint": ["/init"],
            "Cmd": ["/bin/bash"],
            "WorkingDir": "/home/jovyan",
            "Labels": {
                "org.opencontainers.image.title": "teamspace-standin-base",
                "org.opencontainers.image.description": "test stand-in for the Kubeflow "
                "notebook-server bases (tests/integration/standin_base.py)",
            },
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "2000-01-01T00:00:00Z", "created_by": "tests/integration/standin_base.py"}],
    }
    write_image(layout, config, layer, TAG)


def ensure_layout() -> Path:
    """The cached OCI layout of the base, building it first if this recipe has none."""
    layout = layout_dir()
    if (layout / "index.json").exists():
        return layout
    reason = cannot_build_reason()
    if reason:
        raise RuntimeError(reason)
    work = layout.parent
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rootfs, staging = work / "rootfs", work / "oci.partial"
    try:
        _make_rootfs(rootfs)
        staging.mkdir()
        _write_layout(rootfs, staging)
        staging.rename(layout)  # only a complete layout is ever found by index.json
    finally:
        mounts = Path("/proc/self/mounts").read_text().split()
        if not any(m.startswith(str(rootfs)) for m in mounts):  # never recurse into a live /proc or /sys
            shutil.rmtree(rootfs, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    return layout


if __name__ == "__main__":
    try:
        print(f"stand-in base: {ensure_layout()}:{TAG}")
    except (RuntimeError, subprocess.CalledProcessError) as error:
        sys.exit(f"cannot build the stand-in base: {error}")


def push(registry, layout: Path, workdir: Path) -> str:
    """Copy the stand-in base from `layout` into the test registry (a tools.LocalRegistry, with
    skopeo and the pusher's credentials); its `repository@digest`."""
    repository = f"{registry.server}/teamspace/standin-base"
    return f"{repository}@{registry.push_layout(layout, TAG, f'{repository}:{TAG}', workdir)}"
