"""Rules are written as `<thing>_problem(value) -> message or None`, so that the config
model, the adopt tool and the tests share one wording; this turns a rule into a field type."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import AfterValidator


def refusing(problem_of: Callable[[str], str | None]) -> AfterValidator:
    """A pydantic validator that refuses a value its rule has a problem with."""

    def check(value: str) -> str:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)
