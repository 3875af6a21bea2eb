"""The Kubeflow deployment settings (`teamspace:kubeflow`): the user-id prefix is part of an HTTP
header value, so control characters are refused and printable ones, space included, are kept.
Config layer only (`config.load`)."""

from __future__ import annotations

import pytest

from config import load

from .test_check_messages import problems, values

PREFIX_KEY = "teamspace:kubeflow.userIdPrefix"
REFUSED = f"{PREFIX_KEY}: must not contain control characters (it is part of an HTTP header value)"


@pytest.mark.parametrize("prefix", ["x\ny", "tab\there", "del\x7f", "nul\x00", "\x1f"])
def test_a_prefix_with_a_control_character_is_refused(prefix):
    assert problems(values(kubeflow={"userIdPrefix": prefix})) == [REFUSED]


@pytest.mark.parametrize("prefix", ["accounts.google.com:", "id: ", "~tilde~"])
def test_a_prefix_of_printable_characters_is_kept_as_written(prefix):
    """A space (0x20) and `~` (0x7E, just below DEL) are not control characters."""
    assert load(values(kubeflow={"userIdPrefix": prefix})).kubeflow.user_id_prefix == prefix
