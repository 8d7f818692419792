"""An evaluator's verification: the levels the evaluator accepts, side by side with the unit's
claim, and the score recomputed from the verified levels.

A verification file (``schemas/verification.schema.json``)::

    evaluator: Tim Evaluator ...
    tanggal: 2024-11-05
    unit: unit-kode            # optional; when given it must match the report's unit
    verifikasi:
      - rule: RULESET.RULE-ID
        level: 3               # a ladder rule; a measured rule takes `score: 0..100` instead
        note: why the evaluator differs (or agrees)
        evaluator: ...         # optional, for this item only
        date: 2024-11-04       # optional, for this item only

``adjust`` runs the whole audit step for one evaluation: verification first (the evaluator's
levels replace the claim), then waivers on the verified results, calling the scoring model for
each score it reports.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from patuh.conditions import Unmet
from patuh.engine import Result
from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.i18n import Text
from patuh.i18n import render
from patuh.scoring import Score
from patuh.waivers import Located
from patuh.waivers import Waivers
from patuh.waivers import active_waivers
from patuh.waivers import apply_waivers
from patuh.waivers import compare_scores
from patuh.waivers import file_digest
from patuh.waivers import load_document
from patuh.waivers import measured
from patuh.waivers import number
from patuh.waivers import points
from patuh.waivers import score_text
from patuh.waivers import settle
from patuh.waivers import signed
from patuh.waivers import unit_label
from patuh.waivers import unit_names
from patuh.waivers import waiver_effect
from patuh.waivers import waivers_section

SCHEMA_HINT = Text("lihat schemas/verification.schema.json atau "
                   "examples/audit/verifikasi-dpmptsp.yaml",
                   "see schemas/verification.schema.json or "
                   "examples/audit/verifikasi-dpmptsp.yaml")


@dataclass(frozen=True)
class Verified(Located):
    """One indicator as the evaluator verified it."""

    rule: str
    level: int | None  # a ladder rule
    score: Decimal | None  # a measured rule, 0..100
    note: str
    evaluator: str
    date: date
    file: Path
    line: int | None


@dataclass(frozen=True)
class Verification:
    file: Path
    sha256: str
    evaluator: str
    tanggal: date
    unit: str | None
    catatan: str | None
    items: tuple[Verified, ...]
    unit_line: int | None = None


def load_verification(path: Path) -> Verification:
    """Read and check an evaluator's file; every problem with its file, line and JSON path."""
    doc = load_document(path, "verification", SCHEMA_HINT)
    data = doc.data
    tanggal = date.fromisoformat(data["tanggal"])
    items: list[Verified] = []
    errors: list[InputError] = []
    first_line: dict[str, int | None] = {}
    for index, item in enumerate(data["verifikasi"]):
        where = ("verifikasi", index)
        line = doc.line_of(where)
        if ("level" in item) == ("score" in item):
            errors.append(doc.error(where, Text(
                "isi tepat satu dari `level` (aturan berjenjang) atau `score` (aturan terukur)",
                "give exactly one of `level` (a ladder rule) or `score` (a measured rule)"),
                SCHEMA_HINT))
            continue
        if item["rule"] in first_line:
            errors.append(doc.error((*where, "rule"), Text(
                f"{item['rule']} sudah diverifikasi di baris {first_line[item['rule']]}",
                f"{item['rule']} is already verified at line {first_line[item['rule']]}"),
                Text("gabungkan kedua entri", "merge the two entries")))
            continue
        first_line[item["rule"]] = line
        items.append(Verified(
            rule=item["rule"], level=item.get("level"),
            score=None if "score" not in item else Decimal(str(item["score"])),
            note=item["note"], evaluator=item.get("evaluator", data["evaluator"]),
            date=date.fromisoformat(item["date"]) if "date" in item else tanggal,
            file=path, line=line))
    if errors:
        raise InputErrors(errors)
    return Verification(path, file_digest(path), data["evaluator"], tanggal, data.get("unit"),
                        data.get("catatan"), tuple(items), doc.line_of(("unit",)))


def _status(value: Fraction) -> str:
    if value == 1:
        return "pass"
    return "partial" if value > 0 else "fail"


def verified_result(claim: Result, item: Verified) -> Result:
    """The claim's result at the verified level (or score); evidence kept. When the evaluator
    disagrees, the reason the next level is not reached is the evaluator's note."""
    if measured(claim):
        assert item.score is not None
        value = Fraction(item.score) / 100
        level, next_level = 0, None
    else:
        assert item.level is not None
        value = Fraction(item.level, claim.max_level)
        level = item.level
        next_level = claim.version.levels[level] if level < claim.max_level else None
    if value == claim.value and level == claim.level:
        return claim
    note = Unmet(Text(f"verifikasi evaluator ({item.evaluator}, {item.date}): {item.note}",
                      f"evaluator's verification ({item.evaluator}, {item.date}): "
                      f"{item.note}"))
    return replace(claim, level=level, value=value, status=_status(value),
                   next_level=next_level, unmet=(note,) if value < 1 else ())


@dataclass(frozen=True)
class Verifications:
    results: list[Result]  # every rule, at the verified level where verified
    claimed: list[Result]  # the unit's claim, unchanged
    items: list[dict[str, Any]]  # the side-by-side list (claim, verified, delta, note)
    warnings: list[Text]


def apply_verification(results: Sequence[Result], verified: Verification | Sequence[Verified],
                       unit: Mapping[str, Any] | str | None = None) -> Verifications:
    """Replace the claimed levels by the verified ones.

    Items whose ruleset (the rule id's prefix) has no result here are skipped: one file may
    verify several rulesets. An item for a ruleset that is evaluated here but naming a rule it
    does not have, a level above the rule's top level, a ``level`` for a measured rule or a
    ``score`` for a ladder rule, or a file for another unit, is an InputError at its line.
    """
    items = verified.items if isinstance(verified, Verification) else tuple(verified)
    if isinstance(verified, Verification) and verified.unit and unit is not None \
            and verified.unit not in unit_names(unit):
        raise InputError(
            Text(f"berkas verifikasi untuk unit {verified.unit!r}, bukan {unit_label(unit)!r}",
                 f"the verification file is for unit {verified.unit!r}, not "
                 f"{unit_label(unit)!r}"),
            file=verified.file, line=verified.unit_line, path="unit",
            hint=Text("periksa apakah berkasnya tertukar", "check that the files are not "
                      "swapped"))
    by_id = {r.rule.id: r for r in results}
    rulesets = {r.rule.ruleset for r in results}
    errors: list[InputError] = []
    chosen: dict[str, Verified] = {}
    for item in items:
        claim = by_id.get(item.rule)
        if claim is None:
            if item.rule.split(".", 1)[0] in rulesets:
                errors.append(item.error(Text(
                    f"aturan {item.rule} tidak dinilai dalam edisi ini",
                    f"rule {item.rule} is not evaluated in this edition"),
                    Text("periksa ID aturan (`patuh rules list`)",
                         "check the rule id (`patuh rules list`)")))
            continue
        if measured(claim) and item.score is None:
            errors.append(item.error(Text(
                f"{item.rule} adalah aturan terukur: isi `score` (0–100), bukan `level`",
                f"{item.rule} is a measured rule: give `score` (0–100), not `level`")))
        elif not measured(claim) and item.level is None:
            errors.append(item.error(Text(
                f"{item.rule} adalah aturan berjenjang: isi `level` (0–{claim.max_level}), "
                "bukan `score`",
                f"{item.rule} is a ladder rule: give `level` (0–{claim.max_level}), not "
                "`score`")))
        elif item.level is not None and item.level > claim.max_level:
            errors.append(item.error(Text(
                f"level {item.level} di atas level tertinggi {item.rule} ({claim.max_level})",
                f"level {item.level} is above the top level of {item.rule} "
                f"({claim.max_level})")))
        else:
            chosen[item.rule] = item
    if errors:
        raise InputErrors(errors)
    warnings: list[Text] = []
    if items and not chosen:
        names = ", ".join(sorted(rulesets))
        warnings.append(Text(
            f"tidak ada butir verifikasi untuk aturan {names}; klaim unit dipakai",
            f"no verification item is for a rule of {names}; the unit's claim is used"))
    out: list[Result] = []
    side: list[dict[str, Any]] = []
    for claim in results:
        item = chosen.get(claim.rule.id)
        if item is None:
            out.append(claim)
            continue
        result = verified_result(claim, item)
        out.append(result)
        is_measured = measured(claim)
        claimed_score, verified_score = points(claim), points(result)
        if is_measured:
            delta = None if claimed_score is None else number(
                Decimal(str(verified_score)) - Decimal(str(claimed_score)), 2)
        else:
            delta = result.level - claim.level
        side.append({
            "rule_id": claim.rule.id, "title": claim.rule.title.as_dict(),
            "measured": is_measured, "max_level": None if is_measured else claim.max_level,
            "claimed_level": None if is_measured else claim.level,
            "verified_level": None if is_measured else result.level,
            "claimed_score": claimed_score, "verified_score": verified_score,
            "delta": delta, "note": item.note, "evaluator": item.evaluator,
            "date": item.date.isoformat(), "source": item.source})
    return Verifications(out, list(results), side, warnings)


def verification_effect(edition: Any, claimed: Score, verified: Score) -> dict[str, Any]:
    """The claimed and the verified score: ``{claimed, verified, delta, predicate_changed}``."""
    return compare_scores(edition, claimed, verified, ("claimed", "verified"))


def verification_section(verification: Verification, applied: Verifications,
                         effect: Mapping[str, Any] | None) -> dict[str, Any]:
    """The report's ``verification`` key (verification.schema.json#/$defs/report_section)."""
    return {"file": verification.file.name, "sha256": verification.sha256,
            "evaluator": verification.evaluator, "tanggal": verification.tanggal.isoformat(),
            "catatan": verification.catatan, "items": list(applied.items),
            "warnings": [w.as_dict() for w in applied.warnings],
            "effect": None if effect is None else dict(effect)}


def render_verification(section: Mapping[str, Any] | None, lang: str = "id") -> str:
    """The ``verification`` section as text: claim and verified level side by side."""
    if not section:
        return ""
    en = lang == "en"
    out = [f"{'Evaluator verification' if en else 'Verifikasi evaluator'}: "
           f"{section['evaluator']}, {section['tanggal']} ({section['file']})"]
    if section.get("catatan"):
        out.append(f"  {section['catatan']}")
    rows = [("indicator" if en else "indikator", "claim" if en else "klaim",
             "verified" if en else "verifikasi", "Δ")]
    for item in section["items"]:
        if item["measured"]:
            claim = "—" if item["claimed_score"] is None else f"{item['claimed_score']:g}"
            rows.append((item["rule_id"], claim, f"{item['verified_score']:g}",
                         "—" if item["delta"] is None else f"{item['delta']:+g}"))
        else:
            rows.append((item["rule_id"], f"{item['claimed_level']}/{item['max_level']}",
                         f"{item['verified_level']}/{item['max_level']}",
                         f"{item['delta']:+d}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        line = "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row))
        if index:
            line += f"  {section['items'][index - 1]['note']}"
        out.append(line.rstrip())
    effect = section.get("effect")
    if effect:
        out.append(f"  {'Claimed score' if en else 'Nilai klaim'}: "
                   f"{score_text(effect['claimed'], lang)} → "
                   f"{'verified' if en else 'terverifikasi'}: "
                   f"{score_text(effect['verified'], lang)}{signed(effect['delta'], lang)}")
    for warning in section["warnings"]:
        out.append(f"  ! {render(Text.of(warning), lang)}")
    return "\n".join(out) + "\n"


# --- the whole audit step --------------------------------------------------------------------

Model = Callable[[Any, Sequence[Result], Mapping[str, Any]], Score]


@dataclass(frozen=True)
class Adjusted:
    results: list[Result]  # for the report's results and improvement plan
    score: Score  # the headline score: verified levels, waivers applied
    waivers: dict[str, Any] | None  # the report's ``waivers`` key
    verification: dict[str, Any] | None  # the report's ``verification`` key
    warnings: list[Text]  # everything worth printing to stderr


def adjust(edition: Any, results: Sequence[Result], facts: Mapping[str, Any], model: Model, *,
           unit: Mapping[str, Any], as_of: date, waivers: Waivers | None = None,
           verification: Verification | None = None) -> Adjusted:
    """Verification, then waivers, with every score the report shows.

    Without waivers and verification this is ``model(edition, results, facts)`` and nothing
    else. With both, the claimed and the verified score are each computed with the same
    waivers, so the two sides differ only by the evaluator's levels.
    """
    claimed = list(results)
    active: list[Any] = []
    ignored: list[Any] = []
    waiver_warnings: list[Text] = []
    if waivers is not None:
        active, ignored, waiver_warnings = active_waivers(waivers, unit, as_of)

    def scored(rs: Sequence[Result]) -> Score:
        if not active:
            return model(edition, rs, facts)
        return settle(model(edition, apply_waivers(rs, active, edition).scored, facts))

    current = claimed
    warnings: list[Text] = []
    verification_key = None
    if verification is not None:
        applied = apply_verification(claimed, verification, unit)
        current = applied.results
        effect = verification_effect(edition, scored(claimed), scored(current))
        verification_key = verification_section(verification, applied, effect)
        warnings.extend(applied.warnings)
    waivers_key = None
    if waivers is not None:
        waived = apply_waivers(current, active, edition)
        without = model(edition, current, facts)
        score = settle(model(edition, waived.scored, facts))
        waiver_warnings.extend(waived.warnings)
        waivers_key = waivers_section(waivers, waived, ignored, waiver_warnings,
                                      waiver_effect(edition, without, score), as_of)
        current = waived.results
        warnings.extend(waiver_warnings)
    else:
        score = model(edition, current, facts)
    return Adjusted(current, score, waivers_key, verification_key, warnings)
