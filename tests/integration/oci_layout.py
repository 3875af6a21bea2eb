"""Writing an OCI image layout by hand (stdlib only: the stand-in base is built with the
system Python before the venv exists)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def blob(layout: Path, data: bytes | None = None, path: Path | None = None) -> dict:
    """Store bytes (or move a file) into the layout's blobs; its descriptor digest and size."""
    blobs = layout / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    if path is not None:
        digest, size = file_sha256(path), path.stat().st_size
        path.replace(blobs / digest)
    else:
        assert data is not None
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
        (blobs / digest).write_bytes(data)
    return {"digest": f"sha256:{digest}", "size": size}


def write_image(layout: Path, config: dict, layer: dict, tag: str) -> str:
    """Store the image config, a one-layer manifest and the index naming it `tag`; the
    manifest's digest."""
    config_desc = {
        "mediaType": "application/vnd.oci.image.config.v1+json",
        **blob(layout, json.dumps(config, sort_keys=True).encode()),
    }
    manifest = {"schemaVersion": 2, "mediaType": MANIFEST, "config": config_desc, "layers": [layer]}
    manifest_desc = {
        "mediaType": MANIFEST,
        **blob(layout, json.dumps(manifest, sort_keys=True).encode()),
        "annotations": {"org.opencontainers.image.ref.name": tag},
    }
    (layout / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [manifest_desc]}))
    return manifest_desc["digest"]
