"""Dangling references named exactly: the list of what is known (sorted, comma-separated) and,
for an S3 configuration's missing secret, a command whose key is one quoted shell word.
Config layer only (`config.load`)."""

from __future__ import annotations

import re
import shlex

import pytest

from .test_check_messages import NOTEBOOK, problems, values

NB = "teamspace:teams.data.notebooks[0] (lab)"
PRESET = {"required": [{"key": "gpu.product", "values": ["A100"]}]}


def test_an_unknown_affinity_lists_every_preset_sorted():
    config = values(
        affinities={"h100": PRESET, "a100": PRESET},
        sizes={"gpu": {"cpu": "1", "memory": "1Gi", "affinity": "l4"}},
        teams={"data": {"notebooks": [{**NOTEBOOK, "affinity": "t4"}]}},
    )
    assert problems(config) == [
        "teamspace:sizes.gpu.affinity: unknown affinity preset 'l4'; known: a100, h100",
        f"{NB}.affinity: unknown affinity preset 't4'; known: a100, h100",
    ]


def s3_team(secret_key: str) -> dict:
    s3 = {"endpoint": "https://s3.example.com", "accessKeyId": "AK", "secretAccessKey": secret_key}
    return {"data": {"notebooks": [NOTEBOOK], "configurations": {"s3": {"s3": s3}}}}


@pytest.mark.parametrize(
    "secret_key, path",
    [
        ("s3-key", "teamspace:secrets.s3-key"),
        ("s3.key", 'teamspace:secrets["s3.key"]'),
        ("x'; touch /tmp/owned; '", "teamspace:secrets[\"x'; touch /tmp/owned; '\"]"),
    ],
)
def test_a_missing_s3_secret_offers_a_command_safe_to_paste(secret_key, path):
    """The key is config text: pasted into a shell it must stay one word, and a '.' in it
    must not make `--path` read a nested key."""
    (problem,) = problems(values(secrets={"other": "x", "another": "y"}, teams=s3_team(secret_key)))
    assert problem.startswith(
        "teamspace:teams.data.configurations.s3.s3.secretAccessKey: "
        f"'{secret_key}' is not a key of teamspace:secrets (known: another, other); add it with `"
    )
    command = re.search(r"add it with `([^`]*)`$", problem)[1]
    assert shlex.split(command) == ["pulumi", "config", "set", "--secret", "--path", path]
