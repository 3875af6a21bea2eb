"""PodDefault selections on notebooks: adopted as teamspace configurations when teamspace can
render the PodDefault exactly, otherwise declared as external configurations (referenced, never
managed), in the team key `externalConfigurations`: a name, or `{name, label}` when the label
key differs from the PodDefault's name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from components.team_pod_default import PIPELINES_AUDIENCE, PIPELINES_TOKEN_DIR
from config.references import CONTROLLER_LABELS

from .findings import Findings, unknown_keys
from .shapes import mapping

# Kubeflow Pipelines' profile controller owns this one in every profile namespace.
KUBEFLOW_OWNED = ("access-ml-pipeline",)
TOKEN_VOLUME = "volume-kf-pipeline-token"
TOKEN_ENV = "KF_PIPELINES_SA_TOKEN_PATH"


@dataclass
class Selection:
    """What a notebook label `<label>: "true"` selects."""

    name: str
    label: str
    managed: dict[str, Any] | None = None
    """The configuration (camelCase) when teamspace takes the PodDefault over."""
    findings: Findings = field(default_factory=Findings)

    @property
    def external_entry(self) -> Any:
        return self.name if self.name == self.label else {"name": self.name, "label": self.label}


def select(label: str, pod_defaults: list[dict[str, Any]]) -> Selection:
    """The PodDefault of the namespace that selects exactly `<label>: "true"`."""
    matching = [
        p
        for p in pod_defaults
        if mapping(mapping(p.get("spec")).get("selector")) == {"matchLabels": {label: "true"}}
    ]
    if not matching:
        selection = Selection(name=label, label=label)
        selection.findings.note(
            f'no PodDefault selecting {label}: "true" in the input; '
            f"declared as the external configuration '{label}'"
        )
        return selection
    document = sorted(matching, key=lambda p: p["metadata"]["name"])[0]
    name = document["metadata"]["name"]
    selection = Selection(name=name, label=label)
    selection.managed = _as_configuration(document, selection.findings) if name == label else None
    return selection


def _as_configuration(document: dict[str, Any], findings: Findings) -> dict[str, Any] | None:
    """A configuration rendering the same PodDefault, or None (then it stays external)."""
    name, spec = document["metadata"]["name"], mapping(document.get("spec"))
    if name in KUBEFLOW_OWNED or name in CONTROLLER_LABELS:
        return None
    if unknown_keys(spec, ("selector", "desc", "env", "volumes", "volumeMounts")):
        return None
    configuration: dict[str, Any] = {}
    env, secret_keys, secret = {}, [], None
    pipelines = False
    if not isinstance(spec.get("env") or [], list) or not all(
        isinstance(i, dict) for i in spec.get("env") or []
    ):
        return None
    for item in spec.get("env") or []:
        source = mapping(item.get("valueFrom")).get("secretKeyRef")
        # Only string names and values can be written back as they are; anything else stays external.
        if not isinstance(item.get("name"), str) or not isinstance(item.get("value", ""), str):
            return None
        if set(item) == {"name", "value"} and item["name"] == TOKEN_ENV:
            pipelines = item["value"] == f"{PIPELINES_TOKEN_DIR}/token"
            if not pipelines:
                return None
        elif set(item) == {"name", "value"}:
            env[item["name"]] = str(item["value"])
        elif (
            set(item) == {"name", "valueFrom"}
            and source
            and set(source) == {"name", "key"}
            and isinstance(source["name"], str)
            and source["key"] == item["name"]
            and secret in (None, source["name"])
        ):
            secret = source["name"]
            secret_keys.append(item["name"])
        else:
            return None
    volumes, mounts = spec.get("volumes") or [], spec.get("volumeMounts") or []
    token = [
        {
            "name": TOKEN_VOLUME,
            "projected": {
                "sources": [
                    {
                        "serviceAccountToken": {
                            "path": "token",
                            "expirationSeconds": 7200,
                            "audience": PIPELINES_AUDIENCE,
                        }
                    }
                ]
            },
        }
    ]
    token_mount = [{"name": TOKEN_VOLUME, "mountPath": PIPELINES_TOKEN_DIR, "readOnly": True}]
    if (volumes or mounts or pipelines) and (volumes, mounts, pipelines) != (token, token_mount, True):
        return None
    if env:
        configuration["env"] = env
    if pipelines:
        configuration["pipelines"] = True
    if secret:
        configuration["secretEnv"] = {"secret": secret, "keys": secret_keys}
    if not configuration:
        return None
    if spec.get("desc"):
        configuration["desc"] = spec["desc"]
    else:
        findings.change(f"PodDefault {name}: a description (desc) is added")
    rendered = sorted(env) + ([TOKEN_ENV] if pipelines else []) + secret_keys
    if [item["name"] for item in spec.get("env") or []] != rendered:
        findings.change(f"PodDefault {name}: env reordered as teamspace renders it")
    return configuration
