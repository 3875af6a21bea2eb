"""The stack-output rule's findings in full: each message with the output's path (keys
dotted, list items indexed) on the stack's URN, every output checked after an earlier finding,
and what it lets pass (empty credential fields, short base64 that holds no docker config)."""

from __future__ import annotations

import base64
import json

import pytest
from pulumi_policy import Secret, StackValidationArgs

from policy.guardrails.stack_rules import K8S_SECRET, STACK, find_leaks

from .rule_cases import BY_NAME, policy_resource

PASSWORD = "pull-S3cret-9e1f"
STACK_URN = f"urn:pulumi:test::teamspace::{STACK}::teamspace-dev"
SECRET_OUTPUT = "is a secret; outputs are read by other systems and must not carry credentials"
LEAK = "contains a credential of the stack (in plain text or base64)"


def findings(outputs: dict, password: str = PASSWORD) -> list[tuple[str, str | None]]:
    """(message, URN) of each violation for a stack with these outputs and one password Secret."""
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "registry", "namespace": "data"},
        "data": {"password": base64.b64encode(password.encode()).decode()},
    }
    resources = [
        policy_resource(K8S_SECRET, secret, "registry"),
        policy_resource(STACK, outputs, "teamspace-dev"),
    ]
    found: list[tuple[str, str | None]] = []
    BY_NAME["stack-no-secret-outputs"].validate(
        StackValidationArgs(resources), lambda message, urn=None: found.append((message, urn))
    )
    return found


@pytest.mark.parametrize(
    "outputs,messages",
    [
        (
            {"token": Secret("x"), "notebooks": {"data/lab": {"password": "whatever-it-is"}}},
            [
                f"stack output token {SECRET_OUTPUT}",
                "stack output notebooks.data/lab.password is named like a credential",
            ],
        ),
        (
            {"hosts": ["lab", {"note": f"pulled with {PASSWORD}"}]},
            [f"stack output hosts[1].note {LEAK}"],
        ),
        (
            {"pull": {"config": json.dumps({"auths": {}})}},
            ["stack output pull.config holds a docker config (registry credentials)"],
        ),
        # empty credential fields carry nothing
        ({"password": "", "apiToken": None, "auth": {}, "credentials": []}, []),
        # base64 of the word "auths" alone, shorter than any docker config
        ({"note": base64.b64encode(b'"auths"').decode()}, []),
    ],
    ids=["secret-then-named", "list-item", "docker-config", "empty", "short-base64"],
)
def test_stack_rule_reports_exactly(outputs, messages):
    """Each finding in full, in output order, on the stack's URN."""
    assert findings(outputs) == [(message, STACK_URN) for message in messages]


def test_an_output_named_after_a_credential_is_reported_without_repeating_it():
    """Output names are searched like values; the findings (printed in CI logs) mask the
    credential in the path, in every form, and in the paths below it."""
    encoded = base64.b64encode(f"reader:{PASSWORD}".encode()).decode()
    outputs = {"notes": {f"pulled-with-{PASSWORD}": {"password": "x-y-z-w"}, f"auth {encoded}": "ok"}}
    found = findings(outputs)
    assert found[:2] == [
        (f"stack output notes.pulled-with-*** {LEAK}", STACK_URN),
        ("stack output notes.pulled-with-***.password is named like a credential", STACK_URN),
    ]
    assert len(found) == 3 and found[2][0].startswith("stack output notes.auth ") and "***" in found[2][0]
    assert [find_leaks(message, [PASSWORD]) for message, _ in found] == [[], [], []]


def test_a_credential_inside_another_of_its_forms_is_masked_whole():
    """A password starting with a backslash is itself the tail of its JSON-escaped form: the
    longer form is masked first, so no piece of it (a stray backslash) is left in the path."""
    password = "\\pull-S3cret-9e1f"
    escaped = json.dumps(password)[1:-1]
    assert escaped.endswith(password) and escaped != password
    found = findings({"notes": {f"as-json {escaped}": "ok"}}, password)
    assert found == [(f"stack output notes.as-json *** {LEAK}", STACK_URN)]
