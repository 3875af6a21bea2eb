"""TeamPodDefault (components/team_pod_default.py, registered as TeamConfiguration): the exact
PodDefault and Secret it renders for each kind of configuration, the output it registers, and,
across a team rename, the PodDefault and the Secret an S3 configuration makes each alias the URN
the old state holds, so neither is replaced."""

from __future__ import annotations

import base64

from devtools.runtime import run_program
from devtools.stack_config import Secret

from ..harness import SECRET, Template, minimal_config

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


PODDEFAULT = "kubernetes:kubeflow.org/v1alpha1:PodDefault"
TOKEN_DIR = "/var/run/secrets/kubeflow/pipelines"
KINDS = {
    "all": {
        "s3": S3,
        "pipelines": True,
        "env": {"B": "2", "A": "1"},
        "secretEnv": {"secret": "team-db", "keys": ["DB_URL", "DB_USER"]},
    },
    "s3-no-endpoint": {"s3": {k: v for k, v in S3.items() if k != "endpoint"}},
    "described": {"desc": "Corporate proxy", "env": {"HTTP_PROXY": "http://p:3128"}},
}


def _kinds_run():
    config = minimal_config(
        secrets={"team-s3-key": Secret("s3-SeCrEt-value")},
        teams={"data": {"configurations": KINDS, "notebooks": [{"name": "lab", "type": "jupyter"}]}},
    )
    result = run_program(config, record_outputs=True)
    assert result.error is None, result.error
    return result


def _manifests(result, type_: str) -> dict[str, dict]:
    return {r.manifest["metadata"]["name"]: r.manifest for r in result.registrations if r.type == type_}


def _from_secret(variable: str, secret: str, key: str) -> dict:
    return {"name": variable, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def test_a_configuration_of_every_kind_is_one_exact_poddefault():
    """Plain env sorted by name, then the S3 variables from the configuration's Secret, the
    Pipelines token (a projected service-account token like Kubeflow's `access-ml-pipeline`), then
    the keys of an existing Secret; described by the kinds it injects when config gives no `desc`."""
    s3 = [
        ("AWS_ACCESS_KEY_ID", "accessKeyId"),
        ("AWS_SECRET_ACCESS_KEY", "secretAccessKey"),
        ("AWS_DEFAULT_REGION", "region"),
        ("AWS_REGION", "region"),
        ("AWS_ENDPOINT_URL", "endpoint"),
        ("JUPYTERLAB_S3_ACCESS_KEY_ID", "accessKeyId"),
        ("JUPYTERLAB_S3_SECRET_ACCESS_KEY", "secretAccessKey"),
        ("JUPYTERLAB_S3_ENDPOINT", "endpoint"),
    ]
    token = {"audience": "pipelines.kubeflow.org", "expirationSeconds": 7200, "path": "token"}
    assert _manifests(_kinds_run(), PODDEFAULT)["all"] == {
        "apiVersion": "kubeflow.org/v1alpha1",
        "kind": "PodDefault",
        "metadata": {"name": "all", "namespace": "data"},
        "spec": {
            "selector": {"matchLabels": {"all": "true"}},
            "desc": "all: S3 credentials, Kubeflow Pipelines access, environment, secret environment",
            "env": [
                {"name": "A", "value": "1"},
                {"name": "B", "value": "2"},
                *(_from_secret(variable, "all", key) for variable, key in s3),
                {"name": "KF_PIPELINES_SA_TOKEN_PATH", "value": f"{TOKEN_DIR}/token"},
                _from_secret("DB_URL", "team-db", "DB_URL"),
                _from_secret("DB_USER", "team-db", "DB_USER"),
            ],
            "volumes": [
                {
                    "name": "volume-kf-pipeline-token",
                    "projected": {"sources": [{"serviceAccountToken": token}]},
                }
            ],
            "volumeMounts": [{"name": "volume-kf-pipeline-token", "mountPath": TOKEN_DIR, "readOnly": True}],
        },
    }


def test_s3_without_an_endpoint_and_a_configuration_with_its_own_desc():
    """No endpoint: neither the Secret nor the env mention one. A `desc` in config is shown as written."""
    result = _kinds_run()
    poddefaults, secrets = _manifests(result, PODDEFAULT), _manifests(result, SECRET)
    s3 = poddefaults["s3-no-endpoint"]["spec"]
    assert s3["desc"] == "s3-no-endpoint: S3 credentials"
    assert [e["name"] for e in s3["env"]] == [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "JUPYTERLAB_S3_ACCESS_KEY_ID",
        "JUPYTERLAB_S3_SECRET_ACCESS_KEY",
    ]
    assert "volumes" not in s3 and "volumeMounts" not in s3
    secret = secrets["s3-no-endpoint"]
    assert (secret["type"], secret["metadata"]) == ("Opaque", {"name": "s3-no-endpoint", "namespace": "data"})
    assert {k: base64.b64decode(v).decode() for k, v in secret["data"].items()} == {
        "accessKeyId": "AKIAEXAMPLE",
        "region": "eu-west-1",
        "secretAccessKey": "s3-SeCrEt-value",
    }
    assert poddefaults["described"]["spec"] == {
        "selector": {"matchLabels": {"described": "true"}},
        "desc": "Corporate proxy",
        "env": [{"name": "HTTP_PROXY", "value": "http://p:3128"}],
    }


def test_the_component_registers_the_label_that_selects_it():
    """What `pulumi stack` shows for each configuration's component; its PodDefault, and for S3 its
    Secret, are its children."""
    result = _kinds_run()
    components = [r for r in result.registrations if r.type == POD_DEFAULT_TYPE]
    assert {r.name: result.component_outputs[r.urn] for r in components} == {
        f"data-config-{name}": {"label": {name: "true"}} for name in KINDS
    }
    children = {c.name: sorted(r.name for r in result.registrations if r.parent == c.urn) for c in components}
    assert children == {
        "data-config-all": ["data-config-all-poddefault", "data-config-all-secret"],
        "data-config-s3-no-endpoint": [
            "data-config-s3-no-endpoint-poddefault",
            "data-config-s3-no-endpoint-secret",
        ],
        "data-config-described": ["data-config-described-poddefault"],
    }
