"""PullSecret: the dockerconfigjson bytes kubectl writes, standard base64, and the component's
identity (type, parent, aliases across a team rename)."""

from __future__ import annotations

import base64
import json

from components.pull_secret import dockerconfigjson
from devtools.runtime import run_program
from devtools.stack_config import Secret

from ..harness import SECRET, Template, minimal_config

PULL_TYPE = "teamspace:index:PullSecret"
# "reader:p?ss~word" in standard base64 has both '/' and '+', where URL-safe base64 has '_' and '-'.
PULL_PASSWORD = "p?ss~word"


def test_dockerconfigjson_escapes_like_go_encoding_json():
    """`<`, `>`, `&`, U+2028 and U+2029 escaped; other non-ASCII kept as UTF-8; no spaces."""
    password = "a<b>c&d\u2028e\u2029fé"
    auth = base64.b64encode(f"u:{password}".encode()).decode()
    assert dockerconfigjson("r.example.com:5000", "u", password) == (
        '{"auths":{"r.example.com:5000":{"username":"u","password":'
        '"a\\u003cb\\u003ec\\u0026d\\u2028e\\u2029fé","auth":"' + auth + '"}}}'
    )


def test_pull_secret_auth_is_standard_base64():
    """What kubectl writes: `auth` is base64.StdEncoding of user:password, not the URL-safe alphabet."""
    template = Template.synth(minimal_config(pullUsername="reader", pullPassword=Secret(PULL_PASSWORD)))
    [secret] = template.manifests(SECRET)
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    dockerconfig = json.loads(base64.b64decode(secret["data"][".dockerconfigjson"], validate=True))
    entry = dockerconfig["auths"]["nexus.example.com:5000"]
    assert (entry["username"], entry["password"]) == ("reader", PULL_PASSWORD)
    assert entry["auth"] == "cmVhZGVyOnA/c3N+d29yZA=="
    assert base64.b64decode(entry["auth"], validate=True) == b"reader:" + PULL_PASSWORD.encode()


def test_the_secret_is_a_child_of_its_pull_secret_component():
    template = Template.synth(minimal_config())
    [component] = template.resources(PULL_TYPE)
    [secret] = template.resources(SECRET)
    assert component.name == "data-pull" and component.parent.endswith("::data")
    assert secret.name == "data-pull-secret" and secret.parent == component.urn
    assert component.aliases == [] and secret.aliases == []


def aliased_to(registration, name: str) -> bool:
    """An alias by resource name, or by the full URN ending in that name."""
    return any(alias == name or alias.endswith(f"::{name}") for alias in registration.aliases)


def test_a_renamed_team_keeps_its_pull_secrets_identity():
    """Team key data -> analytics (previousKey): the component and its Secret alias their old names."""
    config = minimal_config(
        teams={"analytics": {"previousKey": "data", "notebooks": [{"name": "lab", "type": "jupyter"}]}}
    )
    template = Template.synth(config)
    [component] = template.resources(PULL_TYPE)
    [secret] = template.resources(SECRET)
    assert component.name == "analytics-pull" and aliased_to(component, "data-pull")
    assert secret.parent == component.urn and aliased_to(secret, "data-pull-secret")
    assert len(secret.aliases) == 1
    assert secret.manifest["metadata"] == {"name": "nexuscred", "namespace": "data"}


def test_the_component_registers_the_secrets_name_as_its_output():
    """What `pulumi stack` shows for the component (Pulumi requires components to register outputs)."""
    result = run_program(minimal_config(), record_outputs=True)
    assert result.error is None, result.error
    [component] = [r for r in result.registrations if r.type == PULL_TYPE]
    assert result.component_outputs[component.urn] == {"secret_name": "nexuscred"}
