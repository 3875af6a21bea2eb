"""config/cron.py: the CronJob schedule grammar (robfig/cron v3 as Kubernetes runs it), each
refusal with its exact message."""

from __future__ import annotations

import pytest

from config.cron import DESCRIPTORS, check_schedule


@pytest.mark.parametrize(
    "schedule",
    [
        "0 0 1 1 0",  # every field at its lowest
        "59 23 31 12 6",  # every field at its highest
        " 0 20 * * * ",
        "*/15 8-18 * * MON-FRI",
        "0 0 1 jan,dec sun,sat",
        "0 0 1 JAN-Dec *",
        "5/2 0 1/3 */2 ?",  # `N/step` runs from N to the field's maximum
        "0 0-23/6 * * 1-5",
        "0 0 * * 0-6",
        *DESCRIPTORS,
        "@DAILY",
        "  @hourly ",
    ],
)
def test_valid_schedules(schedule):
    assert check_schedule(schedule) is None


@pytest.mark.parametrize(
    "schedule, message",
    [
        ("1,,2 * * * *", "minute '1,,2': empty list item (allowed 0-59)"),
        ("1/2/3 * * * *", "minute '1/2/3': '1/2/3' has more than one '/' (allowed 0-59)"),
        ("5/a * * * *", "minute '5/a': step 'a' must be a positive whole number (allowed 0-59)"),
        ("*/0 * * * *", "minute '*/0': step '0' must be a positive whole number (allowed 0-59)"),
        ("1-2-3 * * * *", "minute '1-2-3': '1-2-3' has more than one '-' (allowed 0-59)"),
        ("x * * * *", "minute 'x': 'x' is not a number (allowed 0-59)"),
        ("0 0 * * mon-xyz", "day of week 'mon-xyz': 'xyz' is not a number or a name (allowed 0-6)"),
        ("0 0 * may-x *", "month 'may-x': 'x' is not a number or a name (allowed 1-12)"),
        ("60 * * * *", "minute '60': '60' is out of range (allowed 0-59)"),
        ("0 24 * * *", "hour '24': '24' is out of range (allowed 0-23)"),
        ("0 0 0 * *", "day of month '0': '0' is out of range (allowed 1-31)"),
        ("0 0 32 * *", "day of month '32': '32' is out of range (allowed 1-31)"),
        ("0 0 * 0 *", "month '0': '0' is out of range (allowed 1-12)"),
        ("0 0 * 13 *", "month '13': '13' is out of range (allowed 1-12)"),
        ("0 0 * * 7", "day of week '7': '7' is out of range (allowed 0-6)"),
        ("0 0 * * 1,8", "day of week '1,8': '8' is out of range (allowed 0-6)"),
        ("60/5 * * * *", "minute '60/5': '60' is out of range (allowed 0-59)"),
        ("0 20 * * 5-1", "day of week '5-1': '5-1' starts after it ends (allowed 0-6)"),
        ("0 20 * * sat-sun", "day of week 'sat-sun': 'sat-sun' starts after it ends (allowed 0-6)"),
        ("20-10/2 * * * *", "minute '20-10/2': '20-10' starts after it ends (allowed 0-59)"),
        ("*-5 * * * *", "minute '*-5': '*' is not a number (allowed 0-59)"),
    ],
)
def test_refused_schedules_say_which_field_and_why(schedule, message):
    assert check_schedule(schedule) == f"'{schedule}': {message}"


def test_a_schedule_needs_five_fields():
    assert check_schedule("0 20 * *") == (
        "'0 20 * *' has 4 fields; a CronJob schedule has 5 "
        "(minute hour day-of-month month day-of-week), e.g. '0 20 * * 1-5'"
    )
    assert check_schedule("0 0 20 * * *").startswith("'0 0 20 * * *' has 6 fields;")


def test_only_the_listed_descriptors():
    assert check_schedule("@every 1h") == (
        "'@every 1h' is not a known descriptor; use five fields or one of "
        "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"
    )


@pytest.mark.parametrize("schedule", ["TZ=UTC 0 20 * * *", "CRON_TZ=Europe/Berlin @daily"])
def test_the_zone_is_never_in_the_schedule(schedule):
    assert check_schedule(schedule) == (
        f"'{schedule}': set the zone with timeZone, not TZ= or CRON_TZ= in the schedule"
    )
