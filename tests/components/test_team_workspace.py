"""TeamWorkspace alone: a team spec and its resolved notebooks in, the team's objects out; and
the outputs it registers."""

from __future__ import annotations

import json

from components import TeamWorkspace, workspace_args
from config import resolve
from devtools.runtime import run_program

from ..harness import minimal_config
from .mock_render import of_type, render

PROFILE = "kubernetes:kubeflow.org/v1:Profile"
QUOTA = "kubernetes:core/v1:ResourceQuota"
SECRET = "kubernetes:core/v1:Secret"
PVC = "kubernetes:core/v1:PersistentVolumeClaim"
NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"
PODDEFAULT = "kubernetes:kubeflow.org/v1alpha1:PodDefault"


def stack(team: dict, **values):
    base = {"kubeflowUrl": "https://kf.example.com", "teams": json.dumps({"data": team})}
    return resolve({**base, **{k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}})


def workspace(resolved, images=None):
    return render(lambda: TeamWorkspace("data", workspace_args(resolved, "data", images or {})))


NOTEBOOKS = [
    {"name": "a", "type": "jupyter", "image": "r.example.com/j:1"},
    {"name": "b", "type": "vscode", "image": "r.example.com/v:1"},
]


def test_profile_with_quota_and_one_server_per_plan():
    registered = workspace(
        stack({"profile": {"owner": "ann@example.com"}, "quota": {"cpu": "4"}, "notebooks": NOTEBOOKS})
    )
    (profile,) = of_type(registered, PROFILE)
    assert profile["spec"]["owner"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "User",
        "name": "ann@example.com",
    }
    assert profile["spec"]["resourceQuotaSpec"] == {"hard": {"requests.cpu": "4"}}
    assert of_type(registered, QUOTA) == []
    assert sorted(n["metadata"]["name"] for n in of_type(registered, NOTEBOOK)) == ["a", "b"]
    assert len(of_type(registered, PVC)) == 2


def test_quota_without_profile_and_team_volumes():
    registered = workspace(
        stack(
            {"quota": {"memory": "8Gi"}, "volumes": {"shared": {"size": "1Gi"}}, "notebooks": NOTEBOOKS[:1]}
        )
    )
    (quota,) = of_type(registered, QUOTA)
    assert quota["spec"]["hard"] == {"requests.memory": "8Gi"}
    assert sorted(c["metadata"]["name"] for c in of_type(registered, PVC)) == ["a-workspace", "shared"]


def test_pull_secret_only_with_a_credential():
    team = {"notebooks": NOTEBOOKS[:1]}
    assert of_type(workspace(stack(team)), SECRET) == []
    with_registry = stack(
        team, registry={"server": "r.example.com", "username": "puller"}, registryPassword="pw-123456"
    )
    (secret,) = of_type(workspace(with_registry), SECRET)
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    (notebook,) = of_type(workspace(with_registry), NOTEBOOK)
    assert notebook["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "nexuscred"}]


def test_a_built_image_is_run_by_its_digest():
    resolved = stack(
        {"notebooks": [{"name": "a", "type": "jupyter"}]},
        images={"jupyter": {"type": "jupyter"}},
        registry={"server": "r.example.com", "username": "pusher"},
        registryPassword="pw-123456",
    )
    digest = "r.example.com/teamspace/jupyter@sha256:" + "2" * 64
    (notebook,) = of_type(workspace(resolved, {"jupyter": digest}), NOTEBOOK)
    assert notebook["spec"]["template"]["spec"]["containers"][0]["image"] == digest


def test_each_notebook_is_described_for_the_stack_outputs():
    """`notebooks` (each notebook's namespace, name, type, URL, image, size, stopped) is what the
    program publishes as its `notebooks` output (schemas/stack-outputs.schema.json)."""
    made = {}
    resolved = stack({"namespace": "data-ns", "notebooks": NOTEBOOKS})
    result = run_program(
        {}, program=lambda: made.update(workspace=TeamWorkspace("data", workspace_args(resolved, "data", {})))
    )
    assert result.error is None, result.error
    assert made["workspace"].notebooks["b"] == {
        "namespace": "data-ns",
        "name": "b",
        "type": "vscode",
        "url": "https://kf.example.com/notebook/data-ns/b/",
        "image": "r.example.com/v:1",
        "size": "small",
        "stopped": False,
    }


def test_one_pod_default_per_configuration():
    registered = workspace(
        stack(
            {
                "configurations": {"proxy": {"env": {"HTTP_PROXY": "http://p:3128"}}},
                "notebooks": [{**NOTEBOOKS[0], "configurations": ["proxy"]}],
            }
        )
    )
    (pod_default,) = of_type(registered, PODDEFAULT)
    assert pod_default["spec"]["selector"] == {"matchLabels": {"proxy": "true"}}
    (notebook,) = of_type(registered, NOTEBOOK)
    assert notebook["metadata"]["labels"]["proxy"] == "true"


def test_the_component_registers_each_notebooks_url():
    """What `pulumi stack` shows for the team's component."""
    result = run_program(minimal_config(), record_outputs=True)
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == "teamspace:index:TeamWorkspace"]
    assert result.component_outputs[component.urn] == {
        "notebook_urls": {"lab": "https://kubeflow.example.com/notebook/data/lab/"}
    }
