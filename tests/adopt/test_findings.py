"""adopt/findings.py's `text`: a scalar read from YAML as Kubernetes would read it in a quantity,
a label or a node selector (a hand-written `gpu: true` is the string "true" to the API server)."""

from __future__ import annotations

import pytest

from adopt.findings import text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "true"),
        (False, "false"),
        (2, "2"),
        (2.0, "2"),
        (0.5, "0.5"),
        ("1Gi", "1Gi"),
        ("True", "True"),
    ],
)
def test_a_scalar_is_the_string_kubernetes_reads(value, shown):
    assert text(value) == shown
