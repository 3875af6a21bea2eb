"""StopSchedule (components/stop_schedule.py): the Job it runs each night (missed runs, retries,
its pod's labels and identity) and the outputs the component registers."""

from __future__ import annotations

from devtools.runtime import run_program

from ..harness import Template, minimal_config

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
