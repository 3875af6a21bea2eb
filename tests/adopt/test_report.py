"""What `make adopt` prints (adopt/report.py) and the order it writes a notebook's keys in
(adopt/build.py)."""

from __future__ import annotations

import copy

from adopt import adopt
from adopt.report import report
from tests.adoption import URL, adopted, fixture_documents

NEXT = (
    "next: back up, then `pulumi preview --diff` and check it as docs/adopt.md shows; "
    "after the first `pulumi up`, switch adoption off (docs/adopt.md, step 7)."
)


def test_adopted_podDefaults_and_profiles_are_listed_by_object_and_the_next_step_ends_the_report():
    for fixture, line in (
        ("web_app", "  PodDefault/team-alice/proxy: adopted as the configuration proxy"),
        ("profile_quota", "  Profile/vision: adopted as the team's profile"),
    ):
        lines = report(adopted(fixture), "Pulumi.prod.yaml").splitlines()
        assert line in lines
        assert lines[-1] == NEXT


def test_a_pull_secret_missing_from_the_input_is_flagged_and_other_secrets_are_counted_by_type():
    documents = [d for d in copy.deepcopy(fixture_documents("field_notes")) if d["kind"] != "Secret"]
    documents.append({"kind": "Secret", "metadata": {"name": "token", "namespace": "matilda"}})
    lines = report(adopt(documents, URL), "Pulumi.prod.yaml").splitlines()
    assert (
        "    pull secret nexuscred: referenced by name and kept as it is (not in the input: check it exists)"
        in lines
    )
    assert "ignored (not read): 1 Secret of type Opaque" in lines


def test_a_notebook_entry_is_written_name_and_type_first_not_alphabetically():
    (entry,) = adopted("field_notes").config["teams"]["matilda"]["notebooks"]
    assert list(entry) == [
        "name",
        "type",
        "image",
        "cpu",
        "cpuLimit",
        "memory",
        "memoryLimit",
        "homeVolume",
        "homeSize",
        "homeStorageClass",
        "imagePullSecrets",
        "shm",
    ]
