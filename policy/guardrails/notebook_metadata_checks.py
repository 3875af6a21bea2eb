"""The Notebook's metadata checks: its name and namespace (the notebook URL
/notebook/<namespace>/<name>/ is built from them) and the routing annotations of its server type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from .manifests import as_map

MAX_NOTEBOOK_NAME = 52  # a longer StatefulSet name breaks its controller-revision-hash label

SERVER_TYPE = "notebooks.kubeflow.org/server-type"
REWRITE_URI = "notebooks.kubeflow.org/http-rewrite-uri"
HEADERS_SET = "notebooks.kubeflow.org/http-headers-request-set"
RSTUDIO_ROOT = "X-RStudio-Root-Path"
SERVER_TYPES = ("jupyter", "group-one", "group-two")  # Jupyter, VS Code, RStudio
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def check_notebook_name(props: Mapping) -> list[str]:
    """An explicit name (the URL is /notebook/<ns>/<name>/) that is a DNS label of at most 52 characters."""
    meta = as_map(props.get("metadata"))
    name, namespace = meta.get("name"), meta.get("namespace")
    problems = []
    if not isinstance(name, str) or not name:
        problems.append(
            "metadata.name is not set: the notebook URL /notebook/<namespace>/<name>/ needs a fixed name"
        )
    elif len(name) > MAX_NOTEBOOK_NAME or not _DNS_LABEL.match(name):
        problems.append(
            f"metadata.name '{name}' must be a DNS-1123 label of at most {MAX_NOTEBOOK_NAME} "
            "characters (the controller's StatefulSet breaks on longer names)"
        )
    if not isinstance(namespace, str) or not namespace:
        problems.append("metadata.namespace is not set: a notebook belongs in its team's namespace")
    return problems


def check_routing_annotations(props: Mapping) -> list[str]:
    """server-type set; VS Code / RStudio get rewrite-uri "/"; RStudio gets its root-path header."""
    meta = as_map(props.get("metadata"))
    annotations = as_map(meta.get("annotations"))
    kind = annotations.get(SERVER_TYPE)
    if kind not in SERVER_TYPES:
        return [f"annotation {SERVER_TYPE} is {kind!r}; the web app accepts only {', '.join(SERVER_TYPES)}"]
    problems = []
    rewrite = annotations.get(REWRITE_URI)
    headers = annotations.get(HEADERS_SET)
    if kind == "jupyter":
        if rewrite is not None:
            problems.append(
                f"a Jupyter notebook must not set {REWRITE_URI} (Jupyter serves under its NB_PREFIX)"
            )
        if headers is not None and RSTUDIO_ROOT in str(headers):
            problems.append(f"a Jupyter notebook must not set the {RSTUDIO_ROOT} header")
        return problems
    if rewrite != "/":
        problems.append(f'a {kind} notebook needs annotation {REWRITE_URI}: "/" (found {rewrite!r})')
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
