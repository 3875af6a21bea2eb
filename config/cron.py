"""The cron grammar a Kubernetes CronJob's `schedule` accepts, checked before anything is created.

Kubernetes validates `schedule` with `cron.ParseStandard` of github.com/robfig/cron/v3
(kubernetes `pkg/apis/batch/validation/validation.go`, `validateScheduleFormat`), and forbids
`TZ=`/`CRON_TZ=` in it when `timeZone` is set, as teamspace always does. robfig/cron v3
`parser.go` defines the grammar:

- five fields separated by whitespace: minute 0-59, hour 0-23, day of month 1-31,
  month 1-12 or jan-dec, day of week 0-6 or sun-sat (7 is not Sunday there);
- a field is a comma-separated list of `*` or `?`, `N`, `N-M`, each optionally `/step`
  with step > 0 (`N/step` runs from N to the field's maximum); names are case-insensitive;
- or one of the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.

The maintained Python cron libraries (croniter, cronsim) parse a different dialect (Vixie
cron: 7 is Sunday; some add L, W, # or a seconds field), so they would accept schedules the
API server rejects; hence a validator of robfig's grammar.

This validator is deliberately a little stricter than robfig: it also rejects empty list
items (`1,,2`), text after a `*` (`*-5`), and `@every <duration>`, which the Kubernetes docs
do not list. Nothing here is copied from robfig; the grammar is restated from its docs.
"""

from __future__ import annotations

import re

DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# (field, lowest, highest, names of lowest..)
_FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)}),
    ("day of week", 0, 6, {name: i for i, name in enumerate(_DAYS)}),
)
_NUMBER = re.compile(r"^[0-9]+$")


def check_schedule(schedule: str) -> str | None:
    """None when `schedule` is a valid CronJob schedule, else what is wrong with it."""
    text = schedule.strip()
    if "TZ=" in text:
        return f"'{schedule}': set the zone with timeZone, not TZ= or CRON_TZ= in the schedule"
    if text.startswith("@"):
        if text.lower() in DESCRIPTORS:
            return None
        return f"'{schedule}' is not a known descriptor; use five fields or one of {', '.join(DESCRIPTORS)}"
    parts = text.split()
    if len(parts) != 5:
        return (
            f"'{schedule}' has {len(parts)} fields; a CronJob schedule has 5 "
            "(minute hour day-of-month month day-of-week), e.g. '0 20 * * 1-5'"
        )
    for part, (field, low, high, names) in zip(parts, _FIELDS, strict=True):
        for item in part.split(","):
            problem = _item_problem(item, low, high, names)
            if problem:
                return f"'{schedule}': {field} '{part}': {problem} (allowed {low}-{high})"
    return None


def _item_problem(item: str, low: int, high: int, names: dict[str, int]) -> str | None:
    if not item:
        return "empty list item"
    range_part, *step = item.split("/")
    if len(step) > 1:
        return f"'{item}' has more than one '/'"
    if step and (not _NUMBER.match(step[0]) or int(step[0]) == 0):
        return f"step '{step[0]}' must be a positive whole number"
    if range_part in ("*", "?"):
        return None
    bounds = range_part.split("-")
    if len(bounds) > 2:
        return f"'{range_part}' has more than one '-'"
    values = []
    for bound in bounds:
        value = _value(bound, names)
        if value is None:
            return f"'{bound}' is not a number{' or a name' if names else ''}"
        values.append(value)
    start, end = values[0], values[-1]
    if step and len(bounds) == 1:
        end = high  # robfig: `N/step` means N-max/step
    if start < low or max(start, end) > high:  # `60/5`: its start is already past the maximum
        return f"'{range_part}' is out of range"
    if start > end:
        return f"'{range_part}' starts after it ends"
    return None


def _value(text: str, names: dict[str, int]) -> int | None:
    if text.lower() in names:
        return names[text.lower()]
    return int(text) if _NUMBER.match(text) else None
