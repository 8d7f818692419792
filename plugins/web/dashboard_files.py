"""The dashboard's downloads (framework-free): a formatted XLSX workbook in Indonesian (or
English), a CSV of machine numbers, a standalone HTML summary and JSON.

Each writer takes the dict ``patuh.plugins.web.dashboard.build`` returns, so the command
line's batch can write the same files from its own reports later."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from html import escape
from typing import Any

from patuh.batch import deterministic_xlsx
from patuh.batch import number_format
from patuh.i18n import Text
from patuh.i18n import number
from patuh.xlsxstyle import HEAT_FILLS  # shared with the batch summary's workbook
from patuh.xlsxstyle import HEAT_INK

STAGE_LABELS = {"draft": Text("Draf", "Draft"), "submitted": Text("Diserahkan", "Submitted"),
                "in_verification": Text("Dalam verifikasi", "In verification"),
                "revision_requested": Text("Perlu perbaikan", "Revision requested"),
                "verified": Text("Terverifikasi", "Verified"), "final": Text("Final", "Final"),
                "error": Text("Manifest bermasalah", "Manifest fails")}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

T = {
    "rank": Text("Peringkat", "Rank"), "kode": Text("Kode", "Code"), "unit": Text("Unit", "Unit"),
    "stage": Text("Tahap", "Stage"), "score": Text("Nilai", "Score"),
    "pred_code": Text("Predikat", "Predicate"), "pred_label": Text("Arti predikat",
                                                                   "Predicate meaning"),
    "basis": Text("Dasar", "Basis"), "claimed": Text("Nilai klaim", "Claimed score"),
    "filled": Text("Terisi (%)", "Filled (%)"), "aspect": Text("Aspek", "Aspect"),
    "before": Text("Nilai putaran sebelumnya", "Previous round's score"),
    "delta": Text("Selisih", "Change"), "comparable": Text("Sebanding", "Comparable"),
    "error": Text("Masalah", "Problem"), "url": Text("Laporan", "Report"),
    "rule": Text("Indikator (id)", "Indicator (id)"), "title": Text("Indikator", "Indicator"),
    "source": Text("Dasar hukum", "Legal source"),
    "below": Text("Unit di bawah maksimum", "Units below the maximum"),
    "scored": Text("Unit dinilai", "Units scored"),
    "avg": Text("Rata-rata level", "Average level"), "max": Text("Level maksimum", "Maximum level"),
    "gain": Text("Tambahan poin (semua unit)", "Points gained (all units)"),
    "units_below": Text("Unit yang belum maksimum", "Units not at the maximum"),
    "band": Text("Batas bawah", "Lower bound"), "count": Text("Jumlah unit", "Units"),
    "pred_before": Text("Predikat sebelumnya", "Previous predicate"),
    "pred_after": Text("Predikat sekarang", "Current predicate"),
    "pred_changed": Text("Predikat berubah", "Predicate changed"),
    "now": Text("Nilai sekarang", "Current score"), "notes": Text("Keterangan", "Notes"),
    "yes": Text("ya", "yes"), "no": Text("tidak", "no"),
    "sheet_rank": Text("Peringkat", "Ranking"), "sheet_missed": Text("Indikator terlewat",
                                                                      "Missed indicators"),
    "sheet_dist": Text("Distribusi predikat", "Predicate distribution"),
    "sheet_progress": Text("Progres", "Progress"), "sheet_history": Text("Riwayat", "History"),
    "units": Text("Jumlah unit", "Units"), "checked": Text("Unit dapat diperiksa",
                                                           "Units that check"),
    "errors": Text("Unit bermasalah", "Units with a failing manifest"),
    "filled_pct": Text("Terisi (%)", "Filled (%)"),
    "verified_basis": Text("Unit dengan nilai terverifikasi", "Units with a verified score"),
    "none": Text("tidak ada", "none"),
}


def _t(key: str, lang: str) -> str:
    return T[key].get(lang)


def _pick(pair: Mapping[str, Any] | None, lang: str, id_key: str = "id",
          en_key: str = "en") -> str:
    if not pair:
        return ""
    return str(pair.get(en_key) if lang == "en" else pair.get(id_key)) or ""


def _pred_label(predicate: Mapping[str, Any] | None, lang: str) -> str:
    return _pick(predicate, lang, "label", "label_en")


def aspect_header(aspect: Mapping[str, Any], lang: str) -> str:
    return f"{_t('aspect', lang)} {aspect['id']}: {_pick(aspect['title'], lang)}"


def _history_by_kode(dash: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {item["kode"]: item for item in dash["history"]["units"]}


def _yes_no(value: bool | None, lang: str) -> str:
    return "" if value is None else _t("yes" if value else "no", lang)


# -- XLSX -----------------------------------------------------------------------------------------

def xlsx(dash: Mapping[str, Any], lang: str = "id") -> bytes:
    """The formatted workbook: frozen headers, ``0.00`` scores, one column per aspect,
    predicate and heat fills, a sheet of the most-missed indicators."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)

    def fill(heat: str) -> PatternFill:
        colour = HEAT_FILLS.get(heat, HEAT_FILLS["heat-none"])
        return PatternFill("solid", start_color=colour, end_color=colour)

    def ink(heat: str) -> Font:
        return Font(color=HEAT_INK.get(heat, "000000"))

    def sheet(book: Any, title: str, header: list[str], widths: list[int]) -> Any:
        ws = book.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        return ws

    def text(value: Any) -> Any:
        if isinstance(value, str):
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            return "'" + value if value.startswith(_FORMULA) else value
        return value

    book = Workbook()
    book.remove(book.active)
    aspects = dash["aspects"]
    history = _history_by_kode(dash)
    header = [_t(k, lang) for k in ("rank", "kode", "unit", "stage", "score", "pred_code",
                                    "pred_label", "basis", "claimed", "filled")]
    header += [aspect_header(a, lang) for a in aspects]
    header += [_t(k, lang) for k in ("before", "delta", "comparable", "error")]
    ws = sheet(book, _t("sheet_rank", lang), header,
               [10, 24, 40, 16, 9, 10, 22, 14, 11, 10] + [14] * len(aspects) + [14, 9, 11, 50])
    ws.freeze_panes = "D2"  # the header and the unit stay in view
    for line in dash["ranking"]:
        item = history.get(line["kode"], {})
        row = [line["rank"], text(line["kode"]), text(line["nama"]),
               STAGE_LABELS.get(line["status"], Text(line["status"], line["status"])).get(lang),
               line["score"], (line["predicate"] or {}).get("code"),
               text(_pred_label(line["predicate"], lang)),
               _pick(line["basis_label"], lang), line["claimed_score"],
               line["filled_pct"]]
        row += [line["aspects"].get(a["id"]) for a in aspects]
        row += [item.get("before"), item.get("delta"), _yes_no(item.get("comparable"), lang),
                text(line["error_en"] if lang == "en" else line["error"])]
        ws.append(row)
        r = ws.max_row
        for col in (5, 9):
            ws.cell(r, col).number_format = number_format(2, lang)
        ws.cell(r, 10).number_format = number_format(1, lang)
        for col in range(11, 11 + len(aspects) + 2):
            ws.cell(r, col).number_format = number_format(2, lang)
        if line["predicate"]:
            for col in (6, 7):
                ws.cell(r, col).fill = fill(line["heat"])
                ws.cell(r, col).font = ink(line["heat"])
        for offset, aspect in enumerate(aspects):
            heat = line["aspect_heat"].get(aspect["id"], "heat-none")
            if line["aspects"].get(aspect["id"]) is not None:
                ws.cell(r, 11 + offset).fill = fill(heat)
                ws.cell(r, 11 + offset).font = ink(heat)

    ws = sheet(book, _t("sheet_missed", lang),
               [_t(k, lang) for k in ("rule", "title", "source", "below", "scored", "avg", "max",
                                      "gain", "units_below")],
               [18, 50, 50, 12, 10, 10, 10, 14, 40])
    for item in dash["missed"]:
        ws.append([text(item["rule_id"]), text(_pick(item["title"], lang)),
                   text(item["source"]), item["units_below"], item["units_scored"],
                   item["average_level"], item["max_level"], item["gain"],
                   text(", ".join(item["below"]))])
        ws.cell(ws.max_row, 6).number_format = number_format(2, lang)
        ws.cell(ws.max_row, 8).number_format = number_format(4, lang)

    ws = sheet(book, _t("sheet_dist", lang),
               [_t(k, lang) for k in ("pred_code", "pred_label", "band", "count")],
               [10, 30, 12, 12])
    for band in dash["distribution"]:
        ws.append([text(band["code"]), text(_pred_label(band, lang)), band["min"],
                   band["count"]])
        ws.cell(ws.max_row, 3).number_format = number_format(2, lang)
        ws.cell(ws.max_row, 1).fill = fill(band["heat"])
        ws.cell(ws.max_row, 1).font = ink(band["heat"])

    progress = dash["progress"]
    ws = sheet(book, _t("sheet_progress", lang), ["", ""], [40, 14])
    for key in ("units", "checked", "errors", "filled_pct", "verified_basis"):
        ws.append([_t(key, lang), progress[key]])
    ws.cell(5, 2).number_format = number_format(1, lang)
    for code, count in progress["stages"].items():
        ws.append([STAGE_LABELS.get(code, Text(code, code)).get(lang), count])
    ws.append([_pick(progress["definition"], lang)])

    ws = sheet(book, _t("sheet_history", lang),
               [_t(k, lang) for k in ("kode", "unit", "before", "now", "delta", "pred_before",
                                      "pred_after", "pred_changed", "comparable", "notes")],
               [24, 40, 14, 14, 10, 14, 14, 12, 12, 60])
    for item in dash["history"]["units"]:
        ws.append([text(item["kode"]), text(item["nama"]), item["before"], item["after"],
                   item["delta"], (item["predicate_before"] or {}).get("code"),
                   (item["predicate_after"] or {}).get("code"),
                   _yes_no(item["predicate_changed"], lang), _yes_no(item["comparable"], lang),
                   text("; ".join(_pick(r, lang) for r in item["reasons"]))])
        for col in (3, 4, 5):
            ws.cell(ws.max_row, col).number_format = number_format(2, lang)
    return deterministic_xlsx(book)


# -- CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = ("rank", "kode", "nama", "status", "score", "predicate", "basis", "claimed_score",
               "filled_pct", "previous_score", "delta", "comparable", "error")


def csv_bytes(dash: Mapping[str, Any]) -> bytes:
    """One row per unit, machine numbers (a dot, no rounding beyond the report's), English
    column names, one ``aspect_<id>`` column per aspect; UTF-8 with a BOM for spreadsheets."""
    history = _history_by_kode(dash)
    aspects = [a["id"] for a in dash["aspects"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CSV_COLUMNS, *(f"aspect_{a}" for a in aspects)])

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and value.startswith(_FORMULA):
            return "'" + value
        return value

    for line in dash["ranking"]:
        item = history.get(line["kode"], {})
        values = [line["rank"], line["kode"], line["nama"], line["status"], line["score"],
                  (line["predicate"] or {}).get("code"), line["basis"], line["claimed_score"],
                  line["filled_pct"], item.get("before"), item.get("delta"),
                  item.get("comparable"), line["error"]]
        values += [line["aspects"].get(a) for a in aspects]
        writer.writerow([cell(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- JSON -----------------------------------------------------------------------------------------

def json_bytes(dash: Mapping[str, Any]) -> bytes:
    return json.dumps(dash, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,"Segoe UI",Roboto,sans-serif;color:#1d2733;margin:1.5rem;
max-width:70rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}
th,td{border-bottom:1px solid #d8dee6;padding:.3rem .45rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.heat-0{background:#1a7f37;color:#fff}.heat-1{background:#7cc08a}.heat-2{background:#f2d16b}
.heat-3{background:#f0a05a}.heat-4{background:#d1453b;color:#fff}.heat-none{background:#e5e7eb}
.muted{color:#5d6b7a}.error{color:#b42318}
@media print{a{color:inherit}}
"""


def html(dash: Mapping[str, Any], lang: str = "id") -> str:
    """A standalone page (one style block, no script, no external file): progress, the
    ranking with links to each unit's report, the predicate distribution, the heat map, the
    most-missed indicators and the change from the previous round."""
    en = lang == "en"
    e = escape
    r = dash["round"]
    history = _history_by_kode(dash)

    def num(value: Any, places: int = 2) -> str:
        return "–" if value is None else number(value, lang, places)

    def pred(predicate: Mapping[str, Any] | None) -> str:
        if not predicate:
            return "–"
        return f"<strong>{e(predicate['code'])}</strong> {e(_pred_label(predicate, lang))}"

    def L(id_: str, en_: str) -> str:  # a short name for the page's words
        return e(en_ if en else id_)

    p = dash["progress"]
    out = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{e(r['name'])} · {L('Ringkasan', 'Summary')}</title><style>{_CSS}</style>"
           f"</head><body><h1>{e(r['name'])}</h1>"
           f"<p class=\"muted\">{e(r['ruleset'])} {e(str(r['edition']))} · "
           f"{L('periode', 'period')} {e(str(r['year']))}</p>",
           f"<h2>{L('Progres', 'Progress')}</h2><table><tbody>"]
    for key in ("units", "checked", "errors", "verified_basis"):
        out.append(f"<tr><th>{e(_t(key, lang))}</th><td class=\"num\">{p[key]}</td></tr>")
    out.append(f"<tr><th>{e(_t('filled_pct', lang))}</th><td class=\"num\">"
               f"{num(p['filled_pct'], 1)}</td></tr>")
    for code, count in p["stages"].items():
        label = STAGE_LABELS.get(code, Text(code, code)).get(lang)
        out.append(f"<tr><th>{e(label)}</th><td class=\"num\">{count}</td></tr>")
    out.append(f"</tbody></table><p class=\"muted\">{e(_pick(p['definition'], lang))}</p>")

    out.append(f"<h2>{L('Peringkat unit', 'Units ranked')}</h2><table><thead><tr>"
               f"<th class=\"num\">#</th><th>{e(_t('unit', lang))}</th>"
               f"<th class=\"num\">{e(_t('score', lang))}</th><th>{e(_t('pred_code', lang))}</th>"
               f"<th>{e(_t('basis', lang))}</th><th class=\"num\">{e(_t('filled', lang))}</th>"
               f"<th class=\"num\">{e(_t('delta', lang))}</th></tr></thead><tbody>")
    for line in dash["ranking"]:
        name = e(line["nama"])
        if line["url"]:
            name = f'<a href="{e(line["url"])}">{name}</a>'
        if line["error"]:
            problem = e(line["error_en"] if en else line["error"])
            out.append(f"<tr><td class=\"num\">–</td><td>{name} <code>{e(line['kode'])}</code>"
                       f"</td><td colspan=\"5\" class=\"error\">{problem}</td></tr>")
            continue
        item = history.get(line["kode"], {})
        out.append(f"<tr><td class=\"num\">{line['rank'] or '–'}</td><td>{name} "
                   f"<code>{e(line['kode'])}</code></td><td class=\"num\">{num(line['score'])}"
                   f"</td><td class=\"{line['heat']}\">{pred(line['predicate'])}</td>"
                   f"<td>{e(_pick(line['basis_label'], lang))}</td>"
                   f"<td class=\"num\">{num(line['filled_pct'], 1)}</td>"
                   f"<td class=\"num\">{num(item.get('delta'))}</td></tr>")
    out.append("</tbody></table>")

    out.append(f"<h2>{L('Distribusi predikat', 'Predicate distribution')}</h2><table><tbody>")
    for band in dash["distribution"]:
        out.append(f"<tr><td class=\"{band['heat']}\"><strong>{e(band['code'])}</strong></td>"
                   f"<td>{e(_pred_label(band, lang))}</td><td class=\"num\">{band['count']}"
                   "</td></tr>")
    out.append("</tbody></table>")

    aspects = dash["aspects"]
    out.append(f"<h2>{L('Peta panas aspek', 'Aspect heat map')}</h2><table><thead><tr>"
               f"<th>{e(_t('unit', lang))}</th>")
    out += [f"<th class=\"num\" title=\"{e(_pick(a['title'], lang))}\">{e(a['id'])}</th>"
            for a in aspects]
    out.append("</tr></thead><tbody>")
    for line in dash["ranking"]:
        if line["error"]:
            continue
        out.append(f"<tr><th>{e(line['nama'])}</th>")
        for a in aspects:
            value = line["aspects"].get(a["id"])
            out.append(f"<td class=\"num {line['aspect_heat'].get(a['id'], 'heat-none')}\">"
                       f"{num(value)}</td>")
        out.append("</tr>")
    out.append("</tbody></table><p class=\"muted\">" + " · ".join(
        f"{e(a['id'])} = {e(_pick(a['title'], lang))}" for a in aspects) + "</p>")

    heading = L("Indikator yang paling banyak belum maksimal", "Indicators most units miss")
    out.append(f"<h2>{heading}</h2>"
               f"<table><thead><tr><th>{e(_t('title', lang))}</th>"
               f"<th class=\"num\">{e(_t('below', lang))}</th>"
               f"<th class=\"num\">{e(_t('avg', lang))}</th>"
               f"<th class=\"num\">{e(_t('gain', lang))}</th></tr></thead><tbody>")
    for item in dash["missed"]:
        out.append(f"<tr><td><code>{e(item['rule_id'])}</code> {e(_pick(item['title'], lang))}"
                   f"<br><small class=\"muted\">{e(item['source'])}</small></td>"
                   f"<td class=\"num\">{item['units_below']} / {item['units_scored']}</td>"
                   f"<td class=\"num\">{num(item['average_level'])} / {item['max_level']}</td>"
                   f"<td class=\"num\">{num(item['gain'], 4)}</td></tr>")
    out.append(f"</tbody></table><p class=\"muted\">{e(_pick(dash['missed_definition'], lang))}"
               "</p>")

    previous = dash["history"]["previous"]
    out.append(f"<h2>{L('Perubahan dari putaran sebelumnya', 'Change from the previous round')}"
               "</h2>")
    if previous is None:
        out.append(f"<p class=\"muted\">{L('Tidak ada putaran sebelumnya.', 'No previous round.')}"
                   "</p>")
    else:
        out.append(f"<p class=\"muted\">{e(previous['name'])} ({e(str(previous['year']))})</p>"
                   f"<table><thead><tr><th>{e(_t('unit', lang))}</th>"
                   f"<th class=\"num\">{e(_t('before', lang))}</th>"
                   f"<th class=\"num\">{e(_t('now', lang))}</th>"
                   f"<th class=\"num\">{e(_t('delta', lang))}</th>"
                   f"<th>{e(_t('pred_code', lang))}</th><th>{e(_t('notes', lang))}</th>"
                   "</tr></thead><tbody>")
        for item in dash["history"]["units"]:
            before = (item["predicate_before"] or {}).get("code", "–")
            after = (item["predicate_after"] or {}).get("code", "–")
            notes = "; ".join(_pick(x, lang) for x in item["reasons"])
            if not item["found"]:
                notes = L("tidak ada di putaran sebelumnya", "not in the previous round")
            out.append(f"<tr><td>{e(item['nama'])}</td><td class=\"num\">{num(item['before'])}"
                       f"</td><td class=\"num\">{num(item['after'])}</td>"
                       f"<td class=\"num\">{num(item['delta'])}</td>"
                       f"<td>{e(before)} → {e(after)}</td><td>{e(notes)}</td></tr>")
        out.append("</tbody></table>")
    out.append("</body></html>\n")
    return "".join(out)
