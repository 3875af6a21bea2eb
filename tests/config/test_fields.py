"""DNS-1123 label fields (notebook names, namespaces): the length limit at its boundary and
the whole message, key path included. Config layer only (`config.load`)."""

from __future__ import annotations

from .test_check_messages import NOTEBOOK, problems, values

NB = "teamspace:teams.data.notebooks[0].name"
NS = "teamspace:teams.data.namespace"


def team(name: str, **fields) -> dict:
    return {"data": {"notebooks": [{**NOTEBOOK, "name": name}], **fields}}


def test_a_name_exactly_at_its_limit_is_allowed():
    """52 characters for a notebook (its StatefulSet's pods add a suffix), 63 for a namespace."""
    assert problems(values(teams=team("n" * 52, namespace="m" * 63))) == []


def test_one_character_over_the_limit_says_how_long_it_is_and_what_is_allowed():
    assert problems(values(teams=team("n" * 53, namespace="m" * 64))) == [
        f"{NS}: '{'m' * 64}' is 64 characters; at most 63 allowed",
        f"{NB}: '{'n' * 53}' is 53 characters; at most 52 allowed",
    ]


def test_a_name_that_is_not_a_dns_label_gets_the_rule_in_full():
    assert problems(values(teams=team("lab-"))) == [
        f"{NB}: 'lab-' is not a DNS-1123 label (lowercase letters, digits and '-', "
        "starting and ending with a letter or digit)"
    ]
