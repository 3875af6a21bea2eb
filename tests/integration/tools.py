"""Real servers and clients for the integration tests: Docker Registry v2, skopeo, dockerd, buildah.

Everything here runs on 127.0.0.1 in temp dirs, and every process it starts is stopped by
its PID. The Debian packages come from `.ci/run`; outside CI a missing binary skips the
test (naming the package), in CI (`CI=true`) it fails it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence

import pytest

# The binaries the integration tests run, and the Debian package of each (see .ci/run).
APT_PACKAGES = {
    "docker-registry": "docker-registry",
    "htpasswd": "apache2-utils",
    "skopeo": "skopeo",
    "buildah": "buildah",
    "dockerd": "docker.io",
    "docker": "docker.io",
}


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing_reason(binaries: Sequence[str]) -> Optional[str]:
    """Why the binaries cannot be used (which are missing, from which apt package), or None."""
    gone = [b for b in binaries if shutil.which(b) is None]
    if not gone:
        return None
    return "; ".join(f"`{b}` not found (apt-get install {APT_PACKAGES[b]})" for b in gone)


def unavailable(reason: str) -> None:
    """Skip outside CI; in CI (`CI=true`) fail, because there the tools must be installed."""
    if in_ci():
        pytest.fail(f"CI=true, so integration tests must run, but {reason}; .ci/run installs "
                    "them with apt-get", pytrace=False)
    pytest.skip(f"{reason}; .ci/run installs the packages; with CI=true this is an error")


def require(*binaries: str) -> None:
    """Skip or fail (see `unavailable`) unless every binary is on PATH."""
    reason = missing_reason(binaries)
    if reason:
        unavailable(reason)


def run(args: Sequence[str], *, check: bool = True, env: Optional[Mapping[str, str]] = None,
        input: Optional[str] = None, cwd: Optional[Path] = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a command; on an unexpected exit status fail with its output."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, input=input,
                          cwd=cwd, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {done.returncode}\n"
                             f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}")
    return done


def stop_process(process: subprocess.Popen, grace: float = 15) -> None:
    """SIGTERM the process we started (by its PID), wait, then SIGKILL if it is still there."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client_env(home: Path) -> dict[str, str]:
    """Environment for registry clients with a private, empty home: no stored login leaks in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("REGISTRY_AUTH_FILE", "DOCKER_CONFIG", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME")}
    for sub in ("run", "config", "docker"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(home / "run"), XDG_CONFIG_HOME=str(home / "config"),
               DOCKER_CONFIG=str(home / "docker"))
    return env


# --- the registry ----------------------------------------------------------------------

@dataclass(frozen=True)
class Credential:
    username: str
    password: str

    @property
    def creds(self) -> str:
        return f"{self.username}:{self.password}"


@dataclass
class LocalRegistry:
    """A running `docker-registry serve` on 127.0.0.1, plain HTTP, htpasswd auth."""

    server: str
    """host:port, exactly as images name it."""
    pusher: Credential
    reader: Credential
    root: Path
    log: Path
    home: Path
    """Private HOME for clients (skopeo), so no login outside the test is used."""
    process: Optional[subprocess.Popen] = None

    def url(self, path: str = "/v2/") -> str:
        return f"http://{self.server}{path}"

    def skopeo(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(["skopeo", *args], check=check, env=client_env(self.home))

    def inspect(self, reference: str, *auth: str, check: bool = False, fmt: Optional[str] = None,
                tls_verify: bool = False) -> subprocess.CompletedProcess:
        """`skopeo inspect` a `host:port/repo:tag` reference with the given auth flags."""
        extra = ["--format", fmt] if fmt else []
        return self.skopeo("inspect", f"--tls-verify={str(tls_verify).lower()}", *auth, *extra,
                           f"docker://{reference}", check=check)


def start_registry(root: Path, pusher: Credential, reader: Credential, timeout: float = 20) -> LocalRegistry:
    """Write htpasswd + config under `root`, start the registry on a free port, wait for `/v2/` → 401."""
    # htpasswd auth has no per-user permissions: any valid user may push and pull. The
    # "read-only" reader is read-only only on a real Nexus (a role without write); here the
    # point is the credential plumbing: which user:password ends up in the pull secret.
    htpasswd = root / "htpasswd"
    entries = [run(["htpasswd", "-Bbn", c.username, c.password]).stdout.strip() for c in (pusher, reader)]
    htpasswd.write_text("\n".join(entries) + "\n")
    port = free_port()
    config = {  # JSON is YAML
        "version": 0.1,
        "log": {"level": "info", "accesslog": {"disabled": False}},
        "storage": {"filesystem": {"rootdirectory": str(root / "data")}, "delete": {"enabled": True}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": "teamspace-integration-tests"},
        "auth": {"htpasswd": {"realm": "basic-realm", "path": str(htpasswd)}},
    }
    (root / "config.yml").write_text(json.dumps(config, indent=2))
    log = root / "registry.log"
    registry = LocalRegistry(server=f"127.0.0.1:{port}", pusher=pusher, reader=reader, root=root, log=log,
                             home=root / "home")
    with log.open("wb") as out:
        registry.process = subprocess.Popen(["docker-registry", "serve", str(root / "config.yml")],
                                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while True:
        if registry.process.poll() is not None:
            raise AssertionError(f"docker-registry exited {registry.process.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(registry.url(), timeout=1)
        except urllib.error.HTTPError as answer:
            if answer.code == 401:
                return registry
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_process(registry.process)
            raise AssertionError(f"docker-registry did not answer /v2/ with 401 in {timeout}s:\n{log.read_text()}")
        time.sleep(0.1)


# --- a tiny image, without any builder -------------------------------------------------

def _blob(layout: Path, data: bytes) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    (layout / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    (layout / "blobs" / "sha256" / digest).write_bytes(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def write_oci_layout(layout: Path, tag: str, files: Mapping[str, bytes], architecture: str = "amd64") -> str:
    """A `FROM scratch` image holding `files` as an OCI image layout; returns its manifest digest."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    layer_bytes = layer.getvalue()
    layer_desc = {"mediaType": "application/vnd.oci.image.layer.v1.tar", **_blob(layout, layer_bytes)}
    diff_id = f"sha256:{hashlib.sha256(layer_bytes).hexdigest()}"
    config = {"architecture": architecture, "os": "linux", "created": "2000-01-01T00:00:00Z",
              "config": {"Labels": {"org.opencontainers.image.title": "teamspace-test-base"}},
              "rootfs": {"type": "layers", "diff_ids": [diff_id]}, "history": [{"created_by": "teamspace tests"}]}
    config_desc = {"mediaType": "application/vnd.oci.image.config.v1+json",
                   **_blob(layout, json.dumps(config, sort_keys=True).encode())}
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": config_desc, "layers": [layer_desc]}
    manifest_desc = {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                     **_blob(layout, json.dumps(manifest, sort_keys=True).encode()),
                     "annotations": {"org.opencontainers.image.ref.name": tag}}
    (layout / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [manifest_desc]}))
    return manifest_desc["digest"]


@dataclass(frozen=True)
class PushedImage:
    reference: str
    """host:port/repo:tag"""
    digest: str
    """sha256:... of the manifest in the registry."""


def push_tiny_image(registry: LocalRegistry, workdir: Path, repository: str, tag: str) -> PushedImage:
    """Build a one-file `FROM scratch` image as an OCI layout and `skopeo copy` it to the registry."""
    layout = workdir / "oci"
    write_oci_layout(layout, tag, {"hello.txt": b"hello from teamspace tests\n"})
    reference = f"{registry.server}/{repository}:{tag}"
    digest_file = workdir / "digest"
    registry.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", registry.pusher.creds,
                    "--digestfile", str(digest_file), f"oci:{layout}:{tag}", f"docker://{reference}")
    return PushedImage(reference, digest_file.read_text().strip())


# --- authfiles ------------------------------------------------------------------------------

def authfile(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    path.chmod(0o600)
    return path


def decode_dockerconfigjson(secret_manifest: Mapping) -> bytes:
    """The exact bytes of a `kubernetes.io/dockerconfigjson` Secret's `.dockerconfigjson`."""
    assert secret_manifest["type"] == "kubernetes.io/dockerconfigjson"
    return base64.b64decode(secret_manifest["data"][".dockerconfigjson"], validate=True)


REFUSED = re.compile(r"401|unauthori[sz]ed|authentication required", re.IGNORECASE)


# --- builders -------------------------------------------------------------------------------

class Builder:
    """Builds and pushes like pulumi-docker's Image would: login, build with args/platform, push."""

    name: str

    def version(self) -> str:
        raise NotImplementedError

    def login(self, server: str, username: str, password: str) -> None:
        raise NotImplementedError

    def build(self, cwd: Path, context: str, dockerfile: str, image_name: str, args: Mapping[str, str],
              platform: str) -> None:
        raise NotImplementedError

    def push(self, image_name: str) -> str:
        """Push; return the manifest digest the builder reports."""
        raise NotImplementedError

    def stop(self) -> None:
        pass


class DockerdBuilder(Builder):
    """A private `dockerd` (vfs, no iptables, no bridge) in a temp dir, driven by the docker CLI."""

    name = "dockerd"

    def __init__(self, timeout: float = 30):
        # Short base path: unix socket paths are limited to 108 bytes.
        self.base = Path(tempfile.mkdtemp(prefix="ts-dockerd-"))
        self.exec_root, self.sock = self.base / "exec", self.base / "docker.sock"
        (self.base / "daemon.json").write_text("{}")  # never the host's /etc/docker/daemon.json
        self.log = self.base / "dockerd.log"
        self.env = client_env(self.base / "home")
        self.env["DOCKER_HOST"] = f"unix://{self.sock}"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                ["dockerd", "--config-file", str(self.base / "daemon.json"), "--storage-driver=vfs",
                 "--iptables=false", "--ip6tables=false", "--bridge=none",
                 "--data-root", str(self.base / "data"), "--exec-root", str(self.exec_root),
                 "--pidfile", str(self.base / "dockerd.pid"), "-H", self.env["DOCKER_HOST"]],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self._ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log.read_text(errors="replace")[-3000:]
                self.stop()
                raise RuntimeError(f"dockerd did not start:\n{log}")
            time.sleep(0.1)

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
        return self.docker("version", "--format", "client {{.Client.Version}}, server {{.Server.Version}}").stdout.strip()

    def login(self, server, username, password):
        self.docker("login", "--username", username, "--password-stdin", server, input=password)

    def build(self, cwd, context, dockerfile, image_name, args, platform):
        build_args = [a for key, value in sorted(args.items()) for a in ("--build-arg", f"{key}={value}")]
        self.docker("build", "--network", "host", "--platform", platform, *build_args, "-f", dockerfile,
                    "-t", image_name, context, cwd=cwd, timeout=300)

    def push(self, image_name):
        self.docker("push", image_name, timeout=300)
        repo_digests = self.docker("image", "inspect", "--format", "{{json .RepoDigests}}", image_name).stdout
        repository = image_name.rsplit(":", 1)[0]
        (digest,) = [d.split("@", 1)[1] for d in json.loads(repo_digests) if d.startswith(repository + "@")]
        return digest

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
        shutil.rmtree(self.base, ignore_errors=True)


class BuildahBuilder(Builder):
    """buildah with vfs storage and chroot isolation in a temp dir; no daemon."""

    name = "buildah"

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="ts-buildah-"))
        self.auth = self.base / "auth.json"
        self.env = client_env(self.base / "home")
        self.env.update(BUILDAH_ISOLATION="chroot", REGISTRY_AUTH_FILE=str(self.auth))
        self.storage = ["--storage-driver", "vfs", "--root", str(self.base / "root"),
                        "--runroot", str(self.base / "runroot")]

    def buildah(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return run(["buildah", *self.storage, *args], env=self.env, **kwargs)

    def version(self):
        return run(["buildah", "--version"]).stdout.strip()

    def login(self, server, username, password):
        self.buildah("login", "--tls-verify=false", "--authfile", str(self.auth), "--username", username,
                     "--password-stdin", server, input=password)

    def build(self, cwd, context, dockerfile, image_name, args, platform):
        build_args = [a for key, value in sorted(args.items()) for a in ("--build-arg", f"{key}={value}")]
        self.buildah("bud", "--isolation", "chroot", "--network", "host", "--platform", platform,
                     "--tls-verify=false", "--authfile", str(self.auth), "--format", "docker", *build_args,
                     "-f", dockerfile, "-t", image_name, context, cwd=cwd, timeout=300)

    def push(self, image_name):
        digest_file = self.base / "digest"
        self.buildah("push", "--tls-verify=false", "--authfile", str(self.auth), "--digestfile",
                     str(digest_file), image_name, f"docker://{image_name}", timeout=300)
        return digest_file.read_text().strip()

    def stop(self):
        shutil.rmtree(self.base, ignore_errors=True)
