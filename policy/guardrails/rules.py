"""teamspace policy pack: the list of policies `__main__.py` builds the PolicyPack from.

The rules live beside this index, one module per concern:

- notebook_rules.py: the policies of every Notebook check, which live in
  notebook_metadata_checks.py (name, routing annotations), notebook_pod_checks.py (home
  volume, security context, resources, shared memory) and images.py;
- images.py: image references, public registries, the pinning and pull-secret checks;
- volume_rules.py: the PersistentVolumeClaim rules (retain on delete, protect);
- stack_rules.py: the stack-output rule (no secret material in outputs);
- namespace_rules.py: nothing in a system namespace (the program's list, copied);
- manifests.py, quantities.py: reading resource properties; Kubernetes quantities.

Importable without starting the analyzer: only `__main__.py` constructs the PolicyPack.
The pack runs in its own virtualenv with only policy/ on sys.path, so it cannot use the
program's `config` package; the CLI imports this package as `guardrails`, the project's
tests as `policy.guardrails`, and its modules import each other relatively either way.

Every `check_*` function is pure: it takes resource properties (any Mapping, including the
analyzer's unknown-checking proxies) or options and returns violation messages. Reading a
value that is unknown during preview raises the analyzer's UnknownValueError, which the
analyzer reports as "can't run policy during preview"; the checks never swallow it.
"""

from __future__ import annotations

from . import namespace_rules, notebook_metadata_checks, notebook_rules, quantities, stack_rules, volume_rules

MANDATORY_POLICIES = [
    notebook_rules.notebook_name,
    notebook_rules.notebook_home_volume,
    notebook_rules.notebook_security_context,
    notebook_rules.notebook_resources,
    notebook_rules.notebook_image_pinned,
    notebook_rules.notebook_pull_secret,
    notebook_rules.notebook_routing_annotations,
    volume_rules.pvc_retain_on_delete,
    stack_rules.stack_no_secret_outputs,
    namespace_rules.no_system_namespace,
]
ADVISORY_POLICIES = [
    volume_rules.pvc_protected,
    notebook_rules.external_image_digest,
    notebook_rules.notebook_shared_memory,
]
POLICIES = MANDATORY_POLICIES + ADVISORY_POLICIES

# The names the project's tests use from here (tests/policy/, tests/secret_sentinels.py).
NOTEBOOK, PVC, STACK = notebook_rules.NOTEBOOK, volume_rules.PVC, stack_rules.STACK
SERVER_TYPE, REWRITE_URI = notebook_metadata_checks.SERVER_TYPE, notebook_metadata_checks.REWRITE_URI
HEADERS_SET = notebook_metadata_checks.HEADERS_SET
parse_quantity = quantities.parse_quantity
leak_needles = stack_rules.leak_needles
SYSTEM_NAMESPACES = namespace_rules.SYSTEM_NAMESPACES
