"""The stack-output rule's search for credentials in a text: the exact forms `leak_needles`
looks for (plain, JSON-escaped, base64 at every alignment in both alphabets, two levels deep)."""

from __future__ import annotations

import base64

import pytest

from policy.guardrails.stack_rules import find_leaks, leak_needles

# Every base64 form of this secret holds both '+' and '/' (URL-safe: '-' and '_').
PLUS_SLASH = "~~~???"


@pytest.mark.parametrize(
    "secret,depth,expected",
    [
        ("abcdef", 0, {"abcdef"}),
        ('ab"c\\d', 0, {'ab"c\\d', 'ab\\"c\\\\d'}),
        # base64 of "abcdef", of "\0abcdef" and of "\0\0abcdef", cut to the characters
        # that depend on the secret's bytes alone
        ("abcdef", 1, {"abcdef", "YWJjZGVm", "FiY2RlZ", "hYmNkZW"}),
        # five bytes: each needle is six characters, the shortest kept
        ("abcde", 1, {"abcde", "YWJjZG", "FiY2Rl", "hYmNkZ"}),
        (
            PLUS_SLASH,
            1,
            {PLUS_SLASH, "fn5+Pz8/", "fn5-Pz8_", "+fn4/Pz", "-fn4_Pz", "5+fj8/P", "5-fj8_P"},
        ),
    ],
)
def test_leak_needles_are_exactly_the_forms_of_the_secret(secret, depth, expected):
    """No needle holds a character a neighbouring byte decides, and none is missing."""
    assert leak_needles(secret, depth) == expected


@pytest.mark.parametrize("prefix", [b"", b"x", b"xy"])
@pytest.mark.parametrize("suffix", [b"", b"\xff", b"\xff\xfe"])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_a_secret_inside_base64_is_found_at_every_alignment(prefix, suffix, encode):
    """Whatever bytes surround the secret, its base64 (standard or URL-safe) gives it away."""
    text = "Basic " + encode(prefix + PLUS_SLASH.encode() + suffix).decode()
    assert find_leaks(text, [PLUS_SLASH]) == [PLUS_SLASH]


def test_base64_of_text_sharing_only_a_prefix_with_the_secret_is_no_leak():
    """The needles end where the secret's bytes end: a text whose base64 starts like the
    secret's but goes on differently is not reported."""
    secret = "wJalrXUtnFEMI-K7MDENG"
    text = base64.b64encode(secret[:-3].encode() + b"###").decode()
    assert find_leaks(text, [secret]) == []


def test_base64_is_searched_two_levels_deep():
    """By default base64 of base64 (a dockerconfigjson's auth, encoded again) is found; the
    search stops there, as documented (each level multiplies the needles by six)."""
    secret = "pull-S3cret-9e1f"
    twice = base64.b64encode(base64.b64encode(secret.encode()))
    assert find_leaks(twice.decode(), [secret]) == [secret]
    assert find_leaks(base64.b64encode(twice).decode(), [secret]) == []
