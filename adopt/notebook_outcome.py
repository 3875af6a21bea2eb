"""What adopting one live Notebook makes: its config entry, its findings and what the team
needs from it (its claims, PodDefault selections, affinity and pull secrets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .findings import Findings
from .pod_volumes import Mount


@dataclass
class NotebookOutcome:
    """A notebook's config entry (without its claims' sizes: those come from the PVCs)."""

    namespace: str
    name: str
    entry: dict[str, Any]
    findings: Findings
    home: Mount | None = None
    mounts: list[Mount] = field(default_factory=list)
    selection_labels: list[str] = field(default_factory=list)
    """Label keys with value "true": PodDefault selections."""
    affinity: dict[str, Any] | None = None
    pull_secrets: list[str] = field(default_factory=list)
    referenced_claims: set[str] = field(default_factory=set)
    """Every claim the pod names, even when the notebook is refused before its volumes are read."""
