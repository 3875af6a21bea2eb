"""The push path: the program's own docker Image inputs, built and pushed by a real builder.

The program runs from a copy of the project whose `images/jupyter/` is a small context that
honours the same build args but builds offline, on a base pushed to the local registry
first. Every value handed to the builder is read from the registration; none is re-derived.
"""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from devtools.secret_envelopes import is_secret_envelope, unwrap_secrets
from devtools.stack_config import Secret

from ..harness import IMAGE, SECRET, minimal_config
from ..project_copy import copy_project, run_copy
from .tools import authfile, decode_dockerconfigjson

pytestmark = pytest.mark.integration

TEST_DOCKERFILE = textwrap.dedent("""\
    # Test stand-in for images/jupyter: the same build args, buildable offline (no RUN:
    # the base is a FROM-scratch image with one file). Labels echo the args it was given.
    ARG BASE_IMAGE=scratch
    FROM ${BASE_IMAGE}
    ARG BASE_IMAGE
    ARG APT_PACKAGES=""
    ARG PIP_PACKAGES=""
    ARG PIP_REQUIREMENTS=""
    LABEL org.opencontainers.image.title="teamspace-test" \\
          teamspace.test.base-image="${BASE_IMAGE}" \\
          teamspace.test.apt-packages="${APT_PACKAGES}" \\
          teamspace.test.pip-packages="${PIP_PACKAGES}" \\
          teamspace.test.pip-requirements="${PIP_REQUIREMENTS}"
    COPY settings/ /tmp_home/jovyan/settings/
    """)


@pytest.fixture
def project(tmp_path):
    """A copy of the project with images/jupyter replaced by the offline test context."""
    root = copy_project(tmp_path / "project")
    context = root / "images" / "jupyter"
    shutil.rmtree(context)
    (context / "settings").mkdir(parents=True)
    (context / "Dockerfile").write_text(TEST_DOCKERFILE)
    (context / ".dockerignore").write_text("**/*.md\n")
    (context / "settings" / "lab.json").write_text('{"disclaimed": true}\n')
    (context / "NOTES.md").write_text("excluded from the context\n")
    return root


def test_program_image_inputs_build_push_and_resolve_to_a_digest(
    registry, tiny_image, builder, project, tmp_path
):
    """Login, build (args, platform, dockerfile, context) and push
    exactly as registered; the tag resolves to the pushed digest.
    """
    config = minimal_config(
        registry={"server": registry.server, "username": registry.pusher.username, "insecure": True},
        registryPassword=Secret(registry.pusher.password),
        pullUsername=registry.reader.username,
        pullPassword=Secret(registry.reader.password),
        images={
            "jupyter": {
                "type": "jupyter",
                "base": tiny_image.reference,
                "platform": "linux/amd64",
                "aptPackages": ["libgl1-mesa-glx"],
                "pipPackages": ["kfp==1.8.14", "awscli"],
            }
        },
    )
    result = run_copy(project, config)
    assert result.error is None, result.error
    (image,) = [r for r in result.registrations if r.type == IMAGE]
    assert is_secret_envelope(image.inputs["registry"]) or is_secret_envelope(
        image.inputs["registry"]["password"]
    )
    image_name = image.inputs["imageName"]
    build, push_to = unwrap_secrets(image.inputs["build"]), unwrap_secrets(image.inputs["registry"])

    builder.login(push_to["server"], push_to["username"], push_to["password"])
    builder.build(
        cwd=project,
        context=build["context"],
        dockerfile=build["dockerfile"],
        image_name=image_name,
        args=build["args"],
        platform=build["platform"],
    )
    pushed_digest = builder.push(image_name)

    # The tag the program chose resolves, in the registry, to what the builder pushed.
    resolved = registry.inspect(image_name, "--creds", registry.reader.creds, fmt="{{.Digest}}", check=True)
    assert resolved.stdout.strip() == pushed_digest
    assert pushed_digest.startswith("sha256:") and len(pushed_digest) == 71

    # The program's pull secret reads the pushed image; the build args and platform arrived.
    (secret,) = [r for r in result.registrations if r.type == SECRET]
    auth = authfile(tmp_path / "auth.json", decode_dockerconfigjson(secret.manifest))
    details = json.loads(registry.inspect(image_name, "--authfile", str(auth), check=True).stdout)
    assert details["Digest"] == pushed_digest
    assert f"{details['Os']}/{details['Architecture']}" == build["platform"]
    echoed = {
        arg: details["Labels"][f"teamspace.test.{arg.lower().replace('_', '-')}"] for arg in build["args"]
    }
    assert echoed == build["args"]
