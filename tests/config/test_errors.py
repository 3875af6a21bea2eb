"""config/errors.py, config/quoting.py and config/suggestions.py: how a problem is written (its
key path, the error's summary, a hostile value quoted, a did-you-mean hint)."""

from __future__ import annotations

import pytest

from config.errors import ConfigError, Problem, key_path, notebook_key_path, with_notebook_name
from config.quoting import shown
from config.suggestions import closest, did_you_mean, quantity_suggestion


@pytest.mark.parametrize(
    "parts, path",
    [
        (("teams", "my-team", "notebooks", 1, "size"), "teams.my-team.notebooks[1].size"),
        (("images", "a_b", "base"), "images.a_b.base"),
        (("images", "a.b", "base"), 'images["a.b"].base'),
        (("teams", "a b"), 'teams["a b"]'),
        ((0, "name"), "[0].name"),
        (("adopt",), "adopt"),
        (("env", "-"), 'env["-"]'),
        (("env", "_"), 'env["_"]'),
    ],
)
def test_key_path(parts, path):
    assert key_path(*parts) == path


@pytest.mark.parametrize(
    "parts, path",
    [
        (("matilda", 1, "reports", "size"), "teams.matilda.notebooks[1] (reports).size"),
        (("data", 0, "a", "dataVolumes", "d.s"), 'teams.data.notebooks[0] (a).dataVolumes["d.s"]'),
        (("a b", 2, "x\ny"), 'teams["a b"].notebooks[2] (x\\ny)'),  # a newline is shown escaped
    ],
)
def test_a_key_path_into_a_notebook_names_the_notebook(parts, path):
    assert notebook_key_path(*parts) == path


def test_a_problem_prints_its_path_or_what_it_is_shown_as():
    assert (
        str(Problem("teams.a.notebooks[0].size", "too big")) == "teamspace:teams.a.notebooks[0].size: too big"
    )
    shown_as = Problem("teams.a.notebooks[0]", "x", shown_as="teams.a.notebooks[0] (lab)")
    assert str(shown_as) == "teamspace:teams.a.notebooks[0] (lab): x"
    assert shown_as == Problem("teams.a.notebooks[0]", "x")  # what it is shown as is no part of it


def test_the_error_lists_each_problem_once_in_order():
    error = ConfigError([Problem("b", "two"), Problem("a", "one"), Problem("b", "two")])
    assert error.problems == [Problem("a", "one"), Problem("b", "two")]
    assert str(error) == (
        "invalid stack configuration (2 problems):\n  - teamspace:a: one\n  - teamspace:b: two"
    )


def test_one_problem_and_a_note():
    error = ConfigError([Problem("a", "one")], note="see the README")
    assert str(error) == "invalid stack configuration (1 problem):\n  - teamspace:a: one\n(see the README)"


def test_shown_escapes_control_characters_and_shortens():
    assert shown("a\nb\x1b[31m") == "a\\nb\\x1b[31m"
    assert shown("x" * 60) == "x" * 60
    assert shown("x" * 61) == "x" * 50 + "...(61 characters)"
    assert shown("\n" * 31) == "\\n" * 25 + "...(31 characters)"


def test_closest_is_a_likely_typo_or_nothing():
    assert closest("jupyterr", ["rstudio", "jupyter", "vscode"]) == "jupyter"
    assert closest("abcde", ["abcxy"]) == "abcxy"  # a ratio of exactly 0.6 is close enough
    assert closest("abcde", ["abxyz"]) is None
    assert closest(3, ["3"]) is None
    assert closest("abcd", ["abce", "abcf"]) == "abcf"  # a tie: difflib prefers the later name


def test_did_you_mean():
    assert did_you_mean("smal", ["small", "large"]) == "did you mean 'small'? "
    assert did_you_mean("zzz", ["small", "large"]) == ""


@pytest.mark.parametrize(
    "text, meant",
    [
        ("8GB", "8Gi"),
        ("10gi", "10Gi"),
        ("512mb", "512Mi"),
        ("1.5GiB", "1.5Gi"),
        (" 1k ", "1Ki"),
        ("2 T", "2Ti"),
        ("3pib", "3Pi"),
        ("4e", "4Ei"),
        ("8", None),
        ("8Gx", None),
        ("G", None),
        (8, None),
    ],
)
def test_quantity_suggestion(text, meant):
    assert quantity_suggestion(text) == meant


def test_a_notebooks_path_without_a_rest_ends_at_its_name():
    assert with_notebook_name("teams.m.notebooks[1]", "reports") == "teams.m.notebooks[1] (reports)"
