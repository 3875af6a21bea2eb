"""The time zone names a CronJob's `spec.timeZone` may hold, checked before anything is created.

The API server's rule is `validateTimeZone` in kubernetes `pkg/apis/batch/validation/validation.go`
(the per-part check since kubernetes/kubernetes#115375, first released in v1.27.0):

- the name is not empty;
- every '/'-separated part is not '.' or '..', does not start with '-', and is 1 to 14 of
  A-Z a-z 0-9 . - _ + (the IANA naming rules, with digits and '+' for the legacy names);
- it is not `Local` in any letter case (that would be the controller's own zone);
- Go's `time.LoadLocation` finds it.

`time.LoadLocation` reads the API server's own zone files first (/usr/share/zoneinfo and the
like) and falls back to the IANA database kube-apiserver embeds (`time/tzdata`), so what it
finds beyond the IANA names depends on that machine: Debian's `localtime`, for one. teamspace
accepts only the IANA names, read from the pinned `tzdata` package, never from this machine's
zone files: the same answer on every machine, and one every API server accepts.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import tzdata

from .quoting import shown

_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")
_PART_RULE = "1-14 of A-Z a-z 0-9 . - _ +, not '.' or '..', not starting with '-'"
EXAMPLES = "such as Europe/Berlin or UTC"


@functools.cache
def iana_zones() -> frozenset[str]:
    """Every zone name of the pinned IANA database (the `zones` list the tzdata package ships)."""
    return frozenset(resources.files(tzdata).joinpath("zones").read_text(encoding="utf-8").split())


def time_zone_problem(value: str) -> str | None:
    """None when the API server and every CronJob controller accept `value`, else why not."""
    if not value:
        return f"must be an IANA time zone {EXAMPLES}, not empty"
    for part in value.split("/"):
        if part in (".", "..") or part.startswith("-") or not _PART.fullmatch(part):
            return f"'{shown(value)}': part '{shown(part)}' is not a time zone name part ({_PART_RULE})"
    if value.lower() == "local":
        return f"'{shown(value)}' would be the controller's own zone; name an IANA time zone {EXAMPLES}"
    if value not in iana_zones():
        return f"'{shown(value)}' is not an IANA time zone (tz database {tzdata.IANA_VERSION}) {EXAMPLES}"
    return None
