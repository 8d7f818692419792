"""Broken copies of the bundled ruleset, for tests of rule-loading errors."""

from __future__ import annotations

import shutil
from pathlib import Path

RULES = Path(__file__).resolve().parents[1] / "rules" / "pekppp"


def copy_ruleset(tmp_path: Path) -> Path:
    """A copy of the bundled PEKPPP ruleset at ``tmp_path/rules/pekppp``."""
    target = tmp_path / "rules" / "pekppp"
    shutil.copytree(RULES, target)
    return target


def replace_once(file: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``file``; return its 1-based line number."""
    text = file.read_text("utf-8")
    index = text.index(old)
    file.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text.count("\n", 0, index) + 1
