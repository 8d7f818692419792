"""Command-line values that the core's commands and plugins' commands share: an ISO date
option, a report format, and the rule files no output may replace. Kept apart from
``patuh.cli`` so that batch and plugins need not import the command group (and it them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from patuh import manager
from patuh.errors import InputError
from patuh.i18n import Text
from patuh.rulebook import available

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        if not _ISO_DATE.fullmatch(value):  # fromisoformat also takes 20240630 and '٢٠٢٤-…'
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(Text(f"{option}: {value!r} bukan tanggal ISO (YYYY-MM-DD)",
                              f"{option}: {value!r} is not an ISO date (YYYY-MM-DD)")) from None


def rule_files() -> Iterator[Path]:
    """Every rule file of every installed ruleset: inputs no output may replace."""
    for folder in available().values():
        yield from folder.rglob("*.yaml")


def reporter(fmt: str) -> Any:
    reporters = manager.reporters()
    if fmt not in reporters:
        known = ", ".join(sorted(reporters))
        raise InputError(Text(f"format tidak dikenal {fmt!r}", f"unknown format {fmt!r}"),
                         hint=Text(f"yang tersedia: {known}", f"available: {known}"))
    return reporters[fmt]
