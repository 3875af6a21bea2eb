"""buildah (vfs, chroot isolation) in a temp dir, no daemon: an image builder for the
integration tests and `make bench-images`."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .builder import Builder, build_flags
from .tools import client_env, run


class BuildahBuilder(Builder):
    """buildah with vfs storage and chroot isolation in a temp dir; no daemon."""

    name = "buildah"

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="ts-buildah-"))
        self.auth = self.base / "auth.json"
        self.env = client_env(self.base / "home")
        self.env.update(BUILDAH_ISOLATION="chroot", REGISTRY_AUTH_FILE=str(self.auth))
        self.storage = [
            "--storage-driver",
            "vfs",
            "--root",
            str(self.base / "root"),
            "--runroot",
            str(self.base / "runroot"),
        ]

    def buildah(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return run(["buildah", *self.storage, *args], env=self.env, **kwargs)

    def version(self):
        return run(["buildah", "--version"]).stdout.strip()

    def login(self, server, username, password):
        self.buildah(
            "login",
            "--tls-verify=false",
            "--authfile",
            str(self.auth),
            "--username",
            username,
            "--password-stdin",
            server,
            input=password,
        )

    def build(self, cwd, context, dockerfile, image_name, args, platform):
        self.buildah(
            "bud",
            *(
                "--isolation",
                "chroot",
                "--tls-verify=false",
                "--authfile",
                str(self.auth),
                "--format",
                "docker",
            ),
            *build_flags(context, dockerfile, image_name, args, platform),
            cwd=cwd,
            timeout=300,
        )

    def push(self, image_name):
        digest_file = self.base / "digest"
        self.buildah(
            "push",
            "--tls-verify=false",
            "--authfile",
            str(self.auth),
            "--digestfile",
            str(digest_file),
            image_name,
            f"docker://{image_name}",
            timeout=300,
        )
        return digest_file.read_text().strip()

    def run_in(self, image_name, command, *, entrypoint):
        pulled = self.buildah("from", "--tls-verify=false", "--authfile", str(self.auth), image_name)
        container = pulled.stdout.strip()
        try:
            config = json.loads(self.buildah("inspect", "--type", "image", image_name).stdout)["OCIv1"][
                "config"
            ]
            argv = [*(config.get("Entrypoint") or []), *command] if entrypoint else list(command)
            # chroot isolation cannot drop the network: the probe simply does not use it.
            return self.buildah("run", "--isolation", "chroot", container, "--", *argv).stdout
        finally:
            self.buildah("rm", container)

    def stop(self):
        shutil.rmtree(self.base, ignore_errors=True)
