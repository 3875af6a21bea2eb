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


# --- every reference problem, named exactly -----------------------------------------------------

REGISTRY = {"server": "r.example.com", "username": "u", "pullSecretName": "pull"}
TEAM_WITH_CONFIGURATIONS = {
    "notebooks": [{"name": "lab", "type": "jupyter", "configurations": ["env", "s3x", "pipelines", "zz"]}],
    "configurations": {"env": {"env": {"A": "1"}}, "s3": {"env": {"A": "1"}}},
    "externalConfigurations": [{"name": "pipelines", "label": "access-ml-pipeline"}, "kfp"],
}
UNDECLARED = "(declare a PodDefault made elsewhere in teams.data.externalConfigurations)"
CLASH = (
    "collides with a label the notebook controller sets (app, notebook-name, statefulset); "
    "choose another name"
)
ENV = {"env": {"A": "1"}}
S3 = {"s3": {"accessKeyId": "AK", "secretAccessKey": "k"}}
NOT_FOUND = "not found (paths are relative to the project root)"


def lab(**fields) -> dict:
    return {"notebooks": [{"name": "lab", "type": "jupyter", **fields}]}


@pytest.mark.parametrize(
    "team, config, expected",
    [
        (
            TEAM_WITH_CONFIGURATIONS,
            {},
            [
                f"{NB}.configurations[1]: unknown configuration 's3x'; did you mean 's3'? "
                f"known: env, kfp, pipelines, s3 {UNDECLARED}",
                f"{NB}.configurations[3]: unknown configuration 'zz'; "
                f"known: env, kfp, pipelines, s3 {UNDECLARED}",
            ],
        ),
        (
            {**lab(), "configurations": {"notebook-name": ENV, "statefulset": ENV, "pull": S3, "other": S3}},
            {"secrets": {"k": "v"}},
            [
                f"teamspace:teams.data.configurations.notebook-name: 'notebook-name' {CLASH}",
                "teamspace:teams.data.configurations.pull: its Secret would be named 'pull', "
                "like the registry pull secret",
                f"teamspace:teams.data.configurations.statefulset: 'statefulset' {CLASH}",
            ],
        ),
        (
            lab(image="ghcr.io/x/j:v1", requirements="requirements/vision-lab.txt"),
            {},
            [
                f"{NB}.requirements: needs an image built here (a key of teamspace:images) "
                "to add the requirements to"
            ],
        ),
        (
            lab(requirements="requirements/vision-lab.txt"),
            {"images": {"jupyter": {"type": "jupyter"}, "data-lab": {"type": "jupyter"}}},
            [
                f"{NB}.requirements: this notebook's own image would be named 'data-lab', "
                "which is already a key of teamspace:images"
            ],
        ),
        (
            lab(requirements="requirements/none.txt"),
            {"images": {"jupyter": {"type": "jupyter", "requirements": "requirements/gone.txt"}}},
            [
                f"teamspace:images.jupyter.requirements: file 'requirements/gone.txt' {NOT_FOUND}",
                f"{NB}.requirements: file 'requirements/none.txt' {NOT_FOUND}",
            ],
        ),
        (
            {"notebooks": [{**NOTEBOOK, "affinity": "fsat"}, {**NOTEBOOK, "name": "b", "affinity": "fast"}]},
            {
                "affinities": {"fast": PRESET},
                "sizes": {
                    "x": {"cpu": "1", "memory": "1Gi", "affinity": "fast"},
                    "y": {"cpu": "1", "memory": "1Gi", "affinity": "nope"},
                },
            },
            [
                "teamspace:sizes.y.affinity: unknown affinity preset 'nope'; known: fast",
                f"{NB}.affinity: unknown affinity preset 'fsat'; did you mean 'fast'? known: fast",
            ],
        ),
    ],
    ids=[
        "configurations",
        "configuration-names",
        "no-image-built-here",
        "own-image-taken",
        "files",
        "affinity",
    ],
)
def test_reference_problems_are_named_exactly(team, config, expected):
    found = problems(
        values(
            **{
                "registry": REGISTRY,
                "registryPassword": "pw",
                "images": {"jupyter": {"type": "jupyter"}},
                "teams": {"data": team},
                **config,
            }
        )
    )
    assert found == expected
