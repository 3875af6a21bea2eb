"""Loading config values in tests: values as the CLI passes them, and the problems they yield."""

from __future__ import annotations

import json
from typing import Any

from config import ConfigError, load

KUBEFLOW_URL = "https://kf.example.com"


def encoded(config: dict[str, Any]) -> dict[str, str]:
    """Config values as the CLI passes them: strings as they are, objects JSON-encoded."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}


def problems(values: dict[str, str]) -> list[str]:
    """Every problem as `key path: message` (empty when the config loads)."""
    try:
        load(values)
    except ConfigError as error:
        return [str(p) for p in error.problems]
    return []


def team_problems(*notebooks: dict[str, Any], **team: Any) -> list[str]:
    """Every problem of one team `data` holding `notebooks` and the other `team` keys."""
    return problems(
        encoded({"kubeflowUrl": KUBEFLOW_URL, "teams": {"data": {"notebooks": list(notebooks), **team}}})
    )
