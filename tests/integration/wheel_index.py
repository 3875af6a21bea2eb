"""A PEP 503 package index on 127.0.0.1, serving wheels fetched from PyPI before any build.

Builds point pip at it with the Dockerfiles' PIP_INDEX_URL build arg, so nothing a build
installs comes from the internet. The wheels are cached under build/wheels/.
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .tools import free_port, stop_process

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "wheels"
# Small, pure-Python, no dependencies: (requirement, import name).
PIP_PACKAGE = ("six==1.17.0", "six")
REQUIREMENT = ("idna==3.10", "idna")
OWN_REQUIREMENT = ("packaging==24.2", "packaging")  # a notebook's own requirements file (bench)
WHEELS = (PIP_PACKAGE, REQUIREMENT, OWN_REQUIREMENT)


def _normalized(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()


def ensure_wheels() -> Path:
    """The folder of downloaded wheels, fetching any that are missing from PyPI."""
    files = CACHE / "files"
    files.mkdir(parents=True, exist_ok=True)
    missing = []
    for requirement, _ in WHEELS:
        name, version = requirement.split("==")
        if not any(files.glob(f"{re.sub(r'[-.]+', '_', name)}-{version}-*.whl")):
            missing.append(requirement)
    if missing:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--only-binary=:all:",
                "--no-deps",
                "-d",
                str(files),
                *missing,
            ],
            check=True,
            timeout=120,
        )
    return files


def write_simple_index(files: Path, root: Path) -> None:
    """`root/simple/<project>/index.html` linking each wheel (with its sha256) in `root/files/`."""
    projects: dict[str, list[Path]] = {}
    for wheel in sorted(files.glob("*.whl")):
        projects.setdefault(_normalized(wheel.name.split("-")[0]), []).append(wheel)
    (root / "files").mkdir(parents=True, exist_ok=True)
    simple = root / "simple"
    simple.mkdir(exist_ok=True)
    for project, wheels in projects.items():
        links = []
        for wheel in wheels:
            (root / "files" / wheel.name).write_bytes(wheel.read_bytes())
            digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
            name = html.escape(wheel.name)
            links.append(f'<a href="../../files/{name}#sha256={digest}">{name}</a>')
        (simple / project).mkdir(exist_ok=True)
        page = "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
        (simple / project / "index.html").write_text(page)
    index = "".join(f'<a href="{p}/">{p}</a>\n' for p in sorted(projects))
    (simple / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{index}</body></html>\n")


@dataclass
class WheelIndex:
    url: str
    """http://127.0.0.1:<port>/simple/ : what PIP_INDEX_URL gets."""
    process: subprocess.Popen


def serve(root: Path, timeout: float = 10) -> WheelIndex:
    """Serve `root` with Python's http.server on a free 127.0.0.1 port until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/simple/"
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return WheelIndex(url, process)
        except OSError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_process(process)
                raise AssertionError(
                    f"the wheel index on port {port} did not answer in {timeout}s"
                ) from error
            time.sleep(0.1)
