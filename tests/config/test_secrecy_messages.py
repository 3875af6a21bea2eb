"""Plaintext secrets (`config.secrecy`), each refusal stated exactly: which keys the runtime
and the stack file views name, the command each offers, a stack file that cannot be read, and
the warning about pulling with the push credential."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.secrecy import file_problems, pull_fallback_warning, runtime_problems, stack_file_problems


def plain(path: str, where: str, command: str) -> str:
    return (
        f"teamspace:{path}: is stored in plain text {where}; store it encrypted with "
        f"`pulumi config set --secret {command}` (the value is not shown here)"
    )


def runtime(path: str, command: str | None = None) -> str:
    return plain(path, "in the stack config", command or f"teamspace:{path}")


def in_file(path: str, command: str | None = None, name: str = "F.yaml") -> str:
    return plain(path, f"in {name}", command or f"teamspace:{path}")


WHOLE_MAP = runtime("secrets")
ENTRY_A = runtime("secrets.a", "--path teamspace:secrets.a")


@pytest.mark.parametrize(
    "values, secret_keys, expected",
    [
        (
            {"registryPassword": "x", "pullPassword": "y", "other": "z"},
            (),
            [runtime("registryPassword"), runtime("pullPassword")],
        ),
        ({"registryPassword": "x", "pullPassword": "y"}, {"registryPassword"}, [runtime("pullPassword")]),
        (
            {"secrets": '{"a": "1", "b c": "2"}'},  # the CLI passes an object as JSON text
            (),
            [ENTRY_A, runtime('secrets["b c"]', "--path 'teamspace:secrets[\"b c\"]'")],
        ),
        ({"secrets": {"a": 1}}, (), [ENTRY_A]),
        ({"registryPassword": "x", "secrets": {"a": 1}}, (), [runtime("registryPassword"), ENTRY_A]),
        ({"pullPassword": "x", "secrets": "{}"}, (), [runtime("pullPassword"), WHOLE_MAP]),
        ({"secrets": {"a": 1}}, {"secrets"}, []),
        ({"secrets": "{bad"}, (), [WHOLE_MAP]),
        ({"secrets": "{}"}, (), [WHOLE_MAP]),
        ({"secrets": '["a"]'}, (), [WHOLE_MAP]),
        ({"secrets": ' {"a": "1"}'}, (), [WHOLE_MAP]),
        ({"secrets": 5}, (), [WHOLE_MAP]),
    ],
)
def test_runtime_problems_name_each_unmarked_secret(values, secret_keys, expected):
    assert [str(p) for p in runtime_problems(values, secret_keys)] == expected


SECURE = {"secure": "v1:abc"}


@pytest.mark.parametrize(
    "config, expected",
    [
        (
            {"teamspace:registryPassword": "x", "teamspace:pullPassword": SECURE},
            [in_file("registryPassword")],
        ),
        (
            {"teamspace:registryPassword": None, "teamspace:pullPassword": {**SECURE, "x": 1}},
            [in_file("pullPassword")],
        ),
        (
            {"teamspace:secrets": {"a": "x", "b": SECURE, "c": {**SECURE, "d": 1}}},
            [
                in_file("secrets.a", "--path teamspace:secrets.a"),
                in_file("secrets.c", "--path teamspace:secrets.c"),
            ],
        ),
        ({"teamspace:secrets": SECURE}, []),
        (
            {"teamspace:pullPassword": "x", "teamspace:secrets": {"a": "x"}},
            [in_file("pullPassword"), in_file("secrets.a", "--path teamspace:secrets.a")],
        ),
        (
            {"teamspace:pullPassword": "x", "teamspace:secrets": "x"},
            [in_file("pullPassword"), in_file("secrets")],
        ),
        ({"teamspace:secrets": "plain"}, [in_file("secrets")]),
        ({"teamspace:secrets": []}, [in_file("secrets")]),
        ({"teamspace:secrets": None}, []),
        ({"teamspace:secrets": {}}, []),
    ],
)
def test_file_problems_name_each_value_not_encrypted(config, expected):
    assert [str(p) for p in file_problems(config, "F.yaml")] == expected


UNREADABLE = "teamspace:secrets: Pulumi.x.yaml could not be read to check for plaintext secrets: "


@pytest.mark.parametrize(
    "text, expected",
    [
        ("config:\n  a: &x 1\n  b: *x\n", [UNREADABLE + "aliases (*name) are not allowed in a stack file"]),
        ("config: [1\n", [UNREADABLE + "while parsing a flow sequence"]),
        ("- 1\n", []),
        ("config: 5\n", []),
        (
            "config:\n  teamspace:secrets: &s {a: 1}\n",  # an anchor alone is no alias
            [in_file("secrets.a", "--path teamspace:secrets.a", "Pulumi.x.yaml")],
        ),
    ],
)
def test_a_stack_file_is_read_safely(tmp_path, text, expected):
    (tmp_path / "Pulumi.x.yaml").write_text(text)
    assert [str(p) for p in stack_file_problems(tmp_path, "x")] == expected


@pytest.mark.parametrize("size", [1 << 20, (1 << 20) + 1])
def test_a_stack_file_may_be_one_mebibyte(tmp_path, size):
    head = "config: {teamspace:registryPassword: p}\n"
    (tmp_path / "Pulumi.x.yaml").write_text(head + "#" * (size - len(head) - 1) + "\n")
    expected = (
        [in_file("registryPassword", name="Pulumi.x.yaml")]
        if size == 1 << 20
        else [UNREADABLE + "larger than 1048576 bytes"]
    )
    assert [str(p) for p in stack_file_problems(tmp_path, "x")] == expected


def test_no_stack_file_is_no_problem(tmp_path):
    assert stack_file_problems(tmp_path, "x") == []


def test_a_stack_file_not_utf8_is_named(tmp_path):
    (tmp_path / "Pulumi.x.yaml").write_bytes(b"config: \xff\n")
    assert [str(p) for p in stack_file_problems(tmp_path, "x")] == [
        UNREADABLE + "'utf-8' codec can't decode byte 0xff in position 8: invalid start byte"
    ]


def test_pulling_with_the_push_credential_is_warned_about():
    assert pull_fallback_warning(None, ["data"], "pusher", True) == (
        "teams pull images with the push credential (registry.username/registryPassword): anyone who "
        "reads a team's pull secret can overwrite images. Set teamspace:pullUsername and "
        "`pulumi config set --secret teamspace:pullPassword` to a read-only registry account"
    )


@pytest.mark.parametrize(
    "pull_username, teams, registry_user, has_push_password",
    [
        ("reader", ["data"], "pusher", True),
        (None, [], "pusher", True),
        (None, ["data"], None, True),
        (None, ["data"], "", True),
        (None, ["data"], "pusher", False),
    ],
)
def test_no_warning_unless_teams_pull_with_the_push_credential(
    pull_username, teams, registry_user, has_push_password
):
    assert pull_fallback_warning(pull_username, teams, registry_user, has_push_password) is None


def test_an_unreadable_stack_file_without_a_message_is_named_by_its_error(tmp_path, monkeypatch):
    """An OSError may carry no text (a failing filesystem driver): the error's type is given."""
    (tmp_path / "Pulumi.x.yaml").write_text("config: {}\n")

    def fail(*args, **kwargs):
        raise OSError

    monkeypatch.setattr(Path, "read_text", fail)
    assert [str(p) for p in stack_file_problems(tmp_path, "x")] == [UNREADABLE + "OSError"]
