"""teamspace policy rules: pure checks plus the CrossGuard policies that report them.

Importable without starting the analyzer: only `__main__.py` constructs the PolicyPack.
The pack runs in its own virtualenv with only this directory on sys.path, so it cannot use
the program's `config` package; the few helpers it needs (Kubernetes quantities, image
references) are implemented here.

Every `check_*` function is pure: it takes resource properties (any Mapping, including the
analyzer's unknown-checking proxies) or options and returns violation messages. Reading a
value that is unknown during preview raises the analyzer's UnknownValueError, which the
analyzer reports as "can't run policy during preview"; the checks never swallow it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Optional

from pulumi_policy import (
    EnforcementLevel, PolicyConfigSchema, ReportViolation, ResourceValidationArgs,
    ResourceValidationPolicy, Secret, StackValidationArgs, StackValidationPolicy,
)

NOTEBOOK = "kubernetes:kubeflow.org/v1:Notebook"
PVC = "kubernetes:core/v1:PersistentVolumeClaim"
K8S_SECRET = "kubernetes:core/v1:Secret"
DOCKER_IMAGE = "docker:index/image:Image"
STACK = "pulumi:pulumi:Stack"

HOME = "/home/jovyan"
USER_ID = 1000
FS_GROUP = 100
MAX_NOTEBOOK_NAME = 52  # a longer StatefulSet name breaks its controller-revision-hash label

SERVER_TYPE = "notebooks.kubeflow.org/server-type"
REWRITE_URI = "notebooks.kubeflow.org/http-rewrite-uri"
HEADERS_SET = "notebooks.kubeflow.org/http-headers-request-set"
RSTUDIO_ROOT = "X-RStudio-Root-Path"
SERVER_TYPES = ("jupyter", "group-one", "group-two")  # Jupyter, VS Code, RStudio

# Registries anyone can pull from without credentials. Anything else is "private" and needs
# an imagePullSecrets entry; extend with the policy config `publicRegistries`.
PUBLIC_REGISTRIES = (
    "docker.io", "index.docker.io", "registry-1.docker.io", "ghcr.io", "quay.io",
    "public.ecr.aws", "registry.k8s.io", "k8s.gcr.io", "gcr.io", "mcr.microsoft.com",
)
CONTENT_TAG = re.compile(r"^content-[0-9a-f]{12,64}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


# --- small helpers ---------------------------------------------------------------------------

def _map(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list:
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return list(value)
    return []


def _get(value: Any, *path: str) -> Any:
    for key in path:
        value = _map(value).get(key)
    return value


_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$")
_FACTORS = {
    "": Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
    **{suffix: Decimal(1024) ** power for power, suffix in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"), 1)},
}


def parse_quantity(value: Any) -> Decimal:
    """A Kubernetes resource.Quantity (`500m`, `2`, `1.5Gi`, `1e3`) in base units; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a quantity")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    match = _QUANTITY.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a quantity")
    number, suffix = Decimal(match.group(1)), match.group(2) or ""
    if suffix in _FACTORS:
        return number * _FACTORS[suffix]
    return number * Decimal(10) ** int(suffix[1:])  # decimal exponent, e.g. 1e3


def split_image(reference: str) -> tuple[str, str, Optional[str], Optional[str]]:
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


def pod_spec(props: Mapping) -> Mapping:
    """`spec.template.spec` of a Notebook."""
    return _map(_get(props, "spec", "template", "spec"))


def all_containers(spec: Mapping) -> Iterator[tuple[str, Mapping]]:
    """(label, container) for containers and initContainers."""
    for field in ("containers", "initContainers"):
        for index, container in enumerate(_list(spec.get(field))):
            container = _map(container)
            name = container.get("name") or f"#{index}"
            yield (f"container '{name}'" if field == "containers" else f"init container '{name}'"), container


# --- mandatory notebook checks ----------------------------------------------------------------

def check_notebook_name(props: Mapping) -> list[str]:
    """An explicit name (the URL is /notebook/<ns>/<name>/) that is a DNS label of at most 52 characters."""
    meta = _map(props.get("metadata"))
    name, namespace = meta.get("name"), meta.get("namespace")
    problems = []
    if not isinstance(name, str) or not name:
        problems.append("metadata.name is not set: the notebook URL /notebook/<namespace>/<name>/ needs a fixed name")
    elif len(name) > MAX_NOTEBOOK_NAME or not _DNS_LABEL.match(name):
        problems.append(f"metadata.name '{name}' must be a DNS-1123 label of at most {MAX_NOTEBOOK_NAME} "
                        "characters (the controller's StatefulSet breaks on longer names)")
    if not isinstance(namespace, str) or not namespace:
        problems.append("metadata.namespace is not set: a notebook belongs in its team's namespace")
    return problems


def check_home_volume(props: Mapping) -> list[str]:
    """The notebook container mounts a PersistentVolumeClaim, writable, at /home/jovyan."""
    spec = pod_spec(props)
    containers = _list(spec.get("containers"))
    if not containers:
        return ["spec.template.spec.containers is empty"]
    notebook = _map(containers[0])  # the controller treats the first container as the notebook
    mounts = [_map(m) for m in _list(notebook.get("volumeMounts"))]
    home = [m for m in mounts if str(m.get("mountPath", "")).rstrip("/") == HOME]
    if not home:
        return [f"the notebook container mounts nothing at {HOME}: user files and installed packages "
                "would vanish with the pod"]
    mount = home[0]
    volumes = {_map(v).get("name"): _map(v) for v in _list(spec.get("volumes"))}
    volume = volumes.get(mount.get("name"))
    if volume is None:
        return [f"the {HOME} mount refers to volume '{mount.get('name')}', which the pod does not declare"]
    claim = _get(volume, "persistentVolumeClaim", "claimName")
    problems = []
    if not claim:
        problems.append(f"{HOME} is backed by volume '{mount.get('name')}', which is not a PersistentVolumeClaim")
    if mount.get("readOnly") is True:
        problems.append(f"{HOME} is mounted read-only")
    return problems


def check_security_context(props: Mapping) -> list[str]:
    """runAsUser 1000 (jovyan) with fsGroup 100; no container privileged or allowed to escalate."""
    spec = pod_spec(props)
    pod = _map(spec.get("securityContext"))
    problems = []
    if pod.get("fsGroup") != FS_GROUP:
        problems.append(f"pod securityContext.fsGroup is {pod.get('fsGroup')!r}, not {FS_GROUP} (users): "
                        "the controller only adds it when the pod has no securityContext at all")
    for label, container in all_containers(spec):
        own = _map(container.get("securityContext"))
        user = own.get("runAsUser", pod.get("runAsUser"))
        if user != USER_ID:
            problems.append(f"{label} runs as user {user!r}, not {USER_ID} (jovyan)")
        if own.get("privileged") is True:
            problems.append(f"{label} is privileged")
        if own.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{label} does not set securityContext.allowPrivilegeEscalation: false "
                            "(Kubernetes allows escalation by default)")
    return problems


def check_resources(props: Mapping) -> list[str]:
    """Every container requests and limits cpu and memory, with each limit >= its request."""
    problems = []
    for label, container in all_containers(pod_spec(props)):
        resources = _map(container.get("resources"))
        values = {"request": _map(resources.get("requests")), "limit": _map(resources.get("limits"))}
        for resource in ("cpu", "memory"):
            for kind in ("request", "limit"):
                if values[kind].get(resource) in (None, ""):
                    problems.append(f"{label} has no {resource} {kind}")
        parsed: dict[str, dict[str, Decimal]] = {"request": {}, "limit": {}}
        for kind in ("request", "limit"):
            for resource, value in values[kind].items():
                if value in (None, ""):
                    continue
                try:
                    parsed[kind][resource] = parse_quantity(value)
                except ValueError as bad:
                    problems.append(f"{label} {resource} {kind}: {bad}")
        for resource in sorted(set(parsed["request"]) & set(parsed["limit"])):
            if parsed["limit"][resource] < parsed["request"][resource]:
                problems.append(f"{label} {resource} limit {values['limit'][resource]} is below its request "
                                f"{values['request'][resource]}")
    return problems


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
            problems.append(f"{label} image '{image}' is a bare repository (implicitly :latest); "
                            "pin it by digest or content tag")
        elif tag == "latest":
            problems.append(f"{label} image '{image}' uses the mutable tag 'latest'; pin it by digest or content tag")
        elif CONTENT_TAG.match(tag):
            continue
        elif not is_public_registry(registry, public):
            problems.append(f"{label} image '{image}' comes from the private registry {registry} by the mutable "
                            f"tag '{tag}'; run it by digest or by its content-<hex> tag")
    return problems


def check_pull_secret(props: Mapping, public: Iterable[str] = ()) -> list[str]:
    """An image from a private registry comes with an imagePullSecrets entry."""
    spec = pod_spec(props)
    secrets = [_map(s).get("name") for s in _list(spec.get("imagePullSecrets"))]
    if any(isinstance(name, str) and name for name in secrets):
        return []
    problems = []
    for label, container in all_containers(spec):
        image = container.get("image")
        if isinstance(image, str) and image:
            registry = split_image(image)[0]
            if not is_public_registry(registry, public):
                problems.append(f"{label} pulls '{image}' from the private registry {registry} but the pod has "
                                "no imagePullSecrets entry")
    return problems


def check_routing_annotations(props: Mapping) -> list[str]:
    """server-type set; VS Code / RStudio get rewrite-uri "/"; RStudio gets its root-path header."""
    meta = _map(props.get("metadata"))
    annotations = _map(meta.get("annotations"))
    kind = annotations.get(SERVER_TYPE)
    if kind not in SERVER_TYPES:
        return [f"annotation {SERVER_TYPE} is {kind!r}; the web app accepts only {', '.join(SERVER_TYPES)}"]
    problems = []
    rewrite = annotations.get(REWRITE_URI)
    headers = annotations.get(HEADERS_SET)
    if kind == "jupyter":
        if rewrite is not None:
            problems.append(f"a Jupyter notebook must not set {REWRITE_URI} (Jupyter serves under its NB_PREFIX)")
        if headers is not None and RSTUDIO_ROOT in str(headers):
            problems.append(f"a Jupyter notebook must not set the {RSTUDIO_ROOT} header")
        return problems
    if rewrite != "/":
        problems.append(f"a {kind} notebook needs annotation {REWRITE_URI}: \"/\" (found {rewrite!r})")
    if kind == "group-two":
        expected = f"/notebook/{meta.get('namespace')}/{meta.get('name')}/"
        try:
            value = json.loads(headers) if isinstance(headers, str) else None
        except ValueError:
            value = None
        if not isinstance(value, Mapping) or value.get(RSTUDIO_ROOT) != expected:
            want = json.dumps({RSTUDIO_ROOT: expected}, separators=(",", ":"))
            problems.append(f"an RStudio notebook needs annotation {HEADERS_SET}: {want} (found {headers!r})")
    return problems


# --- PVC checks (resource options) ------------------------------------------------------------

def retain_on_delete_of(opts: Any) -> Optional[bool]:
    """The resource's retainOnDelete option, or None where the analyzer does not report it.

    pulumi-policy 1.21 builds PolicyResourceOptions from the engine's AnalyzerResourceOptions,
    which carries protect, ignoreChanges, deleteBeforeReplace, aliases, customTimeouts,
    additionalSecretOutputs and parent, but not retainOnDelete. A newer SDK (or a test) may
    provide `retain_on_delete`; the rule then enforces it.
    """
    value = getattr(opts, "retain_on_delete", None)
    if value is None:
        value = getattr(opts, "retainOnDelete", None)
    return None if value is None else bool(value)


def check_pvc_retained(opts: Any) -> Optional[list[str]]:
    """A PVC is retain_on_delete; None when the option is not visible to the analyzer."""
    retained = retain_on_delete_of(opts)
    if retained is None:
        return None
    if not retained:
        return ["PersistentVolumeClaim is not retain_on_delete: removing it from config would delete the "
                "claim and, with a Delete reclaim policy, the user data on its volume"]
    return []


def check_pvc_protected(opts: Any) -> list[str]:
    """Advisory: a PVC without `protect` is replaced without stopping when an immutable field changes."""
    if getattr(opts, "protect", False):
        return []
    return ["PersistentVolumeClaim is not protected (teamspace:protectVolumes is false?): a change to an "
            "immutable field (name, namespace, storage class, access modes) replaces it, and its data"]


# --- advisory notebook checks -----------------------------------------------------------------

def check_external_image_digest(props: Mapping, public: Iterable[str] = ()) -> list[str]:
    """Advisory: a public-registry image runs by a version tag, which its publisher can move."""
    problems = []
    for label, container in all_containers(pod_spec(props)):
        image = container.get("image")
        if not isinstance(image, str) or not image:
            continue
        registry, _, tag, digest = split_image(image)
        if digest is None and tag not in (None, "latest") and not CONTENT_TAG.match(tag) \
                and is_public_registry(registry, public):
            problems.append(f"{label} runs the external image '{image}' by tag; pin it by digest "
                            "(or build it here) so the notebook cannot change under its users")
    return problems


def check_shared_memory(props: Mapping) -> list[str]:
    """Advisory: an in-memory emptyDir at /dev/shm (PyTorch data loaders fail on the 64Mi default)."""
    spec = pod_spec(props)
    containers = _list(spec.get("containers"))
    if not containers:
        return []
    mounts = {_map(m).get("mountPath"): _map(m).get("name") for m in _list(_map(containers[0]).get("volumeMounts"))}
    volumes = {_map(v).get("name"): _map(v) for v in _list(spec.get("volumes"))}
    volume = volumes.get(mounts.get("/dev/shm"), {})
    if _get(volume, "emptyDir", "medium") != "Memory":
        return ["no in-memory emptyDir mounted at /dev/shm: shared memory stays at the container default (64Mi)"]
    return []


# --- stack outputs ------------------------------------------------------------------------------

_CREDENTIAL_KEYS = {
    "password", "passwd", "token", "accesstoken", "apitoken", "apikey", "secret", "clientsecret",
    "secretaccesskey", "secretkey", "privatekey", "auth", "credentials", "dockerconfigjson",
}


def is_credential_key(key: Any) -> bool:
    """Whether a property name is one that holds credential material (not a mere secret *name*)."""
    flat = re.sub(r"[^a-z0-9]", "", str(key).lower())
    return flat in _CREDENTIAL_KEYS or flat.endswith(("password", "token", "secretaccesskey", "privatekey"))


def _b64_needles(data: bytes, alphabet: str) -> set[str]:
    """Substrings that appear in the base64 of any byte stream containing `data`, at each alignment."""
    needles = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode()
        start, end = -(-8 * shift // 6), 8 * (shift + len(data)) // 6
        needle = encoded[start:end]
        if alphabet == "urlsafe":
            needle = needle.replace("+", "-").replace("/", "_")
        if len(needle) >= 6:
            needles.add(needle)
    return needles


def leak_needles(secret: str, depth: int = 2) -> set[str]:
    """Every form in which `secret` would show up inside a text: plain, JSON-escaped, and
    base64-embedded (standard and URL-safe alphabets, any alignment, `depth` levels deep, so
    base64 of `user:secret` and base64 of a dockerconfigjson holding that are covered)."""
    forms = {secret, json.dumps(secret)[1:-1]}
    layer = set(forms)
    for _ in range(depth):
        layer = {n for text in layer for alphabet in ("standard", "urlsafe")
                 for n in _b64_needles(text.encode(), alphabet)}
        forms |= layer
    return {f for f in forms if f}


def find_leaks(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets of `secrets` that `text` contains in any form of leak_needles."""
    return [s for s in secrets if any(needle in text for needle in leak_needles(s))]


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, key, value) for every node under `value` (a Secret is a leaf)."""
    if isinstance(value, Mapping):
        for key in value:
            child = value[key]
            where = f"{path}.{key}" if path else str(key)
            yield where, key, child
            yield from _walk(child, where)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        for index, child in enumerate(value):
            where = f"{path}[{index}]"
            yield where, None, child
            yield from _walk(child, where)


def _decoded(text: str) -> Optional[str]:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def secret_material(resources: Iterable[Any]) -> set[str]:
    """Credential values the stack's resources hold: credential-named entries of Secrets'
    data (e.g. `secretAccessKey`; not a region or endpoint stored beside it), the passwords
    inside a dockerconfigjson, registry passwords, and any value under a credential-named key."""
    found: set[str] = set()
    for resource in resources:
        props = resource.props
        if resource.resource_type == STACK:
            continue
        if resource.resource_type == K8S_SECRET:
            for field in ("data", "stringData"):
                entries = _map(props.get(field))
                for key in entries:
                    value = entries[key]
                    value = value.value if isinstance(value, Secret) else value
                    if not isinstance(value, str):
                        continue
                    plain = _decoded(value) if field == "data" else value
                    if is_credential_key(key):
                        found |= {value, plain} - {None}
                    if plain:
                        found |= _dockerconfig_passwords(plain)
        for _, key, value in _walk(props):
            value = value.value if isinstance(value, Secret) else value
            if key is not None and is_credential_key(key) and isinstance(value, str):
                found.add(value)
    return {s for s in found if len(s) >= 6}


def _dockerconfig_passwords(text: str) -> set[str]:
    try:
        document = json.loads(text)
    except ValueError:
        return set()
    found = set()
    for entry in _map(_map(document).get("auths")).values():
        entry = _map(entry)
        for key in ("password", "auth", "identitytoken", "registrytoken"):
            if isinstance(entry.get(key), str):
                found.add(entry[key])
        userpass = _decoded(entry["auth"]) if isinstance(entry.get("auth"), str) else None
        if userpass and ":" in userpass:
            found.add(userpass.split(":", 1)[1])
    return found


def check_stack_outputs(resources: Sequence[Any]) -> list[tuple[str, Optional[str]]]:
    """No stack output carries secret material: no secret-marked value, nothing under a
    credential-named key, no dockerconfigjson, and none of the stack's credential values
    in plain text or base64 (standard or URL-safe)."""
    stacks = [r for r in resources if r.resource_type == STACK]
    secrets = secret_material(resources)
    problems: list[tuple[str, Optional[str]]] = []
    for stack in stacks:
        for path, key, value in _walk(stack.props):
            if isinstance(value, Secret):
                problems.append((f"stack output {path} is a secret; outputs are read by other systems "
                                 "and must not carry credentials", stack.urn))
                continue
            if key is not None and is_credential_key(key) and value not in (None, "", [], {}):
                problems.append((f"stack output {path} is named like a credential", stack.urn))
            texts = [str(key)] if key is not None else []
            if isinstance(value, str):
                texts.append(value)
            for text in texts:
                decoded = _decoded(text) if len(text) >= 16 else None
                if "\"auths\"" in text or (decoded and "\"auths\"" in decoded):
                    problems.append((f"stack output {path} holds a docker config (registry credentials)", stack.urn))
                elif find_leaks(text, secrets):
                    problems.append((f"stack output {path} contains a credential of the stack "
                                     "(in plain text or base64)", stack.urn))
    return problems


# --- the policies -----------------------------------------------------------------------------

_PUBLIC_REGISTRIES_SCHEMA = PolicyConfigSchema(properties={
    "publicRegistries": {"type": "array", "items": {"type": "string"},
                         "description": "Extra registries that need no pull credentials"},
})


def _public(args: ResourceValidationArgs) -> list[str]:
    return [str(r) for r in _list(_map(args.get_config()).get("publicRegistries"))]


def _notebook_policy(name: str, description: str, check: Callable[..., list[str]],
                     level: EnforcementLevel, uses_registries: bool = False) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type != NOTEBOOK:
            return
        found = check(args.props, _public(args)) if uses_registries else check(args.props)
        for message in found:
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=level,
        config_schema=_PUBLIC_REGISTRIES_SCHEMA if uses_registries else None)


def _validate_pvc_retained(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != PVC:
        return
    found = check_pvc_retained(args.opts)
    if found is None:
        args.not_applicable("this analyzer does not report retainOnDelete (pulumi-policy 1.21); "
                            "tests/test_data_safety.py checks it on every PVC the program registers")
    for message in found or ():
        report_violation(message, None)


def _validate_pvc_protected(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type == PVC:
        for message in check_pvc_protected(args.opts):
            report_violation(message, None)


def _validate_stack_outputs(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    for message, urn in check_stack_outputs(args.resources):
        report_violation(message, urn)


MANDATORY, ADVISORY = EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY

notebook_name = _notebook_policy(
    "notebook-name", "A Notebook has an explicit name (a DNS label of at most 52 characters) and namespace.",
    check_notebook_name, MANDATORY)
notebook_home_volume = _notebook_policy(
    "notebook-home-volume", "A Notebook mounts a PersistentVolumeClaim at /home/jovyan.",
    check_home_volume, MANDATORY)
notebook_security_context = _notebook_policy(
    "notebook-security-context",
    "Notebooks run as UID 1000 with fsGroup 100, never privileged, with privilege escalation off.",
    check_security_context, MANDATORY)
notebook_resources = _notebook_policy(
    "notebook-resources", "Every container has cpu and memory requests and limits, each limit >= its request.",
    check_resources, MANDATORY)
notebook_image_pinned = _notebook_policy(
    "notebook-image-pinned",
    "Images are pinned by digest or content-<hex> tag: never latest, never a bare repository.",
    check_image_pinned, MANDATORY, uses_registries=True)
notebook_pull_secret = _notebook_policy(
    "notebook-pull-secret", "A private-registry image comes with an imagePullSecrets entry.",
    check_pull_secret, MANDATORY, uses_registries=True)
notebook_routing_annotations = _notebook_policy(
    "notebook-routing-annotations",
    "Notebooks carry the routing annotations of their server type (VS Code, RStudio: rewrite-uri, root path).",
    check_routing_annotations, MANDATORY)
pvc_retain_on_delete = ResourceValidationPolicy(
    name="pvc-retain-on-delete",
    description="PersistentVolumeClaims are retain_on_delete, so removing one from config keeps the data.",
    validate=_validate_pvc_retained, enforcement_level=MANDATORY)
stack_no_secret_outputs = StackValidationPolicy(
    name="stack-no-secret-outputs", description="No stack output carries secret material.",
    validate=_validate_stack_outputs, enforcement_level=MANDATORY)

pvc_protected = ResourceValidationPolicy(
    name="pvc-protected",
    description="PersistentVolumeClaims are protected, so pulumi up stops instead of replacing one.",
    validate=_validate_pvc_protected, enforcement_level=ADVISORY)
external_image_digest = _notebook_policy(
    "external-image-digest", "External (public-registry) images are pulled by digest, not by tag.",
    check_external_image_digest, ADVISORY, uses_registries=True)
notebook_shared_memory = _notebook_policy(
    "notebook-shared-memory", "Notebooks mount an in-memory emptyDir at /dev/shm.",
    check_shared_memory, ADVISORY)

MANDATORY_POLICIES = [
    notebook_name, notebook_home_volume, notebook_security_context, notebook_resources,
    notebook_image_pinned, notebook_pull_secret, notebook_routing_annotations, pvc_retain_on_delete,
    stack_no_secret_outputs,
]
ADVISORY_POLICIES = [pvc_protected, external_image_digest, notebook_shared_memory]
POLICIES = MANDATORY_POLICIES + ADVISORY_POLICIES
