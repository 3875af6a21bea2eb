"""config/packages.py: pip and apt package specs and requirements-file text, each refusal with
its exact message (the attack catalogue is tests/test_hostile_packages.py)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from config.packages import MAX_SPEC, PipSpec, apt_spec_problem, pip_spec_problem, requirements_text_problem


@pytest.mark.parametrize(
    "spec, passed",
    [
        ("x" * MAX_SPEC, "x" * MAX_SPEC),
        ("kfp==1.8.14", "kfp==1.8.14"),
        ("pkg[a, b] >= 1.0, < 2", "pkg[a,b]>=1.0,<2"),
        ('pkg ; python_version < "3.12"', 'pkg;python_version<"3.12"'),
        ("pkg;(os_name=='posix')", "pkg;(os_name=='posix')"),
    ],
)
def test_pip_specs_pass_without_spaces(spec, passed):
    assert pip_spec_problem(spec) == (None, passed)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("", "must be one package spec without surrounding spaces"),
        ("pkg ", "must be one package spec without surrounding spaces"),
        (
            "--index-url=http://evil/simple",
            "is a pip option, not a package spec; options such as --index-url "
            "(packages from another index) are not allowed",
        ),
        ("p\x1fkg", "must be one line of at most 200 characters"),
        ("p\x7fkg", "must be one line of at most 200 characters"),
        (
            "pkg @ https://evil.example.com/p.whl",
            "is a direct reference (name @ URL); only index packages with version specifiers are allowed",
        ),
        (
            "pkg@1.0",
            "is a direct reference (name @ URL); only index packages with version specifiers are allowed",
        ),
        (
            "git+https://evil/x.git",
            "is a direct reference (name @ URL); only index packages with version specifiers are allowed",
        ),
        ("pkg|sh&", "contains '&|', which a PEP 508 spec does not use"),
        ('pkg; python_version<"3 .12"', "a marker string must not contain spaces"),
        (
            'pkg; python_version<"3.12" and os_name=="posix"',
            "markers with and/or/in cannot be passed in pipPackages (the build splits it on "
            "whitespace); use a requirements file",
        ),
    ],
)
def test_pip_refusals_say_why(spec, message):
    quoted = spec.encode("unicode_escape").decode("ascii")
    separator = ": " if message.startswith("a marker") or message.startswith("markers") else " "
    assert pip_spec_problem(spec) == (f"'{quoted}'{separator}{message}", spec)


def test_a_long_pip_spec_and_a_bad_one():
    problem, _ = pip_spec_problem("x" * (MAX_SPEC + 1))
    assert problem.endswith("...(201 characters)' must be one line of at most 200 characters")
    problem, passed = pip_spec_problem("pkg==")
    assert problem.startswith("'pkg==' is not a PEP 508 spec: Expected ") and "\n" not in problem
    assert passed == "pkg=="


def test_a_pip_spec_field_holds_the_spec_without_spaces():
    field = TypeAdapter(PipSpec)
    assert field.validate_python("pkg[a, b] >= 1.0") == "pkg[a,b]>=1.0"
    with pytest.raises(ValidationError, match="'-e.' is a pip option, not a package spec"):
        field.validate_python("-e.")


SUDO = "sudo is not allowed in notebook images (a privilege escalation in the pod)"
NOT_DEBIAN = (
    "is not a Debian package spec: pkg, pkg=version or pkg:arch (lowercase letters, digits, '+', '-', '.')"
)


@pytest.mark.parametrize(
    "spec", ["g++", "ab", "pkg=1:2.3~rc1-1ubuntu2", "pkg:amd64", "pkg:arm64=1.0", "sudoku", "a" * MAX_SPEC]
)
def test_debian_specs_pass(spec):
    assert apt_spec_problem(spec) is None


@pytest.mark.parametrize(
    "spec, message",
    [
        ("sudo", f": {SUDO}"),
        (" Sudo", f": {SUDO}"),
        ("sudo-rs=0.2", f": {SUDO}"),
        ("sudo-ldap:amd64", f": {SUDO}"),
        (
            "-oDPkg::Pre-Invoke::=id",
            " is an apt-get option, not a package; options such as -o DPkg::Pre-Invoke run "
            "commands as root during the build",
        ),
        ("a", f" {NOT_DEBIAN}"),
        ("Pkg", f" {NOT_DEBIAN}"),
        ("pkg=abc", f" {NOT_DEBIAN}"),
        ("pkg:", f" {NOT_DEBIAN}"),
    ],
)
def test_apt_refusals_say_why(spec, message):
    assert apt_spec_problem(spec) == f"'{spec}'{message}"


def test_an_overlong_debian_name_is_refused():
    assert apt_spec_problem("a" * (MAX_SPEC + 1)).endswith(NOT_DEBIAN)


def test_requirements_text_of_specs_comments_and_hashes_passes():
    text = (
        "# a comment\n"
        "\n"
        "numpy==1.26.4 # pinned\n"
        "pandas>=2\t# tab comment\n"
        "scipy==1.13.0 \\\n"
        "    --hash=sha256:0123abcd \\\n"
        "    --hash sha256:4567ef\n"
        'pkg; python_version < "3.12" and os_name == "posix"\n'
    )
    assert requirements_text_problem(text) is None
    assert requirements_text_problem("numpy \\\n    ==1.26.4") is None  # the last line continues one
    assert requirements_text_problem("pkg[a, \\\n  b]==1.0\nscipy[c]\\\n==1.0\n") is None  # joined whole
    assert requirements_text_problem("numpy # one # two\npandas\t# one\t# two\n") is None


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "numpy\n--index-url http://evil/simple\n",
            "line 2 is a pip option; only package specs (and --hash) are allowed, as options "
            "such as --index-url would fetch packages from elsewhere",
        ),
        ("numpy \\\n  pandas\n-r other.txt\n", "line 1 is not a PEP 508 package spec"),
        ("numpy \\\n==1.0\nscipy\n-e .\n", "line 4 is a pip option; only package specs"),
        ("a\nb\nc==\n", "line 3 is not a PEP 508 package spec"),
        ("\n# a comment\n-e .\n", "line 3 is a pip option"),
        (
            "numpy\npkg @ https://evil.example.com/p.whl\n",
            "line 2 is a direct reference (name @ URL); only index packages are allowed",
        ),
        ("numpy --hash=sha256:ab --index-url=x\n", "line 1 is not a PEP 508 package spec"),
        ("pkg#frag\n", "line 1 is not a PEP 508 package spec"),
        ("x \\", "line 1 is not a PEP 508 package spec"),
    ],
)
def test_requirements_text_refusals_name_the_line(text, message):
    assert requirements_text_problem(text).startswith(message)
