"""The rulesets bundled with patuh (``rules/`` in the repository, ``patuh.rules`` installed)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from patuh import hookimpl


@hookimpl
def patuh_rule_folders() -> list[Path]:
    return [Path(str(resources.files("patuh.rules")))]
