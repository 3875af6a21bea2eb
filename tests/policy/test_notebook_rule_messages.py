"""The notebook rules' exact findings: every message in full (the CLI prints them as they are),
each container of a pod checked after an earlier one passed or failed, empty names, and the
`publicRegistries` policy config on the pinning and digest rules."""

from __future__ import annotations

import pytest

from policy.guardrails import rules
from policy.guardrails.rules import NOTEBOOK

from .rule_cases import (
    BY_NAME,
    INIT_CONTAINER,
    NEXUS_IMAGE,
    annotate,
    drop,
    edit,
    main_container,
    pod,
    resource_args,
    set_image,
    violations,
)

NEXUS = "nexus.example.com:5000/teamspace/jupyter"
CONTENT = NEXUS + ":content-0123456789abcdef0123"
SCIPY = "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0"
MIRROR = {"publicRegistries": ["nexus.example.com:5000"]}
EMPTY = "spec.template.spec.containers is empty"


def init_image(image: str):
    """An init container (checked after the main one) running `image`."""
    return lambda m: pod(m).update(initContainers=[{**INIT_CONTAINER, "image": image}])


def home_mount(**fields):
    """Edit the notebook container's /home/jovyan mount."""
    return lambda m: main_container(m)["volumeMounts"][0].update(fields)


def name(value: str):
    return lambda m: m["metadata"].update(name=value)


CASES = [
    # notebook-name
    (
        "notebook-name",
        edit(name("")),
        None,
        ["metadata.name is not set: the notebook URL /notebook/<namespace>/<name>/ needs a fixed name"],
    ),
    (
        "notebook-name",
        edit(name("Lab")),
        None,
        [
            "metadata.name 'Lab' must be a DNS-1123 label of at most 52 characters "
            "(the controller's StatefulSet breaks on longer names)"
        ],
    ),
    (
        "notebook-name",
        edit(lambda m: m["metadata"].update(namespace="")),
        None,
        ["metadata.namespace is not set: a notebook belongs in its team's namespace"],
    ),
    # notebook-routing-annotations
    (
        "notebook-routing-annotations",
        edit(annotate(rules.SERVER_TYPE, "rstudio")),
        None,
        [
            "annotation notebooks.kubeflow.org/server-type is 'rstudio'; "
            "the web app accepts only jupyter, group-one, group-two"
        ],
    ),
    (
        "notebook-routing-annotations",
        edit(annotate(rules.HEADERS_SET, '{"X-RStudio-Root-Path":"/notebook/data/lab/"}')),
        None,
        ["a Jupyter notebook must not set the X-RStudio-Root-Path header"],
    ),
    ("notebook-routing-annotations", edit(annotate(rules.HEADERS_SET, '{"X-Team":"data"}')), None, []),
    # notebook-image-pinned: a container after a passing or an imageless one is still checked
    (
        "notebook-image-pinned",
        edit(drop("containers.0.image"), init_image(NEXUS + ":latest")),
        None,
        [
            "container 'lab' has no image",
            f"init container 'init' image '{NEXUS}:latest' uses the mutable tag 'latest'; "
            "pin it by digest or content tag",
        ],
    ),
    (
        "notebook-image-pinned",
        edit(init_image(NEXUS)),
        None,
        [
            f"init container 'init' image '{NEXUS}' is a bare repository (implicitly :latest); "
            "pin it by digest or content tag"
        ],
    ),
    (
        "notebook-image-pinned",
        edit(set_image(CONTENT), init_image(NEXUS + ":v2")),
        None,
        [
            f"init container 'init' image '{NEXUS}:v2' comes from the private registry "
            "nexus.example.com:5000 by the mutable tag 'v2'; run it by digest or by its content-<hex> tag"
        ],
    ),
    ("notebook-image-pinned", edit(set_image(NEXUS + ":v2")), MIRROR, []),
    # external-image-digest
    (
        "external-image-digest",
        edit(drop("containers.0.image"), init_image(SCIPY)),
        None,
        [
            f"init container 'init' runs the external image '{SCIPY}' by tag; pin it by digest "
            "(or build it here) so the notebook cannot change under its users"
        ],
    ),
    ("external-image-digest", edit(set_image("ghcr.io/kubeflow/notebook:latest")), None, []),
    ("external-image-digest", edit(set_image(NEXUS + ":v2")), None, []),
    (
        "external-image-digest",
        edit(set_image(NEXUS + ":v2")),
        MIRROR,
        [
            f"container 'lab' runs the external image '{NEXUS}:v2' by tag; pin it by digest "
            "(or build it here) so the notebook cannot change under its users"
        ],
    ),
    # notebook-resources: an empty request is missing, not a bad quantity, and the next one is still compared
    (
        "notebook-resources",
        edit(
            lambda m: main_container(m)["resources"].update(
                requests={"cpu": "", "memory": "1Gi"}, limits={"cpu": "600m", "memory": "1023Mi"}
            )
        ),
        None,
        [
            "container 'lab' has no cpu request",
            "container 'lab' memory limit 1023Mi is below its request 1Gi",
        ],
    ),
    # notebook-shared-memory
    (
        "notebook-shared-memory",
        edit(drop("containers.0.volumeMounts.1")),
        None,
        ["no in-memory emptyDir mounted at /dev/shm: shared memory stays at the container default (64Mi)"],
    ),
    # added for the full mutation run: the pod checks' and the pull-secret rule's messages in full
    # notebook-home-volume
    ("notebook-home-volume", edit(lambda m: pod(m).update(containers=[])), None, [EMPTY]),
    (
        "notebook-home-volume",
        # a sibling of the home directory is not home; a mount without a path is nowhere
        edit(home_mount(mountPath="/home/jovyanX"), lambda m: main_container(m)["volumeMounts"].append({})),
        None,
        [
            "the notebook container mounts nothing at /home/jovyan: user files and installed packages "
            "would vanish with the pod"
        ],
    ),
    (
        "notebook-home-volume",
        edit(home_mount(name="scratch")),
        None,
        ["the /home/jovyan mount refers to volume 'scratch', which the pod does not declare"],
    ),
    (
        "notebook-home-volume",
        # a claim without its claimName is no claim
        edit(lambda m: pod(m)["volumes"][0].update(persistentVolumeClaim={"readOnly": False})),
        None,
        ["/home/jovyan is backed by volume 'lab-workspace', which is not a PersistentVolumeClaim"],
    ),
    # notebook-security-context
    (
        "notebook-security-context",
        edit(
            lambda m: pod(m)["securityContext"].update(fsGroup=0),
            drop("containers.0.securityContext.allowPrivilegeEscalation"),
        ),
        None,
        [
            "pod securityContext.fsGroup is 0, not 100 (users): "
            "the controller only adds it when the pod has no securityContext at all",
            "container 'lab' does not set securityContext.allowPrivilegeEscalation: false "
            "(Kubernetes allows escalation by default)",
        ],
    ),
    # notebook-pull-secret
    (
        "notebook-pull-secret",
        edit(drop("imagePullSecrets")),
        None,
        [
            f"container 'lab' pulls '{NEXUS_IMAGE}' from the private registry nexus.example.com:5000 "
            "but the pod has no imagePullSecrets entry"
        ],
    ),
    # notebook-resources: a value that is no quantity (a list, a mapping, a flag, a word)
    (
        "notebook-resources",
        edit(
            lambda m: main_container(m)["resources"].update(
                requests={"cpu": ["1"], "memory": True}, limits={"cpu": {"n": 1}, "memory": "lots"}
            )
        ),
        None,
        [
            "container 'lab' cpu request: a list is not a quantity",
            "container 'lab' memory request: True is not a quantity",
            "container 'lab' cpu limit: a mapping is not a quantity",
            "container 'lab' memory limit: 'lots' is not a quantity",
        ],
    ),
]


@pytest.mark.parametrize(
    "rule,manifest,config,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_notebook_rule_reports_exactly(rule, manifest, config, expected):
    """The rule reports exactly these messages, in container order, and nothing else."""
    assert violations(BY_NAME[rule], resource_args(NOTEBOOK, manifest, config=config)) == expected


@pytest.mark.parametrize("image", [1.0, True, ["x:1"], {"name": "x"}])
def test_a_non_string_image_is_reported_once_not_crashed_on(image):
    """A malformed image value (numbers arrive as doubles) is the pinning rule's finding, and the
    advisory digest rule and the pull-secret rule skip it instead of failing the whole analysis."""
    manifest = edit(lambda m: pod(m)["containers"][0].update(image=image))
    assert violations(BY_NAME["notebook-image-pinned"], resource_args(NOTEBOOK, manifest)) == [
        "container 'lab' has no image"
    ]
    assert violations(BY_NAME["external-image-digest"], resource_args(NOTEBOOK, manifest)) == []
    no_secret = edit(lambda m: pod(m)["containers"][0].update(image=image), drop("imagePullSecrets"))
    assert violations(BY_NAME["notebook-pull-secret"], resource_args(NOTEBOOK, no_secret)) == []
