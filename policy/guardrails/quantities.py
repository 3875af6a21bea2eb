"""The pack's own parser of Kubernetes quantities (`500m`, `2`, `1.5Gi`, `1e3`).

The pack runs in its own virtualenv with only policy/ on sys.path, so it cannot use the
program's `config.quantities`; tests/policy/test_pack.py checks that the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$")
_FACTORS = {
    "": Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    **{
        suffix: Decimal(1024) ** power for power, suffix in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"), 1)
    },
}


def _shown(value: Any) -> str:
    """`value` for a message: the analyzer's list and mapping views would repr as objects."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "a list"
    return repr(value)


def parse_quantity(value: Any) -> Decimal:
    """A Kubernetes resource.Quantity (`500m`, `2`, `1.5Gi`, `1e3`) in base units; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a quantity")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    match = _QUANTITY.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{_shown(value)} is not a quantity")
    number, suffix = Decimal(match.group(1)), match.group(2) or ""
    if suffix in _FACTORS:
        return number * _FACTORS[suffix]
    return number * Decimal(10) ** int(suffix[1:])  # decimal exponent, e.g. 1e3
