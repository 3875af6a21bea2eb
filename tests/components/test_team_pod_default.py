"""TeamPodDefault (components/team_pod_default.py, registered as TeamConfiguration) across a
team rename: the PodDefault and the Secret an S3 configuration makes each alias the URN the old
state holds, so neither is replaced."""

from __future__ import annotations

from devtools.stack_config import Secret

from ..harness import Template, minimal_config

POD_DEFAULT_TYPE = "teamspace:index:TeamConfiguration"
S3 = {
    "endpoint": "https://minio.example.com:9000",
    "region": "eu-west-1",
    "accessKeyId": "AKIAEXAMPLE",
    "secretAccessKey": "team-s3-key",
}


def _config(team: str, **renamed) -> dict:
    return minimal_config(
        secrets={"team-s3-key": Secret("s3-SeCrEt-value")},
        teams={
            team: {
                "configurations": {"s3": {"s3": S3}},
                "notebooks": [{"name": "lab", "type": "jupyter", "configurations": ["s3"]}],
                **renamed,
            }
        },
    )


def test_a_renamed_teams_configuration_and_its_secret_alias_their_old_urns():
    before = Template.synth(_config("data"))
    after = Template.synth(_config("data-ds", previousKey="data"))
    [component] = [r for r in before.registrations if r.type == POD_DEFAULT_TYPE]
    old = {r.name: r.urn for r in before.registrations if r.name.startswith(component.name)}
    assert {name[len(component.name) :] for name in old} == {"", "-poddefault", "-secret"}
    for name, urn in old.items():
        renamed = after.by_name("data-ds" + name[len("data") :])
        assert urn in renamed.aliases, name
