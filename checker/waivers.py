"""Waivers: approved, dated exceptions for one rule, for one unit or for every unit.

A waiver file (``schemas/waivers.schema.json``)::

    waivers:
      - rule: RULESET.RULE-ID      # the full rule id
        unit: unit-kode            # unit.kode, unit.nama, or "*" for every unit
        reason: ...                # text, or {id: ..., en: ...}
        owner: ...                 # who is responsible for the waiver
        approver: ...              # who approved it
        start: 2024-01-01          # in force from (inclusive)
        expiry: 2024-12-31         # in force until (inclusive); a waiver must end
        legal_basis: ...           # the decree or letter that allows it
        effect: excluded           # excluded (default) | as_met

Effects, applied so that every scoring model understands them (a model sees only a list of
results with a weight, a level and a value):

``excluded`` (the default)
    The rule is left out of the list handed to the scoring model, and its weight is shared
    among the other rules of the same aspect in proportion to their weights, so the aspect
    keeps its weight. The rule stays in the report with status ``waived`` and the level the
    unit actually reached. Excluding every weighted rule of an aspect that has a weight is an
    error (nothing could take its weight). Without the redistribution a level-weighted model
    would simply count the rule as level 0, which is a penalty, not an exclusion.

``as_met``
    The model receives a copy of the result at its maximum (top level, value 1); the report
    keeps the level the unit actually reached, with status ``waived``.

Why ``excluded`` is the default: it asserts nothing about the unit. The score then measures
only what was assessed, whereas ``as_met`` awards points for a requirement nobody saw met and
so must be chosen deliberately (for instance when a regulation itself deems the requirement
met, such as a facility the unit is legally barred from providing).

Pipeline (the caller owns the scoring model)::

    active, ignored, warnings = active_waivers(waivers, unit, as_of)
    waived = apply_waivers(results, active, edition)
    without = model(edition, results, facts)        # score as evaluated
    with_ = settle(model(edition, waived.scored, facts))  # score with the waivers
    effect = waiver_effect(edition, without, with_)
    section = waivers_section(waivers, waived, ignored, warnings + waived.warnings, effect,
                              as_of)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from patuh.engine import Result
from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.i18n import Text
from patuh.i18n import render
from patuh.scoring import Score
from patuh.scoring import band_for
from patuh.scoring import round_score
from patuh.validation import check
from patuh.yamlio import Document
from patuh.yamlio import load_yaml

EFFECTS = ("excluded", "as_met")
DEFAULT_EFFECT = "excluded"
ALL_UNITS = "*"
EXPIRES_SOON_DAYS = 30  # warn when an active waiver ends within this many days

SCHEMA_HINT = Text("lihat schemas/waivers.schema.json atau examples/audit/waivers.yaml",
                   "see schemas/waivers.schema.json or examples/audit/waivers.yaml")


# --- shared helpers (also used by patuh.verification and patuh.history) ----------------------

def number(value: Decimal | None, places: int = 4) -> float | None:
    """A Decimal as a JSON number, rounded half-up (the report's own convention)."""
    if value is None:
        return None
    return float(round_score(value, {"places": places, "mode": "half_up"}))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_document(path: Path, schema: str, hint: Text) -> Document:
    """A YAML file checked against a bundled schema, errors with file, line and JSON path."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), Text("berkas harus berupa pemetaan (kunci: nilai)",
                                 "the file must be a mapping (key: value)"), hint)
    check(doc, schema, hint)
    return doc


def unit_names(unit: Mapping[str, Any] | str) -> set[str]:
    """The names a unit answers to: its ``kode`` and its ``nama``."""
    if isinstance(unit, str):
        return {unit}
    return {str(unit[k]) for k in ("kode", "nama") if unit.get(k)}


def unit_label(unit: Mapping[str, Any] | str) -> str:
    if isinstance(unit, str):
        return unit
    return str(unit.get("kode") or unit.get("nama") or "?")


def score_summary(edition: Any, score: Score) -> dict[str, Any]:
    """A score as the report shows it: rounded final, unrounded, predicate (band)."""
    rounded = None if score.final is None else round_score(score.final, edition.rounding)
    band = None if rounded is None else band_for(edition, rounded)
    return {
        "final": number(rounded, int(edition.rounding["places"])),
        "unrounded": number(score.final, 6),
        "predicate": None if band is None else {"code": band.code, "label": band.label.id,
                                                "label_en": band.label.en},
    }


def compare_scores(edition: Any, before: Score, after: Score,
                   names: tuple[str, str]) -> dict[str, Any]:
    """Two scores of one evaluation side by side, with the rounded difference."""
    first, second = score_summary(edition, before), score_summary(edition, after)
    delta = None
    if first["final"] is not None and second["final"] is not None:
        places = int(edition.rounding["places"])
        delta = number(Decimal(str(second["final"])) - Decimal(str(first["final"])), places)
    codes = [(s["predicate"] or {}).get("code") for s in (first, second)]
    return {names[0]: first, names[1]: second, "delta": delta,
            "predicate_changed": codes[0] != codes[1]}


def points(result: Result) -> float | None:
    """A result's 0–100 score, as the report shows it."""
    if result.value is None:
        return None
    return number(Decimal(result.value.numerator) * 100 / Decimal(result.value.denominator), 2)


def measured(result: Result) -> bool:
    return result.version.measure is not None


def where(file: Path, line: int | None) -> str:
    """``name:line`` — a file name only: a report holds no absolute paths."""
    return file.name if line is None else f"{file.name}:{line}"


# --- loading ---------------------------------------------------------------------------------

class Located:
    """An entry read from a file: where it stands, and errors that point there."""

    file: Path
    line: int | None

    @property
    def source(self) -> str:
        return where(self.file, self.line)

    def error(self, message: Text, hint: Text | None = None) -> InputError:
        return InputError(message, file=self.file, line=self.line, hint=hint)


@dataclass(frozen=True)
class Waiver(Located):
    rule: str
    unit: str
    reason: Text
    owner: str
    approver: str
    start: date
    expiry: date
    legal_basis: str
    effect: str
    file: Path
    line: int | None

    def applies_to(self, unit: Mapping[str, Any] | str) -> bool:
        return self.unit == ALL_UNITS or self.unit in unit_names(unit)

    def state_on(self, day: date) -> str:
        """``active``, ``not_started`` or ``expired`` on ``day`` (both ends inclusive)."""
        if day < self.start:
            return "not_started"
        if day > self.expiry:
            return "expired"
        return "active"


class Waivers(list):  # type: ignore[type-arg]
    """The waivers of one file (a plain ``list[Waiver]``), with the file and its sha256."""

    def __init__(self, items: Iterable[Waiver], file: Path, sha256: str) -> None:
        super().__init__(items)
        self.file = file
        self.sha256 = sha256


def load_waivers(path: Path) -> Waivers:
    """Read and check a waiver file; every problem with its file, line and JSON path."""
    doc = load_document(path, "waivers", SCHEMA_HINT)
    waivers: list[Waiver] = []
    errors: list[InputError] = []
    for index, item in enumerate(doc.data["waivers"]):
        start = date.fromisoformat(item["start"])
        expiry = date.fromisoformat(item["expiry"])
        if expiry < start:
            errors.append(doc.error(("waivers", index, "expiry"), Text(
                f"tanggal berakhir {expiry} sebelum tanggal mulai {start}",
                f"expiry {expiry} is before start {start}"), SCHEMA_HINT))
            continue
        waivers.append(Waiver(
            rule=item["rule"], unit=item["unit"], reason=Text.of(item["reason"]),
            owner=item["owner"], approver=item["approver"], start=start, expiry=expiry,
            legal_basis=item["legal_basis"], effect=item.get("effect", DEFAULT_EFFECT),
            file=path, line=doc.line_of(("waivers", index))))
    if errors:
        raise InputErrors(errors)
    return Waivers(waivers, path, file_digest(path))


# --- which waivers count ---------------------------------------------------------------------

def active_waivers(waivers: Sequence[Waiver], unit: Mapping[str, Any] | str,
                   as_of: date) -> tuple[list[Waiver], list[Waiver], list[Text]]:
    """The waivers of ``unit`` in force on ``as_of``, those of ``unit`` ignored because they
    have expired or have not started yet (see ``Waiver.state_on``), and bilingual warnings.

    A waiver for the unit itself overrides one for every unit (``"*"``) on the same rule; two
    in force at the same level for one rule are an error (which one counts would be a guess).
    """
    label = unit_label(unit)
    active: list[Waiver] = []
    ignored: list[Waiver] = []
    warnings: list[Text] = []
    candidates: dict[str, list[Waiver]] = {}
    for waiver in waivers:
        if not waiver.applies_to(unit):
            continue
        state = waiver.state_on(as_of)
        if state == "expired":
            ignored.append(waiver)
            warnings.append(Text(
                f"{waiver.source}: pengecualian {waiver.rule} untuk {label} berakhir "
                f"{waiver.expiry}, sebelum tanggal evaluasi {as_of}; diabaikan",
                f"{waiver.source}: the waiver of {waiver.rule} for {label} expired on "
                f"{waiver.expiry}, before the evaluation date {as_of}; ignored"))
        elif state == "not_started":
            ignored.append(waiver)
            warnings.append(Text(
                f"{waiver.source}: pengecualian {waiver.rule} untuk {label} baru berlaku "
                f"{waiver.start}, sesudah tanggal evaluasi {as_of}; diabaikan",
                f"{waiver.source}: the waiver of {waiver.rule} for {label} starts on "
                f"{waiver.start}, after the evaluation date {as_of}; ignored"))
        else:
            candidates.setdefault(waiver.rule, []).append(waiver)
    errors: list[InputError] = []
    for rule, group in candidates.items():
        specific = [w for w in group if w.unit != ALL_UNITS]
        pool = specific or group
        if len(pool) > 1:
            where = ", ".join(w.source for w in pool)
            errors.extend(w.error(
                Text(f"lebih dari satu pengecualian berlaku untuk {rule} dan {label} pada "
                     f"{as_of} ({where})",
                     f"more than one waiver of {rule} for {label} is in force on {as_of} "
                     f"({where})"),
                Text("hapus atau batasi tanggal salah satunya",
                     "remove one of them or make their dates not overlap")) for w in pool)
            continue
        chosen = pool[0]
        if specific and len(group) > 1:
            general = ", ".join(w.source for w in group if w.unit == ALL_UNITS)
            warnings.append(Text(
                f"{chosen.source}: pengecualian khusus {label} untuk {rule} dipakai, "
                f"menggantikan pengecualian umum \"*\" ({general})",
                f"{chosen.source}: the waiver of {rule} for {label} itself is used instead "
                f"of the one for every unit \"*\" ({general})"))
        active.append(chosen)
    if errors:
        raise InputErrors(errors)
    for waiver in active:
        left = (waiver.expiry - as_of).days
        if left <= EXPIRES_SOON_DAYS:
            warnings.append(Text(
                f"{waiver.source}: pengecualian {waiver.rule} berakhir {waiver.expiry} "
                f"({left} hari lagi); perpanjang atau penuhi persyaratannya",
                f"{waiver.source}: the waiver of {waiver.rule} ends on {waiver.expiry} "
                f"(in {left} days); renew it or meet the requirement"))
        if waiver.owner.strip().casefold() == waiver.approver.strip().casefold():
            warnings.append(Text(
                f"{waiver.source}: pemilik dan penyetuju pengecualian {waiver.rule} orang "
                f"yang sama ({waiver.owner}); sebaiknya disetujui pihak lain",
                f"{waiver.source}: the waiver of {waiver.rule} is owned and approved by the "
                f"same person ({waiver.owner}); another person should approve it"))
    active.sort(key=lambda w: (w.rule, w.line or 0))
    return active, ignored, warnings


# --- applying them ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Waived:
    results: list[Result]  # for the report: every rule; a waived one has status "waived"
    scored: list[Result]  # for the scoring model: the effects applied
    items: list[dict[str, Any]]  # the report's ``waivers.applied``
    warnings: list[Text]


def at_maximum(result: Result) -> Result:
    """A copy scored as fully met: the top level (a measured rule: value 1)."""
    return replace(result, level=0 if measured(result) else result.max_level,
                   value=Fraction(1), status="waived", next_level=None, unmet=())


def apply_waivers(results: Sequence[Result], active: Sequence[Waiver],
                  edition: Any) -> Waived:
    """Apply the active waivers to one evaluation's results (see the module docstring).

    ``edition`` supplies aspect weights: excluding every weighted rule of an aspect that has
    a weight raises InputError at the waivers' lines.
    """
    by_rule = {w.rule: w for w in active}
    present = {r.rule.id for r in results}
    rulesets = {r.rule.ruleset for r in results}
    warnings = [Text(
        f"{w.source}: tidak ada aturan {w.rule} dalam edisi ini; pengecualian tidak dipakai",
        f"{w.source}: no rule {w.rule} in this edition; the waiver is not used")
        for w in active if w.rule not in present and w.rule.split(".", 1)[0] in rulesets]

    excluded: dict[str, list[str]] = {}  # aspect -> excluded rule ids
    totals: dict[str, Decimal] = {}
    dropped: dict[str, Decimal] = {}
    for r in results:
        totals[r.aspect] = totals.get(r.aspect, Decimal(0)) + r.weight
        waiver = by_rule.get(r.rule.id)
        if waiver is not None and waiver.effect == "excluded":
            excluded.setdefault(r.aspect, []).append(r.rule.id)
            dropped[r.aspect] = dropped.get(r.aspect, Decimal(0)) + r.weight
    scale: dict[str, tuple[Decimal, Decimal]] = {}  # aspect -> (total, what is left)
    errors: list[InputError] = []
    for aspect, gone in dropped.items():
        left = totals[aspect] - gone
        if left > 0:
            scale[aspect] = (totals[aspect], left)
            continue
        info = edition.aspect(aspect)
        if gone > 0 and info is not None and info.weight != 0:
            ids = ", ".join(excluded[aspect])
            errors.extend(by_rule[rule_id].error(
                Text(f"pengecualian ({ids}) mengosongkan aspek {aspect} (bobot "
                     f"{info.weight}): tidak ada aturan berbobot lain yang menerima bobotnya",
                     f"the waivers ({ids}) empty aspect {aspect} (weight {info.weight}): no "
                     "other weighted rule is left to take its weight"),
                Text("pakai effect: as_met, atau kecualikan lebih sedikit aturan",
                     "use effect: as_met, or waive fewer rules"))
                for rule_id in excluded[aspect])
    if errors:
        raise InputErrors(errors)

    report: list[Result] = []
    scored: list[Result] = []
    items: list[dict[str, Any]] = []
    def weighed(r: Result) -> Result:
        if r.aspect not in scale:
            return r
        total, left = scale[r.aspect]
        return replace(r, weight=r.weight * total / left)  # multiply first: exact when it can be

    for r in results:
        waiver = by_rule.get(r.rule.id)
        if waiver is None:
            report.append(r)
            scored.append(weighed(r))
            continue
        report.append(replace(r, status="waived", next_level=None, unmet=()))
        if waiver.effect == "as_met":
            scored.append(weighed(at_maximum(r)))
            scored_as: dict[str, Any] | None = {
                "level": None if measured(r) else r.max_level, "score": 100.0}
        else:
            scored_as = None
        items.append({
            "rule_id": r.rule.id, "unit": waiver.unit, "effect": waiver.effect,
            "reason": waiver.reason.as_dict(), "owner": waiver.owner,
            "approver": waiver.approver, "start": waiver.start.isoformat(),
            "expiry": waiver.expiry.isoformat(), "legal_basis": waiver.legal_basis,
            "aspect": r.aspect,
            "found": {"level": None if measured(r) else r.level,
                      "max_level": None if measured(r) else r.max_level,
                      "score": points(r), "status": r.status},
            "scored_as": scored_as, "source": waiver.source})
    return Waived(report, scored, items, warnings)


def settle(score: Score, places: int = 20) -> Score:
    """The score with its values quantized to ``places`` decimals. Shared weights can be
    non-terminating decimals (100/86): a score that is exactly x.xx5 may then come out as
    x.xx4999…, and round to the band below. Call it on a score computed from
    ``Waived.scored`` before the edition's rounding."""
    step = Decimal(1).scaleb(-places)

    def q(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(step)

    return replace(score, final=q(score.final),
                   parts=tuple(replace(p, value=q(p.value)) for p in score.parts),
                   aspects=tuple(replace(a, score=q(a.score)) for a in score.aspects))


def waiver_effect(edition: Any, without: Score, with_waivers: Score) -> dict[str, Any]:
    """How the waivers move the score: ``{without, with, delta, predicate_changed}``."""
    return compare_scores(edition, without, with_waivers, ("without", "with"))


def waivers_section(waivers: Waivers, waived: Waived, ignored: Sequence[Waiver],
                    warnings: Sequence[Text], effect: Mapping[str, Any] | None,
                    as_of: date) -> dict[str, Any]:
    """The report's ``waivers`` key (schema: waivers.schema.json#/$defs/report_section)."""
    return {
        "file": waivers.file.name, "sha256": waivers.sha256,
        "applied": list(waived.items),
        "ignored": [{"rule_id": w.rule, "unit": w.unit, "start": w.start.isoformat(),
                     "expiry": w.expiry.isoformat(), "why": w.state_on(as_of),
                     "source": w.source} for w in ignored],
        "warnings": [w.as_dict() for w in warnings],
        "effect": None if effect is None else dict(effect),
    }


# --- text ------------------------------------------------------------------------------------

def score_text(summary: Mapping[str, Any], lang: str) -> str:
    if summary["final"] is None:
        return "—"
    pred = summary["predicate"]
    from patuh.report import short_number

    final = short_number(summary["final"], lang)
    if pred is None:
        return final
    label = pred["label_en"] if lang == "en" else pred["label"]
    return f"{final} {pred['code']} {label}"


def signed(value: float | None, lang: str = "en") -> str:
    if value is None:
        return ""
    from patuh.report import short_number

    return f" ({'+' if value >= 0 else ''}{short_number(value, lang)})"


def render_waivers(section: Mapping[str, Any] | None, lang: str = "id") -> str:
    """The ``waivers`` section as text lines for the text reporter ("" when there is none)."""
    if not section:
        return ""
    en = lang == "en"
    out = [f"{'Waivers' if en else 'Pengecualian'} ({section['file']}):"]
    effects = {"excluded": Text("dikecualikan: tidak dinilai, bobotnya dibagi ke aspek {a}",
                                "excluded: not scored, its weight shared within aspect {a}"),
               "as_met": Text("dinilai terpenuhi (maksimum)", "scored as met (maximum)")}
    if not section["applied"]:
        out.append(f"  {'none in force' if en else 'tidak ada yang berlaku'}")
    for item in section["applied"]:
        found = item["found"]
        reached = (f"{found['level']}/{found['max_level']}" if found["level"] is not None
                   else f"{found['score'] if found['score'] is not None else '—'}/100")
        what = effects[item["effect"]].format(a=item["aspect"]).get(lang)
        out.append(f"  [w] {item['rule_id']}  {reached} → {what}")
        reason = item["reason"].get(lang) or item["reason"]["id"]
        out.append(f"      {'reason' if en else 'alasan'}: {reason}")
        out.append(f"      {'owner' if en else 'pemilik'}: {item['owner']}; "
                   f"{'approved by' if en else 'disetujui'}: {item['approver']}; "
                   f"{item['start']} – {item['expiry']}; "
                   f"{'legal basis' if en else 'dasar'}: {item['legal_basis']} "
                   f"({item['source']})")
    effect = section.get("effect")
    if effect:
        out.append(f"  {'Score without waivers' if en else 'Nilai tanpa pengecualian'}: "
                   f"{score_text(effect['without'], lang)} → "
                   f"{'with waivers' if en else 'dengan pengecualian'}: "
                   f"{score_text(effect['with'], lang)}{signed(effect['delta'], lang)}")
    for item in section["ignored"]:
        why = {"expired": Text("kedaluwarsa", "expired"),
               "not_started": Text("belum berlaku", "not yet in force")}[item["why"]]
        out.append(f"  - {item['rule_id']}: {why.get(lang)} ({item['start']} – "
                   f"{item['expiry']}; {item['source']})")
    for warning in section["warnings"]:
        out.append(f"  ! {render(Text.of(warning), lang)}")
    return "\n".join(out) + "\n"
