"""How people in Indonesia type dates, numbers and yes/no — read into the canonical values the
schemas hold (ISO dates, numbers, booleans).

Used everywhere a person types: manifests, workbooks, answer files, logs. Every reader returns
``None`` for text it cannot read (the caller names the file, line or cell), and a
:class:`Reading` says how a value that was not already canonical was read, so that a report can
show it: ``31/10/2025`` → ``2025-10-31`` (day first).

The rules, each the Indonesian habit:

- dates: ISO ``2025-10-31``; day first ``31/10/2025``, ``31-10-2025``, ``31.10.2025``; month
  names ``31 Oktober 2025``, ``31 Okt 2025`` (Indonesian or English, a weekday before is
  allowed); a time after the date is dropped; Excel serial numbers. Years have four digits.
  A numeric date is read day first; only when the first part cannot be a month day-first
  (``10/31/2025``) is it read month first, and the reading says so.
- numbers: decimal comma ``82,5``; thousands dots ``9.870`` and ``1.234.567,89``; a point with
  other than three digits after it is a decimal point (``82.5``); spaces inside are dropped.
- yes/no: ``ya``/``tidak``, ``ada``/``tidak ada``, ``sudah``/``belum``, ``benar``/``salah``,
  ``true``/``false``, ``yes``/``no``, ``1``/``0``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import Decimal
from decimal import InvalidOperation

from patuh.i18n import Text

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
MONTH_NAMES_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember")

TRUE_WORDS = frozenset({"ya", "iya", "y", "ada", "sudah", "benar", "true", "yes", "1", "✓"})
FALSE_WORDS = frozenset({"tidak", "tdk", "tidak ada", "belum", "belum ada", "salah", "false",
                         "no", "n", "0", "bukan", "-"})

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug before 61)
MAX_SERIAL = 2_958_465  # 9999-12-31

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = r"(?:[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:\.[0-9]+)?)?)?"
_ISO_TIME = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME)
_NUMERIC = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})" + _TIME)
_NAMED = re.compile(r"(?:[^\W\d_]+,?\s+)?([0-9]{1,2})[\s-]+([^\W\d_]+)\.?[\s-]+([0-9]{4})"
                    + _TIME)
_SERIAL = re.compile(r"[0-9]{1,7}(?:\.0+)?")


@dataclass(frozen=True)
class Reading:
    """How a typed value was read, for the report: ``31/10/2025`` → ``2025-10-31``."""

    raw: str
    value: str
    how: Text

    def describe(self) -> Text:
        return Text(f"{self.raw!r} dibaca sebagai {self.value} ({self.how.id})",
                    f"{self.raw!r} read as {self.value} ({self.how.en})")


DAY_FIRST = Text("hari lebih dulu", "day first")
MONTH_FIRST = Text("bulan lebih dulu, karena angka pertama lebih dari 12",
                   "month first, as the first number is over 12")
MONTH_NAME = Text("nama bulan", "month name")
SERIAL = Text("nomor seri tanggal Excel", "Excel date serial number")
TIME_DROPPED = Text("jamnya diabaikan", "the time is dropped")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(text: str) -> tuple[date, Reading | None] | None:
    """A date as people type it, with how it was read (None when it was already ISO)."""
    raw = text
    text = text.strip()
    if _ISO.fullmatch(text):
        day = _date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        if day is None:
            return None
        if text == raw:
            return day, None
        return day, Reading(raw, day.isoformat(), Text("spasi dibuang", "spaces dropped"))
    match = _ISO_TIME.fullmatch(text)
    if match:
        day = _date(int(match[1]), int(match[2]), int(match[3]))
        return (day, Reading(raw, day.isoformat(), TIME_DROPPED)) if day else None
    match = _NUMERIC.fullmatch(text)
    if match:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if first > 12 or second <= 12:  # day first: the rule, and the only reading left
            day, how = _date(year, second, first), DAY_FIRST
        else:  # 10/31/2025: the first number can only be the month
            day, how = _date(year, first, second), MONTH_FIRST
        return (day, Reading(raw, day.isoformat(), how)) if day else None
    match = _NAMED.fullmatch(text)
    if match:
        month = MONTHS.get(match[2].lower())
        day = _date(int(match[3]), month, int(match[1])) if month else None
        return (day, Reading(raw, day.isoformat(), MONTH_NAME)) if day else None
    return None


def read_serial(value: float | int | str) -> tuple[date, Reading] | None:
    """An Excel date serial number (days since 1899-12-30), as a workbook stores dates."""
    text = str(value).strip()
    if not _SERIAL.fullmatch(text):
        return None
    serial = int(float(text))
    if not 1 <= serial <= MAX_SERIAL:
        return None
    day = EXCEL_EPOCH + timedelta(days=serial)
    return day, Reading(text, day.isoformat(), SERIAL)


def read_number(text: str) -> tuple[Decimal, Reading | None] | None:
    """A number as people type it: decimal comma, thousands dots (None: not a number)."""
    raw = text
    text = text.replace("\u00a0", "").replace(" ", "").strip()
    if not text or len(text) > 40:
        return None
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) and not re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}",
                                                                     text):
        canonical = text  # 82.5, 1234: already a machine number
        how = None
    elif re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?", text):
        canonical = text.replace(".", "").replace(",", ".")
        how = Text("titik pemisah ribuan", "thousands dots")
    elif re.fullmatch(r"[0-9]+,[0-9]+", text):
        canonical = text.replace(",", ".")
        how = Text("koma desimal", "decimal comma")
    else:
        return None
    try:
        number = Decimal(sign + canonical)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        return None
    if how is None and raw == ("-" if sign else "") + canonical:
        return number, None
    return number, Reading(raw, format(number, "f"),
                           how or Text("spasi dibuang", "spaces dropped"))


def read_bool(text: str) -> tuple[bool, Reading | None] | None:
    """``ya``/``tidak`` and their kin (None: not a yes/no)."""
    word = " ".join(text.strip().lower().split())
    if word in TRUE_WORDS:
        value = True
    elif word in FALSE_WORDS:
        value = False
    else:
        return None
    canonical = "true" if value else "false"
    if text == canonical:
        return value, None
    return value, Reading(text, canonical, Text("ya/tidak", "yes/no"))


def date_id(day: date) -> str:
    """``31 Oktober 2025``: a date as Indonesian prose writes it."""
    return f"{day.day} {MONTH_NAMES_ID[day.month - 1]} {day.year}"
