"""devtools/stack_config.py: a stack file's `config:` map as the Pulumi CLI hands it to a program."""

from __future__ import annotations

from devtools.stack_config import REDACTED, Secret, to_runtime


def test_values_are_handed_over_as_the_cli_writes_them():
    """Booleans as Go writes them (`true`/`false`), numbers as text, objects as JSON."""
    values, secret_keys = to_runtime(
        {
            "teamspace:on": True,
            "teamspace:off": False,
            "teamspace:count": 3,
            "teamspace:text": "yes",
            "teamspace:sizes": {"small": {"cpu": "1"}, "flags": [True, None]},
        }
    )
    assert values == {
        "teamspace:on": "true",
        "teamspace:off": "false",
        "teamspace:count": "3",
        "teamspace:text": "yes",
        "teamspace:sizes": '{"small": {"cpu": "1"}, "flags": [true, null]}',
    }
    assert secret_keys == []


def test_a_key_holding_a_secret_anywhere_is_a_secret_key():
    values, secret_keys = to_runtime(
        {
            "teamspace:registryPassword": {"secure": "v1:abc"},
            "teamspace:plain": Secret("pw"),
            "teamspace:teams": {"a": {"token": {"secure": "v1:def"}}},
            "teamspace:kubeflowUrl": "https://k",
        }
    )
    assert values["teamspace:registryPassword"] == REDACTED
    assert values["teamspace:plain"] == "pw"
    assert values["teamspace:teams"] == '{"a": {"token": "' + REDACTED + '"}}'
    assert secret_keys == ["teamspace:registryPassword", "teamspace:plain", "teamspace:teams"]
