"""StopSchedule: a CronJob that stops every running notebook of a team namespace, e.g. at night.

The culler only understands Jupyter's kernel API, so RStudio and VS Code are never culled;
this stops every type. The job's script is components/stop_notebooks.sh.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pulumi
from pulumi_kubernetes.batch.v1 import CronJob, CronJobSpecArgs, JobSpecArgs, JobTemplateSpecArgs
from pulumi_kubernetes.core.v1 import (
    CapabilitiesArgs,
    ContainerArgs,
    EmptyDirVolumeSourceArgs,
    EnvVarArgs,
    EnvVarSourceArgs,
    LocalObjectReferenceArgs,
    ObjectFieldSelectorArgs,
    PodSecurityContextArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    ResourceRequirementsArgs,
    SeccompProfileArgs,
    SecurityContextArgs,
    ServiceAccount,
    VolumeArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs
from pulumi_kubernetes.rbac.v1 import PolicyRuleArgs, Role, RoleBinding, RoleRefArgs, SubjectArgs

from config.kubeflow import StopScheduleSpec

from .renames import child_options, former_names

SCRIPT = (Path(__file__).parent / "stop_notebooks.sh").read_text()
OBJECT_NAME = "teamspace-stop-schedule"
LABELS = {"app.kubernetes.io/part-of": "teamspace", "app.kubernetes.io/component": "stop-schedule"}


@dataclass(frozen=True)
class StopScheduleArgs:
    """Inputs of a StopSchedule."""

    namespace: str
    """The team namespace: the only one the job can see or change."""
    schedule: StopScheduleSpec
    """The validated cron expression and IANA time zone."""
    image: str
    """An image with /bin/sh, date and kubectl."""
    pull_secret: str | None = None
    """The registry pull secret, for an image mirrored to the team's registry."""


class StopSchedule(pulumi.ComponentResource):
    """CronJob, its own ServiceAccount, and a Role (get/list/patch notebooks only) bound to it."""

    def __init__(self, name: str, args: StopScheduleArgs, opts: pulumi.ResourceOptions | None = None):
        former = former_names(opts)
        super().__init__("teamspace:index:StopSchedule", name, None, opts)
        ns = args.namespace
        metadata = ObjectMetaArgs(name=OBJECT_NAME, namespace=ns, labels=LABELS)
        account = ServiceAccount(
            f"{name}-serviceaccount", metadata=metadata, opts=child_options(self, former, "serviceaccount")
        )
        role = Role(
            f"{name}-role",
            metadata=metadata,
            rules=[
                PolicyRuleArgs(
                    api_groups=["kubeflow.org"], resources=["notebooks"], verbs=["get", "list", "patch"]
                )
            ],
            opts=child_options(self, former, "role"),
        )
        binding = RoleBinding(
            f"{name}-rolebinding",
            metadata=metadata,
            role_ref=RoleRefArgs(api_group="rbac.authorization.k8s.io", kind="Role", name=OBJECT_NAME),
            subjects=[SubjectArgs(kind="ServiceAccount", name=OBJECT_NAME, namespace=ns)],
            opts=child_options(self, former, "rolebinding", depends_on=[role, account]),
        )
        CronJob(
            f"{name}-cronjob",
            metadata=metadata,
            spec=CronJobSpecArgs(
                schedule=args.schedule.cron,
                time_zone=args.schedule.time_zone,
                concurrency_policy="Forbid",
                successful_jobs_history_limit=1,
                failed_jobs_history_limit=3,
                # A run missed by more than an hour (controller down) is skipped, not run at dawn.
                starting_deadline_seconds=3600,
                job_template=JobTemplateSpecArgs(
                    spec=JobSpecArgs(
                        backoff_limit=2,
                        active_deadline_seconds=600,
                        template=PodTemplateSpecArgs(
                            # Profile namespaces inject Istio sidecars, which keep a Job's pod
                            # from completing.
                            metadata=ObjectMetaArgs(
                                labels=LABELS, annotations={"sidecar.istio.io/inject": "false"}
                            ),
                            spec=_pod_spec(args.image, args.pull_secret),
                        ),
                    )
                ),
            ),
            opts=child_options(self, former, "cronjob", depends_on=[binding]),
        )
        self.register_outputs({"schedule": args.schedule.cron, "time_zone": args.schedule.time_zone})


def _pod_spec(image: str, pull_secret: str | None) -> PodSpecArgs:
    return PodSpecArgs(
        image_pull_secrets=[LocalObjectReferenceArgs(name=pull_secret)] if pull_secret else None,
        service_account_name=OBJECT_NAME,
        restart_policy="Never",
        security_context=PodSecurityContextArgs(
            run_as_non_root=True,
            run_as_user=1000,
            run_as_group=100,
            seccomp_profile=SeccompProfileArgs(type="RuntimeDefault"),
        ),
        containers=[
            ContainerArgs(
                name="stop-notebooks",
                image=image,
                image_pull_policy="IfNotPresent",
                command=["/bin/sh", "-c", SCRIPT],
                env=[
                    EnvVarArgs(
                        name="NAMESPACE",
                        value_from=EnvVarSourceArgs(
                            field_ref=ObjectFieldSelectorArgs(field_path="metadata.namespace")
                        ),
                    ),
                    # kubectl writes its discovery cache under $HOME; the root filesystem is read-only.
                    EnvVarArgs(name="HOME", value="/tmp"),
                ],
                # Requests: a team quota on requests rejects pods without them.
                resources=ResourceRequirementsArgs(
                    requests={"cpu": "10m", "memory": "64Mi"}, limits={"cpu": "200m", "memory": "128Mi"}
                ),
                security_context=SecurityContextArgs(
                    allow_privilege_escalation=False,
                    read_only_root_filesystem=True,
                    run_as_non_root=True,
                    privileged=False,
                    capabilities=CapabilitiesArgs(drop=["ALL"]),
                ),
                volume_mounts=[VolumeMountArgs(name="tmp", mount_path="/tmp")],
            )
        ],
        volumes=[VolumeArgs(name="tmp", empty_dir=EmptyDirVolumeSourceArgs(size_limit="16Mi"))],
    )
