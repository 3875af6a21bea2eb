"""Run the real program under the Pulumi SDK's mock runtime and record what it registers."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import runpy
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks, rpc
from pulumi.runtime.settings import get_root_resource
from pulumi.runtime.stack import run_pulumi_func

from .stack_config import to_runtime
from .urns import alias_urn, distinct, make_urn

PROJECT = "teamspace"
# Pulumi's wire format marks a secret as {SIG_KEY: SECRET_SIG, "value": ...} (sdk/proto, rpc.py).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


@dataclass
class RunResult:
    registrations: list[Registration]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    logs: list[tuple[str, str]]
    error: BaseException | None
    component_outputs: dict[str, Any] = field(default_factory=dict)
    """URN -> what a component passed to register_outputs (only with record_outputs=True)."""


def unwrap_secrets(value: Any) -> Any:
    """A copy of `value` with Pulumi's secret envelopes replaced by their plaintext.

    Numbers cross the wire as protobuf doubles; integral ones become ints again, as in YAML.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        if is_secret_envelope(value):
            return unwrap_secrets(value["value"])
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


def is_secret_envelope(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


class _Mocks(pulumi.runtime.Mocks):
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


class _RecordingMonitor(mocks.MockMonitor):
    def __init__(self, recorder: list[Registration], component_outputs: dict[str, Any] | None = None):
        super().__init__(_Mocks())
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


class _LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelname.lower(), record.getMessage()))


def run_program(
    config: Mapping[str, Any],
    stack: str = "dev",
    preview: bool = False,
    record_outputs: bool = False,
    program: Path | Callable[[], None] = PROJECT_ROOT / "__main__.py",
) -> RunResult:
    """Run `program` with `config` (a Pulumi.<stack>.yaml `config:` map) and record everything.

    `program` is a Pulumi program file (run as `__main__`) or a function that makes the
    resources itself (the benchmark's floors hand over their plan this way).

    Runs in a fresh thread so the SDK's context-local state never leaks between runs.
    """
    box: dict[str, RunResult] = {}
    thread = threading.Thread(
        target=lambda: box.update(result=_run(config, stack, preview, program, record_outputs))
    )
    thread.start()
    thread.join()
    return box["result"]


def _run(
    config: Mapping[str, Any],
    stack: str,
    preview: bool,
    program: Path | Callable[[], None],
    record_outputs: bool,
) -> RunResult:
    registrations: list[Registration] = []
    logs = _LogCollector()
    logger = logging.getLogger(f"teamspace.mock.{threading.get_ident()}")
    logger.propagate, logger.handlers = False, [logs]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    component_outputs: dict[str, Any] | None = {} if record_outputs else None
    monitor = _RecordingMonitor(registrations, component_outputs)
    mocks.set_mocks(_Mocks(), project=PROJECT, stack=stack, preview=preview, logger=logger, monitor=monitor)
    values, secret_keys = to_runtime(config)
    pulumi.runtime.set_all_config(values, secret_keys)
    error: BaseException | None = None
    try:
        body = program if callable(program) else lambda: runpy.run_path(str(program), run_name="__main__")
        loop.run_until_complete(run_pulumi_func(body))
    except Exception as exc:  # noqa: BLE001 - reported to the caller, who decides
        error = exc
    outputs, secret_outputs = ({}, set()) if error else loop.run_until_complete(_stack_outputs())
    loop.run_until_complete(loop.shutdown_default_executor())
    for thread_loop in monitor.thread_loops | {loop}:
        thread_loop.close()
    return RunResult(registrations, outputs, secret_outputs, logs.records, error, component_outputs or {})


async def _stack_outputs() -> tuple[dict[str, Any], set[str]]:
    root = get_root_resource()
    outputs, secret = {}, set()
    for key, value in getattr(root, "outputs", {}).items():
        resolved, known, is_secret = await _resolve(value)
        outputs[key] = resolved if known else None
        if is_secret:
            secret.add(key)
    return outputs, secret


_SCALARS = (str, int, float, bool, type(None))


async def _resolve(value: Any) -> tuple[Any, bool, bool]:
    """(value, known, secret) as `Output.from_input(value)` resolves them, without wrapping
    every plain leaf of a large export in an Output of its own: for a few thousand notebooks
    that cost more than the engine's own handling of the exports (see bench/README.md).
    Plain leaves are taken as they are, without a coroutine each (most of an export is plain)."""
    if isinstance(value, _SCALARS):
        return value, True, False
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return await _resolve_items(value.items(), {})
    if isinstance(value, list):
        items, known, secret = await _resolve_items(enumerate(value), {})
        return list(items.values()), known, secret
    output = pulumi.Output.from_input(value)  # Outputs, awaitables, input types: the SDK's way
    return await output.future(), await output.is_known(), await output.is_secret()


async def _resolve_items(items: Iterable[tuple[Any, Any]], out: dict) -> tuple[dict, bool, bool]:
    """`out` filled with each item's resolved value, and whether all are known and any secret."""
    known, secret = True, False
    for key, item in items:
        if isinstance(item, _SCALARS):
            out[key] = item
            continue
        out[key], item_known, item_secret = await _resolve(item)
        known, secret = known and item_known, secret or item_secret
    return out, known, secret
