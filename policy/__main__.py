"""Entry point of the teamspace policy pack: `pulumi preview --policy-pack policy`.

Only builds the PolicyPack (which starts the analyzer's gRPC server and blocks) from the list
that guardrails/rules.py assembles, so tests import the rules without ever running this file.
"""

import os
import sys

from pulumi_policy import EnforcementLevel, PolicyPack

# The CLI runs this directory as a script, so the guardrails package sits beside us on
# sys.path; make that explicit for `python policy/__main__.py` from elsewhere.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guardrails.rules import POLICIES  # noqa: E402

PolicyPack(
    name="teamspace-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)
