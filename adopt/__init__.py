"""Adopt existing Kubeflow notebooks (hand-made or from the web app) into a teamspace stack.

    python -m adopt --kubeflow-url URL --out Pulumi.<stack>.yaml FILE_OR_FOLDER...

See docs/adopt.md. Exit codes: 0 all adopted, 3 something refused (the stack file is still
written for the rest), 1 bad input.
"""

from .build import Adoption, adopt
from .reader import InputError, files_of, read_documents

__all__ = ["Adoption", "InputError", "adopt", "files_of", "read_documents"]
