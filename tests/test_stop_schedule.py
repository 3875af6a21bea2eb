"""The nightly stop: CronJob, ServiceAccount, Role and RoleBinding; its script against a fake kubectl."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError
from config.cron import check_schedule

from .harness import NOTEBOOK, Template, minimal_config
from .schemas import validate_k8s, validate_podspec

CRONJOB = "kubernetes:batch/v1:CronJob"
ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role"
ROLEBINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
SERVICEACCOUNT = "kubernetes:core/v1:ServiceAccount"
SCHEDULE = {"cron": "0 20 * * 1-5", "timeZone": "Europe/Berlin"}
# Managers whose fields pulumi-kubernetes takes over before an update, by name prefix
# (provider/pkg/await/await.go fixCSAFieldManagers, with fluxcd/pkg ssa's prefix match).
TAKEN_OVER_PREFIXES = ("kubectl", "before-first-apply", "pulumi-kubernetes", "pulumi-resource-kubernetes")


def scheduled(schedule=SCHEDULE, **teamspace):
    return minimal_config(
        teams={"data": {"stopSchedule": schedule, "notebooks": [{"name": "lab", "type": "jupyter"}]}},
        **teamspace,
    )


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.synth(scheduled())


def test_objects_and_their_settings(template):
    """One of each, all in the team namespace, all valid Kubernetes (strict)."""
    for kind in (CRONJOB, ROLE, ROLEBINDING, SERVICEACCOUNT):
        template.resource_count_is(kind, 1)
        manifest = template.manifests(kind)[0]
        assert manifest["metadata"]["namespace"] == "data"
        assert manifest["metadata"]["name"] == "teamspace-stop-schedule"
        validate_k8s(manifest)
    assert template.manifests(ROLE)[0]["rules"] == [
        {"apiGroups": ["kubeflow.org"], "resources": ["notebooks"], "verbs": ["get", "list", "patch"]}
    ]
    binding = template.manifests(ROLEBINDING)[0]
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": "teamspace-stop-schedule",
    }
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "teamspace-stop-schedule", "namespace": "data"}
    ]
    spec = template.manifests(CRONJOB)[0]["spec"]
    assert (spec["schedule"], spec["timeZone"], spec["concurrencyPolicy"]) == (
        "0 20 * * 1-5",
        "Europe/Berlin",
        "Forbid",
    )
    assert spec["successfulJobsHistoryLimit"] == 1 and spec["failedJobsHistoryLimit"] == 3
    pod = spec["jobTemplate"]["spec"]["template"]
    assert pod["metadata"]["annotations"] == {"sidecar.istio.io/inject": "false"}
    validate_podspec(pod["spec"])
    assert pod["spec"]["serviceAccountName"] == "teamspace-stop-schedule"
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    container = pod["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/kubeflow/kubeflow/notebook-servers/base:v1.11.0"
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "privileged": False,
        "capabilities": {"drop": ["ALL"]},
    }
    assert pod["spec"]["imagePullSecrets"] == [{"name": "nexuscred"}]


def test_image_is_a_deployment_setting():
    config = scheduled(kubeflow={"stopScheduleImage": "nexus.example.com:5000/mirror/notebook-base:v1.11.0"})
    pod = Template.synth(config).manifests(CRONJOB)[0]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["containers"][0]["image"] == "nexus.example.com:5000/mirror/notebook-base:v1.11.0"


def test_no_schedule_no_objects():
    template = Template.synth(minimal_config())
    for kind in (CRONJOB, ROLE, SERVICEACCOUNT):
        template.resource_count_is(kind, 0)


@pytest.mark.parametrize(
    "schedule,expected",
    [
        (
            {"cron": "0 20 * * 1-7", "timeZone": "UTC"},
            "stopSchedule.cron: '0 20 * * 1-7': day of week '1-7': '1-7' is out of range",
        ),
        ({"cron": "0 20 * *", "timeZone": "UTC"}, "stopSchedule.cron: '0 20 * *' has 4 fields"),
        ({"cron": "61 20 * * *", "timeZone": "UTC"}, "stopSchedule.cron: '61 20 * * *': minute '61'"),
        ({"cron": "*/0 * * * *", "timeZone": "UTC"}, "step '0' must be a positive whole number"),
        ({"cron": "CRON_TZ=UTC 0 20 * * *", "timeZone": "UTC"}, "set the zone with timeZone"),
        ({"cron": "@every 1h", "timeZone": "UTC"}, "'@every 1h' is not a known descriptor"),
        (
            {"cron": "0 20 * * 1-5", "timeZone": "Europe/Berlinn"},
            "stopSchedule.timeZone: 'Europe/Berlinn' is not an IANA time zone",
        ),
        (
            {"cron": "0 20 * * 1-5", "timeZone": "Local"},
            "stopSchedule.timeZone: 'Local' would be the controller's own zone",
        ),
        (
            {"cron": "0 20 * * 1-5", "timeZone": "../../etc/passwd"},
            "stopSchedule.timeZone: '../../etc/passwd': part '..' is not a time zone name part",
        ),
        ({"cron": "0 20 * * 1-5"}, "stopSchedule.timeZone: required key is missing"),
    ],
)
def test_bad_schedule_names_the_key(schedule, expected):
    error = Template.synth(scheduled(schedule), expect_error=True).result.error
    assert isinstance(error, ConfigError)
    assert expected in str(error) and "teamspace:teams.data.stopSchedule." in str(error)


@pytest.mark.parametrize(
    "cron",
    [
        "0 20 * * 1-5",
        "*/15 8-18 * * MON-FRI",
        "0 0 1 jan,jul *",
        "@daily",
        "5 4 * * sun",
        "0 22 * * ?",
        "30 19 1-31/2 * *",
        "0 20/2 * * 0,6",
        " 0 20 * * * ",
    ],
)
def test_schedules_the_cronjob_controller_accepts(cron):
    """robfig/cron v3's standard grammar: names, ranges, steps, `?`, descriptors."""
    assert check_schedule(cron) is None


@pytest.mark.parametrize(
    "cron",
    [
        "0 20 * * 7",
        "0 24 * * *",
        "0 0 0 * *",
        "0 0 * 13 *",
        "1,,2 * * * *",
        "*-5 * * * *",
        "1-2-3 * * * *",
        "0 0 * * mon-",
        "5/a * * * *",
        "0 20 * * 5-1",
        "0 0 * * * *",
        "@reboot",
        "TZ=UTC 0 0 * * *",
        "",
    ],
)
def test_schedules_refused(cron):
    assert check_schedule(cron) is not None


# -- the job's script, run against a fake kubectl --------------------------------------------

STATE = {
    "data": [
        {"name": "lab", "annotations": {"notebooks.kubeflow.org/server-type": "jupyter"}},
        {"name": "ide"},
        {"name": "culled", "annotations": {"kubeflow-resource-stopped": "2026-11-30T17:02:11Z"}},
        {"name": "declared", "annotations": {"kubeflow-resource-stopped": "1970-01-01T00:00:00Z"}},
    ],
    "other-team": [{"name": "lab"}, {"name": "night-owl"}],
}


def run_script(
    script: str, tmp_path: Path, state: dict, namespace: str = "data"
) -> tuple[subprocess.CompletedProcess, dict, list]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "kubectl"
    fake.write_text(f"#!{sys.executable}\n" + (Path(__file__).parent / "fake_kubectl.py").read_text())
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    state_file, log_file = tmp_path / "state.json", tmp_path / "calls.jsonl"
    state_file.write_text(json.dumps(state))
    log_file.write_text("")
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "NAMESPACE": namespace,
        "HOME": str(tmp_path),
        "FAKE_KUBECTL_STATE": str(state_file),
        "FAKE_KUBECTL_LOG": str(log_file),
    }
    done = subprocess.run(
        [shutil.which("sh") or "/bin/sh", "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    calls = [json.loads(line) for line in log_file.read_text().splitlines()]
    return done, json.loads(state_file.read_text()), calls


def rendered_script(template: Template) -> str:
    command = template.manifests(CRONJOB)[0]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][
        0
    ]["command"]
    assert command[:2] == ["/bin/sh", "-c"]
    return command[2]


def test_script_stops_only_running_notebooks_of_its_namespace(template, tmp_path):
    """Running notebooks get the stop key; stopped ones keep theirs; another namespace is never named."""
    done, state, calls = run_script(rendered_script(template), tmp_path, STATE)
    assert done.returncode == 0, done.stderr
    data = {n["name"]: n.get("annotations", {}) for n in state["data"]}
    assert (
        data["lab"]["kubeflow-resource-stopped"].endswith("Z")
        and data["lab"]["kubeflow-resource-stopped"] != "1970-01-01T00:00:00Z"
    )
    assert data["lab"]["notebooks.kubeflow.org/server-type"] == "jupyter"
    assert "kubeflow-resource-stopped" in data["ide"]
    assert data["culled"] == STATE["data"][2]["annotations"]
    assert data["declared"] == STATE["data"][3]["annotations"]
    assert state["other-team"] == STATE["other-team"]
    patched = [call[2] for call in calls if call[0] == "patch"]
    assert patched == ["lab", "ide"]
    for call in calls:
        assert call[call.index("--namespace") + 1] == "data"
        assert not {"-A", "--all-namespaces", "-n"} & set(call)
    assert "stopped 2 notebook(s), 2 already stopped, in namespace data" in done.stdout


def test_script_is_a_no_op_when_everything_is_stopped(template, tmp_path):
    state = {"data": [STATE["data"][2]]}
    done, after, calls = run_script(rendered_script(template), tmp_path, state)
    assert done.returncode == 0 and after == state and [c[0] for c in calls] == ["get"]


def test_script_fails_loudly_without_a_namespace_or_when_kubectl_fails(template, tmp_path):
    done, _, calls = run_script(rendered_script(template), tmp_path, STATE, namespace="")
    assert done.returncode != 0 and calls == []
    broken = {"data": [{"name": "lab"}]}
    script = rendered_script(template).replace(
        "--field-manager teamspace-stop-schedule", "--field-manager x --field-manager y"
    )
    done, _, _ = run_script(script, tmp_path, broken)
    assert done.returncode != 0  # a failing patch fails the Job, it is not swallowed


def test_next_up_does_not_undo_a_scheduled_stop(template, tmp_path):
    """The stop survives the next `pulumi up`: the running Notebook's inputs never name the stop key
    (server-side apply only removes fields the applier owns), and the job writes it under a field
    manager that the provider does not take over before an update."""
    notebook = template.notebook("lab")
    assert "kubeflow-resource-stopped" not in notebook["metadata"].get("annotations", {})
    assert "pulumi.com/patchForce" not in notebook["metadata"].get("annotations", {})
    again = Template.synth(scheduled()).notebook("lab")
    assert again == notebook  # the program does not read the cluster: a stop changes no input
    _, state, _ = run_script(rendered_script(template), tmp_path, {"data": [{"name": "lab"}]})
    manager = state["data"][0]["managers"]["kubeflow-resource-stopped"]
    assert manager == "teamspace-stop-schedule"
    assert not manager.startswith(TAKEN_OVER_PREFIXES)


def test_script_has_no_config_values(template):
    """Nothing from stack config is pasted into the shell text: the same script for every team."""
    other = Template.synth(
        minimal_config(
            teams={
                "x-y": {
                    "namespace": "weird-ns",
                    "stopSchedule": SCHEDULE,
                    "notebooks": [{"name": "lab", "type": "jupyter"}],
                }
            }
        )
    )
    assert rendered_script(other) == rendered_script(template)


def test_notebooks_are_unchanged_by_a_schedule(template):
    template.resource_count_is(NOTEBOOK, 1)
