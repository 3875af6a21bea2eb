"""`teams.<team>.stopSchedule.timeZone`: refused where the API server refuses a CronJob's
`spec.timeZone` (kubernetes `validateTimeZone`), and only IANA names are taken, whatever zone
files this machine has. `config.time_zone` through `config.load`."""

from __future__ import annotations

import zoneinfo
from importlib import resources

import pytest
import tzdata

from config.time_zone import iana_zones, time_zone_problem

from .loading import team_problems

NOTEBOOK = {"name": "lab", "type": "jupyter", "image": "ghcr.io/x/jupyter:v1"}
KEY = "teamspace:teams.data.stopSchedule.timeZone"
PART_RULE = "1-14 of A-Z a-z 0-9 . - _ +, not '.' or '..', not starting with '-'"


def zone_problems(time_zone: str) -> list[str]:
    return team_problems(NOTEBOOK, stopSchedule={"cron": "0 20 * * 1-5", "timeZone": time_zone})


@pytest.mark.parametrize("name", ["Europe/Berlin", "UTC", "America/Argentina/ComodRivadavia", "Etc/GMT+5"])
def test_an_iana_zone_is_taken(name):
    """ComodRivadavia is 14 characters, the longest part allowed; Etc/GMT+5 has a digit and '+'."""
    assert zone_problems(name) == []


@pytest.mark.parametrize("name", ["Local", "local", "LOCAL"])
def test_local_in_any_case_is_refused(name):
    assert zone_problems(name) == [
        f"{KEY}: '{name}' would be the controller's own zone; "
        "name an IANA time zone such as Europe/Berlin or UTC"
    ]


@pytest.mark.parametrize(
    "name, part",
    [
        ("../etc", ".."),
        ("Europe/./Berlin", "."),
        ("-x", "-x"),
        ("Europe/-Berlin", "-Berlin"),
        ("America/Argentina/ComodRivadaviaX", "ComodRivadaviaX"),  # 15 characters
        ("Europe//Berlin", ""),
        ("Europe/Berlin\n", "Berlin\\n"),  # shown escaped: a newline cannot forge an output line
        ("Europe/Berl in", "Berl in"),
    ],
)
def test_a_name_with_a_part_the_api_server_refuses_names_that_part(name, part):
    shown_name = name.replace("\n", "\\n")
    assert zone_problems(name) == [
        f"{KEY}: '{shown_name}': part '{part}' is not a time zone name part ({PART_RULE})"
    ]


@pytest.mark.parametrize("name", ["localtime", "Europe/Berlinn", "posixrules", "Etc/GMT+15"])
def test_a_well_formed_name_outside_the_iana_list_is_refused(name):
    """`localtime` is a Debian symlink in /usr/share/zoneinfo, not an IANA zone."""
    assert zone_problems(name) == [
        f"{KEY}: '{name}' is not an IANA time zone (tz database {tzdata.IANA_VERSION}) "
        "such as Europe/Berlin or UTC"
    ]


def test_an_empty_name_is_refused():
    assert zone_problems("") == [f"{KEY}: must be an IANA time zone such as Europe/Berlin or UTC, not empty"]


def test_a_zone_only_this_machines_zone_files_hold_is_refused(tmp_path):
    """The host's zone files are never consulted: a zone that Python's zoneinfo loads from a
    TZPATH directory, but the IANA list lacks, is refused like any unknown name."""
    utc = resources.files(tzdata).joinpath("zoneinfo", "UTC")
    (tmp_path / "Teamspace_Test").write_bytes(utc.read_bytes())
    zoneinfo.reset_tzpath(to=[str(tmp_path)])
    try:
        assert zoneinfo.ZoneInfo.no_cache("Teamspace_Test")  # the premise: this machine knows it
        found = zone_problems("Teamspace_Test")
    finally:
        zoneinfo.reset_tzpath()
    assert found == [
        f"{KEY}: 'Teamspace_Test' is not an IANA time zone (tz database {tzdata.IANA_VERSION}) "
        "such as Europe/Berlin or UTC"
    ]


def test_the_iana_list_is_the_pinned_packages_whole_list():
    zones = iana_zones()
    assert {"Europe/Berlin", "UTC", "Etc/UTC", "America/Argentina/ComodRivadavia"} <= zones
    assert not {"localtime", "Local", "posixrules", ""} & zones
    assert len(zones) > 500  # the whole database, not a handful of examples


def test_every_iana_zone_passes_the_api_servers_name_rules():
    """What kubernetes checks with TestTimeZones: no IANA name trips the per-part rule."""
    assert [zone for zone in sorted(iana_zones()) if time_zone_problem(zone)] == []
