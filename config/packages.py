"""Package lists of an image: specs, never options.

`pipPackages` and `aptPackages` reach the Dockerfile as build args that it splits on
whitespace into `pip install` / `apt-get install` arguments. An entry such as
`--index-url=http://evil/simple` or `-oDPkg::Pre-Invoke::=id` would be an option to those
tools (the second runs a command as root during the build), so an entry must be exactly one
package spec in its tool's grammar, checked here at config time even though the Dockerfile
refuses some of these again at build time.
"""

from __future__ import annotations

import re
from typing import Annotated

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from pydantic import AfterValidator

from .quoting import shown
from .refusing import refusing

MAX_SPEC = 200
# Characters PEP 508 needs outside URLs: names, extras [a,b], versions (== != <= >= ~= === < >,
# wildcards 1.*, local versions +cpu, epochs 1!2), markers (; and/or, parentheses, quoted
# strings). Anything else (`$`, backticks, `|`, `&`, `?`, `{`, `\`, `#`, `@`, `/`, `:`) is refused.
_PIP_CHARACTERS = re.compile(r"""^[A-Za-z0-9 ._\-\[\],<>=!~;()"'*+]+$""")
_QUOTED = re.compile(r"""("[^"]*"|'[^']*')""")
_AROUND_OPERATORS = re.compile(r"\s*(===|==|!=|<=|>=|~=|<|>|;|,|\[|\]|\(|\))\s*")
# Debian Policy 5.6.1/5.6.7 (package names: lowercase letters, digits, + - ., at least two
# characters, starting alphanumeric), 5.6.12 (versions: [epoch:]upstream[-revision], starting
# with a digit); `:arch` as apt-get accepts it (multiarch).
_APT_SPEC = re.compile(r"^(?P<name>[a-z0-9][a-z0-9+.-]+)(:[a-z0-9][a-z0-9-]*)?(=[0-9][A-Za-z0-9.+~:-]*)?$")
# sudo in a notebook pod is a privilege escalation; the Dockerfile refuses it again.
SUDO_PACKAGES = ("sudo", "sudo-ldap", "sudo-rs")
# The one per-requirement option a requirements file may carry (pip's hash-checking mode).
_HASH_OPTION = re.compile(r"\s+--hash[=\s]+[a-z0-9]+:[0-9a-f]+")


def pip_spec_problem(value: str) -> tuple[str | None, str]:
    """(why `value` is not one pip requirement spec, or None; the spec as passed to the build)."""
    if not value or value != value.strip():
        return f"'{shown(value)}' must be one package spec without surrounding spaces", value
    if value.startswith("-"):
        return (
            f"'{shown(value)}' is a pip option, not a package spec; options such as --index-url "
            "(packages from another index) are not allowed"
        ), value
    if len(value) > MAX_SPEC or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return f"'{shown(value)}' must be one line of at most {MAX_SPEC} characters", value
    if "@" in value or "://" in value:
        # A direct reference (`name @ url`) installs whatever the URL serves, bypassing the
        # index and its pins; `@ file:///...` reads a file of the machine that builds.
        return (
            f"'{shown(value)}' is a direct reference (name @ URL); only index packages "
            "with version specifiers are allowed"
        ), value
    if not _PIP_CHARACTERS.match(value):
        odd = sorted({ch for ch in value if not _PIP_CHARACTERS.match(ch)})
        return f"'{shown(value)}' contains {''.join(odd)!r}, which a PEP 508 spec does not use", value
    try:
        parsed = Requirement(value)
    except InvalidRequirement as error:
        return f"'{shown(value)}' is not a PEP 508 spec: {str(error).splitlines()[0]}", value
    if any(any(ch.isspace() for ch in quoted) for quoted in _QUOTED.findall(value)):
        return f"'{shown(value)}': a marker string must not contain spaces", value
    # The build splits the list on whitespace: spaces around operators are dropped; a marker
    # that still needs one (`and`, `or`, `in`) cannot be passed this way.
    compact = _AROUND_OPERATORS.sub(r"\1", value)
    if any(ch.isspace() for ch in compact):
        return (
            f"'{shown(value)}': markers with and/or/in cannot be passed in pipPackages (the "
            "build splits it on whitespace); use a requirements file"
        ), value
    again = Requirement(compact)
    same_marker = (parsed.marker is None) == (again.marker is None) and (
        parsed.marker is None or Marker(str(parsed.marker)) == Marker(str(again.marker))
    )
    if (again.name, again.extras, again.specifier) != (
        parsed.name,
        parsed.extras,
        parsed.specifier,
    ) or not same_marker:
        return f"'{shown(value)}' cannot be written without spaces; use a requirements file", value
    return None, compact


def apt_spec_problem(value: str) -> str | None:
    """Why `value` is not `pkg`, `pkg=version`, `pkg:arch` or `pkg:arch=version`; None if it is."""
    name = re.split(r"[:=]", value, maxsplit=1)[0]
    if name.strip().lower() in SUDO_PACKAGES:
        return f"'{shown(value)}': sudo is not allowed in notebook images (a privilege escalation in the pod)"
    if value.startswith("-"):
        return (
            f"'{shown(value)}' is an apt-get option, not a package; options such as "
            "-o DPkg::Pre-Invoke run commands as root during the build"
        )
    if len(value) > MAX_SPEC or not _APT_SPEC.match(value):
        return (
            f"'{shown(value)}' is not a Debian package spec: pkg, pkg=version or pkg:arch "
            "(lowercase letters, digits, '+', '-', '.')"
        )
    return None


def requirements_text_problem(text: str) -> str | None:
    """Why a requirements file's text is more than package specs (plus `--hash`), or None.

    pip reads options from the file as from the command line: `--index-url` or
    `--extra-index-url` (another index), `-r`/`-c` (other files), `-e`/URLs (direct
    references), `--trusted-host`. The message gives the line number, never the line.
    """
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index]
        while line.endswith("\\") and index + 1 < len(lines):  # a continuation line
            index += 1
            line = f"{line[:-1]} {lines[index]}"
        index += 1
        spec = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not spec or spec.startswith("#"):
            continue
        spec = _HASH_OPTION.sub("", f" {spec}").strip()
        if spec.startswith("-"):
            return (
                f"line {number} is a pip option; only package specs (and --hash) are allowed, "
                "as options such as --index-url would fetch packages from elsewhere"
            )
        try:
            parsed = Requirement(spec)
        except InvalidRequirement:
            return f"line {number} is not a PEP 508 package spec"
        if parsed.url:
            return f"line {number} is a direct reference (name @ URL); only index packages are allowed"
    return None


def _pip_spec(value: str) -> str:
    problem, compact = pip_spec_problem(value)
    if problem:
        raise ValueError(problem)
    return compact


PipSpec = Annotated[str, AfterValidator(_pip_spec)]
AptSpec = Annotated[str, refusing(apt_spec_problem)]
