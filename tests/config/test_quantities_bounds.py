"""Kubernetes quantities at their bounds: the largest and smallest values, the 64-character cap,
exponents (also in derived limits), and the exact text of a refusal (with or without a guess).
`config.quantities` only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from config.quantities import LARGEST, SMALLEST, parse_quantity, scaled_cpu, scaled_memory

EXAMPLES = "(e.g. 500m, 2, 1Gi, 512Mi)"


def refusal(text: object) -> str:
    with pytest.raises(ValueError) as error:
        parse_quantity(text)  # type: ignore[arg-type]
    return str(error.value)


@pytest.mark.parametrize(
    "text, value",
    [
        ("9223372036854775807", LARGEST),  # 2^63-1, the largest resource.Quantity
        ("-9223372036854775807", -LARGEST),
        ("1n", SMALLEST),
        ("-1n", -SMALLEST),
        ("0", Decimal(0)),
        ("1." + "0" * 62, Decimal(1)),  # 64 characters: still parsed
        ("0e41", Decimal(0)),  # zero at any exponent
        ("0e99999999999", Decimal(0)),
        ("." + "0" * 40 + "1e41", Decimal(1)),  # a large exponent brought back into range by the digits
        ("9223372036854775807" + "0" * 41 + "e-41", LARGEST),
    ],
)
def test_values_at_the_bounds_are_quantities(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    "text",
    ["9223372036854775808", "-9223372036854775808", "0.9n", "1e19", "1e-10", "1e101", "1e-99999999999"],
)
def test_values_just_outside_the_bounds_are_out_of_range(text):
    assert refusal(text) == f"'{text}' is out of range: quantities lie between 1n and 2^63-1"


@pytest.mark.parametrize("value, shown", [(2, "2"), (None, "None"), ("abc", "abc"), ("1.2.3", "1.2.3")])
def test_a_non_quantity_is_named_without_a_guess_when_there_is_none(value, shown):
    assert refusal(value) == f"'{shown}' is not a Kubernetes quantity {EXAMPLES}"


@pytest.mark.parametrize("text, guess", [("1GB", "1Gi"), ("8gi", "8Gi"), ("1" * 62 + "GB", "1" * 62 + "Gi")])
def test_a_malformed_size_comes_with_the_quantity_it_likely_means(text, guess):
    """Up to 64 characters (the last case is exactly 64) a guess is offered."""
    assert refusal(text).endswith(f" is not a Kubernetes quantity; did you mean '{guess}'? {EXAMPLES}")


def test_past_64_characters_a_value_is_neither_parsed_nor_guessed_at():
    """65 characters: refused unread (no quantity within the bounds needs more), with no guess."""
    assert "did you mean" not in refusal("1." + "0" * 63)
    assert "(65 characters)' is not a Kubernetes quantity (e.g." in refusal("1" * 63 + "GB")


def test_a_derived_limit_is_digits_and_one_suffix_whatever_the_requests_exponent():
    """A request written with a large decimal suffix has a positive exponent inside: the limit
    (request x 1.2) must still be plain digits (`3E+9Gi` is no quantity)."""
    assert scaled_memory("2684354.56T", Decimal("1.2")) == "3000000000Gi"
    assert scaled_cpu("1k", Decimal("1.2")) == "1200"
