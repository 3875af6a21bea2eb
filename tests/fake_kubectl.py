"""A fake `kubectl` for the stop-schedule script: notebooks in a JSON file, every call logged.

It understands exactly the two calls the script makes and fails on anything else, so a
script that starts doing something new (another namespace, another verb) fails the test.
Installed on PATH as `kubectl` by tests/test_stop_schedule.py; state and log paths come
from FAKE_KUBECTL_STATE and FAKE_KUBECTL_LOG.
"""

from __future__ import annotations

import json
import os
import sys

STOP = "kubeflow-resource-stopped"
RESOURCE = "notebooks.kubeflow.org"
LISTING = (
    'jsonpath={range .items[*]}{.metadata.name}{" "}'
    '{.metadata.annotations.kubeflow-resource-stopped}{"\\n"}{end}'
)


def main(argv: list[str]) -> int:
    state_path, log_path = os.environ["FAKE_KUBECTL_STATE"], os.environ["FAKE_KUBECTL_LOG"]
    with open(log_path, "a") as log:
        log.write(json.dumps(argv) + "\n")
    with open(state_path) as f:
        state = json.load(f)
    options, positional = _parse(argv)
    if positional[:2] == ["get", RESOURCE] and len(positional) == 2 and set(options) == {"--namespace", "-o"}:
        if options["-o"] != LISTING:
            return _fail(f"unexpected output format {options['-o']!r}")
        for notebook in state.get(options["--namespace"], []):
            # kubectl's jsonpath prints nothing for a missing key.
            print(f"{notebook['name']} {notebook.get('annotations', {}).get(STOP, '')}")
        return 0
    if (
        positional[:2] == ["patch", RESOURCE]
        and len(positional) == 3
        and set(options) == {"--namespace", "--type", "--field-manager", "-p"}
        and options["--type"] == "merge"
    ):
        namespace, name = options["--namespace"], positional[2]
        notebook = next((n for n in state.get(namespace, []) if n["name"] == name), None)
        if notebook is None:
            return _fail(f'notebooks.kubeflow.org "{name}" not found in {namespace}')
        patch = json.loads(options["-p"])
        notebook.setdefault("annotations", {}).update(patch["metadata"]["annotations"])
        notebook.setdefault("managers", {})[STOP] = options["--field-manager"]
        with open(state_path, "w") as f:
            json.dump(state, f)
        print(f"notebook.kubeflow.org/{name} patched")
        return 0
    return _fail(f"unsupported call: {argv}")


def _parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    options, positional, args = {}, [], iter(argv)
    for arg in args:
        if arg.startswith("-"):
            if arg in options:
                raise SystemExit(_fail(f"{arg} given twice"))
            options[arg] = next(args)
        else:
            positional.append(arg)
    return options, positional


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
