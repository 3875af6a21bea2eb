"""StopSchedule (components/stop_schedule.py): the Job it runs each night (missed runs, retries,
its pod's labels and identity; the whole CronJob stated), its Role and binding, the order and the
aliases of its objects, and the outputs the component registers."""

from __future__ import annotations

from devtools.runtime import PROJECT_ROOT, run_program

from ..harness import Template, alias_names, external_image_config, minimal_config

CRONJOB = "kubernetes:batch/v1:CronJob"
STOP_TYPE = "teamspace:index:StopSchedule"


def _config():
    return minimal_config(
        teams={
            "data": {
                "stopSchedule": {"cron": "0 20 * * 1-5", "timeZone": "Europe/Berlin"},
                "notebooks": [{"name": "lab", "type": "jupyter"}],
            }
        }
    )


def test_the_job_skips_a_long_missed_run_retries_twice_and_runs_as_the_notebook_user():
    spec = Template.synth(_config()).manifests(CRONJOB)[0]["spec"]
    assert spec["startingDeadlineSeconds"] == 3600
    job = spec["jobTemplate"]["spec"]
    assert (job["backoffLimit"], job["activeDeadlineSeconds"]) == (2, 600)
    assert job["template"]["metadata"]["labels"] == {
        "app.kubernetes.io/part-of": "teamspace",
        "app.kubernetes.io/component": "stop-schedule",
    }
    # Stated, not left to the API server, whose default for an untagged or :latest image is Always.
    assert job["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    security = job["template"]["spec"]["securityContext"]
    assert (security["runAsUser"], security["runAsGroup"]) == (1000, 100)


def test_the_component_registers_its_schedule_and_time_zone():
    result = run_program(_config(), record_outputs=True)
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == STOP_TYPE]
    assert result.component_outputs[component.urn] == {
        "schedule": "0 20 * * 1-5",
        "time_zone": "Europe/Berlin",
    }


LABELS = {"app.kubernetes.io/part-of": "teamspace", "app.kubernetes.io/component": "stop-schedule"}
METADATA = {"name": "teamspace-stop-schedule", "namespace": "data", "labels": LABELS}
SCRIPT = (PROJECT_ROOT / "components" / "stop_notebooks.sh").read_text()


def test_the_cronjob_is_exactly_the_hardened_job_of_the_stop_script():
    """Every field of the CronJob, stated: what a reviewer of the cluster's objects would read. The
    pod runs the script with its own namespace and a writable /tmp as $HOME (the root filesystem is
    read-only), with requests for a team quota and limits, and nothing it does not need."""
    [cronjob] = Template.synth(_config()).manifests(CRONJOB)
    assert cronjob == {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": METADATA,
        "spec": {
            "schedule": "0 20 * * 1-5",
            "timeZone": "Europe/Berlin",
            "concurrencyPolicy": "Forbid",
            "successfulJobsHistoryLimit": 1,
            "failedJobsHistoryLimit": 3,
            "startingDeadlineSeconds": 3600,
            "jobTemplate": {
                "spec": {
                    "backoffLimit": 2,
                    "activeDeadlineSeconds": 600,
                    "template": {
                        "metadata": {"labels": LABELS, "annotations": {"sidecar.istio.io/inject": "false"}},
                        "spec": {
                            "imagePullSecrets": [{"name": "nexuscred"}],
                            "serviceAccountName": "teamspace-stop-schedule",
                            "restartPolicy": "Never",
                            "securityContext": {
                                "runAsNonRoot": True,
                                "runAsUser": 1000,
                                "runAsGroup": 100,
                                "seccompProfile": {"type": "RuntimeDefault"},
                            },
                            "containers": [
                                {
                                    "name": "stop-notebooks",
                                    "image": "ghcr.io/kubeflow/kubeflow/notebook-servers/base:v1.11.0",
                                    "imagePullPolicy": "IfNotPresent",
                                    "command": ["/bin/sh", "-c", SCRIPT],
                                    "env": [
                                        {
                                            "name": "NAMESPACE",
                                            "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}},
                                        },
                                        {"name": "HOME", "value": "/tmp"},
                                    ],
                                    "resources": {
                                        "requests": {"cpu": "10m", "memory": "64Mi"},
                                        "limits": {"cpu": "200m", "memory": "128Mi"},
                                    },
                                    "securityContext": {
                                        "allowPrivilegeEscalation": False,
                                        "readOnlyRootFilesystem": True,
                                        "runAsNonRoot": True,
                                        "privileged": False,
                                        "capabilities": {"drop": ["ALL"]},
                                    },
                                    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                                }
                            ],
                            "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "16Mi"}}],
                        },
                    },
                }
            },
        },
    }


def test_the_objects_are_labelled_children_created_in_order():
    """The account, Role, RoleBinding and CronJob carry the component's labels and are children of
    the StopSchedule; the binding waits for the Role and the account, the CronJob for the binding
    (a first run before the binding would be forbidden to patch notebooks)."""
    template = Template.synth(_config())
    [component] = [r for r in template.registrations if r.type == STOP_TYPE]
    children = {
        r.name.removeprefix("data-stop-schedule-"): r
        for r in template.registrations
        if r.parent == component.urn
    }
    assert sorted(children) == ["cronjob", "role", "rolebinding", "serviceaccount"]
    for child in children.values():
        assert child.manifest["metadata"] == METADATA, child.name
    assert sorted(children["rolebinding"].depends_on) == sorted(
        [children["role"].urn, children["serviceaccount"].urn]
    )
    assert children["cronjob"].depends_on == [children["rolebinding"].urn]
    assert children["role"].depends_on == children["serviceaccount"].depends_on == []


def test_without_a_registry_credential_the_job_names_no_pull_secret():
    """The pull secret exists only with a registry credential; an empty name would make every pull fail."""
    config = external_image_config({"name": "lab", "type": "jupyter", "image": "quay.io/jupyter/base:2025"})
    config["teamspace:teams"]["data"]["stopSchedule"] = {"cron": "0 20 * * 1-5", "timeZone": "Europe/Berlin"}
    [cronjob] = Template.synth(config).manifests(CRONJOB)
    assert "imagePullSecrets" not in cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def test_the_role_lets_the_account_only_read_and_patch_notebooks():
    """Its own ServiceAccount, bound to a Role over notebooks (get, list, patch) in the namespace alone."""
    template = Template.synth(_config())
    [role] = template.manifests("kubernetes:rbac.authorization.k8s.io/v1:Role")
    [binding] = template.manifests("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
    assert role["rules"] == [
        {"apiGroups": ["kubeflow.org"], "resources": ["notebooks"], "verbs": ["get", "list", "patch"]}
    ]
    assert (binding["roleRef"], binding["subjects"]) == (
        {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "teamspace-stop-schedule"},
        [{"kind": "ServiceAccount", "name": "teamspace-stop-schedule", "namespace": "data"}],
    )


def test_a_renamed_teams_schedule_keeps_the_identity_of_each_object():
    """Team key data -> analytics (previousKey): the component and its four objects alias their old names."""
    config = _config()
    config["teamspace:teams"] = {"analytics": {**config["teamspace:teams"]["data"], "previousKey": "data"}}
    template = Template.synth(config)
    [component] = [r for r in template.registrations if r.type == STOP_TYPE]
    objects = [component, *(r for r in template.registrations if r.parent == component.urn)]
    # pulumi_kubernetes aliases a kind's older API versions under the same name: left out.
    aliases = {r.name: [n for n in alias_names(r) if n != r.name] for r in objects}
    assert aliases == {
        f"analytics-stop-schedule{role}": [f"data-stop-schedule{role}"]
        for role in ("", "-serviceaccount", "-role", "-rolebinding", "-cronjob")
    }
