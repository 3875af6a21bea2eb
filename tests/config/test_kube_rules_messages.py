"""The rules of `config.kube_rules` called directly, each refusal stated exactly: qualified names
(prefix and name), a toleration's seconds, and mount paths at their limits (length, control
characters, a path of slashes only). The API server's cases are in tests/test_kube_rules.py."""

from __future__ import annotations

import pytest

from config.kube_rules import mount_path_problem, qualified_name_problem, toleration_problem

PREFIX_RULE = "the prefix before '/' must be a DNS subdomain (e.g. example.com/) of at most 253"
NAME_RULE = (
    "is not a qualified name: an optional DNS prefix and '/', then at most 63 characters of letters, "
    "digits, '-', '_' or '.', starting and ending with a letter or digit"
)
MOUNT_RULE = "must be an absolute, normalised path below / without '..' or ':', such as /home/jovyan/data"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("example.com/gpu", None),
        ("Example.com/gpu", f"'Example.com/gpu': {PREFIX_RULE}"),
        ("/gpu", f"'/gpu': {PREFIX_RULE}"),
        ("-gpu", f"'-gpu' {NAME_RULE}"),
        ("example.com/", f"'example.com/' {NAME_RULE}"),
    ],
)
def test_qualified_name_refusals_are_exact(value, expected):
    assert qualified_name_problem(value) == expected


@pytest.mark.parametrize("effect", [None, "NoSchedule", "PreferNoSchedule"])
def test_toleration_seconds_need_no_execute(effect):
    assert toleration_problem("gpu", "Exists", None, effect, 30) == (
        "tolerationSeconds is only allowed with effect NoExecute"
    )
    assert toleration_problem("gpu", "Exists", None, "NoExecute", 30) is None


@pytest.mark.parametrize(
    "path, quoted",
    [
        ("/X", None),  # a one-letter directory is not "all slashes"
        ("/a b", None),  # a space inside is a character like any other
        ("/caf\x80", None),  # past DEL, not a control character
        ("/" + "a" * 1023, None),  # 1024 characters: the limit
        ("/" + "a" * 1024, "/" + "a" * 49 + "...(1025 characters)"),
        ("/", "/"),
        ("///", "///"),
        ("/a\x01b", "/a\\x01b"),
        ("/a\x1fb", "/a\\x1fb"),
        ("/a\x7fb", "/a\\x7fb"),
        (" /a", " /a"),
        ("/a\t", "/a\\t"),
    ],
)
def test_mount_paths_at_their_limits(path, quoted):
    assert mount_path_problem(path) == (f"'{quoted}' {MOUNT_RULE}" if quoted else None)
