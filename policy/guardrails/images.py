"""Image references: parsing, public registries, and the Notebook checks that every image is
pinned and pullable (`notebook-image-pinned`, `notebook-pull-secret`, `external-image-digest`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .manifests import all_containers, as_list, as_map, pod_spec

# Registries anyone can pull from without credentials. Anything else is "private" and needs
# an imagePullSecrets entry; extend with the policy config `publicRegistries`.
PUBLIC_REGISTRIES = (
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "ghcr.io",
    "quay.io",
    "public.ecr.aws",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "mcr.microsoft.com",
)
CONTENT_TAG = re.compile(r"^content-[0-9a-f]{12,64}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")


def split_image(reference: str) -> tuple[str, str, str | None, str | None]:
    """(registry, repository, tag, digest) of a Docker image reference; Docker Hub if no registry."""
    name, _, digest = reference.partition("@")
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first.lower(), rest
    else:
        registry, path = "docker.io", name
    repository, colon, tag = path.rpartition(":") if ":" in path.rsplit("/", 1)[-1] else (path, "", "")
    return registry, repository, (tag if colon else None), (digest or None)


def is_public_registry(registry: str, extra: Iterable[str] = ()) -> bool:
    known = {r.lower() for r in (*PUBLIC_REGISTRIES, *extra)}
    return registry.lower() in known


def check_image_pinned(props: Mapping, public: Iterable[str] = ()) -> list[str]:
    """Images are pinned: a digest, or the immutable `content-<hex>` tag this program pushes.

    Never `latest` or a bare repository. A public-registry image with another explicit tag
    passes here and is reported by the advisory `external-image-digest` instead.
    """
    problems = []
    for label, container in all_containers(pod_spec(props)):
        image = container.get("image")
        if not isinstance(image, str) or not image.strip():
            problems.append(f"{label} has no image")
            continue
        registry, repository, tag, digest = split_image(image)
        if digest is not None:
            if not _DIGEST.match(digest):
                problems.append(f"{label} image '{image}' has a malformed digest")
            continue
        if tag is None:
            problems.append(
                f"{label} image '{image}' is a bare repository (implicitly :latest); "
                "pin it by digest or content tag"
            )
        elif tag == "latest":
            problems.append(
                f"{label} image '{image}' uses the mutable tag 'latest'; pin it by digest or content tag"
            )
        elif CONTENT_TAG.match(tag):
            continue
        elif not is_public_registry(registry, public):
            problems.append(
                f"{label} image '{image}' comes from the private registry {registry} by the mutable "
                f"tag '{tag}'; run it by digest or by its content-<hex> tag"
            )
    return problems


def check_pull_secret(props: Mapping, public: Iterable[str] = ()) -> list[str]:
    """An image from a private registry comes with an imagePullSecrets entry."""
    spec = pod_spec(props)
    secrets = [as_map(s).get("name") for s in as_list(spec.get("imagePullSecrets"))]
    if any(isinstance(name, str) and name for name in secrets):
        return []
    problems = []
    for label, container in all_containers(spec):
        image = container.get("image")
        if isinstance(image, str) and image:
            registry = split_image(image)[0]
            if not is_public_registry(registry, public):
                problems.append(
                    f"{label} pulls '{image}' from the private registry {registry} but the pod has "
                    "no imagePullSecrets entry"
                )
    return problems


def check_external_image_digest(props: Mapping, public: Iterable[str] = ()) -> list[str]:
    """Advisory: a public-registry image runs by a version tag, which its publisher can move."""
    problems = []
    for label, container in all_containers(pod_spec(props)):
        image = container.get("image")
        if not isinstance(image, str) or not image:
            continue
        registry, _, tag, digest = split_image(image)
        if (
            digest is None
            and tag not in (None, "latest")
            and not CONTENT_TAG.match(tag)
            and is_public_registry(registry, public)
        ):
            problems.append(
                f"{label} runs the external image '{image}' by tag; pin it by digest "
                "(or build it here) so the notebook cannot change under its users"
            )
    return problems
