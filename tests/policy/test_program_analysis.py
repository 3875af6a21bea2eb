"""Every rule over everything the real program registers, directly and through the
analyzer's own request handling."""

from __future__ import annotations

import json

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyResourceOptions,
    ResourceValidationPolicy,
    Secret,
    StackValidationArgs,
    StackValidationPolicy,
)

from devtools.recording_monitor import Registration
from devtools.runtime import RunResult
from policy.guardrails import rules
from policy.guardrails.rules import NOTEBOOK, PVC, STACK

from ..harness import Template, external_image_config, minimal_config, stack_config
from ..policy_args import rule_args
from .rule_cases import (
    BY_NAME,
    edit,
    main_container,
    options,
    pod,
    policy_resource,
    resource_args,
    set_image,
    violations,
)

# --- everything the real program registers ------------------------------------------------------


def registration_opts(registration: Registration, expose_retain: bool = True) -> PolicyResourceOptions:
    """The options the analyzer would get, plus retain_on_delete (which 1.21 does not pass on)."""
    return options(
        protect=registration.protect,
        retain=registration.retain_on_delete if expose_retain else None,
        aliases=registration.aliases,
        parent=registration.parent or None,
    )


def analyze(result: RunResult, expose_retain: bool = True) -> dict[str, list[tuple[str, str]]]:
    """policy name -> [(resource name, message)] for every rule over one program run."""
    found: dict[str, list[tuple[str, str]]] = {policy.name: [] for policy in rules.POLICIES}
    resources = []
    for registration in result.registrations:
        opts = registration_opts(registration, expose_retain)
        props = registration.manifest
        resources.append(policy_resource(registration.type, props, registration.name, opts))
        for policy in rules.POLICIES:
            if isinstance(policy, ResourceValidationPolicy):
                args = rule_args(registration.type, props, registration.urn, registration.name, opts)
                for message in violations(policy, args) or ():
                    found[policy.name].append((registration.name, message))
    outputs = {
        key: Secret(value) if key in result.secret_outputs else value for key, value in result.outputs.items()
    }
    resources.append(policy_resource(STACK, outputs, "teamspace"))
    for policy in rules.POLICIES:
        if isinstance(policy, StackValidationPolicy):
            policy.validate(
                StackValidationArgs(resources),
                lambda m, urn=None, p=policy: found[p.name].append(("stack", m)),
            )
    return found


PROGRAM_CONFIGS = {
    "dev": lambda: stack_config("dev"),
    "prod": lambda: stack_config("prod"),
    "minimal": lambda: minimal_config(),
    "minimal-all-types": lambda: minimal_config(
        images={"jupyter": {"type": "jupyter"}, "rstudio": {"type": "rstudio"}, "vscode": {"type": "vscode"}},
        teams={
            "data": {
                "notebooks": [
                    {"name": "lab", "type": "jupyter"},
                    {"name": "rs", "type": "rstudio"},
                    {"name": "code", "type": "vscode", "stopped": True},
                ]
            }
        },
    ),
    "minimal-external-image": lambda: external_image_config(
        {
            "name": "lab",
            "type": "jupyter",
            "image": "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
        }
    ),
    "minimal-unprotected": lambda: minimal_config(protectVolumes=False),
}


@pytest.mark.parametrize("name", sorted(PROGRAM_CONFIGS))
def test_program_registers_no_mandatory_violation(name):
    """Every rule over everything the program registers for the stack configs: zero mandatory violations."""
    template = Template.synth(PROGRAM_CONFIGS[name]())
    found = analyze(template.result)
    mandatory = {p.name: found[p.name] for p in rules.MANDATORY_POLICIES if found[p.name]}
    assert mandatory == {}
    assert template.resources(NOTEBOOK) and template.resources(PVC)


def test_program_advisories_fire_where_expected():
    """Advisories are informative: unprotected volumes and
    tag-pinned external images show up, nothing else.
    """
    unprotected = analyze(Template.synth(PROGRAM_CONFIGS["minimal-unprotected"]()).result)
    assert [name for name, _ in unprotected["pvc-protected"]] == ["data-lab-home"]
    external = analyze(Template.synth(PROGRAM_CONFIGS["minimal-external-image"]()).result)
    assert [name for name, _ in external["external-image-digest"]] == ["data-lab-notebook"]
    dev = analyze(Template.synth(stack_config("dev")).result)
    assert all(dev[p.name] == [] for p in rules.ADVISORY_POLICIES)


def test_program_pvcs_with_1_21_options_are_not_applicable_never_violations():
    """With the options pulumi-policy 1.21 really passes,
    pvc-retain-on-delete never reports the program's PVCs.
    """
    found = analyze(Template.synth(stack_config("prod")).result, expose_retain=False)
    assert found["pvc-retain-on-delete"] == []


def test_rules_catch_a_regression_in_program_output():
    """Sanity: a program Notebook with its home mount, fsGroup and pull secret removed is reported."""
    template = Template.synth(minimal_config())
    registration = template.resources(NOTEBOOK)[0]
    manifest = registration.manifest
    pod(manifest)["containers"][0]["volumeMounts"] = []
    del pod(manifest)["securityContext"]["fsGroup"]
    del pod(manifest)["imagePullSecrets"]
    args = resource_args(NOTEBOOK, manifest)
    for rule in ("notebook-home-volume", "notebook-security-context", "notebook-pull-secret"):
        assert violations(BY_NAME[rule], args), rule


# --- through the analyzer's own request handling -------------------------------------------------


def _servicer():
    """The pack's analyzer service without its gRPC server (what PolicyPack would serve).
    A pulumi-policy internal: the tests using it are marked `sdk_internals`."""
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    return _PolicyAnalyzerServicer(
        "teamspace-guardrails", "0.0.1", rules.POLICIES, EnforcementLevel.MANDATORY
    )


def _analyzer_resource(message, registration: Registration) -> None:
    from google.protobuf import struct_pb2

    properties = struct_pb2.Struct()
    properties.update(json.loads(json.dumps(registration.inputs)))  # the wire form, secret envelopes included
    message.type, message.urn, message.name = registration.type, registration.urn, registration.name
    message.properties.CopyFrom(properties)
    message.options.protect = registration.protect
    message.options.aliases.extend([a for a in registration.aliases if a.startswith("urn:")])
    message.options.parent = registration.parent


@pytest.mark.sdk_internals
def test_analyzer_requests_over_the_program_give_no_mandatory_diagnostic():
    """Analyze/AnalyzeStack requests built from the dev program
    (protobuf, as the engine sends them): no mandatory diagnostic.
    """
    from pulumi.runtime.proto import analyzer_pb2

    servicer = _servicer()
    info = servicer.GetAnalyzerInfo(None, None)
    assert sorted(p.name for p in info.policies) == sorted(BY_NAME)
    result = Template.synth(stack_config("dev")).result
    diagnostics, not_applicable = [], []
    for registration in result.registrations:
        request = analyzer_pb2.AnalyzeRequest()
        _analyzer_resource(request, registration)
        response = servicer.Analyze(request, None)
        diagnostics += list(response.diagnostics)
        not_applicable += [(registration.type, n.policy_name) for n in response.not_applicable]
    stack_request = analyzer_pb2.AnalyzeStackRequest()
    for registration in result.registrations:
        _analyzer_resource(stack_request.resources.add(), registration)
    outputs = Registration(
        urn="urn:pulumi:dev::teamspace::pulumi:pulumi:Stack::teamspace-dev",
        type=STACK,
        name="teamspace-dev",
        custom=False,
        inputs=result.outputs,
    )
    _analyzer_resource(stack_request.resources.add(), outputs)
    diagnostics += list(servicer.AnalyzeStack(stack_request, None).diagnostics)
    assert [(d.policyName, d.message) for d in diagnostics] == []
    # retainOnDelete never reaches an analyzer: the rule says so for each claim instead of passing
    assert {n for t, n in not_applicable if t == PVC} == {"pvc-retain-on-delete"}


@pytest.mark.sdk_internals
def test_analyzer_requests_report_a_broken_notebook_as_mandatory():
    """A Notebook request without home mount and with a :latest image yields mandatory diagnostics."""
    from pulumi.runtime.proto import analyzer_pb2

    manifest = edit(
        set_image("nexus.example.com:5000/teamspace/jupyter:latest"),
        lambda m: main_container(m).update(volumeMounts=[]),
    )
    request = analyzer_pb2.AnalyzeRequest()
    _analyzer_resource(
        request,
        Registration(
            urn="urn:pulumi:dev::teamspace::x$" + NOTEBOOK + "::bad",
            type=NOTEBOOK,
            name="bad",
            custom=True,
            inputs=manifest,
        ),
    )
    response = _servicer().Analyze(request, None)
    levels = {d.policyName: d.enforcementLevel for d in response.diagnostics}
    from pulumi.runtime.proto import analyzer_pb2 as proto

    assert levels.get("notebook-home-volume") == proto.MANDATORY
    assert levels.get("notebook-image-pinned") == proto.MANDATORY
    assert levels.get("notebook-shared-memory") == proto.ADVISORY
