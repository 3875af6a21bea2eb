"""The Markdown report of devtools.manifest_diff, in process: its exact text for each kind of
section (summary, warnings, notes, secret keys, added/changed/removed, a side that failed, no
changes), and the inline code and fences (longer than any backtick run inside) that hold any text."""

from __future__ import annotations

import pytest

from devtools.manifest_diff import Side, StackDiff, code_span, report

EXPECTED = """\
# Plan diff

Base `` feature/`x` `` (`abc123`) → head: the working tree. Every stack rendered offline under \
Pulumi mocks with each side's own code; secret values appear only as `[secret]`.

```text
dev: +1 ~1 -1 (secrets changed: 2)
prod: not compared (base could not be rendered)
stage: +0 ~0 -0
```

**2 PersistentVolumeClaim warning(s): see the lines starting with `!!`.**

## dev: +1 ~1 -1 (secrets changed: 2)

_head: no Pulumi.dev.yaml; that side has no objects._

_coarse identities_

!! dev: a claim is deleted

!! dev: another claim is replaced

Secret config changed (values not shown): `teamspace:pullPassword`, `teamspace:secrets.s3`. \
The objects that use a secret render as `[secret]` on both sides, so they are not listed as \
changed; `pulumi up` updates them (pull secrets, S3 Secrets, image pushes).

### Added (1)

- `Notebook/t/new`

### Changed (1)

#### `ConfigMap/t/c`

```diff
--- base
+++ head
-a: 1
+a: 2
```

### Removed (1)

- `Notebook/t/old`

## prod: not compared (base could not be rendered)

!! prod: the base side could not be rendered, so nothing is compared:

````text
  Traceback ```x
````

## stage: +0 ~0 -0

No changes.
"""


def test_report_text_of_every_section():
    dev = StackDiff(
        "dev",
        Side({}),
        Side({}, note="no Pulumi.dev.yaml"),
        added=["Notebook/t/new"],
        removed=["Notebook/t/old"],
        changed=[("ConfigMap/t/c", "--- base\n+++ head\n-a: 1\n+a: 2\n\n")],
        flags=["!! dev: a claim is deleted", "!! dev: another claim is replaced"],
        secrets_changed=["teamspace:pullPassword", "teamspace:secrets.s3"],
        notes=["coarse identities"],
    )
    prod = StackDiff("prod", Side(None, error="  Traceback ```x\n"), Side({}))
    stage = StackDiff("stage", Side({}), Side({}))
    assert report([dev, prod, stage], "feature/`x`", "abc123") == EXPECTED


def test_report_without_stacks_or_warnings():
    assert report([], "main", "abc123") == (
        "# Plan diff\n\nBase `main` (`abc123`) → head: the working tree. Every stack rendered "
        "offline under Pulumi mocks with each side's own code; secret values appear only as "
        "`[secret]`.\n\n```text\n(no stacks)\n```\n"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("main", "`main`"),
        ("a  b\n c", "`a b c`"),
        ("a`b", "``a`b``"),
        ("a``b", "```a``b```"),
        ("`x", "`` `x ``"),
        ("x`", "`` x` ``"),
    ],
)
def test_code_span_holds_any_text_on_one_line(text, shown):
    assert code_span(text) == shown


@pytest.mark.parametrize(
    "change",
    [{"added": ["Notebook/t/a"]}, {"changed": [("Notebook/t/c", "-a\n+b\n")]}, {"removed": ["Notebook/t/r"]}],
)
def test_one_kind_of_change_alone_is_a_change(change):
    assert "No changes." not in report([StackDiff("dev", Side({}), Side({}), **change)], "main", "abc123")


@pytest.mark.parametrize(
    "base, head, extra, summary",
    [
        (None, {}, {}, "prod: not compared (base could not be rendered)"),
        ({}, None, {}, "prod: not compared (head could not be rendered)"),
        (None, None, {}, "prod: not compared (base and head could not be rendered)"),
        ({}, {}, {"added": ["a"], "changed": [("c", "")]}, "prod: +1 ~1 -0"),
        ({}, {}, {"removed": ["r"], "secrets_changed": ["s", "t"]}, "prod: +0 ~0 -1 (secrets changed: 2)"),
    ],
)
def test_the_summary_line_names_each_side_that_failed_or_counts_the_changes(base, head, extra, summary):
    assert StackDiff("prod", Side(base), Side(head), **extra).summary == summary
