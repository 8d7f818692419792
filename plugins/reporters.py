"""Reporters: ``text`` (for people; Bahasa Indonesia by default, ``--lang en``) and ``json``
(follows schemas/report.schema.json; sorted keys, so the same inputs give the same bytes)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.encoder import encode_basestring as _string  # the C function when available
from typing import Any

from patuh import hookimpl
from patuh.i18n import number
from patuh.report import evidence_status_name
from patuh.report import short_number
from patuh.safetext import json_safe
from patuh.safetext import visible
from patuh.scoring import rounding_name
from patuh.sources import confidence_name
from patuh.sources import tag_name
from patuh.sources import tagged_text

MARKS = {"pass": "✓", "partial": "~", "fail": "✗", "missing": "?", "not_applicable": "-",
         "waived": "w", "error": "!"}

WORDS = {
    "id": {
        "unit": "Unit", "date": "Tanggal evaluasi", "predicate": "Predikat",
        "score": "Nilai", "aspects": "Aspek", "weight": "bobot", "indicators": "Indikator",
        "evidence": "bukti", "next": "menuju level", "plan": "Rencana perbaikan "
        "(diurutkan menurut tambahan poin)", "findings": "Temuan pada bukti dukung",
        "notes": "Catatan", "confidence": "Tingkat keyakinan sumber (bukan teks resmi)",
        "digests": "Jejak", "rules": "aturan", "manifest": "manifest",
        "rounded": "dibulatkan ke", "decimals": "desimal", "next_band": "Menuju predikat",
        "gap": "kurang",
        "none": "tidak ada", "no_plan": "Semua indikator sudah di level maksimum.",
        "missing_data": "belum ada data", "from_source": {
            "argument": "dari --as-of", "manifest": "dari periode.tanggal_penilaian",
            "period_end": "akhir tahun periode"},
        "status": {"pass": "terpenuhi", "partial": "sebagian", "fail": "tidak terpenuhi",
                   "missing": "tidak ada data", "not_applicable": "tidak berlaku",
                   "waived": "dikecualikan", "error": "kesalahan"},
        "legend": "✓ terpenuhi  ~ sebagian  ✗ tidak terpenuhi  ? tidak ada data",
        "respondents": "responden", "part_missing": "tidak ada data",
        "aspect_weights": "bobot aspek",
        "no_gain": "Indikator yang belum terpenuhi (lihat di atas) tidak mengubah nilai ini.",
        "no_score": "nilai tidak dapat dihitung: datanya tidak ada; lihat catatan",
        "caveats_hint": "(catatan tiap aturan: `patuh rules show ID`, atau `results[].source` "
        "pada `--format json`)",
        "readings": "Cara patuh membaca isian", "more": "… dan {n} lagi (lihat `readings[]` pada "
        "`--format json`)",
    },
    "en": {
        "unit": "Unit", "date": "Evaluation date", "predicate": "Predicate",
        "score": "Score", "aspects": "Aspects", "weight": "weight", "indicators": "Indicators",
        "evidence": "evidence", "next": "to level", "plan": "Improvement plan "
        "(ranked by points gained)", "findings": "Findings on evidence",
        "notes": "Notes", "confidence": "Source confidence (not official text)",
        "digests": "Trace", "rules": "rules", "manifest": "manifest",
        "rounded": "rounded to", "decimals": "decimals", "next_band": "Next predicate",
        "gap": "short by",
        "none": "none", "no_plan": "Every indicator is at its maximum level.",
        "missing_data": "no data", "from_source": {
            "argument": "from --as-of", "manifest": "from periode.tanggal_penilaian",
            "period_end": "end of the period's year"},
        "status": {"pass": "met", "partial": "partly met", "fail": "not met",
                   "missing": "no data", "not_applicable": "not applicable",
                   "waived": "waived", "error": "error"},
        "legend": "✓ met  ~ partly met  ✗ not met  ? no data",
        "respondents": "respondents", "part_missing": "no data",
        "aspect_weights": "aspect weights",
        "no_gain": "The indicators not met (see above) do not change this score.",
        "no_score": "no score: its data is missing; see the notes",
        "caveats_hint": "(each rule's caveats: `patuh rules show ID`, or `results[].source` in "
        "`--format json`)",
        "readings": "How patuh read your entries", "more": "… and {n} more (see `readings[]` in "
        "`--format json`)",
    },
}


MAX_READINGS = 20  # lines of "how patuh read your entries" in a text report


def shown_value(value: Any, lang: str) -> str:
    """A value as patuh read it, as people of the language write it: ``2025-10-31``, ``76,8``
    (in English ``76.8``), ``2140``, ``ya``."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("ya" if value else "tidak")
    if isinstance(value, (int, float)):
        return number(value, lang, group=False)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def reading_line(item: Mapping[str, Any], lang: str) -> str:
    """``periode.tanggal_penilaian: 31/10/2025 → 2025-10-31 (hari lebih dulu)``."""
    where = f"{item['where']} " if item.get("where") else ""
    return (f"{where}{item['path']}: {item['raw']} → {shown_value(item['value'], lang)} "
            f"({_t(item['how'], lang)})")


def _t(value: Mapping[str, str] | None, lang: str) -> str:
    if not value:
        return ""
    return tagged_text(value.get(lang) or value.get("id", ""), lang)


def _tag(source: Mapping[str, Any], lang: str) -> str:
    tag = source.get("reference_tag")
    return f" [{tag_name(tag, lang)}]" if tag else ""


def num(value: float | None, lang: str, places: int = 4) -> str:
    """A score with ``places`` decimals as ``lang`` writes it (``4,6700``); None: —."""
    return "—" if value is None else number(value, lang, places)


def signed(value: float, lang: str, places: int = 4) -> str:
    """A gain in points: ``+0,0252``."""
    return number(value, lang, places, sign=True)


def _confidence(source: Mapping[str, Any], lang: str) -> str:
    return f"{confidence_name(source.get('confidence'), lang)}{_tag(source, lang)}"


def _predicate(report: Mapping[str, Any], lang: str) -> str:
    p = report["predicate"]
    if p.get("display"):
        return _t(p["display"], lang)
    text = f"{p['code']} {p['label']}"
    if lang == "en" and p.get("label_en"):
        text += f" ({p['label_en']})"
    return text


def render_text(report: Mapping[str, Any], lang: str = "id") -> str:
    w = WORDS["en" if lang == "en" else "id"]
    out: list[str] = []
    add = out.append
    rs = report["ruleset"]
    add(f"patuh — {_t(rs['title'], lang)}")
    unit = report["unit"]
    add(f"{w['unit']}: {unit['nama']}" + (f" — {unit['instansi']}" if unit.get("instansi") else ""))
    add(f"{w['date']}: {report['evaluated_on']} "
        f"({w['from_source'][report['evaluated_on_source']]})")
    add("")
    score = report["score"]
    places = score["rounding"]["places"]
    if report.get("estimate"):
        add(f"!! {_t(report['estimate'], lang)}")
        add("")
    parts = score["parts"]
    if report["predicate"] is None:
        add(f"{w['predicate']}: — ({w['no_score']})")
    else:
        add(f"{w['predicate']}: {_predicate(report, lang)}")
        formula = " + ".join(
            f"{_t(p['title'], lang)} {num(p['value'], lang)} × "
            f"{short_number(p['weight'], lang)}"
            for p in parts if p["value"] is not None)
        add(f"{w['score']}: {num(score['final'], lang, places)}   "
            f"({formula} = {num(score['unrounded'], lang, 6)}; {w['rounded']} {places} "
            f"{w['decimals']}, {rounding_name(score['rounding']['mode'], lang)})")
    for p in parts:
        if p["value"] is None:
            add(f"  {_t(p['title'], lang)}: {w['part_missing']}")
        elif p.get("respondents"):
            add(f"  {_t(p['title'], lang)}: {num(p['value'], lang)} "
                f"({number(p['respondents'], lang)} {w['respondents']})")
    nb = report.get("next_band")
    if nb:
        label = _t(nb["display"], lang) if nb.get("display") else (
            f"{nb['code']} {nb['label_en'] if lang == 'en' else nb['label']}")
        add(f"{w['next_band']} {label}: ≥ {num(nb['min'], lang, places)} "
            f"({w['gap']} {num(nb['gap'], lang, places)})")
    add("")
    add(f"{w['aspects']}:")
    width = max(len(a["id"]) for a in report["aspects"])
    for a in report["aspects"]:
        add(f"  {a['id']:<{width}}  {_t(a['title'], lang):<45} {w['weight']} "
            f"{num(a['weight'], lang, 2):>6}%  {num(a['score'], lang)}")
    add("")
    unit = "%" if score.get("weights") == "percent" else ""
    add(f"{w['indicators']} ({w['legend']}):")
    by_aspect: dict[str, list[Mapping[str, Any]]] = {}
    for r in report["results"]:
        by_aspect.setdefault(r["aspect"], []).append(r)
    own = report["ruleset"]["id"]

    def short(rule_id: str) -> str:
        prefix, rest = rule_id.split(".", 1)
        return rest if prefix == own else rule_id

    code_width = max((len(short(r["rule_id"])) for r in report["results"]), default=10)
    for a in report["aspects"]:
        rows = by_aspect.get(a["id"], [])
        if not rows:
            continue
        add(f"  {a['id']}. {_t(a['title'], lang)}")
        for r in rows:
            reached = (f"{r['level']}/{r['max_level']}" if r["level"] is not None
                       else f"{num(r['score'], lang, 2)}/100")
            add(f"   [{MARKS[r['status']]}] {short(r['rule_id']):<{code_width}} {reached}  "
                f"{_t(r['title'], lang)}  ({w['weight']} {short_number(r['weight'], lang)}{unit})")
            if r["level_title"]:
                add(f"         = {_t(r['level_title'], lang)}")
            used = [e["ref"] + ("" if e["status"] in ("ok", "declared") else
                                f" [{evidence_status_name(e['status'], lang)}]")
                    for e in r["evidence"]]
            if used:
                add(f"         {w['evidence']}: " + ", ".join(used))
            if r["next_level"]:
                gain = f" ({signed(r['gain'], lang)})" if r.get("gain") else ""
                add(f"         {w['next']} {r['next_level']['level']}{gain}: "
                    f"{_t(r['next_level']['title'], lang)}")
            for u in r["unmet"]:
                add(f"           - {_t(u['message'], lang)}")
    add("")
    add(f"{w['plan']}:")
    if not report["improvement_plan"]:
        all_pass = all(r["status"] == "pass" for r in report["results"])
        add(f"  {w['no_plan'] if all_pass else w['no_gain']}")
    for index, item in enumerate(report["improvement_plan"][:15], start=1):
        step = (f"{item['from_level']} → {item['to_level']}" if item["to_level"] is not None
                else f"{num(item['from_score'], lang, 2)} → 100")
        add(f"  {index:>2}. {signed(item['gain'], lang)}  "
            f"{short(item['rule_id']):<{code_width}} "
            f"{step}: {_t(item['next_title'], lang)}")
    if len(report["improvement_plan"]) > 15:
        rest = len(report["improvement_plan"]) - 15
        add(f"      … (+{rest})")
    if report["findings"]:
        add("")
        add(f"{w['findings']}:")
        for f in report["findings"]:
            add(f"  ! {f['ref']} ({f['owner']}): {_t(f['message'], lang)}")
    readings = report.get("readings") or []
    if readings:
        add("")
        add(f"{w['readings']}:")
        for item in readings[:MAX_READINGS]:
            add(f"  {reading_line(item, lang)}")
        if len(readings) > MAX_READINGS:
            add(f"  {w['more'].format(n=len(readings) - MAX_READINGS)}")
    if report.get("verification") or report.get("waivers"):  # their readers only then
        from patuh.verification import render_verification
        from patuh.waivers import render_waivers

        for section in (render_verification(report.get("verification"), lang),
                        render_waivers(report.get("waivers"), lang)):
            if section:
                add("")
                out.extend(section.rstrip("\n").split("\n"))
    notes = report["notes"]
    if notes:
        add("")
        add(f"{w['notes']}:")
        for n in notes:
            add(f"  - {_t(n, lang)}")
    add("")
    add(f"{w['confidence']}:")
    rounding_src = score.get("rounding_source") or {}
    for c in report["confidence"]["scoring"]:
        add(f"  - {c.get('regulation', '')}: {_confidence(c, lang)}")
        for cav in c.get("caveats", []):
            add(f"      {_t(cav, lang)}")
    for src in (rounding_src, report.get("bands_source") or {}):
        if src and (src.get("confidence") not in ("official", "secondary")
                    or src.get("caveats")):
            add(f"  - {src.get('regulation', '')}: {_confidence(src, lang)}")
            for cav in src.get("caveats", []):
                add(f"      {_t(cav, lang)}")
    weak_aspects: dict[str, list[str]] = {}
    for a in report["aspects"]:
        conf = a.get("source", {}).get("confidence")
        if conf and conf not in ("official", "secondary"):
            key = _confidence(a["source"], lang)
            weak_aspects.setdefault(key, []).append(a["id"])
    for key, ids in sorted(weak_aspects.items()):
        add(f"  - {w['aspect_weights']} {', '.join(ids)}: {key}")
    groups: dict[str, list[str]] = {}
    for item in report["confidence"]["low"]:
        key = _confidence(item, lang)
        groups.setdefault(key, []).append(short(item["rule_id"]))
    for key, ids in sorted(groups.items()):
        add(f"  - {key}: {', '.join(ids)}")
    if groups:
        add(f"    {w['caveats_hint']}")
    add("")
    d = report["digests"]
    add(f"{w['digests']}: {w['rules']} `sha256:{d['rules'][:16]}…`  "
        f"{w['manifest']} `sha256:{d['manifest'][:16]}…`  "
        f"{w['evidence']}: {len(d['evidence'])}")
    return visible("\n".join(out) + "\n")


# --- JSON with indent=2, as json.dumps writes it, without its slow pure-Python path ----------
# json.dumps(..., indent=2) cannot use the C encoder (Python < 3.14): a report took ~2.4 ms.
# The writer below emits the same bytes as json.dumps(value, ensure_ascii=False,
# sort_keys=True, indent=2) for plain data (dict with str keys, list, str, int, float, bool,
# None; exact types); anything else (a subclass, a tuple, another key type) makes json.dumps
# write, or refuse, the whole value as before. tests/test_json_writer.py compares the two.

_INF = float("inf")


class _Unusual(Exception):
    """A value the fast writer leaves to json.dumps."""


def _scalar(value: Any, kind: type) -> str:
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value == _INF:
            return "Infinity"
        if value == -_INF:
            return "-Infinity"
        return float.__repr__(value)
    raise _Unusual


def _write(value: Any, level: int, out: list[str]) -> None:
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("{" + inner)
        separator = "," + inner
        first = True
        for key in sorted(value):  # json.dumps sorts the items; keys are unique
            if type(key) is not str:
                raise _Unusual
            if first:
                first = False
            else:
                out.append(separator)
            item = value[key]
            sort = type(item)
            if sort is str:
                out.append(_string(key) + ": " + _string(item))
            elif sort is dict or sort is list:
                out.append(_string(key) + ": ")
                _write(item, level + 1, out)
            else:
                out.append(_string(key) + ": " + _scalar(item, sort))
        out.append("\n" + "  " * level + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("[" + inner)
        separator = "," + inner
        first = True
        for item in value:
            if first:
                first = False
            else:
                out.append(separator)
            sort = type(item)
            if sort is dict or sort is list:
                _write(item, level + 1, out)
            else:
                out.append(_scalar(item, sort))
        out.append("\n" + "  " * level + "]")
    else:
        out.append(_scalar(value, kind))


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)``, byte for byte."""
    out: list[str] = []
    try:
        _write(value, 0, out)
    except (_Unusual, RecursionError, TypeError):  # json.dumps writes it or says why not
        return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    return "".join(out)


def render_json(report: Mapping[str, Any], lang: str = "id") -> str:
    return json_safe(dumps_indented(report) + "\n")


@hookimpl
def patuh_reporters() -> Mapping[str, Any]:
    return {"text": render_text, "json": render_json}
