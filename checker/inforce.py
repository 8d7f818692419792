"""Rulesets not in force on a unit's evaluation date: with several rulesets asked for (`patuh
check` of a unit's default rulesets, `patuh batch`), such a ruleset is skipped with its reason;
named alone it stays an error. Apart from ``batch`` so that a check does not import the batch
machinery (its process pool) to skip one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.i18n import render
from patuh.report import pick_edition


def one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def not_in_force(ruleset: Any, day: date) -> InputError | None:
    """Why ``ruleset`` has no complete edition in force on ``day`` (a gap, no edition, one
    known only in part), or None when it has one. With several rulesets asked for, such a
    ruleset is skipped with this reason; named alone it stays an error."""
    try:
        pick_edition(ruleset, day, None)
    except InputError as exc:
        return exc
    return None


def reason_text(exc: InputError, lang: str) -> str:
    """The reason in one line."""
    return one_line(render(exc.message, lang))


def skip_note(ruleset_id: str, reason: InputError) -> Text:
    return Text(f"patuh: {ruleset_id} dilewati (tidak berlaku): {reason_text(reason, 'id')}",
                f"patuh: {ruleset_id} skipped (not in force): {reason_text(reason, 'en')}")


def skip_entry(ruleset_id: str, reason: InputError) -> dict[str, Any]:
    """A skipped ruleset in a JSON bundle."""
    return {"ruleset": ruleset_id, "reason": {"id": reason_text(reason, "id"),
                                              "en": reason_text(reason, "en")}}


def skip_list(skipped: Sequence[tuple[str, InputError]], lang: str) -> str:
    return "; ".join(f"{r}: {reason_text(reason, lang)}" for r, reason in skipped)
