"""Kubernetes resource quantities: parsing, arithmetic for defaults, and formatting.

Only what the config needs: compare requests with limits and quotas, and derive the
web app's default limit (request x 1.2) as an exact, canonical quantity string.

Bounds: resource.Quantity (k8s.io/apimachinery/pkg/api/resource/quantity.go, its doc comment)
caps every quantity at 2^63-1 and rounds anything finer than 1n up to 1n. A value outside
that range is refused here instead of being silently changed by the API server, and before
any arithmetic: `1e400` or `1e99999999999` would otherwise overflow the decimal context.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal

from .quoting import shown
from .suggestions import quantity_suggestion

# The grammar of resource.Quantity (k8s.io/apimachinery), the same one the CRDs' `pattern` encodes.
_QUANTITY = re.compile(
    r"^(?P<num>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$"
)
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}
LARGEST = Decimal(2**63 - 1)
SMALLEST = Decimal("1e-9")
_MAX_TEXT = 64  # digits beyond this cannot be a quantity within the bounds; never parse them


def parse_quantity(text: str) -> Decimal:
    """The value of a quantity string in base units; ValueError if it is not a quantity."""
    match = _QUANTITY.match(text) if isinstance(text, str) and len(text) <= _MAX_TEXT else None
    if not match:
        quoted = shown(text) if isinstance(text, str) else repr(text)
        guess = quantity_suggestion(text) if isinstance(text, str) and len(text) <= _MAX_TEXT else None
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise ValueError(f"'{quoted}' is not a Kubernetes quantity{hint} (e.g. 500m, 2, 1Gi, 512Mi)")
    number = Decimal(match["num"])
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        value = number * _BINARY[suffix]
    elif suffix in _DECIMAL:
        value = number * _DECIMAL[suffix]
    elif not number:  # zero at any exponent, without computing 10^exponent
        value = number
    elif abs(int(suffix[1:])) > 100:  # 10^exponent could overflow; no 64 characters bring it back in range
        raise ValueError(f"'{text}' is out of range: quantities lie between 1n and 2^63-1")
    else:
        value = number * (Decimal(10) ** int(suffix[1:]))
    if abs(value) > LARGEST or (value and abs(value) < SMALLEST):
        raise ValueError(f"'{text}' is out of range: quantities lie between 1n and 2^63-1")
    return value


def scaled_cpu(text: str, factor: Decimal) -> str:
    """CPU `text` times `factor`, rounded up to whole millicores, e.g. 0.5 x 1.2 -> '600m'."""
    millis = (parse_quantity(text) * factor * 1000).to_integral_value(ROUND_CEILING)
    return f"{millis // 1000}" if millis % 1000 == 0 else f"{millis}m"


def scaled_memory(text: str, factor: Decimal) -> str:
    """Memory `text` times `factor`, rounded up to whole MiB, e.g. 1Gi x 1.2 -> '1229Mi'."""
    mebi = (parse_quantity(text) * factor / _BINARY["Mi"]).to_integral_value(ROUND_CEILING)
    return f"{mebi // 1024}Gi" if mebi % 1024 == 0 else f"{mebi}Mi"
