"""CDK-style assertions over what the program registers under Pulumi mocks."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from devtools.recording_monitor import Registration
from devtools.runtime import PROJECT_ROOT, RunResult, run_program
from devtools.stack_config import Secret, read_stack_file
from devtools.urns import split_urn

NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"
PROFILE = "kubernetes:kubeflow.org/v1:Profile"
PVC = "kubernetes:core/v1:PersistentVolumeClaim"
SECRET = "kubernetes:core/v1:Secret"
QUOTA = "kubernetes:core/v1:ResourceQuota"
IMAGE = "docker:index/image:Image"
STACKS = ("dev", "prod")

REGISTRY_PASSWORD = "push-Pa55&<word>"
PULL_PASSWORD = "pull-Pa55word"


def stack_config(stack: str) -> dict[str, Any]:
    """A committed stack file's config, with test plaintext in place of its encrypted secrets."""
    config = read_stack_file(PROJECT_ROOT / f"Pulumi.{stack}.yaml")
    for key, plain in (
        ("teamspace:registryPassword", REGISTRY_PASSWORD),
        ("teamspace:pullPassword", PULL_PASSWORD),
    ):
        if key in config:
            config[key] = Secret(plain)
    return config


def minimal_config(**teamspace: Any) -> dict[str, Any]:
    """The smallest valid config (one team, one jupyter notebook, one built image), plus overrides.

    Keyword names are config keys without the `teamspace:` prefix; None deletes a key.
    """
    config: dict[str, Any] = {
        "teamspace:kubeflowUrl": "https://kubeflow.example.com",
        "teamspace:registry": {"server": "nexus.example.com:5000", "username": "pusher"},
        "teamspace:registryPassword": Secret(REGISTRY_PASSWORD),
        "teamspace:images": {"jupyter": {"type": "jupyter"}},
        "teamspace:teams": {"data": {"notebooks": [{"name": "lab", "type": "jupyter"}]}},
    }
    for key, value in teamspace.items():
        if value is None:
            config.pop(f"teamspace:{key}", None)
        else:
            config[f"teamspace:{key}"] = value
    return copy.deepcopy(config)


def external_image_config(*notebooks: Mapping[str, Any]) -> dict[str, Any]:
    """The minimal config with no registry and no built images: team `data` holds `notebooks`,
    each naming its own external image."""
    return minimal_config(
        registry=None, registryPassword=None, images=None, teams={"data": {"notebooks": list(notebooks)}}
    )


class Template:
    """What one run of the program registered; assertions read like the AWS CDK's."""

    def __init__(self, result: RunResult):
        self.result = result

    @classmethod
    def synth(cls, config: Mapping[str, Any], stack: str = "dev", *, expect_error: bool = False) -> Template:
        result = run_program(config, stack=stack)
        return cls(result) if expect_error else cls._succeeded(result)

    @classmethod
    def of_component(cls, build: Callable[[], object]) -> Template:
        """What `build` registers: components made directly from resolved values, no stack config."""
        return cls._succeeded(run_program({}, program=build))

    @classmethod
    def _succeeded(cls, result: RunResult) -> Template:
        if result.error is not None:
            raise AssertionError(f"program failed: {result.error!r}")
        return cls(result)

    @property
    def named(self) -> dict[str, Registration]:
        """Every registration by its Pulumi resource name."""
        return {r.name: r for r in self.registrations}

    @property
    def registrations(self) -> list[Registration]:
        return self.result.registrations

    def resources(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def manifests(self, type_: str) -> list[dict[str, Any]]:
        return [r.manifest for r in self.resources(type_)]

    def resource_count_is(self, type_: str, count: int) -> None:
        """Exactly `count` resources of `type_` were registered."""
        found = self.resources(type_)
        assert len(found) == count, f"expected {count} {type_}, found {len(found)}: {[r.name for r in found]}"

    def has_resource_properties(self, type_: str, properties: Mapping[str, Any]) -> Registration:
        """Some resource of `type_` has inputs matching `properties` (a deep subset)."""
        candidates = self.resources(type_)
        for registration in candidates:
            if _matches(registration.manifest, properties):
                return registration
        names = [r.name for r in candidates]
        raise AssertionError(f"no {type_} among {names} has properties {properties}")

    def notebook(self, name: str, namespace: str | None = None) -> dict[str, Any]:
        """The manifest of the Notebook called `name`."""
        for manifest in self.manifests(NOTEBOOK):
            meta = manifest["metadata"]
            if meta["name"] == name and namespace in (None, meta["namespace"]):
                return manifest
        raise AssertionError(f"no Notebook named {name}")

    def by_name(self, name: str) -> Registration:
        """The registration with Pulumi resource name `name`."""
        found = [r for r in self.registrations if r.name == name]
        assert len(found) == 1, f"expected one resource named {name}, found {len(found)}"
        return found[0]


def alias_names(registration: Registration) -> list[str]:
    """The resource names a registration's aliases point at."""
    return [split_urn(alias)[3] for alias in registration.aliases]


def _matches(actual: Any, expected: Any) -> bool:
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and _matches(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_matches(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return actual == expected


def container(notebook: Mapping[str, Any]) -> dict[str, Any]:
    """The single container of a Notebook manifest."""
    containers = notebook["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


# Upstream CRDs vendored into the project (see schemas/upstream/SOURCE.md).
UPSTREAM_SCHEMAS = PROJECT_ROOT / "schemas" / "upstream"
