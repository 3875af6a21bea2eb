"""adopt.shapes.shape_problem: an input object checked against its kind's JSON schema, the
first problem named with its path (null list items included, which the schemas let pass)."""

from __future__ import annotations

import pytest

from adopt.shapes import shape_problem


@pytest.mark.parametrize(
    "pod, problem",
    [
        ({"containers": [{"name": "a", "args": ["x"], "env": [{"name": "A", "value": None}]}]}, None),
        ({"containers": [None]}, "containers.0: a list item is null"),
        ({"containers": [{"name": "a", "args": ["x", None]}]}, "containers.0.args.1: a list item is null"),
        (
            {"containers": [{"name": "a", "env": [{"name": "A"}, {"name": "B", "x": [[None]]}]}]},
            "containers.0.env.1.x.0.0: a list item is null",
        ),
        (
            {"containers": [{"name": "a", "args": "x"}]},
            "containers.0.args: 'x' is not of type 'array', 'null'",
        ),
        ({"containers": 5}, "containers: 5 is not of type 'array', 'null'"),
        ([], "(top): [] is not of type 'object'"),
        ({"Xtra": [None]}, "Xtra.0: a list item is null"),  # only the leading dot is stripped
        ({"containers": "x" * 300}, "containers: '" + "x" * 199),  # a message is cut at 200 characters
    ],
)
def test_the_first_problem_of_a_pod_spec_is_named_by_its_path(pod, problem):
    assert shape_problem("podspec-v1", pod) == problem
