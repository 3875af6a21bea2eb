"""The tree keeps its shape. Tests (issue 12, point 4): no Python file under tests/ is over 300
lines, so each file holds one subject; a file that grows past it holds two and is split by
subject. Product and tooling code (config/, components/, devtools/, policy/, adopt/,
__main__.py): no module over 260 lines, the style guide's "under about 250" with a small
allowance; a module that grows past it is split by subject too."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from devtools.runtime import PROJECT_ROOT

MAX_LINES = 300
MAX_MODULE_LINES = 260
PRODUCT = ("__main__.py", "config", "components", "devtools", "policy", "adopt")


def counts_over(paths: Iterable[Path], root: Path, max_lines: int) -> dict[str, int]:
    """Each of `paths` longer than `max_lines`, relative to `root`, with its line count."""
    counts = {path: len(path.read_text().splitlines()) for path in sorted(paths)}
    return {str(path.relative_to(root)): n for path, n in counts.items() if n > max_lines}


def files_over(root: Path, max_lines: int) -> dict[str, int]:
    """Each Python file under `root` longer than `max_lines`, with its line count."""
    return counts_over(root.rglob("*.py"), root, max_lines)


def product_modules(root: Path) -> list[Path]:
    """The product's and tooling's Python modules; not the virtualenv the Pulumi CLI makes for
    the policy pack (policy/venv, ignored by git)."""
    modules = []
    for name in PRODUCT:
        path = root / name
        found = path.rglob("*.py") if path.is_dir() else [path] if path.is_file() else []
        modules += [p for p in found if "venv" not in p.relative_to(root).parts]
    return modules


def test_no_file_under_tests_is_over_300_lines():
    """Test files and their helpers alike: at most 300 lines each (after `ruff format`)."""
    assert files_over(PROJECT_ROOT / "tests", MAX_LINES) == {}


def test_the_check_finds_a_long_file_at_any_depth(tmp_path):
    """A file one line over the limit is named, however deep; one at the limit is not."""
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "at_limit.py").write_text("x = 1\n" * MAX_LINES)
    assert files_over(tmp_path, MAX_LINES) == {"deep/er/long.py": MAX_LINES + 1}


def test_no_product_module_is_over_260_lines():
    """Every module of the program, the policy pack, adopt and devtools: at most 260 lines."""
    modules = product_modules(PROJECT_ROOT)
    assert PROJECT_ROOT / "config" / "plan.py" in modules and PROJECT_ROOT / "__main__.py" in modules
    assert counts_over(modules, PROJECT_ROOT, MAX_MODULE_LINES) == {}


def test_product_modules_are_the_product_folders_without_a_virtualenv(tmp_path):
    """Modules at any depth of the product folders and __main__.py count; the policy pack's
    virtualenv, tests/ and other folders do not."""
    for path in ("__main__.py", "config/a.py", "policy/guardrails/b.py", "tests/c.py", "bench/d.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    (tmp_path / "policy" / "venv" / "lib").mkdir(parents=True)
    (tmp_path / "policy" / "venv" / "lib" / "big.py").write_text("x = 1\n" * 1000)
    (tmp_path / "config" / "at_limit.py").write_text("x = 1\n" * MAX_MODULE_LINES)
    assert counts_over(product_modules(tmp_path), tmp_path, MAX_MODULE_LINES) == {
        "__main__.py": MAX_MODULE_LINES + 1,
        "config/a.py": MAX_MODULE_LINES + 1,
        "policy/guardrails/b.py": MAX_MODULE_LINES + 1,
    }
