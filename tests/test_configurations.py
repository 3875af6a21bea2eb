"""Team configurations (PodDefaults), GPU scheduling, the controller's annotations, baked requirements."""

from __future__ import annotations

import base64

import pytest

from config import ConfigError
from devtools.runtime import is_secret_envelope
from devtools.stack_config import Secret

from .harness import IMAGE, NOTEBOOK, SECRET, Template, container, minimal_config, stack_config
from .schemas import validate_crd, validate_k8s, validate_podspec

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
            "teamspace:teams.data.configurations.empty: a configuration needs at least one of",
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


def gpu_notebook(**fields):
    return minimal_config(
        teams={"data": {"notebooks": [{"name": "gpu", "type": "jupyter", **fields}]}},
        affinities={
            "a100": {
                "required": [{"key": "gpu.product", "values": ["A100"]}],
                "preferred": [{"weight": 10, "match": [{"key": "zone", "values": ["a"]}]}],
            }
        },
        sizes={
            "gpu-xl": {
                "cpu": "8",
                "memory": "64Gi",
                "gpu": 2,
                "gpuVendor": "amd.com/gpu",
                "nodeSelector": {"pool": "gpu"},
                "affinity": "a100",
            }
        },
    )


@pytest.mark.parametrize(
    "fields,vendor",
    [
        ({"gpu": 1}, "nvidia.com/gpu"),
        ({"gpu": 1, "gpuVendor": "habana.ai/gaudi"}, "habana.ai/gaudi"),
        ({"size": "gpu-xl"}, "amd.com/gpu"),
    ],
)
def test_gpu_notebooks_tolerate_their_vendor_taint(fields, vendor):
    """A GPU notebook gets its vendor's toleration and GPU limit by default."""
    pod = Template.synth(gpu_notebook(**fields)).notebook("gpu")["spec"]["template"]["spec"]
    validate_podspec(pod)
    assert pod["tolerations"] == [{"key": vendor, "operator": "Exists"}]
    assert vendor in pod["containers"][0]["resources"]["limits"]


def test_scheduling_presets_and_overrides():
    """Size presets carry nodeSelector and a typed affinity; a notebook's own tolerations win, even empty."""
    pod = Template.synth(gpu_notebook(size="gpu-xl", tolerations=[])).notebook("gpu")["spec"]["template"][
        "spec"
    ]
    validate_podspec(pod)
    assert "tolerations" not in pod and pod["nodeSelector"] == {"pool": "gpu"}
    node = pod["affinity"]["nodeAffinity"]
    assert node["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"] == [
        {"matchExpressions": [{"key": "gpu.product", "operator": "In", "values": ["A100"]}]}
    ]
    assert node["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"] == 10
    plain = Template.synth(gpu_notebook()).notebook("gpu")["spec"]["template"]["spec"]
    assert not {"tolerations", "nodeSelector", "affinity"} & set(plain)


def test_unknown_affinity_preset_and_vendor_quota():
    """Unknown presets and per-vendor GPU quotas are checked with key paths."""
    error = Template.synth(gpu_notebook(affinity="h100"), expect_error=True).result.error
    assert (
        "teamspace:teams.data.notebooks[0] (gpu).affinity: "
        "unknown affinity preset 'h100'; did you mean 'a100'? known: a100" in str(error)
    )
    config = gpu_notebook(size="gpu-xl")
    config["teamspace:teams"]["data"]["quota"] = {"gpu": {"nvidia.com/gpu": 4}}
    error = Template.synth(config, expect_error=True).result.error
    assert "teamspace:teams.data.quota.gpu: running notebooks use 2 amd.com/gpu, above the quota 0" in str(
        error
    )
    config["teamspace:teams"]["data"]["quota"] = {"gpu": {"amd.com/gpu": 2}}
    assert Template.synth(config).result.error is None


def test_stop_and_start_only_touch_the_stop_annotation():
    """stopped toggles the stop annotation and the force that takes it over (docs/kubeflow.md);
    a running notebook never claims the culler's key."""
    running, stopped = (
        Template.synth(
            minimal_config(
                teams={"data": {"notebooks": [{"name": "lab", "type": "jupyter", "stopped": flag}]}}
            )
        ).notebook("lab")
        for flag in (False, True)
    )
    assert "kubeflow-resource-stopped" not in running["metadata"]["annotations"]
    assert stopped["metadata"]["annotations"].pop("kubeflow-resource-stopped") == "1970-01-01T00:00:00Z"
    assert stopped["metadata"]["annotations"].pop("pulumi.com/patchForce") == "true"
    assert stopped == running


def test_culler_annotations_are_ignored_on_every_notebook():
    """ignore_changes for the culler's annotations is set on each Notebook resource itself."""
    template = Template.synth(stack_config("dev"))
    for registration in template.resources(NOTEBOOK):
        assert set(registration.ignore_changes) == {
            'metadata.annotations["notebooks.kubeflow.org/last-activity"]',
            'metadata.annotations["notebooks.kubeflow.org/last_activity_check_timestamp"]',
        }


def test_requirements_are_baked_into_images(tmp_path):
    """An image's and a notebook's `requirements` file becomes the PIP_REQUIREMENTS build arg."""
    template = Template.synth(stack_config("dev"))
    own = template.by_name("vision-lab-image").manifest
    assert "opencv-python-headless==" in own["build"]["args"]["PIP_REQUIREMENTS"]
    assert own["imageName"].startswith("nexus.dev.example.com:5000/teamspace/vision-lab:content-")
    lab = container(template.notebook("lab"))["image"]
    assert lab.startswith("nexus.dev.example.com:5000/teamspace/vision-lab@sha256:")
    assert template.result.outputs["images"]["vision/lab"] == lab
    assert template.by_name("jupyter-image").manifest["build"]["args"]["PIP_REQUIREMENTS"] == ""
    config = minimal_config(
        images={"jupyter": {"type": "jupyter", "requirements": "requirements/vision-lab.txt"}}
    )
    built = Template.synth(config).resources(IMAGE)[0].manifest
    assert built["build"]["args"]["PIP_REQUIREMENTS"].startswith("# Baked into")


@pytest.mark.parametrize(
    "where,config,expected",
    [
        (
            "missing file",
            minimal_config(images={"jupyter": {"type": "jupyter", "requirements": "nope.txt"}}),
            "teamspace:images.jupyter.requirements: file 'nope.txt' not found",
        ),
        (
            "outside the repo",
            minimal_config(images={"jupyter": {"type": "jupyter", "requirements": "../x.txt"}}),
            "teamspace:images.jupyter.requirements: '../x.txt' must be a path inside this repository",
        ),
        (
            "external image",
            minimal_config(
                teams={
                    "data": {
                        "notebooks": [
                            {
                                "name": "lab",
                                "type": "jupyter",
                                "image": "ghcr.io/a/b:1",
                                "requirements": "requirements/vision-lab.txt",
                            }
                        ]
                    }
                }
            ),
            "teamspace:teams.data.notebooks[0] (lab).requirements: needs an image built here",
        ),
    ],
)
def test_requirements_errors(where, config, expected):
    """Bad requirements paths are refused with the key path."""
    error = Template.synth(config, expect_error=True).result.error
    assert isinstance(error, ConfigError) and expected in str(error), where
