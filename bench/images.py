"""What a notebook image rebuild costs: layers shared, bytes pushed, build seconds cold and warm.

Runs the real tools the integration tests use (tests/integration): a private dockerd (or
buildah), docker-registry on 127.0.0.1, the stand-in base and the local wheel index. Not part
of the test suite; `make bench-images` runs it. Numbers are recorded in bench/README.md.

The type image is images/jupyter with a pip package and a requirements file. A notebook's own
image is the same spec with the notebook's requirements instead (as build_images makes it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components.content_tag import content_tag  # noqa: E402
from tests.integration import standin_base as standin  # noqa: E402
from tests.integration.builders import Builder, start_builder  # noqa: E402
from tests.integration.tools import Credential, LocalRegistry, start_registry, stop_process  # noqa: E402
from tests.integration.wheel_index import (  # noqa: E402
    OWN_REQUIREMENT,
    PIP_PACKAGE,
    REQUIREMENT,
    ensure_wheels,
    serve,
    write_simple_index,
)

REPO = Path(__file__).resolve().parents[1]
CONTEXT = "images/jupyter"
PLATFORM = "linux/amd64"


def stored_bytes(registry: LocalRegistry) -> int:
    """Bytes of every blob the registry holds (layers, configs, manifests)."""
    blobs = registry.root / "data" / "docker" / "registry" / "v2" / "blobs"
    return sum(p.stat().st_size for p in blobs.rglob("data")) if blobs.exists() else 0


def layers(registry: LocalRegistry, reference: str) -> list[str]:
    raw = registry.skopeo(
        "inspect", "--raw", "--tls-verify=false", "--creds", registry.pusher.creds, f"docker://{reference}"
    ).stdout
    return [layer["digest"] for layer in json.loads(raw)["layers"]]


class Bench:
    def __init__(self, registry: LocalRegistry, base: str, index_url: str):
        self.registry, self.base, self.index_url = registry, base, index_url

    def args(self, requirements: str) -> dict[str, str]:
        """The program's build args for the spec (what the content tag hashes)."""
        return {
            "BASE_IMAGE": self.base,
            "APT_PACKAGES": "",
            "PIP_PACKAGES": PIP_PACKAGE[0],
            "PIP_REQUIREMENTS": requirements,
        }

    def build_and_push(self, builder: Builder, key: str, requirements: str) -> dict:
        program_args = self.args(requirements)
        tag = content_tag(REPO / CONTEXT, program_args, PLATFORM)
        image_name = f"{self.registry.server}/teamspace/{key}:{tag}"
        started = time.monotonic()
        builder.build(
            cwd=REPO,
            context=CONTEXT,
            dockerfile=f"{CONTEXT}/Dockerfile",
            image_name=image_name,
            args={**program_args, "PIP_INDEX_URL": self.index_url},
            platform=PLATFORM,
        )
        seconds = time.monotonic() - started
        before = stored_bytes(self.registry)
        digest = builder.push(image_name)
        return {
            "image": image_name,
            "tag": tag,
            "digest": digest,
            "build_seconds": round(seconds, 1),
            "bytes_pushed": stored_bytes(self.registry) - before,
            "layers": layers(self.registry, f"{image_name.rsplit(':', 1)[0]}@{digest}"),
        }


def fresh_builder(forced: str, registry: LocalRegistry) -> Builder:
    builder, problems = start_builder(forced)
    if builder is None:
        sys.exit("no image builder: " + "; ".join(problems))
    builder.login(registry.server, registry.pusher.username, registry.pusher.password)
    return builder


def run(forced: str) -> dict:
    work = Path(tempfile.mkdtemp(prefix="ts-bench-images-"))
    (work / "registry").mkdir()
    registry = start_registry(
        work / "registry", Credential("pusher", "bench-push"), Credential("reader", "bench-read")
    )
    index = None
    builders: list[Builder] = []
    try:
        layout = standin.ensure_layout()
        bench = Bench(registry, standin.push(registry, layout, work), "")
        write_simple_index(ensure_wheels(), work / "index")
        index = serve(work / "index")
        bench.index_url = index.url
        type_requirements = f"{REQUIREMENT[0]}\n"
        own_requirements = f"{OWN_REQUIREMENT[0]}\n"

        first = fresh_builder(forced, registry)
        builders.append(first)
        started = time.monotonic()
        first.run_in(bench.base, ["true"], entrypoint=False)  # pulls the base: not part of a rebuild
        base_pull = round(time.monotonic() - started, 1)
        cold = bench.build_and_push(first, "jupyter", type_requirements)
        own = bench.build_and_push(first, "data-lab", own_requirements)
        warm = bench.build_and_push(first, "jupyter", type_requirements)

        second = fresh_builder(forced, registry)  # an empty cache: a new CI runner
        builders.append(second)
        second.run_in(bench.base, ["true"], entrypoint=False)
        cold_again = bench.build_and_push(second, "jupyter", type_requirements)

        shared = [d for d in own["layers"] if d in cold["layers"]]
        return {
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "load_1m": os.getloadavg()[0],
                "builder": first.name,
            },
            "base_pull_seconds": base_pull,
            "type_image_cold": cold,
            "own_requirements_image": own,
            "type_image_rebuilt_warm": warm,
            "type_image_rebuilt_on_empty_builder": cold_again,
            "own_shares_all_but_last": own["layers"][:-1] == cold["layers"][:-1]
            and own["layers"][-1] != cold["layers"][-1],
            "layers_shared": f"{len(shared)} of {len(own['layers'])}",
            "warm_rebuild_same_tag_and_digest": (warm["tag"], warm["digest"])
            == (cold["tag"], cold["digest"]),
            "empty_builder_same_digest": cold_again["digest"] == cold["digest"],
        }
    finally:
        for builder in builders:
            builder.stop()
        if index is not None:
            stop_process(index.process)
        stop_process(registry.process)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builder", choices=("", "dockerd", "buildah"), default="")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    results = run(options.builder)
    for key in (
        "type_image_cold",
        "own_requirements_image",
        "type_image_rebuilt_warm",
        "type_image_rebuilt_on_empty_builder",
    ):
        r = results[key]
        print(
            f"{key:38} build {r['build_seconds']:6.1f} s  pushed {r['bytes_pushed']:>10,} B  "
            f"layers {len(r['layers'])}  {r['tag']}  {r['digest'][:19]}"
        )
    for key in (
        "machine",
        "base_pull_seconds",
        "layers_shared",
        "own_shares_all_but_last",
        "warm_rebuild_same_tag_and_digest",
        "empty_builder_same_digest",
    ):
        print(f"{key}: {results[key]}")
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
