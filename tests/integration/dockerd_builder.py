"""A private dockerd (overlay2 or vfs, no bridge) in a temp dir, driven by the docker CLI and
stopped by PID: an image builder for the integration tests and `make bench-images`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .builder import Builder, build_flags
from .tools import client_env, run, stop_process


class DockerdBuilder(Builder):
    """A private `dockerd` (no iptables, no bridge) in a temp dir, driven by the docker CLI.

    overlay2 when the kernel allows it: the classic builder makes a container for every
    instruction, and vfs copies the whole image for each (about 20 s per step for a 150 MB
    base on a busy 2-core machine, against well under a second with overlay2).
    """

    def __init__(self, storage_driver: str = "overlay2", timeout: float = 30):
        self.name = f"dockerd ({storage_driver})"
        # Short base path: unix socket paths are limited to 108 bytes.
        self.base = Path(tempfile.mkdtemp(prefix="ts-dockerd-"))
        self.exec_root, self.sock = self.base / "exec", self.base / "docker.sock"
        (self.base / "daemon.json").write_text("{}")  # never the host's /etc/docker/daemon.json
        self.log = self.base / "dockerd.log"
        self.env = client_env(self.base / "home")
        self.env["DOCKER_HOST"] = f"unix://{self.sock}"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    "dockerd",
                    "--config-file",
                    str(self.base / "daemon.json"),
                    f"--storage-driver={storage_driver}",
                    "--iptables=false",
                    "--ip6tables=false",
                    "--bridge=none",
                    "--data-root",
                    str(self.base / "data"),
                    "--exec-root",
                    str(self.exec_root),
                    "--pidfile",
                    str(self.base / "dockerd.pid"),
                    "-H",
                    self.env["DOCKER_HOST"],
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while not self._ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log.read_text(errors="replace")[-3000:]
                self.stop()
                raise RuntimeError(f"dockerd ({storage_driver}) did not start:\n{log}")
            time.sleep(0.1)
        driver = self.docker("info", "--format", "{{.Driver}}", check=False).stdout.strip()
        if driver != storage_driver:
            self.stop()
            raise RuntimeError(f"dockerd runs with storage driver {driver!r}, not {storage_driver!r}")

    def _ping(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(2)
                conn.connect(str(self.sock))
                conn.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
                return conn.recv(64).split(b" ")[1:2] == [b"200"]
        except OSError:
            return False

    def docker(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return run(["docker", *args], env=self.env, **kwargs)

    def version(self) -> str:
        return self.docker(
            "version", "--format", "client {{.Client.Version}}, server {{.Server.Version}}"
        ).stdout.strip()

    def login(self, server, username, password):
        self.docker("login", "--username", username, "--password-stdin", server, input=password)

    def build(self, cwd, context, dockerfile, image_name, args, platform):
        self.docker(
            "build", *build_flags(context, dockerfile, image_name, args, platform), cwd=cwd, timeout=300
        )

    def push(self, image_name):
        self.docker("push", image_name, timeout=300)
        repo_digests = self.docker("image", "inspect", "--format", "{{json .RepoDigests}}", image_name).stdout
        repository = image_name.rsplit(":", 1)[0]
        (digest,) = [d.split("@", 1)[1] for d in json.loads(repo_digests) if d.startswith(repository + "@")]
        return digest

    def run_in(self, image_name, command, *, entrypoint):
        bypass = [] if entrypoint else ["--entrypoint", ""]
        return self.docker("run", "--rm", "--network", "none", *bypass, image_name, *command).stdout

    def stop(self):
        stop_process(self.process, grace=20)
        # A containerd that dockerd started and failed to stop: ours, stopped by its PID.
        containerd_pid = self.exec_root / "containerd" / "containerd.pid"
        try:
            pid = int(containerd_pid.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"containerd" in cmdline and str(self.base).encode() in cmdline:  # not a reused PID
                os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        netns = self.exec_root / "netns" / "default"
        mounts = Path("/proc/self/mounts").read_text().split()
        if str(netns) in mounts:
            subprocess.run(["umount", str(netns)], check=False)
        # Deleting the image store takes tens of seconds on a busy disk: rm finishes on its own.
        subprocess.Popen(
            ["rm", "-rf", "--one-file-system", str(self.base)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
