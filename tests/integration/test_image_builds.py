"""Every notebook Dockerfile, built for real on the stand-in base, and what the image holds.

Each type (jupyter, rstudio, vscode) is built from the context the program uses for it, three
ways: no packages; pip packages plus a requirements file (from the wheel index on
127.0.0.1); apt packages (from the Debian mirror, as a real build's apt does). Then a probe
runs inside the image, once as built and once through its entrypoint.
"""

from __future__ import annotations

import json

import pytest

from config.presets import BUILD_CONTEXTS, HOME

from ..dockerfile_rules import DELETE_TO_TRASH, JUPYTER_SETTINGS, REPO
from .image_probe import probe
from .wheel_index import PIP_PACKAGE, REQUIREMENT

pytestmark = pytest.mark.integration

APT_PACKAGE = "tree"  # small, no dependencies beyond libc; not in the base
JUPYTER_CONFIG = ".jupyter/jupyter_lab_config.py"
LAB_SETTINGS = ".jupyter/lab/user-settings/@jupyterlab"
NO_PACKAGES = {"APT_PACKAGES": "", "PIP_PACKAGES": "", "PIP_REQUIREMENTS": ""}
VARIANTS = ("no-packages", "pip", "apt")


def build_args(variant: str, base: str, index_url: str) -> dict[str, str]:
    args = {"BASE_IMAGE": base, **NO_PACKAGES}
    if variant == "pip":
        args.update(
            PIP_PACKAGES=PIP_PACKAGE[0],
            PIP_REQUIREMENTS=f"# a team's requirements.txt\n{REQUIREMENT[0]}\n",
            PIP_INDEX_URL=index_url,
        )
    elif variant == "apt":
        args.update(APT_PACKAGES=APT_PACKAGE)
    return args


def build(image_builder, registry, kind: str, name: str, args: dict[str, str]) -> str:
    context = BUILD_CONTEXTS[kind]
    image_name = f"{registry.server}/teamspace/build-test-{kind}:{name}"
    image_builder.build(
        cwd=REPO,
        context=context,
        dockerfile=f"{context}/Dockerfile",
        image_name=image_name,
        args=args,
        platform="linux/amd64",
    )
    return image_name


def expected_home_defaults(kind: str) -> dict[str, str]:
    """Path under the home -> content the image must bring (via /tmp_home/jovyan)."""
    if kind != "jupyter":
        return {}
    settings = {f"{LAB_SETTINGS}/{source}": source for source in JUPYTER_SETTINGS}
    return {
        JUPYTER_CONFIG: DELETE_TO_TRASH + "\n",
        **{path: (REPO / "images" / "jupyter" / source).read_text() for path, source in settings.items()},
    }


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", sorted(BUILD_CONTEXTS))
def test_dockerfile_builds_and_the_image_keeps_the_contract(
    kind, variant, image_builder, registry, standin_base, wheel_index
):
    """Built for real: jovyan, packages present, home defaults in /tmp_home and after the entrypoint
    in the home, no sudo, no apt lists, nothing written to /home/jovyan at build time."""
    args = build_args(variant, standin_base.reference, wheel_index.url)
    image_name = build(image_builder, registry, kind, variant, args)
    modules = [PIP_PACKAGE[1], REQUIREMENT[1]] if variant == "pip" else []
    apt = [APT_PACKAGE] if variant == "apt" else []
    built = probe(image_builder, image_name, entrypoint=False, modules=modules, apt_packages=apt)

    assert (built["user"], built["uid"], built["gid"], built["home"]) == ("jovyan", 1000, 100, HOME)
    assert built["sudo"] == [] and built["sudo_group"] in (None, []), (built["sudo"], built["sudo_group"])
    assert built["apt_lists"] == [], "apt lists left in the image"
    assert built["home_entries"] == [], f"the build wrote under {HOME}: {built['home_entries']}"
    assert built["pip_owner"] == "jovyan" and built["which"]["pip"] == "/opt/conda/bin/pip"
    for module in modules:
        assert built["modules"][module].startswith("/opt/conda/lib/"), built["modules"]
    for package in apt:
        assert built["dpkg"][package] == "install ok installed" and built["which"][package], built["dpkg"]

    defaults = expected_home_defaults(kind)
    assert {path: f["text"] for path, f in built["tmp_home_files"].items()} == defaults
    assert all(f["uid"] == 1000 for f in built["tmp_home_files"].values()), built["tmp_home_files"]
    if kind == "jupyter":
        assert json.loads(
            defaults[f"{LAB_SETTINGS}/extensionmanager-extension/plugin.jupyterlab-settings"]
        ) == {"disclaimed": True}

    started = probe(image_builder, image_name, entrypoint=True, modules=modules, apt_packages=apt)
    assert {path: f["text"] for path, f in started["home_files"].items()} == defaults
    assert started["user"] == "jovyan"


def test_sudo_in_apt_packages_fails_the_build(image_builder, registry, standin_base):
    """The apt step's refusal, for real: a build asking for sudo fails before apt runs."""
    args = {"BASE_IMAGE": standin_base.reference, **NO_PACKAGES, "APT_PACKAGES": "tree sudo"}
    with pytest.raises(AssertionError, match="sudo is not allowed in notebook images"):
        build(image_builder, registry, "vscode", "sudo", args)
