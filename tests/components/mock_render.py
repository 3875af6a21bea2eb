"""Render one component under the SDK's public mocks and return what it registered."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.runtime.stack import run_pulumi_func


class _Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        outputs = dict(args.inputs)
        if args.typ == "docker:index/image:Image":  # mocks do not build: give the pushed digest
            outputs["repoDigest"] = f"{args.inputs['imageName'].split(':')[0]}@sha256:{'0' * 64}"
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def render(build: Callable[[], object]) -> list[pulumi.runtime.MockResourceArgs]:
    """Run `build` (which creates components) in a fresh thread and event loop, so SDK state
    never leaks between tests; every registration, components included, in order."""
    recorder = _Recorder()

    def main() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        pulumi.runtime.set_mocks(recorder, project="teamspace", stack="unit", preview=False)
        try:
            loop.run_until_complete(run_pulumi_func(build))
        finally:
            loop.close()

    thread = threading.Thread(target=main)
    thread.start()
    thread.join()
    return recorder.registered


def of_type(registered: list[pulumi.runtime.MockResourceArgs], typ: str) -> list[dict[str, Any]]:
    """The inputs of every registered resource of type `typ`."""
    return [r.inputs for r in registered if r.typ == typ]
