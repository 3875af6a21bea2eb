"""Issue 13: what the tool generates from each fixture, and what it refuses (generator level)."""

from __future__ import annotations

import copy

from adopt import adopt
from adopt.report import CHANGES_HEADING, report
from adopt.stack_file import dump
from tests.adoption import URL, adopted, fixture_documents, run_generated

SECRET_DATA = "eyJhdXRocyI6eyIwLjAuMC4wOjUwMDAiOnsiYXV0aCI6IlRFU1QtU0VDUkVULVZBTFVFIn19fQ=="


def _team(adoption, key):
    return adoption.config["teams"][key]


def _notebook(adoption, team, name):
    return next(nb for nb in _team(adoption, team)["notebooks"] if nb["name"] == name)


def test_field_notes_template_becomes_one_notebook_keeping_its_claim_and_pull_secret():
    adoption = adopted("field_notes")
    assert adoption.exit_code == 0 and not adoption.problems
    assert _notebook(adoption, "matilda", "test-notebook") == {
        "name": "test-notebook",
        "type": "jupyter",
        "image": "0.0.0.0:5000/jupyter-scipy",
        "cpu": "200m",
        "cpuLimit": "2",
        "memory": "500Mi",
        "memoryLimit": "5Gi",
        "homeVolume": "test-notebook-vol",
        "homeSize": "10Gi",
        "homeStorageClass": "local-path",
        "imagePullSecrets": ["nexuscred"],
        "shm": False,
    }
    assert adoption.config["adopt"] == [
        "Notebook/matilda/test-notebook",
        "PersistentVolumeClaim/matilda/test-notebook-vol",
    ]
    text = report(adoption, "Pulumi.prod.yaml")
    section = text.split(CHANGES_HEADING)[1]
    for change in (
        "label app.kubernetes.io/part-of: teamspace added",
        "annotation notebooks.kubeflow.org/server-type: jupyter added",
        "securityContext.fsGroup: (none) -> 100",
        "container securityContext: allowPrivilegeEscalation false, privileged false",
    ):
        assert change in section
    assert "runAsUser" not in section  # already 1000 in the template
    assert "pull secret nexuscred: referenced by name and kept as it is" in text


def test_a_generated_config_that_does_not_load_is_refused_although_every_object_was_adopted():
    """Nothing of a stack file that fails validation is safe to run: exit code 3."""
    adoption = adopt(fixture_documents("field_notes"), "ftp://kf.example.com")
    assert [team.findings.refused for team in adoption.teams] == [[]]
    assert [problem.path for problem in adoption.problems] == ["kubeflowUrl"]
    assert adoption.refused and adoption.exit_code == 3


def test_secret_values_never_reach_the_stack_file_or_the_report():
    adoption = adopted("field_notes")
    assert ("matilda", "nexuscred") in adoption.inventory.pull_secrets
    for output in (dump(adoption), report(adoption, "out.yaml")):
        assert SECRET_DATA not in output and "TEST-SECRET" not in output
    assert "teamspace:registryPassword" in dump(adoption)  # as a comment with the command only
    assert all(
        line.lstrip().startswith("#") for line in dump(adoption).splitlines() if "config set --secret" in line
    )


def test_web_app_notebooks_keep_volumes_configurations_and_scheduling():
    adoption = adopted("web_app")
    team = _team(adoption, "team-alice")
    assert team["externalConfigurations"] == ["access-ml-pipeline"]
    assert team["configurations"] == {
        "proxy": {
            "env": {"HTTP_PROXY": "http://proxy.corp.example.com:3128", "NO_PROXY": ".svc,.cluster.local"},
            "desc": "Corporate HTTP proxy",
        }
    }
    assert team["volumes"] == {"team-data": {"size": "50Gi", "storageClass": "nfs-client"}}
    analysis = _notebook(adoption, "team-alice", "analysis")
    assert (analysis["cpu"], analysis["cpuLimit"], analysis["memory"], analysis["memoryLimit"]) == (
        "0.5",
        "0.6",
        "1.0Gi",
        "1.2Gi",
    )
    assert analysis["configurations"] == ["access-ml-pipeline", "proxy"]
    assert analysis["dataVolumes"] == {
        "analysis-datavol-1": {
            "mountPath": "/home/jovyan/datavol-1",
            "size": "5Gi",
            "storageClass": "standard",
        }
    }
    assert "homeVolume" not in analysis and analysis["homeSize"] == "5Gi"
    code = _notebook(adoption, "team-alice", "code")
    assert (code["type"], code["imagePullPolicy"], code["mounts"]) == (
        "vscode",
        "Always",
        {"team-data": "/home/jovyan/team-data"},
    )
    reports = _notebook(adoption, "team-alice", "reports")
    assert reports["type"] == "rstudio" and reports["readOnlyMounts"] == ["team-data"]
    assert reports["dataVolumes"]["reports-datavol-1"]["accessMode"] == "ReadWriteMany"
    assert reports["affinity"] == "dedicated-node-per-notebook"
    assert reports["tolerations"] == [
        {"key": "dedicated", "operator": "Equal", "value": "kubeflow-c5.xlarge", "effect": "NoSchedule"}
    ]
    assert "PodDefault/team-alice/proxy" in adoption.config["adopt"]
    assert "PodDefault/team-alice/access-ml-pipeline" not in adoption.config["adopt"]


def test_an_external_podDefault_with_another_label_key_is_written_with_its_label():
    documents = fixture_documents("web_app")
    for document in documents:
        if document["kind"] == "PodDefault" and document["metadata"]["name"] == "access-ml-pipeline":
            document["metadata"]["name"] = "kfp-access"
    adoption = adopt(documents, URL)
    team = _team(adoption, "team-alice")
    assert team["externalConfigurations"] == [{"name": "kfp-access", "label": "access-ml-pipeline"}]
    assert _notebook(adoption, "team-alice", "code")["configurations"] == ["kfp-access"]


def test_a_selection_label_without_its_podDefault_is_assumed_external_and_noted():
    documents = [d for d in fixture_documents("web_app") if d["kind"] != "PodDefault"]
    adoption = adopt(documents, URL)
    team = _team(adoption, "team-alice")
    assert team["externalConfigurations"] == ["access-ml-pipeline", "proxy"]
    assert 'no PodDefault selecting proxy: "true" in the input' in report(adoption, "out")


def test_gpu_and_mig_notebooks_keep_their_resources_and_tolerations():
    adoption = adopted("gpu")
    train, mig = _notebook(adoption, "ml", "train"), _notebook(adoption, "ml", "mig")
    assert (train["gpu"], train["gpuVendor"], train["memoryLimit"]) == (1, "nvidia.com/gpu", "19.2Gi")
    assert train["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "dedicated", "operator": "Equal", "value": "gpu-a100", "effect": "NoSchedule"},
    ]
    assert (mig["gpu"], mig["gpuVendor"]) == (1, "nvidia.com/mig-1g.10gb")
    assert mig["tolerations"] == []  # none live: teamspace's default GPU toleration must not appear
    assert mig["nodeSelector"] == {"nvidia.com/mig.strategy": "mixed"}


def test_stopped_notebook_stays_stopped():
    adoption = adopted("stopped")
    assert _notebook(adoption, "matilda", "paused")["stopped"] is True
    assert (
        "annotation kubeflow-resource-stopped: '2026-11-30T18:04:11Z' -> teamspace's fixed value "
        "(stays stopped)" in report(adoption, "out")
    )


def test_profile_and_quota_are_adopted_and_a_foreign_quota_is_left_alone():
    adoption = adopted("profile_quota")
    vision = _team(adoption, "vision")
    assert vision["profile"] == {"owner": "vision-lead@example.com"}
    assert vision["quota"] == {"cpu": "8", "memory": "32Gi", "storage": "200Gi", "gpu": {"nvidia.com/gpu": 2}}
    assert "legacy" not in adoption.config["teams"]
    assert "Profile/vision" in adoption.config["adopt"] and "Profile/legacy" not in adoption.config["adopt"]
    assert not [key for key in adoption.config["adopt"] if key.startswith("ResourceQuota/")]
    assert "Profile/legacy: hard.cpu is not a quota teamspace writes; left as it is" in report(
        adoption, "out"
    )


def test_unmodelled_fields_are_refused_per_notebook_never_dropped():
    adoption = adopted("refused")
    assert adoption.exit_code == 3
    assert [nb["name"] for nb in _team(adoption, "lab")["notebooks"]] == ["fine"]
    text = report(adoption, "out")
    for line in (
        "notebook with-env (jupyter): REFUSED",
        "spec.template.spec.containers[0].env: container environment is not modelled",
        "spec.template.spec.initContainers: init containers are not modelled",
        "spec.template.spec.containers: 2 containers; teamspace runs exactly one",
        "PersistentVolumeClaim/lab/two-modes-workspace spec.accessModes",
        "claim with-sidecar-workspace: not adopted",
    ):
        assert line in text


def test_replace_trigger_fields_that_cannot_be_stated_are_refused_naming_object_and_field():
    documents = fixture_documents("field_notes")
    claim = next(d for d in documents if d["kind"] == "PersistentVolumeClaim")
    claim["spec"]["storageClassName"] = ""
    text = report(adopt(documents, URL), "out")
    assert (
        "PersistentVolumeClaim/matilda/test-notebook-vol spec.storageClassName: '' cannot be declared" in text
    )
    missing = [d for d in fixture_documents("field_notes") if d["kind"] != "PersistentVolumeClaim"]
    adoption = adopt(missing, URL)
    assert adoption.exit_code == 3
    assert "claim test-notebook-vol: not in the input (export the PVCs too)" in report(adoption, "out")


def test_hand_made_rstudio_and_vscode_get_their_type_from_the_field_notes_annotations():
    base = next(d for d in fixture_documents("field_notes") if d["kind"] == "Notebook")
    rstudio, vscode = copy.deepcopy(base), copy.deepcopy(base)
    rstudio["metadata"]["annotations"] = {  # the field notes' RStudio header, without the trailing slash
        "notebooks.kubeflow.org/http-headers-request-set": (
            '{"X-RStudio-Root-Path":"/notebook/matilda/test-notebook"}'
        ),
        "notebooks.kubeflow.org/http-rewrite-uri": "/",
    }
    vscode["metadata"]["annotations"] = {"notebooks.kubeflow.org/http-rewrite-uri": "/"}
    claim = [d for d in fixture_documents("field_notes") if d["kind"] == "PersistentVolumeClaim"]
    assert _notebook(adopt([rstudio, *claim], URL), "matilda", "test-notebook")["type"] == "rstudio"
    assert _notebook(adopt([vscode, *claim], URL), "matilda", "test-notebook")["type"] == "vscode"
    text = report(adopt([rstudio, *claim], URL), "out")
    assert (
        "annotation notebooks.kubeflow.org/http-headers-request-set: "
        '\'{"X-RStudio-Root-Path":"/notebook/matilda/test-notebook"}\' -> '
        '\'{"X-RStudio-Root-Path":"/notebook/matilda/test-notebook/"}\'' in text
    )


def test_a_notebook_without_namespace_is_refused_and_a_repeated_one_counts_once():
    documents = fixture_documents("field_notes")
    notebook = next(d for d in documents if d["kind"] == "Notebook")
    adoption = adopt([*documents, copy.deepcopy(notebook)], URL)
    assert [nb["name"] for nb in _team(adoption, "matilda")["notebooks"]] == ["test-notebook"]
    del notebook["metadata"]["namespace"]
    text = report(adopt(documents, URL), "out")
    assert "metadata.namespace: missing" in text


def test_a_namespace_quota_named_like_teamspaces_is_adopted_and_others_are_left_alone():
    quota = {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "teamspace-quota", "namespace": "ml"},
        "spec": {
            "hard": {
                "requests.cpu": "16",
                "requests.nvidia.com/gpu": "2",
                "requests.nvidia.com/mig-1g.10gb": "4",
            }
        },
    }
    other = {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "compute", "namespace": "ml"},
        "spec": {"hard": {"pods": "20"}},
    }
    adoption = adopt([*fixture_documents("gpu"), quota, other], URL)
    assert adoption.exit_code == 0, adoption.problems
    assert _team(adoption, "ml")["quota"] == {
        "cpu": "16",
        "gpu": {"nvidia.com/gpu": 2, "nvidia.com/mig-1g.10gb": 4},
    }
    assert "ResourceQuota/ml/teamspace-quota" in adoption.config["adopt"]
    assert "ResourceQuota/ml/compute: left as it is, not managed" in report(adoption, "out")
    rendered = [
        r.manifest
        for r in run_generated(adoption).registrations
        if r.type == "kubernetes:core/v1:ResourceQuota"
    ]
    assert [q["spec"] for q in rendered] == [quota["spec"]]


def test_an_unmounted_claim_becomes_a_team_volume_or_is_refused():
    spare = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "old-results", "namespace": "ml"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "8Gi"}},
            "storageClassName": "fast-ssd",
        },
    }
    dotted = copy.deepcopy(spare)
    dotted["metadata"]["name"] = "results.v1"
    adoption = adopt([*fixture_documents("gpu"), spare], URL)
    assert _team(adoption, "ml")["volumes"] == {
        "old-results": {"size": "8Gi", "accessMode": "ReadWriteOnce", "storageClass": "fast-ssd"}
    }
    refused = adopt([*fixture_documents("gpu"), dotted], URL)
    assert refused.exit_code == 3
    assert "REFUSED claim results.v1: mounted by no notebook" in report(refused, "out")
