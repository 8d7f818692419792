"""The look of patuh's formatted workbooks, shared by the batch summary and the platform's
dashboard export (no web framework needed): band colours, header style, safe text cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# fills of the heat classes (best band … worst band); the dashboard page's CSS uses the same
HEAT_FILLS = {"heat-0": "1A7F37", "heat-1": "7CC08A", "heat-2": "F2D16B", "heat-3": "F0A05A",
              "heat-4": "D1453B", "heat-none": "E5E7EB"}
HEAT_INK = {"heat-0": "FFFFFF", "heat-4": "FFFFFF"}
HEAT_LEVELS = 5
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def band_heat(position: int | None, bands: int) -> str:
    """``heat-0`` for the best of ``bands`` bands … ``heat-4`` for the worst (the bands spread
    over five colours); ``heat-none`` without a band. ``position``: 0 is the best band."""
    if position is None or bands <= 0:
        return "heat-none"
    last = max(bands - 1, 1)
    return f"heat-{round(position * (HEAT_LEVELS - 1) / last)}"


def band_position(codes: Sequence[str], code: str | None) -> int | None:
    """Where ``code`` stands in ``codes`` (best band first), or None."""
    return codes.index(code) if code in codes else None


def fill(heat: str) -> Any:
    from openpyxl.styles import PatternFill

    colour = HEAT_FILLS.get(heat, HEAT_FILLS["heat-none"])
    return PatternFill("solid", start_color=colour, end_color=colour)


def ink(heat: str, bold: bool = False) -> Any:
    from openpyxl.styles import Font

    return Font(color=HEAT_INK.get(heat, "000000"), bold=bold)


def clean(value: str) -> str:
    """Text a workbook can hold (control characters dropped)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = _BAD_SHEET_CHARS.sub("_", clean(name)).strip("'") or "sheet"
    title, number = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title
