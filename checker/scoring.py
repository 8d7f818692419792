"""Scores: what a scoring-model plugin returns, and the edition-level steps that follow it
(rounding, then the band table's lower bounds with >=)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_DOWN
from decimal import ROUND_HALF_EVEN
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from typing import TYPE_CHECKING
from typing import Any
from typing import Protocol

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.i18n import named

if TYPE_CHECKING:
    from patuh.engine import Result
    from patuh.rulebook import Band
    from patuh.rulebook import Edition

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
# What each rounding mode is called in a report (JSON keeps the code).
ROUNDING_NAMES = {
    "half_up": Text("setengah ke atas", "half up"),
    "half_even": Text("setengah ke genap", "half to even"),
    "down": Text("ke bawah (dipotong)", "down (truncated)"),
}


def rounding_name(mode: object, lang: str) -> str:
    """``setengah ke atas`` / ``half up`` for ``half_up``; an unknown mode as written."""
    return named(ROUNDING_NAMES, mode, lang)


@dataclass(frozen=True)
class Part:
    """One component of the final score (e.g. the evaluator part and the user-survey part)."""

    id: str
    title: Text
    value: Decimal | None  # None: not available (no data)
    weight: Decimal
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AspectScore:
    id: str
    title: Text
    weight: Decimal
    score: Decimal
    source: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    final: Decimal | None  # before rounding; None when the data to compute it is missing
    parts: tuple[Part, ...]
    aspects: tuple[AspectScore, ...]
    gains: Mapping[str, Decimal]  # rule id -> points the next level adds to `final`
    notes: tuple[Text, ...] = ()
    sources: tuple[Mapping[str, Any], ...] = ()


class ScoringModel(Protocol):
    def __call__(self, edition: Edition, results: Sequence[Result],
                 facts: Mapping[str, Any]) -> Score: ...


def round_score(value: Decimal, rounding: Mapping[str, Any]) -> Decimal:
    exponent = Decimal(1).scaleb(-int(rounding["places"]))
    return value.quantize(exponent, rounding=_MODES[rounding["mode"]])


def band_for(edition: Edition, rounded: Decimal) -> Band | None:
    """The first band (highest first) whose lower bound the rounded score reaches; None when
    the edition has no band table."""
    for band in edition.bands:
        if rounded >= band.min:
            return band
    return edition.bands[-1] if edition.bands else None


MAX_SCORE_CHARS = 40
MAX_SCORE_EXPONENT = 30


_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NON_FINITE = ("nan", "snan", "inf", "infinity")  # refused below with their own message


def parse_score(text: str) -> Decimal:
    """A score typed by a user: '4.22' or '4,22'. Raises InvalidOperation for text that is not
    a number, and InputError for a number no score can be: NaN, infinity, more than
    ``MAX_SCORE_CHARS`` characters or beyond 10^±``MAX_SCORE_EXPONENT``."""
    plain = text.strip().replace(",", ".")
    if len(plain) > MAX_SCORE_CHARS:
        raise InputError(Text(f"nilai {plain[:20]}… ({len(plain)} karakter) terlalu panjang "
                              f"(paling banyak {MAX_SCORE_CHARS} karakter)",
                              f"the score {plain[:20]}… ({len(plain)} characters) is too long "
                              f"(at most {MAX_SCORE_CHARS} characters)"))
    if not _PLAIN_NUMBER.fullmatch(plain) and plain.lower().lstrip("+-") not in _NON_FINITE:
        raise InvalidOperation(plain)  # Decimal would take '٣' or '1_000'; a score is ASCII
    value = Decimal(plain)
    if not value.is_finite() or (value and abs(value.adjusted()) > MAX_SCORE_EXPONENT):
        raise InputError(Text(f"nilai {plain!r} bukan angka berhingga yang wajar",
                              f"the score {plain!r} is not a reasonable finite number"),
                         hint=Text("tulis nilai biasa, mis. 4,22", "write a plain score, "
                                   "e.g. 4.22"))
    return value
