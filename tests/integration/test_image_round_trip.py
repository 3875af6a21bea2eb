"""A real notebook image, end to end: the program's build inputs built on the stand-in base,
pushed to the real registry, and pulled back by digest with the program's own pull secret.

Unlike test_push.py (a small offline context in a copy of the project), this builds the
checkout's real images/jupyter/Dockerfile, RUN steps included.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from devtools.runtime import PROJECT_ROOT, run_program
from devtools.secret_envelopes import unwrap_secrets
from devtools.stack_config import Secret

from ..harness import IMAGE, NOTEBOOK, SECRET, minimal_config
from .tools import REFUSED, authfile, decode_dockerconfigjson

pytestmark = pytest.mark.integration


def test_real_image_pushes_and_pulls_back_by_the_pinned_digest(
    registry, standin_base, image_builder, tmp_path
):
    """Build and push exactly as registered; the program pins <repository>@<digest>; skopeo pulls
    that digest with the generated pull secret and gets the image that was built."""
    config = minimal_config(
        registry={"server": registry.server, "username": registry.pusher.username, "insecure": True},
        registryPassword=Secret(registry.pusher.password),
        pullUsername=registry.reader.username,
        pullPassword=Secret(registry.reader.password),
        images={"jupyter": {"type": "jupyter", "base": standin_base.reference}},
    )
    result = run_program(config)
    assert result.error is None, result.error
    (image,) = [r for r in result.registrations if r.type == IMAGE]
    image_name = image.inputs["imageName"]
    build, push_to = unwrap_secrets(image.inputs["build"]), unwrap_secrets(image.inputs["registry"])
    assert build["context"] == "images/jupyter" and build["args"]["BASE_IMAGE"] == standin_base.reference

    image_builder.login(push_to["server"], push_to["username"], push_to["password"])
    image_builder.build(
        cwd=PROJECT_ROOT,
        context=build["context"],
        dockerfile=build["dockerfile"],
        image_name=image_name,
        args=build["args"],
        platform=build["platform"],
    )
    pushed = image_builder.push(image_name)  # what pulumi-docker reports as the repo digest

    # The Notebook runs <repository>@<digest>, in the repository the image was pushed to.
    repository = image_name.rsplit(":", 1)[0]
    (notebook,) = [r.manifest for r in result.registrations if r.type == NOTEBOOK]
    (container,) = notebook["spec"]["template"]["spec"]["containers"]
    pinned_repository, _, pinned_digest = container["image"].partition("@")
    assert pinned_repository == repository and pinned_digest.startswith("sha256:")
    reference = f"{repository}@{pushed}"

    (secret,) = [r for r in result.registrations if r.type == SECRET]
    auth = authfile(tmp_path / "auth.json", decode_dockerconfigjson(secret.manifest))
    pulled = tmp_path / "pulled"  # the dir: transport keeps the manifest byte for byte
    registry.skopeo(
        "copy", "--src-tls-verify=false", "--authfile", str(auth), f"docker://{reference}", f"dir:{pulled}"
    )
    assert f"sha256:{hashlib.sha256((pulled / 'manifest.json').read_bytes()).hexdigest()}" == pushed
    layers = json.loads((pulled / "manifest.json").read_text())["layers"]
    assert all(
        (pulled / layer["digest"].split(":", 1)[1]).stat().st_size == layer["size"] for layer in layers
    )
    by_tag = registry.inspect(image_name, "--authfile", str(auth), fmt="{{.Digest}}", check=True)
    assert by_tag.stdout.strip() == pushed

    # What came back is the image built from images/jupyter on the stand-in base.
    details = json.loads(registry.inspect(reference, "--authfile", str(auth), check=True).stdout)
    assert details["Labels"]["org.opencontainers.image.title"] == "teamspace-jupyter"
    assert details["Labels"]["org.opencontainers.image.base.name"] == standin_base.reference
    assert f"{details['Os']}/{details['Architecture']}" == build["platform"]

    refused = registry.inspect(reference, "--authfile", str(authfile(tmp_path / "none.json", b"{}")))
    assert refused.returncode != 0 and REFUSED.search(refused.stderr), refused.stderr
