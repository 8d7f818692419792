"""The leadership dashboard of a round, computed from its units' reports (framework-free).

Everything here reads the report dicts ``patuh check … --format json`` gives (the platform's
report cache in ``summary.py`` holds them); nothing is scored again. The result is one
JSON-ready dict: the page, the downloads (``dashboard_files``) and the API show the same one.

Definitions (also said on the page):
- *filled*: the share of the report's rules whose status is not ``missing`` (a rule with no
  answer yet), over the units whose manifest checks.
- *basis*: a unit whose report has a ``verification`` section is shown with its verified score
  ("terverifikasi"), any other with its own claim ("klaim"), the words ``patuh history`` uses.
- *gain of a programme*: for each rule, the points reaching its maximum level would add to
  each unit's final score, summed over the units. It is the report's own ``gain`` (what the
  scoring model says the next level adds) times the levels still missing: the bundled scoring
  models add the same points for every level of a rule. A measured rule's ``gain`` already is
  the way to its maximum. Waived rules are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from patuh.history import BASIS
from patuh.i18n import Text
from patuh.plugins.web.stage_codes import ORDER as STAGE_CODES

HEAT_LEVELS = 5  # colour classes heat-0 (best band) … heat-4 (worst)
FILLED = Text("Terisi = bagian indikator (aturan) yang sudah dijawab, yaitu yang hasilnya bukan "
              "“tidak ada data”, dari unit yang manifestnya dapat diperiksa.",
              "Filled = the share of indicators (rules) answered, i.e. with a status other "
              "than 'missing' (no data yet), over the units whose manifest checks.")
GAIN = Text("Tambahan poin = jumlah, atas semua unit, poin yang ditambahkan ke nilai akhir unit "
            "bila indikator mencapai level maksimum: tambahan per level dalam laporan (menurut "
            "model penilaian) dikali level yang masih kurang. Indikator yang dikecualikan tidak "
            "dihitung.",
            "Points gained = the sum, over all units, of the points reaching the indicator's "
            "maximum level would add to the unit's final score: the report's 'gain' (what one "
            "level adds, by the scoring model) times the levels still missing. Waived "
            "indicators are not counted.")


@dataclass(frozen=True)
class UnitInput:
    """One unit of a round as the dashboard needs it."""

    kode: str
    nama: str
    status: str  # the unit's stage
    report: Mapping[str, Any] | None  # the JSON report dict, None when the manifest fails
    error: Text | None = None
    url: str | None = None  # the unit's report page, for the HTML summary


def band_list(edition: Any) -> list[dict[str, Any]]:
    """An edition's bands (``rulebook.Edition.bands``, highest first) as plain dicts."""
    return [{"code": b.code, "label": b.label.id, "label_en": b.label.en, "min": float(b.min)}
            for b in edition.bands]


def _band_index(value: float | None, bands: Sequence[Mapping[str, Any]]) -> int | None:
    if value is None or not bands:
        return None
    for index, band in enumerate(bands):
        if value >= band["min"]:
            return index
    return len(bands) - 1


def heat_class(value: float | None, bands: Sequence[Mapping[str, Any]]) -> str:
    """A colour class for a score: ``heat-0`` for the best band … ``heat-4`` for the worst
    (the bands spread over five colours), ``heat-none`` without a score or bands."""
    index = _band_index(value, bands)
    if index is None:
        return "heat-none"
    last = max(len(bands) - 1, 1)
    return f"heat-{round(index * (HEAT_LEVELS - 1) / last)}"


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _final(report: Mapping[str, Any]) -> float | None:
    score = report.get("score")
    return _num(score.get("final")) if isinstance(score, Mapping) else None


def _predicate(found: Any) -> dict[str, str] | None:
    if not isinstance(found, Mapping):
        return None
    return {"code": str(found.get("code", "")), "label": str(found.get("label", "")),
            "label_en": str(found.get("label_en", found.get("label", "")))}


def _results(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = report.get("results")
    return [r for r in found if isinstance(r, Mapping)] if isinstance(found, list) else []


def _filled(report: Mapping[str, Any]) -> tuple[int, int]:
    results = _results(report)
    return sum(1 for r in results if r.get("status") != "missing"), len(results)


def _text(value: Any) -> dict[str, str]:
    found = Text.of(value) if value else Text("", "")
    return {"id": found.id, "en": found.en}


def _source(result: Mapping[str, Any]) -> str:
    source = result.get("source")
    if not isinstance(source, Mapping):
        return ""
    parts = [str(source[k]) for k in ("regulation", "article") if source.get(k)]
    return "; ".join(parts)


def _gain_to_max(result: Mapping[str, Any]) -> float:
    gain = _num(result.get("gain")) or 0.0
    level, top = result.get("level"), result.get("max_level")
    if result.get("next_level") and isinstance(level, int) and isinstance(top, int):
        return gain * max(top - level, 0)
    return gain


def _unit_line(unit: UnitInput) -> dict[str, Any]:
    line: dict[str, Any] = {"kode": unit.kode, "nama": unit.nama, "status": unit.status,
                            "url": unit.url, "score": None, "predicate": None,
                            "basis": None, "basis_label": None, "claimed_score": None,
                            "claimed_predicate": None, "filled": None, "filled_pct": None,
                            "aspects": {}, "edition": None, "period": None, "error": None,
                            "error_en": None}
    if unit.report is None:
        error = unit.error or Text("laporan tidak tersedia", "no report")
        line.update(error=error.id, error_en=error.en)
        return line
    report = unit.report
    verification = report.get("verification")
    basis = "verified" if isinstance(verification, Mapping) else "self"
    answered, total = _filled(report)
    line.update(score=_final(report), predicate=_predicate(report.get("predicate")),
                basis=basis, basis_label=BASIS[basis].as_dict(),
                filled={"answered": answered, "rules": total},
                filled_pct=round(100 * answered / total, 1) if total else None)
    if basis == "verified":
        claimed = verification.get("effect", {}).get("claimed", {}) \
            if isinstance(verification.get("effect"), Mapping) else {}
        line.update(claimed_score=_num(claimed.get("final")),
                    claimed_predicate=_predicate(claimed.get("predicate")))
    for aspect in report.get("aspects") or []:
        if isinstance(aspect, Mapping) and aspect.get("id") is not None:
            line["aspects"][str(aspect["id"])] = _num(aspect.get("score"))
    ruleset = report.get("ruleset")
    if isinstance(ruleset, Mapping):
        line["edition"] = ruleset.get("edition")
    period = report.get("period")
    if isinstance(period, Mapping):
        line["period"] = period.get("tahun")
    return line


def _aspects(units: Iterable[UnitInput]) -> list[dict[str, Any]]:
    """The aspects of the round's reports, in report order (the first report that has each)."""
    seen: dict[str, dict[str, Any]] = {}
    for unit in units:
        for aspect in (unit.report or {}).get("aspects") or []:
            if isinstance(aspect, Mapping) and str(aspect.get("id")) not in seen:
                seen[str(aspect["id"])] = {"id": str(aspect["id"]),
                                           "title": _text(aspect.get("title")),
                                           "weight": _num(aspect.get("weight"))}
    return list(seen.values())


def _missed(units: Sequence[UnitInput]) -> list[dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for unit in units:
        if unit.report is None:
            continue
        for result in _results(unit.report):
            rule_id = str(result.get("rule_id", ""))
            level, top = result.get("level"), result.get("max_level")
            if not rule_id or result.get("status") == "waived" or not isinstance(level, int) \
                    or not isinstance(top, int):
                continue
            item = rules.setdefault(rule_id, {
                "rule_id": rule_id, "title": _text(result.get("title")),
                "source": _source(result), "aspect": result.get("aspect"), "max_level": top,
                "units_scored": 0, "units_below": 0, "levels": 0, "gain": 0.0,
                "below": []})
            item["units_scored"] += 1
            item["levels"] += level
            if level < top:
                item["units_below"] += 1
                item["gain"] += _gain_to_max(result)
                item["below"].append(unit.kode)
    out = []
    for item in rules.values():
        if not item["units_below"]:
            continue
        levels = item.pop("levels")
        item["average_level"] = round(levels / item["units_scored"], 2)
        item["gain"] = round(item["gain"], 4)
        out.append(item)
    out.sort(key=lambda i: (-i["gain"], -i["units_below"], i["rule_id"]))
    return out


def _distribution(lines: Sequence[Mapping[str, Any]],
                  bands: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for line in lines:
        if line["predicate"]:
            counts[line["predicate"]["code"]] = counts.get(line["predicate"]["code"], 0) + 1
    rows = [{**band, "count": counts.pop(band["code"], 0),
             "heat": heat_class(band["min"], bands)} for band in bands]
    for code, count in sorted(counts.items()):  # a predicate the edition's table lacks
        rows.append({"code": code, "label": code, "label_en": code, "min": None,
                     "count": count, "heat": "heat-none"})
    return rows


def _comparison(line: Mapping[str, Any], before: Mapping[str, Any] | None,
                previous: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"kode": line["kode"], "nama": line["nama"], "before": None,
                            "after": line["score"], "delta": None, "predicate_before": None,
                            "predicate_after": line["predicate"], "predicate_changed": None,
                            "comparable": None, "reasons": [], "found": before is not None}
    if before is None:
        return item
    item.update(before=before["score"], predicate_before=before["predicate"])
    if before["score"] is not None and line["score"] is not None:
        item["delta"] = round(line["score"] - before["score"], 4)
    if before["predicate"] and line["predicate"]:
        item["predicate_changed"] = before["predicate"]["code"] != line["predicate"]["code"]
    ed_a = before["edition"] or previous.get("edition")
    ed_b = line["edition"]
    if line["score"] is None or before["score"] is None:
        return item
    item["comparable"] = ed_a == ed_b
    if ed_a != ed_b:  # the words of `patuh history … compare`
        per_a = before["period"] or previous.get("year")
        per_b = line["period"]
        item["reasons"].append(Text(
            f"edisi berbeda: {ed_a} (periode {per_a}) dan {ed_b} (periode {per_b}); "
            "indikator, bobot dan pita dapat berbeda",
            f"different editions: {ed_a} (period {per_a}) and {ed_b} (period {per_b}); "
            "indicators, weights and bands may differ").as_dict())
    return item


def build(round_info: Mapping[str, Any], units: Sequence[UnitInput],
          bands: Sequence[Mapping[str, Any]], previous: Mapping[str, Any] | None = None,
          previous_units: Sequence[UnitInput] = ()) -> dict[str, Any]:
    """The dashboard of a round: ``round_info`` (slug, name, ruleset, edition, year), its
    units, the bands of its edition (``band_list``, highest first), and the previous round
    (same keys) with its units, matched by ``kode``."""
    lines = [_unit_line(unit) for unit in units]
    checked = [line for line in lines if line["error"] is None]
    answered = sum(line["filled"]["answered"] for line in checked)
    rules = sum(line["filled"]["rules"] for line in checked)
    stages = {code: 0 for code in STAGE_CODES}
    for line in lines:
        stages[line["status"]] = stages.get(line["status"], 0) + 1
    progress = {"units": len(lines), "checked": len(checked), "errors": len(lines) - len(checked),
                "answered": answered, "rules": rules,
                "filled_pct": round(100 * answered / rules, 1) if rules else None,
                "stages": stages,
                "verified_basis": sum(1 for line in checked if line["basis"] == "verified"),
                "definition": FILLED.as_dict()}
    ranked = sorted(lines, key=lambda line: (line["score"] is None, -(line["score"] or 0),
                                             line["kode"]))
    for index, line in enumerate(ranked):  # equal scores share a rank: 1, 2, 2, 4
        if line["score"] is None:
            line["rank"] = None
        elif index and ranked[index - 1]["score"] == line["score"]:
            line["rank"] = ranked[index - 1]["rank"]
        else:
            line["rank"] = index + 1
        line["heat"] = heat_class(line["score"], bands)
        line["aspect_heat"] = {k: heat_class(v, bands) for k, v in line["aspects"].items()}
    aspects = _aspects(units)
    history: dict[str, Any] = {"previous": None, "units": []}
    if previous is not None:
        before = {line["kode"]: line for line in (_unit_line(u) for u in previous_units)}
        history = {"previous": dict(previous),
                   "units": [_comparison(line, before.get(line["kode"]), previous)
                             for line in ranked]}
    top = max((line["score"] for line in checked if line["score"] is not None), default=None)
    return {"round": dict(round_info), "progress": progress, "ranking": ranked,
            "bands": [dict(b) for b in bands], "distribution": _distribution(lines, bands),
            "aspects": aspects,
            "heatmap": {"aspects": [a["id"] for a in aspects],
                        "rows": [{"kode": line["kode"], "nama": line["nama"],
                                  "scores": [line["aspects"].get(a["id"]) for a in aspects]}
                                 for line in ranked if line["error"] is None]},
            "missed": _missed(units), "missed_definition": GAIN.as_dict(),
            "history": history,
            "scale_max": _scale_max(units, top)}


def _scale_max(units: Sequence[UnitInput], top: float | None) -> float | None:
    """The upper end of the score range (the reports' ``score.range``), for bar lengths."""
    for unit in units:
        score = (unit.report or {}).get("score")
        found = score.get("range") if isinstance(score, Mapping) else None
        if isinstance(found, list) and len(found) == 2 and _num(found[1]):
            return float(found[1])
    return top
