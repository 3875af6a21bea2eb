"""A value of the wrong shape is named by its key, never by a Python class of ours."""

from __future__ import annotations

import pytest

from config import ConfigError, load


@pytest.mark.parametrize(
    "values, where",
    [
        ({"registry": "nexus.example.com"}, "teamspace:registry: must be a mapping of keys, not str"),
        ({"teams": '{"data": 3}'}, "teamspace:teams.data: must be a mapping of keys, not int"),
        # A list where a boolean goes (pydantic's bool_type, not bool_parsing): same wording.
        (
            {"teams": '{"data": {"notebooks": [{"name": "lab", "type": "jupyter", "stopped": [1]}]}}'},
            "teamspace:teams.data.notebooks[0] (lab).stopped: '[1]' is not a boolean; write true or false",
        ),
    ],
)
def test_wrong_shape_names_the_key(values, where):
    with pytest.raises(ConfigError) as caught:
        load({"kubeflowUrl": "https://kf.example.com", **values})
    assert where in str(caught.value)
    assert "Spec" not in str(caught.value)
