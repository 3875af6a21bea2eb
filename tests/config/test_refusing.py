"""`refusing`: a `<thing>_problem` rule made into a field type refuses with the rule's own words
and passes every other value through unchanged. The rule is built here, at test time, so that
a mutation tool switching the function per test sees it (the field types of config/ are built
once, at import)."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError

from config.refusing import refusing


def _shouting_problem(value: str) -> str | None:
    return f"'{value}' must be lower case" if value != value.lower() else None


def test_the_rules_message_is_the_error_and_a_good_value_passes_unchanged() -> None:
    lower_case = TypeAdapter(Annotated[str, refusing(_shouting_problem)])

    assert lower_case.validate_python("quiet") == "quiet"
    with pytest.raises(ValidationError) as refused:
        lower_case.validate_python("LOUD")
    assert [error["msg"] for error in refused.value.errors()] == ["Value error, 'LOUD' must be lower case"]
