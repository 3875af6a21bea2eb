"""What an image builder does for the integration tests and `make bench-images`: build and push
like pulumi-docker's Image (login, build with args and platform, push), and run a command in a
built image, through its entrypoint or not. The builders are in dockerd_builder.py and
buildah_builder.py; builders.py starts one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path


def build_flags(
    context: str, dockerfile: str, image_name: str, args: Mapping[str, str], platform: str
) -> list[str]:
    """The build flags and context both builders take alike (host network: the test index and
    registry listen on 127.0.0.1)."""
    build_args = [a for key, value in sorted(args.items()) for a in ("--build-arg", f"{key}={value}")]
    return [
        "--network",
        "host",
        "--platform",
        platform,
        *build_args,
        "-f",
        dockerfile,
        "-t",
        image_name,
        context,
    ]


class Builder:
    """Builds and pushes like pulumi-docker's Image would: login, build with args/platform, push."""

    name: str

    def version(self) -> str:
        raise NotImplementedError

    def login(self, server: str, username: str, password: str) -> None:
        raise NotImplementedError

    def build(
        self,
        cwd: Path,
        context: str,
        dockerfile: str,
        image_name: str,
        args: Mapping[str, str],
        platform: str,
    ) -> None:
        raise NotImplementedError

    def push(self, image_name: str) -> str:
        """Push; return the manifest digest the builder reports."""
        raise NotImplementedError

    def run_in(self, image_name: str, command: Sequence[str], *, entrypoint: bool) -> str:
        """Run `command` in a new container of the image, as the image's user (without network
        where the builder can drop it); through the image's ENTRYPOINT when `entrypoint`, else
        directly. Its stdout."""
        raise NotImplementedError

    def stop(self) -> None:
        pass
