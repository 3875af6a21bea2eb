"""The benchmark's stack configs: N notebooks in teams of 50, every type, size and option mixed."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

TYPES = ("jupyter", "rstudio", "vscode")
SIZES = ("small", "medium", "large")
TEAM_SIZE = 50


def make_config(
    notebooks: int, team_size: int = TEAM_SIZE, secret: Callable[[str], Any] = str
) -> dict[str, Any]:
    """`notebooks` notebooks in teams of `team_size`: every type and size, some shared mounts,
    some bigger home volumes, some stopped; every other team has a Profile with a quota; one
    built image per type; a pull credential, so every team gets a pull secret."""
    teams = {}
    for t in range(math.ceil(notebooks / team_size)):
        declared = []
        for i in range(min(team_size, notebooks - t * team_size)):
            nb: dict[str, Any] = {"name": f"nb-{i:03d}", "type": TYPES[i % 3], "size": SIZES[(i // 3) % 3]}
            if i % 5 == 0:
                nb["mounts"] = {"shared": "/home/jovyan/shared"}
            if i % 7 == 0:
                nb["homeSize"] = "20Gi"
            if i % 11 == 0:
                nb["stopped"] = True
            declared.append(nb)
        team: dict[str, Any] = {"volumes": {"shared": {"size": "100Gi"}}, "notebooks": declared}
        if t % 2 == 0:
            team["profile"] = {"owner": f"lead-{t}@example.com"}
            team["quota"] = {"cpu": "1000", "memory": "4Ti", "storage": "10Ti"}
        teams[f"team-{t:03d}"] = team
    return {
        "teamspace:kubeflowUrl": "https://kubeflow.example.com",
        "teamspace:registry": {"server": "nexus.example.com", "username": "nexus-pusher"},
        "teamspace:registryPassword": secret("bench-push-password"),
        "teamspace:pullUsername": "nexus-reader",
        "teamspace:pullPassword": secret("bench-pull-password"),
        "teamspace:images": {kind: {"type": kind} for kind in TYPES},
        "teamspace:teams": teams,
    }
