"""Team configurations: one PodDefault per configuration (S3, Pipelines access, env, Secret env),
the labels that select them, and their errors."""

from __future__ import annotations

import base64

import pytest

from config import ConfigError
from devtools.secret_envelopes import is_secret_envelope
from devtools.stack_config import Secret

from .harness import SECRET, Template, minimal_config
from .schemas import validate_crd, validate_k8s

PODDEFAULT = "kubernetes:kubeflow.org/v1alpha1:PodDefault"
S3_KEY = "s3-SeCrEt-value"


def team_with(configurations, *notebooks, **team):
    return minimal_config(
        secrets={"team-s3-key": Secret(S3_KEY)},
        teams={"data": {"configurations": configurations, "notebooks": list(notebooks), **team}},
    )


S3 = {
    "s3": {
        "endpoint": "https://minio.example.com:9000",
        "region": "eu-west-1",
        "accessKeyId": "AKIAEXAMPLE",
        "secretAccessKey": "team-s3-key",
    }
}


@pytest.fixture(scope="module")
def configured() -> Template:
    return Template.synth(
        team_with(
            {
                "s3": S3,
                "pipelines": {"pipelines": True},
                "proxy": {"env": {"HTTP_PROXY": "http://proxy:3128"}},
                "db": {"secretEnv": {"secret": "team-db", "keys": ["DB_URL"]}},
                "all": {**S3, "pipelines": True, "env": {"A": "1"}},
            },
            {"name": "lab", "type": "jupyter", "configurations": ["s3", "pipelines"]},
            {"name": "plain", "type": "jupyter"},
        )
    )


def poddefault(template: Template, name: str) -> dict:
    (found,) = [m for m in template.manifests(PODDEFAULT) if m["metadata"]["name"] == name]
    return found


def env_of(manifest: dict) -> dict:
    return {e["name"]: e for e in manifest["spec"].get("env", [])}


def test_each_configuration_is_a_valid_poddefault(configured):
    """One PodDefault per configuration, named like it, selecting `<name>: "true"`, valid for the CRD."""
    configured.resource_count_is(PODDEFAULT, 5)
    for manifest in configured.manifests(PODDEFAULT):
        validate_crd(manifest)
        name = manifest["metadata"]["name"]
        assert manifest["metadata"]["namespace"] == "data"
        assert manifest["spec"]["selector"] == {"matchLabels": {name: "true"}}
        assert manifest["spec"]["desc"]


def test_notebooks_carry_the_labels_of_their_configurations(configured):
    """The controller copies Notebook labels to the pod, where the PodDefault webhook matches them."""
    labels = configured.notebook("lab")["metadata"]["labels"]
    assert labels["s3"] == "true" and labels["pipelines"] == "true" and "proxy" not in labels
    assert "s3" not in configured.notebook("plain")["metadata"]["labels"]


def test_s3_credentials_come_only_from_a_secret(configured):
    """AWS_*, JUPYTERLAB_S3_* come via secretKeyRef from Secret `s3`; its data is a Pulumi secret."""
    env = env_of(poddefault(configured, "s3"))
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "JUPYTERLAB_S3_ENDPOINT",
        "JUPYTERLAB_S3_ACCESS_KEY_ID",
        "JUPYTERLAB_S3_SECRET_ACCESS_KEY",
    ):
        assert "value" not in env[name] and env[name]["valueFrom"]["secretKeyRef"]["name"] == "s3", name
    (secret,) = [r for r in configured.resources(SECRET) if r.manifest["metadata"]["name"] == "s3"]
    validate_k8s(secret.manifest)
    data = {k: base64.b64decode(v).decode() for k, v in secret.manifest["data"].items()}
    assert data == {
        "accessKeyId": "AKIAEXAMPLE",
        "secretAccessKey": S3_KEY,
        "region": "eu-west-1",
        "endpoint": "https://minio.example.com:9000",
    }
    assert is_secret_envelope(secret.inputs["data"]), "the data crosses to Pulumi as a secret"
    assert S3_KEY not in str(poddefault(configured, "s3"))


def test_pipelines_access_like_access_ml_pipeline(configured):
    """A projected SA token with audience pipelines.kubeflow.org, mounted where the KFP SDK looks."""
    spec = poddefault(configured, "pipelines")["spec"]
    (volume,) = spec["volumes"]
    token = volume["projected"]["sources"][0]["serviceAccountToken"]
    assert token["audience"] == "pipelines.kubeflow.org" and token["path"] == "token"
    assert spec["volumeMounts"] == [
        {"name": volume["name"], "mountPath": "/var/run/secrets/kubeflow/pipelines", "readOnly": True}
    ]
    assert (
        env_of({"spec": spec})["KF_PIPELINES_SA_TOKEN_PATH"]["value"]
        == "/var/run/secrets/kubeflow/pipelines/token"
    )


def test_env_secret_env_and_combined_kinds(configured):
    """Plain env, env from an existing Secret, and a configuration combining kinds."""
    assert env_of(poddefault(configured, "proxy"))["HTTP_PROXY"]["value"] == "http://proxy:3128"
    db = env_of(poddefault(configured, "db"))["DB_URL"]
    assert db["valueFrom"]["secretKeyRef"] == {"name": "team-db", "key": "DB_URL"}
    combined = poddefault(configured, "all")["spec"]
    assert {"AWS_ACCESS_KEY_ID", "KF_PIPELINES_SA_TOKEN_PATH", "A"} <= set(env_of({"spec": combined}))
    assert combined["volumes"] and combined["volumeMounts"]


@pytest.mark.parametrize(
    "configurations,notebook,secrets,expected",
    [
        (
            {},
            {"configurations": ["s3"]},
            None,
            (
                "teamspace:teams.data.notebooks[0] (lab).configurations[0]: "
                "unknown configuration 's3'; known: none declared"
            ),
        ),
        (
            {"s3": {"s3": {**S3["s3"], "secretAccessKey": "nope"}}},
            {},
            None,
            (
                "teamspace:teams.data.configurations.s3.s3.secretAccessKey: "
                "'nope' is not a key of teamspace:secrets"
            ),
        ),
        (
            {"app": {"env": {"A": "1"}}},
            {},
            None,
            (
                "teamspace:teams.data.configurations.app: "
                "'app' collides with a label the notebook controller sets"
            ),
        ),
        (
            {"Bad_Name": {"env": {"A": "1"}}},
            {},
            None,
            "teamspace:teams.data.configurations.Bad_Name: invalid key",
        ),
        (
            {"empty": {}},
            {},
            None,
            "teamspace:teams.data.configurations.empty: "
            "a configuration needs at least one of s3, pipelines, env, secretEnv",
        ),
        (
            {"e": {"env": {"1BAD": "x"}}},
            {},
            None,
            "teamspace:teams.data.configurations.e.env.1BAD: invalid key",
        ),
        (
            {"nexuscred": S3},
            {},
            None,
            "teamspace:teams.data.configurations.nexuscred: its Secret would be named",
        ),
    ],
)
def test_configuration_errors_name_the_key(configurations, notebook, secrets, expected):
    """Bad configurations are refused with the key path, before anything is created."""
    nb = {"name": "lab", "type": "jupyter", **notebook}
    template = Template.synth(team_with(configurations, nb), expect_error=True)
    assert isinstance(template.result.error, ConfigError)
    assert expected in str(template.result.error)
    assert template.registrations == []
