"""The engine side of a mock run: the monitor that records each resource registration as the
engine would receive it (engine-true URNs and aliases), and the provider answers it gives.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks, rpc

from .secret_envelopes import unwrap_secrets
from .urns import alias_urn, distinct, make_urn


@dataclass
class Registration:
    """One resource registration as the engine would receive it."""

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    parent: str = ""
    protect: bool = False
    retain_on_delete: bool = False
    aliases: list[str] = field(default_factory=list)
    ignore_changes: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    import_id: str = ""
    """The `import_` option: the id of a live object this registration adopts."""

    @property
    def manifest(self) -> dict[str, Any]:
        """For Kubernetes resources: the object's manifest with secret envelopes unwrapped."""
        return unwrap_secrets(self.inputs)


class ProviderMocks(pulumi.runtime.Mocks):
    """Answers like a provider would: echoes inputs and computes what providers compute."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        state = dict(args.inputs)
        if args.typ == "docker:index/image:Image":
            name = unwrap_secrets(args.inputs["imageName"])
            digest = hashlib.sha256(name.encode()).hexdigest()
            state["repoDigest"] = f"{name.rsplit(':', 1)[0]}@sha256:{digest}"
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


class RecordingMonitor(mocks.MockMonitor):
    def __init__(self, recorder: list[Registration], component_outputs: dict[str, Any] | None = None):
        super().__init__(ProviderMocks())
        self.recorder = recorder
        self.component_outputs = component_outputs
        # The SDK calls the monitor from executor threads and gives each an event loop;
        # they are closed at the end of the run instead of being left to the GC.
        self.thread_loops: set[asyncio.AbstractEventLoop] = set()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The engine's URN (every ancestor's type), not the SDK mock's (the parent's only)."""
        return make_urn(pulumi.get_stack(), pulumi.get_project(), parent, type_, name)

    def RegisterResource(self, request):  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.thread_loops.add(asyncio.get_event_loop())
            self.recorder.append(
                Registration(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    custom=request.custom,
                    inputs=rpc.deserialize_properties(request.object, keep_internal=True),
                    parent=request.parent,
                    protect=request.protect,
                    retain_on_delete=request.retainOnDelete,
                    aliases=_alias_urns(request),
                    ignore_changes=list(request.ignoreChanges),
                    depends_on=list(request.dependencies),
                    import_id=request.importId,
                )
            )
        return response

    def RegisterResourceOutputs(self, request):  # noqa: N802 - gRPC method name
        if self.component_outputs is not None:
            outputs = rpc.deserialize_properties(request.outputs, keep_internal=True)
            self.component_outputs[request.urn] = unwrap_secrets(outputs)
        return super().RegisterResourceOutputs(request)


def _alias_urns(request) -> list[str]:
    """Every alias of a registration as the full URN the engine would look up."""
    own = dict(
        stack=pulumi.get_stack(),
        project=pulumi.get_project(),
        parent_urn=request.parent,
        type_=request.type,
        name=request.name,
    )
    urns = list(request.aliasURNs)
    for alias in request.aliases:
        if alias.urn:
            urns.append(alias.urn)
        else:
            spec = alias.spec
            urns.append(
                alias_urn(
                    **own,
                    alias_name=spec.name,
                    alias_type=spec.type,
                    alias_stack=spec.stack,
                    alias_project=spec.project,
                    alias_parent_urn=spec.parentUrn,
                    no_parent=spec.noParent,
                )
            )
    return distinct(urns)
