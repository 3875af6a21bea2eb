"""`make plan`: render a stack offline, one YAML file per object, and print its notebooks.

    python -m devtools.plan --stack dev [--out build]

No engine, no cluster, no decryption: secret values appear only as "[secret]".
Exit 0 on success, 1 on invalid config (the error names the key), 2 on any other failure.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import yaml

from config import ConfigError

from .render import DuplicateObjectError, file_name, rendered_objects
from .runtime import PROJECT_ROOT, RunResult, run_program
from .stack_config import StackFileError, read_stack_file

# Pulumi stack names: letters, digits, '-', '_' and '.' (never a path).
_STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[A-Za-z0-9_.-]+)\.yaml$")


def stacks_in(root: Path) -> list[str]:
    """The stacks that have a Pulumi.<stack>.yaml in `root`."""
    return sorted(m["stack"] for p in root.glob("Pulumi.*.yaml") if (m := _STACK_FILE.match(p.name)))


def render_stack(stack: str, root: Path = PROJECT_ROOT) -> RunResult:
    """Run the program in `root` with its Pulumi.<stack>.yaml under mocks."""
    stack_file = root / f"Pulumi.{stack}.yaml"
    if not _STACK_NAME.match(stack) or not stack_file.is_file():
        known = ", ".join(stacks_in(root)) or "none"
        raise FileNotFoundError(
            f"no stack file Pulumi.{stack}.yaml in {root}; stacks here: {known} (`make plan STACK=<stack>`)"
        )
    return run_program(read_stack_file(stack_file), stack=stack, program=root / "__main__.py")


def write_objects(result: RunResult, out_dir: Path) -> int:
    """Replace `out_dir` with one YAML file per rendered object; returns how many."""
    objects = rendered_objects(result)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    for key, document in sorted(objects.items()):
        (out_dir / file_name(key)).write_text(yaml.safe_dump(document, sort_keys=True))
    return len(objects)


def notebook_table(result: RunResult) -> str:
    rows = [("TEAM/NOTEBOOK", "TYPE", "SIZE", "STATE", "URL")]
    for key, info in sorted(result.outputs.get("notebooks", {}).items()):
        state = "stopped" if info["stopped"] else "running"
        rows.append((key, info["type"], info["size"], state, info["url"]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "build")
    args = parser.parse_args(argv)
    try:
        result = render_stack(args.stack)
    except FileNotFoundError as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    except StackFileError as unreadable:
        print(f"error: {unreadable}", file=sys.stderr)
        return 1
    if isinstance(result.error, ConfigError):
        print(f"error: {result.error}", file=sys.stderr)
        return 1
    if result.error is not None:
        print(f"error: the program failed: {type(result.error).__name__}: {result.error}", file=sys.stderr)
        return 2
    for level, message in result.logs:
        if level in ("warning", "error"):
            print(f"{level}: {message}", file=sys.stderr)
    try:
        count = write_objects(result, args.out / args.stack)
    except DuplicateObjectError as duplicate:
        shutil.rmtree(args.out / args.stack, ignore_errors=True)
        print(f"error: {duplicate}", file=sys.stderr)
        return 2
    print(f"stack {args.stack}: {count} objects written to {args.out / args.stack}\n")
    print(notebook_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
