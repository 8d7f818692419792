"""From a manifest and a ruleset to the report model (plain, JSON-ready data).

Same inputs give the same report: no timestamps, no absolute paths, sorted keys on output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any

from patuh import __version__
from patuh import manager
from patuh.conditions import Evidence
from patuh.engine import Result
from patuh.engine import evaluate
from patuh.engine import make_context
from patuh.errors import InputError
from patuh.errors import format_path
from patuh.i18n import Text
from patuh.i18n import named
from patuh.i18n import number as shown_number
from patuh.manifest import Manifest
from patuh.rulebook import Band
from patuh.rulebook import Edition
from patuh.rulebook import Ruleset
from patuh.rulebook import find_rule
from patuh.rulebook import load_ruleset
from patuh.scoring import Score
from patuh.scoring import band_for
from patuh.scoring import round_score
from patuh.sources import bibliography
from patuh.sources import cited_keys

if TYPE_CHECKING:  # read only with --waivers/--verification: imported when given
    from patuh.verification import Verification
    from patuh.waivers import Waivers

REPORT_SCHEMA_VERSION = 1

# What a report calls each evidence status (``results[].evidence[].status`` keeps the code).
EVIDENCE_STATUS_NAMES = {
    "not_found": Text("tidak ditemukan", "not found"),
    "outside": Text("di luar folder unit", "outside the unit's folder"),
    "not_a_file": Text("bukan berkas", "not a file"),
    "unreadable": Text("tidak dapat dibaca", "cannot be read"),
    "digest_mismatch": Text("sha256 berbeda", "sha256 differs"),
    "too_large": Text("terlalu besar untuk di-hash; tetap dihitung",
                      "too large to hash; still counts"),
}
FINDING_KINDS = {"evidence": Text("bukti", "evidence")}


def evidence_status_name(status: object, lang: str) -> str:
    """``tidak ditemukan`` / ``not found`` for ``not_found``; an unknown status as written."""
    return named(EVIDENCE_STATUS_NAMES, status, lang)


def short_number(value: float, lang: str) -> str:
    """A number in a report's prose as briefly as ``{:g}`` writes it, in ``lang`` (``0,75``,
    ``17``)."""
    text = f"{value:g}"
    if "e" in text or "n" in text:  # 1e+06, inf, nan: as written
        return text
    return shown_number(value, lang, len(text.partition(".")[2]))


def finding_kind_name(kind: object, lang: str) -> str:
    return named(FINDING_KINDS, kind, lang)


def number(value: Decimal | None, places: int = 4) -> float | None:
    """A Decimal as a JSON number, rounded half-up to ``places``."""
    if value is None:
        return None
    return float(round_score(value, {"places": places, "mode": "half_up"}))


def pick_edition(ruleset: Ruleset, as_of: date, name: str | None, *,
                 complete: bool = True) -> Edition:
    """The edition named, or the one in force on ``as_of``. ``complete``: refuse an edition
    known only in part (a check needs its rules; a predicate needs only its band table)."""
    check_usable = usable if complete else (lambda _ruleset, edition: edition)
    if name is not None:
        return check_usable(ruleset, ruleset.require_edition(name))
    # A declared gap wins over an edition whose period spans it (e.g. a year with no
    # assessment inside a long edition).
    gap = ruleset.gap_for(as_of)
    edition = ruleset.edition_for(as_of)
    if edition is not None and gap is None:
        return check_usable(ruleset, edition)
    known = ", ".join(e.edition for e in ruleset.editions)
    if gap is not None:
        raise InputError(Text.of(gap["message"]).format(as_of=as_of),
                         hint=Text(f"untuk perkiraan, sebutkan edisi: --edition ({known})",
                                   f"for an estimate, name an edition: --edition ({known})"))
    periods = "; ".join(f"{e.edition}: {e.period.start}–{e.period.until or '…'}"
                        for e in ruleset.editions)
    raise InputError(Text(f"tidak ada edisi {ruleset.id} yang berlaku pada {as_of}",
                          f"no edition of {ruleset.id} is in force on {as_of}"),
                     hint=Text(f"edisi: {periods}; pakai --edition untuk memilih",
                               f"editions: {periods}; use --edition to choose one"))


def usable(ruleset: Ruleset, edition: Edition) -> Edition:
    """The edition, unless it is known only in part and so cannot check a unit."""
    if edition.incomplete is None:
        return edition
    others = ", ".join(e.edition for e in ruleset.editions if e.incomplete is None)
    raise InputError(
        Text(f"edisi {ruleset.id} {edition.edition} hanya diketahui sebagian: ",
             f"edition {ruleset.id} {edition.edition} is known only in part: ")
        + edition.incomplete,
        hint=Text(f"edisi ini dapat dibandingkan (`patuh rules diff`), tetapi tidak dipakai "
                  f"memeriksa; edisi lain: {others or '-'}",
                  f"this edition can be compared (`patuh rules diff`) but not used for a "
                  f"check; other editions: {others or '-'}"))


def estimate_note(ruleset: Ruleset, edition: Edition, as_of: date) -> Text | None:
    """Why a result is only an estimate: the edition was named for a date outside its period."""
    gap = ruleset.gap_for(as_of)
    if edition.period.contains(as_of) and gap is None:
        return None
    why = Text.of(gap["message"]).format(as_of=as_of) if gap else Text(
        f"edisi {edition.edition} tidak berlaku pada {as_of}.",
        f"edition {edition.edition} is not in force on {as_of}.")
    return Text(f"PERKIRAAN: {why.id} Hasil ini memakai edisi {edition.edition} yang dipilih "
                "dengan --edition.",
                f"ESTIMATE: {why.en} This result uses edition {edition.edition}, chosen with "
                "--edition.")


def evaluate_rules(ruleset: Ruleset, edition: Edition, facts: Mapping[str, Any], as_of: date,
                   evidence: Mapping[str, tuple[Evidence, ...]]) -> list[Result]:
    """Every rule version in force on ``as_of`` (kept within the edition's period), its own
    and those the edition borrows from other rulesets."""
    day = max(as_of, edition.period.start)
    if edition.period.until is not None:
        day = min(day, edition.period.until)
    context = make_context(facts, as_of, evidence)
    results = []
    for rule in ruleset.rules:
        version = rule.version_at(day)
        if version is not None and edition.aspect(version.aspect or rule.aspect) is not None:
            results.append(evaluate(rule, version, context))
    for aspect in edition.aspects:
        for rule_id, weight in aspect.include:
            rule = find_rule(rule_id)
            version = rule.version_at(day)
            if version is not None:
                results.append(evaluate(rule, version, context, aspect=aspect.id, weight=weight))
    return results


def rules_digest(ruleset: Ruleset, edition: Edition) -> str:
    """The ruleset's digest, combined with those of the rulesets the edition borrows from."""
    borrowed = sorted({rule_id.split(".", 1)[0] for a in edition.aspects
                       for rule_id, _ in a.include})
    if not borrowed:
        return ruleset.digest
    combined = hashlib.sha256(ruleset.digest.encode())
    for other in borrowed:
        combined.update(f"{other}:{load_ruleset(other).digest}".encode())
    return combined.hexdigest()


def derived_files(facts: Any) -> list[tuple[str, str]]:
    """Data files that fact derivers read (they record ``berkas`` with its ``sha256``)."""
    found = []
    if isinstance(facts, Mapping):
        if isinstance(facts.get("berkas"), str) and isinstance(facts.get("sha256"), str):
            found.append((facts["berkas"], facts["sha256"]))
        for value in facts.values():
            found.extend(derived_files(value))
    elif isinstance(facts, list):
        for value in facts:
            found.extend(derived_files(value))
    return found


def band_text(band: Band, lang: str) -> str:
    """How people read a predicate: the band's ``display`` text, or "code label"."""
    if "display" in band.extra:
        return Text.of(band.extra["display"]).get(lang)
    text = f"{band.code} {band.label.id}"
    return text + f" ({band.label.en})" if lang == "en" else text


def _text(value: Text) -> dict[str, str]:
    return value.as_dict()


def _evidence(item: Evidence) -> dict[str, Any]:
    return {"ref": item.ref, "kind": item.kind, "status": item.status,
            "sha256": item.sha256, "owner": format_path(item.owner)}


def _result(result: Result, gain: Decimal | None) -> dict[str, Any]:
    nxt = result.next_level
    measured = result.version.measure is not None
    score = None if result.value is None else Decimal(result.value.numerator) * 100 / \
        Decimal(result.value.denominator)
    return {
        "rule_id": result.rule.id,
        "version": result.version.version,
        "aspect": result.aspect,
        "title": _text(result.rule.title),
        "level": None if measured else result.level,
        "max_level": None if measured else result.max_level,
        "score": number(score, 2),
        "level_title": _text(result.version.levels[result.level - 1].title)
        if result.level else None,
        "status": result.status,
        "weight": number(result.weight),
        "evidence": [_evidence(e) for e in result.evidence],
        "next_level": {"level": nxt.level, "title": _text(nxt.title)} if nxt else None,
        "unmet": [{"message": _text(u.message), "path": u.path and format_path(u.path),
                   "missing": u.missing}
                  for u in result.unmet],
        "gain": number(gain),
        "guidance": _text(result.rule.guidance),
        "evidence_guidance": _text(result.version.evidence),
        "source": dict(result.version.source),
        "notes": [_text(n) for n in result.version.notes],
    }


FULL_SCORE = Text("nilai penuh (100)", "full score (100)")


def _plan_item(result: Result, gain: Decimal) -> dict[str, Any]:
    """The next step for one rule: its next level, or a full score for a measured rule."""
    nxt = result.next_level
    return {"rule_id": result.rule.id, "title": _text(result.rule.title),
            "from_level": None if nxt is None else result.level,
            "to_level": None if nxt is None else nxt.level,
            "from_score": None if result.value is None else number(
                Decimal(result.value.numerator) * 100 / Decimal(result.value.denominator), 2),
            "next_title": _text(FULL_SCORE if nxt is None else nxt.title),
            "gain": number(gain), "status": result.status}


def shortest_path(gains: Mapping[str, Decimal], unrounded: Decimal | None,
                  rounding: Mapping[str, Any], target: Decimal | None) -> dict[str, Any] | None:
    """The fewest next-level steps that lift the rounded score to ``target`` (the next band's
    lower bound): the largest gains first (for any number of steps they add the most), one
    step per rule, each with its cumulative gain and the rounded score after it. ``reaches``
    is False when every step together still falls short. None without a score or a target."""
    if unrounded is None or target is None:
        return None
    steps: list[dict[str, Any]] = []
    total = Decimal(0)
    reached = round_score(unrounded, rounding) >= target
    for rule_id, gain in sorted(gains.items(), key=lambda item: (-item[1], item[0])):
        if reached:
            break
        if gain <= 0:
            continue
        total += gain
        after = round_score(unrounded + total, rounding)
        steps.append({"rule_id": rule_id, "gain": number(gain), "cumulative": number(total),
                      "score_after": number(after, int(rounding["places"]))})
        reached = after >= target
    return {"steps": steps, "reaches": reached}


def _confidence(source: Mapping[str, Any]) -> str:
    return str(source.get("confidence", "official"))


def _placements(edition: Edition) -> list[dict[str, Any]]:
    """Sources of where an edition counts rules it borrows (``include[].source``) that are
    below ``secondary``: one entry per aspect and source, naming its rules."""
    found: list[dict[str, Any]] = []
    for aspect in edition.raw.get("aspects", ()):
        for item in aspect.get("include", ()):
            source = item.get("source")
            if not source or _confidence(source) in ("official", "secondary"):
                continue
            entry = next((e for e in found if e["placement"]["aspect"] == aspect["id"]
                          and {k: v for k, v in e.items() if k != "placement"} == source), None)
            if entry is None:
                entry = {**source, "placement": {"aspect": aspect["id"], "rules": []}}
                found.append(entry)
            entry["placement"]["rules"].append(item["rule"])
    return found


def _findings(evidence: Mapping[str, tuple[Evidence, ...]]) -> list[dict[str, Any]]:
    problems = {
        "not_found": Text("berkas bukti tidak ditemukan", "evidence file not found"),
        "outside": Text("jalur bukti keluar dari folder manifest; tidak dibaca",
                        "evidence path leaves the manifest's folder; not read"),
        "not_a_file": Text("bukti bukan berkas", "evidence is not a file"),
        "unreadable": Text("berkas bukti tidak dapat dibaca (izin, tautan berputar, atau nama "
                           "tidak sah/terlalu panjang)", "evidence file cannot be read "
                           "(permission, a symlink loop, or an invalid or too long name)"),
        "digest_mismatch": Text("sha256 berkas bukti tidak cocok dengan manifest",
                                "evidence file sha256 does not match the manifest"),
        "too_large": Text("berkas bukti terlalu besar untuk di-hash (batas: "
                          "PATUH_MAX_EVIDENCE_BYTES per berkas, PATUH_MAX_EVIDENCE_TOTAL_BYTES "
                          "per manifest); sha256 tidak dicatat; tetap dihitung sebagai bukti",
                          "evidence file too large to hash (limits: PATUH_MAX_EVIDENCE_BYTES "
                          "per file, PATUH_MAX_EVIDENCE_TOTAL_BYTES per manifest); digest not "
                          "recorded; it still counts as evidence"),
    }
    return [{"kind": "evidence", "owner": format_path(e.owner), "ref": e.ref, "status": e.status,
             "message": _text(problems[e.status])}
            for items in evidence.values() for e in items
            if not e.usable or e.status == "too_large"]


def build_report(manifest: Manifest, ruleset: Ruleset, *, as_of: date | None = None,
                 edition_name: str | None = None, waivers: Waivers | None = None,
                 verification: Verification | None = None) -> dict[str, Any]:
    day, day_source = manifest.as_of(as_of)
    edition = pick_edition(ruleset, day, edition_name)
    estimate = estimate_note(ruleset, edition, day)
    facts = manifest.facts(day)  # first: a data file over its limit stops before it is hashed
    evidence = manifest.evidence()
    results = evaluate_rules(ruleset, edition, facts, day, evidence)
    model = manager.scoring_models()[edition.scoring["model"]]
    adjusted = None
    if waivers is None and verification is None:
        score = model(edition, results, facts)
    else:
        from patuh.verification import adjust

        adjusted = adjust(edition, results, facts, model, unit=manifest.data["unit"],
                          as_of=day, waivers=waivers, verification=verification)
        results, score = list(adjusted.results), adjusted.score
    rounded = None if score.final is None else round_score(score.final, edition.rounding)
    band = None if rounded is None else band_for(edition, rounded)
    if rounded is not None and band is None:
        score = Score(score.final, score.parts, score.aspects, score.gains,
                      (*score.notes, Text(
                          "Edisi ini tidak memuat tabel predikat (tidak ditemukan di sumber); "
                          "nilai dilaporkan tanpa predikat.",
                          "This edition has no band table (not found in the sources); the "
                          "score is reported without a predicate.")), score.sources)
    higher = [] if rounded is None else [b for b in edition.bands if b.min > rounded]
    next_band = higher[-1] if higher else None

    plan = sorted((_plan_item(r, score.gains[r.rule.id]) for r in results
                   if score.gains.get(r.rule.id)),
                  key=lambda item: (-item["gain"], item["rule_id"]))

    evidence_digests = {e.ref: e.sha256 for items in evidence.values() for e in items
                        if e.kind == "file" and e.sha256}
    for ref, digest in derived_files(facts):
        evidence_digests[ref] = digest
    manifest_digest = hashlib.sha256(manifest.file.read_bytes()).hexdigest()

    low_confidence = [
        (r.rule.id, _confidence(r.version.source), r.version.source.get("reference_tag", ""))
        for r in results if _confidence(r.version.source) not in ("official", "secondary")]

    report: dict[str, Any] = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "patuh", "version": __version__},
        "ruleset": {
            "id": ruleset.id, "edition": edition.edition, "title": _text(edition.title),
            "effective": edition.period.as_dict(),
            "legal_basis": [dict(item) for item in edition.legal_basis],
        },
        "evaluated_on": day.isoformat(),
        "evaluated_on_source": day_source,
        "unit": dict(manifest.data["unit"]),
        "period": dict(manifest.data["periode"]),
        "manifest": {"file": manifest.file.name, "sha256": manifest_digest},
        "results": [_result(r, score.gains.get(r.rule.id)) for r in results],
        "aspects": [{"id": a.id, "title": _text(a.title), "weight": number(a.weight),
                     "score": number(a.score), "source": dict(a.source)}
                    for a in score.aspects],
        "score": {
            **{p.id: number(p.value) for p in score.parts},
            "parts": [{"id": p.id, "title": _text(p.title), "value": number(p.value),
                       "weight": number(p.weight),
                       "respondents": p.detail.get("respondents"),
                       "items": {k: number(v) for k, v in p.detail.get("items", {}).items()}}
                      for p in score.parts],
            "final": number(rounded, int(edition.rounding["places"])),
            "unrounded": number(score.final, 6),
            "rounding": {k: v for k, v in edition.rounding.items() if k != "source"},
            "weights": "percent" if edition.scoring.get("weights_per_aspect") == 100
            else "relative",
            "rounding_source": dict(edition.rounding.get("source", {})),
            "range": [number(edition.score_range[0]), number(edition.score_range[1])],
        },
        "predicate": None if band is None else {
            "code": band.code, "label": band.label.id, "label_en": band.label.en,
            "min": number(band.min), **dict(band.extra)},
        "next_band": None if next_band is None else {
            "code": next_band.code, "label": next_band.label.id,
            "label_en": next_band.label.en, "min": number(next_band.min),
            "gap": number(next_band.min - rounded) if rounded is not None else None,
            "path": shortest_path(score.gains, score.final, edition.rounding, next_band.min),
            **{k: v for k, v in next_band.extra.items() if k == "display"}},
        "bands_source": dict(edition.raw.get("bands_source", {})),
        "improvement_plan": plan,
        "findings": _findings(evidence),
        **({"readings": [r.as_dict() for r in manifest.readings]} if manifest.readings else {}),
        **({"waivers": adjusted.waivers} if adjusted and adjusted.waivers else {}),
        **({"verification": adjusted.verification}
           if adjusted and adjusted.verification else {}),
        "estimate": None if estimate is None else _text(estimate),
        "notes": [_text(n) for n in (*edition.notes, *score.notes)],
        "confidence": {
            "low": [{"rule_id": rid, "confidence": conf, "reference_tag": tag}
                    for rid, conf, tag in low_confidence],
            "scoring": [*(dict(s) for s in score.sources), *_placements(edition)],
        },
        "digests": {"rules": rules_digest(ruleset, edition), "manifest": manifest_digest,
                    "evidence": dict(sorted(evidence_digests.items()))},
    }
    report["bibliography"] = resolved_sources(report)
    return report


def resolved_sources(report: Mapping[str, Any]) -> dict[str, Any]:
    """Every source key the report cites (rule results, aspects, scoring steps, rounding, band
    table, legal basis), resolved in the rule folders' bibliography; unknown keys are left out
    (a rule folder without a bibliography)."""
    return {entry.key: {k: v for k, v in entry.as_dict().items() if k != "key"}
            for entry in bibliography().resolve(cited_keys(report))}
