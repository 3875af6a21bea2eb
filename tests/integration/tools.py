"""Real servers and clients for the integration tests: Docker Registry v2 and skopeo (the builders
are in builders.py and the modules it names).

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
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from .oci_layout import blob, write_image

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


def missing_reason(binaries: Sequence[str]) -> str | None:
    """Why the binaries cannot be used (which are missing, from which apt package), or None."""
    gone = [b for b in binaries if shutil.which(b) is None]
    if not gone:
        return None
    return "; ".join(f"`{b}` not found (apt-get install {APT_PACKAGES[b]})" for b in gone)


def unavailable(reason: str) -> None:
    """Skip outside CI; in CI (`CI=true`) fail, because there the tools must be installed."""
    if in_ci():
        pytest.fail(
            f"CI=true, so integration tests must run, but {reason}; .ci/run installs them with apt-get",
            pytrace=False,
        )
    pytest.skip(f"{reason}; .ci/run installs the packages; with CI=true this is an error")


def require(*binaries: str) -> None:
    """Skip or fail (see `unavailable`) unless every binary is on PATH."""
    reason = missing_reason(binaries)
    if reason:
        unavailable(reason)


def run(
    args: Sequence[str],
    *,
    check: bool = True,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run a command; on an unexpected exit status fail with its output."""
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, input=input, cwd=cwd, timeout=timeout
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} exited {done.returncode}\n"
            f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
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
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REGISTRY_AUTH_FILE", "DOCKER_CONFIG", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME")
    }
    for sub in ("run", "config", "docker"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(home / "run"),
        XDG_CONFIG_HOME=str(home / "config"),
        DOCKER_CONFIG=str(home / "docker"),
    )
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
    process: subprocess.Popen | None = None

    def url(self, path: str = "/v2/") -> str:
        return f"http://{self.server}{path}"

    def skopeo(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(["skopeo", *args], check=check, env=client_env(self.home))

    def push_layout(self, layout: Path, tag: str, reference: str, workdir: Path) -> str:
        """`skopeo copy` an OCI layout's `tag` to `reference` as the pusher; the pushed digest."""
        digest_file = workdir / "pushed.digest"
        self.skopeo(
            "copy", "--dest-tls-verify=false", "--dest-creds", self.pusher.creds,
            "--digestfile", str(digest_file), f"oci:{layout}:{tag}", f"docker://{reference}",
        )  # fmt: skip
        return digest_file.read_text().strip()

    def inspect(
        self,
        reference: str,
        *auth: str,
        check: bool = False,
        fmt: str | None = None,
        tls_verify: bool = False,
    ) -> subprocess.CompletedProcess:
        """`skopeo inspect` a `host:port/repo:tag` reference with the given auth flags."""
        extra = ["--format", fmt] if fmt else []
        return self.skopeo(
            "inspect",
            f"--tls-verify={str(tls_verify).lower()}",
            *auth,
            *extra,
            f"docker://{reference}",
            check=check,
        )


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
    registry = LocalRegistry(
        server=f"127.0.0.1:{port}", pusher=pusher, reader=reader, root=root, log=log, home=root / "home"
    )
    with log.open("wb") as out:
        registry.process = subprocess.Popen(
            ["docker-registry", "serve", str(root / "config.yml")],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
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
            raise AssertionError(
                f"docker-registry did not answer /v2/ with 401 in {timeout}s:\n{log.read_text()}"
            )
        time.sleep(0.1)


# --- a tiny image, without any builder -------------------------------------------------


def write_oci_layout(layout: Path, tag: str, files: Mapping[str, bytes], architecture: str = "amd64") -> str:
    """A `FROM scratch` image holding `files` as an OCI image layout; returns its manifest digest."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    layer_bytes = layer.getvalue()
    layer_desc = {"mediaType": "application/vnd.oci.image.layer.v1.tar", **blob(layout, layer_bytes)}
    diff_id = f"sha256:{hashlib.sha256(layer_bytes).hexdigest()}"
    config = {
        "architecture": architecture,
        "os": "linux",
        "created": "2000-01-01T00:00:00Z",
        "config": {"Labels": {"org.opencontainers.image.title": "teamspace-test-base"}},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "teamspace tests"}],
    }
    return write_image(layout, config, layer_desc, tag)


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
    return PushedImage(reference, registry.push_layout(layout, tag, reference, workdir))


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
