"""Kubernetes resource quantities: parsing, arithmetic for defaults, and formatting.

Only what the config needs: compare requests with limits and quotas, and derive the
web app's default limit (request x 1.2) as an exact, canonical quantity string.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal

# The grammar of resource.Quantity (k8s.io/apimachinery), the same one the CRDs' `pattern` encodes.
_QUANTITY = re.compile(
    r"^(?P<num>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$"
)
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
}


def parse_quantity(text: str) -> Decimal:
    """The value of a quantity string in base units; ValueError if it is not a quantity."""
    match = _QUANTITY.match(text.strip()) if isinstance(text, str) else None
    if not match or text != text.strip():
        raise ValueError(f"'{text}' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi, 512Mi)")
    number = Decimal(match["num"])
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix in _DECIMAL:
        return number * _DECIMAL[suffix]
    return number * (Decimal(10) ** int(suffix[1:]))


def scaled_cpu(text: str, factor: Decimal) -> str:
    """CPU `text` times `factor`, rounded up to whole millicores, e.g. 0.5 x 1.2 -> '600m'."""
    millis = (parse_quantity(text) * factor * 1000).to_integral_value(ROUND_CEILING)
    return f"{millis // 1000}" if millis % 1000 == 0 else f"{millis}m"


def scaled_memory(text: str, factor: Decimal) -> str:
    """Memory `text` times `factor`, rounded up to whole MiB, e.g. 1Gi x 1.2 -> '1229Mi'."""
    mebi = (parse_quantity(text) * factor / _BINARY["Mi"]).to_integral_value(ROUND_CEILING)
    return f"{mebi // 1024}Gi" if mebi % 1024 == 0 else f"{mebi}Mi"
