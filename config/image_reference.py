"""Image references (`images.<key>.base`), by the grammar of the distribution project.

The grammar is the one documented in github.com/distribution/reference, reference.go (its
package comment "Grammar"; regexp.go builds the same from pieces):
a name is an optional domain (`host[:port]`, dot-separated components of letters, digits and
inner '-') followed by '/'-separated path components (lowercase alphanumerics joined by '.',
'_', '__' or runs of '-'), at most 255 characters; a tag is a word character followed by up
to 127 of [A-Za-z0-9_.-]; a digest is `algorithm:hex`. Written here from that grammar (not
copied). A base must pin something: a tag, or a `sha256` digest of exactly 64 hex digits.
"""

from __future__ import annotations

import re
from typing import Annotated

from .quoting import shown
from .refusing import refusing

MAX_NAME = 255
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*(?::[0-9]+)?"
_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME = re.compile(rf"^(?:{_DOMAIN}/)?{_PATH_PART}(?:/{_PATH_PART})*$")
_TAG = re.compile(r"^\w[\w.-]{0,127}$", re.ASCII)
_SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")
# The digests Kubernetes' parser accepts (the go-digest algorithms), and the bare image ids it refuses.
_ANY_DIGEST = re.compile(r"^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$")
_IMAGE_ID = re.compile(r"^[0-9a-f]{64}$")


def split_reference(value: str) -> tuple[str, str, str]:
    """The name, tag and digest of `name[:tag][@digest]` ('' for a part that is absent)."""
    rest, _, digest = value.partition("@")
    # The tag follows the last ':' after the last '/' (a ':' before it is the registry port).
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    name, tag = (rest[:colon], rest[colon + 1 :]) if colon > slash else (rest, "")
    return name, tag, digest


def default_pull_policy(value: str) -> str:
    """The imagePullPolicy Kubernetes gives a container that sets none.

    SetDefaults_Container (kubernetes pkg/apis/core/v1/defaults.go) takes the tag from
    ParseImageName (pkg/util/parsers/parsers.go), which reads `latest` into a reference with
    neither tag nor digest and gives no tag for one it cannot parse: `Always` for the tag
    `latest`, even beside a digest, and `IfNotPresent` for everything else."""
    name, tag, digest = split_reference(value)
    parsed = (
        value.isascii()
        and not any(ch.isspace() for ch in value)
        and _NAME.match(name) is not None
        and len(name) <= MAX_NAME
        and not _IMAGE_ID.match(value)  # an image id, which the parser refuses as a name
        and (not tag or _TAG.match(tag) is not None)
        and ("@" not in value or _ANY_DIGEST.match(digest) is not None)
    )
    if parsed and (tag == "latest" or not (tag or digest)):
        return "Always"
    return "IfNotPresent"


def image_reference_problem(value: str) -> str | None:
    """Why `value` is not a pinned image reference (`registry/repo:tag`, `...@sha256:<64 hex>`)."""
    example = "e.g. nexus.example.com:5000/mirror/jupyter-scipy:v1.11.0 or ...@sha256:<64 hex digits>"
    name, tag, digest = split_reference(value)
    if not value.isascii() or any(ch.isspace() for ch in value):
        return f"'{shown(value)}' is not an image reference ({example})"
    if not _NAME.match(name) or len(name) > MAX_NAME:
        return f"'{shown(value)}' does not name a repository ({example})"
    if "@" in value and not _SHA256.match(digest):
        return f"'{shown(value)}': a digest must be sha256: followed by 64 lowercase hex digits"
    if tag and not _TAG.match(tag):
        return f"'{shown(value)}' has an invalid tag (letters, digits, '_', '.', '-', at most 128)"
    if not tag and not digest:
        return f"'{shown(value)}' pins nothing: add a tag or a digest ({example})"
    return None


ImageReference = Annotated[str, refusing(image_reference_problem)]
