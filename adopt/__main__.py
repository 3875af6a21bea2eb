"""`make adopt`: python -m adopt --kubeflow-url URL --out FILE FILE_OR_FOLDER..."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from config.fields import HttpUrl

from .build import adopt
from .reader import InputError, files_of, read_documents
from .report import report
from .stack_file import HEADER, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m adopt", description=__doc__.splitlines()[0])
    parser.add_argument(
        "sources", nargs="*", help="YAML files or folders (kubectl get -o yaml, multi-document)"
    )
    parser.add_argument(
        "--kubeflow-url", default="", help="base of notebook URLs, e.g. https://kubeflow.example.com"
    )
    parser.add_argument("--out", default="", help="the stack file to write, e.g. Pulumi.prod.yaml")
    args = parser.parse_args(argv)
    try:
        if not args.sources:
            raise InputError("no input: name YAML files or folders (make adopt FROM=...)")
        if not args.out:
            raise InputError("no output file: --out (make adopt OUT=Pulumi.<stack>.yaml)")
        try:
            url = TypeAdapter(HttpUrl).validate_python(args.kubeflow_url)
        except ValidationError as error:
            raise InputError(
                f"--kubeflow-url (KUBEFLOW_URL): {error.errors()[0]['msg'].removeprefix('Value error, ')}"
            ) from None
        out = Path(args.out)
        if out.exists() and not out.read_text(encoding="utf-8", errors="replace").startswith(
            "# " + HEADER.splitlines()[0]
        ):
            raise InputError(
                f"{out} exists and was not written by this tool; name a new stack file "
                "(merging into an existing stack is done by hand: docs/adopt.md, step 4)"
            )
        documents = read_documents(files_of(args.sources))
        adoption = adopt(documents, url)
    except InputError as error:
        print(f"adopt: error: {error}", file=sys.stderr)
        return 1
    write(adoption, out)
    print(report(adoption, str(out)))
    return adoption.exit_code


if __name__ == "__main__":
    sys.exit(main())
