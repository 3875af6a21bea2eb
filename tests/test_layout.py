"""The test tree keeps its shape (issue 12, point 4): no Python file under tests/ is over 300
lines, so each file holds one subject; a file that grows past it holds two and is split by
subject."""

from __future__ import annotations

from pathlib import Path

from devtools.runtime import PROJECT_ROOT

MAX_LINES = 300


def files_over(root: Path, max_lines: int) -> dict[str, int]:
    """Each Python file under `root` longer than `max_lines`, with its line count."""
    counts = {path: len(path.read_text().splitlines()) for path in sorted(root.rglob("*.py"))}
    return {str(path.relative_to(root)): n for path, n in counts.items() if n > max_lines}


def test_no_file_under_tests_is_over_300_lines():
    """Test files and their helpers alike: at most 300 lines each (after `ruff format`)."""
    assert files_over(PROJECT_ROOT / "tests", MAX_LINES) == {}


def test_the_check_finds_a_long_file_at_any_depth(tmp_path):
    """A file one line over the limit is named, however deep; one at the limit is not."""
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "at_limit.py").write_text("x = 1\n" * MAX_LINES)
    assert files_over(tmp_path, MAX_LINES) == {"deep/er/long.py": MAX_LINES + 1}
