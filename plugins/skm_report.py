"""The SKM report a unit publishes (PermenPANRB 14/2017): `patuh skm … --format html|xlsx`.

One printable A4 page (and a workbook with the same content) made from what
:func:`patuh.plugins.skm.compute` returns: the unit and period, respondents and sample
adequacy, the IKM and its mutu, the NRR per unsur as a chart, the results per service, the
respondent profile, the weakest unsur and an empty follow-up plan (rencana tindak lanjut) to
fill in. Every number on it is one `compute` gave (or a share of its counts), formatted as the
language writes numbers; nothing is computed twice in another way.

Imported only for these two formats (the text and JSON outputs do not load it).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from patuh.i18n import number
from patuh.plugins import skm
from patuh.plugins.html_report import CSS as HOUSE_CSS
from patuh.plugins.html_report import band_colours
from patuh.plugins.html_report import esc

PLAN_ROWS = 5  # rows of the follow-up plan: the lowest three unsur, then room for more
EXCLUDED_SHOWN = 50  # rows left out listed one by one; the rest counted

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

WORDS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Laporan Hasil Survei Kepuasan Masyarakat (SKM)",
        "unit": "Unit pelayanan", "organisation": "Instansi", "period": "Periode",
        "year": "Tahun {year}", "survey_dates": "Tanggal survei",
        "no_dates": "tidak ada di berkas jawaban", "respondents": "Jumlah responden",
        "file": "Berkas jawaban", "basis": "Dasar",
        "basis_text": "PermenPANRB 14/2017 tentang Pedoman Penyusunan Survei Kepuasan "
                      "Masyarakat Unit Penyelenggara Pelayanan Publik",
        "no_unit": "nama unit tidak disebut (tambahkan --unit \"Nama unit\" atau --manifest)",
        "ikm": "Indeks Kepuasan Masyarakat (IKM)", "mutu": "Mutu pelayanan",
        "no_ikm": "IKM tidak dihitung: ada unsur tanpa jawaban.",
        "sample": "Kecukupan sampel", "population": "Populasi (pengguna layanan)",
        "required": "Sampel minimal", "actual": "Responden yang dihitung",
        "sufficient": "cukup", "insufficient": "BELUM cukup", "method": "Cara",
        "no_population": "Populasi tidak disebut, sehingga kecukupan sampel tidak dinilai "
                         "(tambahkan --population N, atau skm.populasi di manifest).",
        "verdict": "Kesimpulan",
        "how": "Cara menghitung IKM",
        "how_nrr": "NRR tiap unsur = rerata jawaban responden (skala 1–4) untuk unsur itu; "
                   "jawaban kosong tidak ikut dirata-rata dan dihitung terpisah.",
        "how_ikm": "IKM = (NRR U1 + NRR U2 + … + NRR U9) ÷ 9 × 25, yaitu jumlah NRR × bobot "
                   "1/9 tiap unsur × 25, dengan rerata tepat (bukan bobot 0,11 atau 0,111 "
                   "yang menggeser nilai), lalu dibulatkan 2 desimal setengah ke atas.",
        "how_values": "IKM sebelum dibulatkan {raw} → IKM {ikm} → mutu {code} ({label}) "
                      "menurut tabel konversi.",
        "how_unsur": "Nilai unsur = NRR × 25 (dibulatkan 2 desimal), dibandingkan dengan "
                     "tabel yang sama.",
        "nrr": "Nilai per unsur (NRR)",
        "chart_title": "NRR per unsur, skala 1–4",
        "chart_desc": "Batang mendatar: nilai rata-rata (NRR) tiap unsur SKM pada "
                      "skala 1 sampai 4; warna menurut mutu unsur.",
        "code": "Kode", "unsur": "Unsur", "nrr_col": "NRR", "ikm_col": "NRR × 25",
        "mutu_col": "Mutu", "answers": "Jawaban", "blank": "Kosong",
        "weakest": "Unsur terlemah",
        "weakest_one": "Unsur dengan NRR terendah: {names} (NRR {nrr}).",
        "weakest_tie": "{names} sama-sama memiliki NRR terendah ({nrr}).",
        "lowest_three": "Tiga unsur terendah: {names}.",
        "services": "Hasil per layanan", "service": "Layanan",
        "no_services": "Berkas jawaban tidak memuat kolom layanan; IKM tidak dirinci per "
                       "layanan.",
        "profile": "Profil responden", "category": "Kategori", "count": "Jumlah",
        "share": "Persentase", "no_profile": "Berkas jawaban tidak memuat kolom profil "
                                            "responden.",
        "checks": "Pemeriksaan survei",
        "check_nine_unsur": "Kesembilan unsur ada", "check_scale_1_4":
            "Semua jawaban pada skala 1–4", "check_sample_sufficient": "Sampel cukup",
        "check_within_period": "Tanggal survei di dalam periode",
        "yes": "ya", "no": "tidak", "unknown": "tidak dinilai",
        "excluded": "Baris yang tidak dihitung ({count})", "line": "Baris",
        "column": "Kolom", "value": "Isi", "reason": "Alasan",
        "excluded_more": "… dan {count} baris lainnya (lihat --format json).",
        "notes": "Catatan pembacaan berkas",
        "plan": "Rencana tindak lanjut",
        "plan_intro": "Diisi unit pelayanan: perbaikan untuk unsur bernilai terendah. Kolom "
                      "unsur sudah memuat tiga unsur terendah; baris kosong untuk unsur lain.",
        "no_col": "No.", "activity": "Kegiatan", "when": "Waktu",
        "responsible": "Penanggung jawab",
        "bands": "Tabel konversi mutu pelayanan", "band_min": "IKM paling rendah",
        "band_label": "Kinerja unit pelayanan", "band_here": "hasil unit ini",
        "sign_place": "……………………, ………………………",
        "sign_role": "Kepala unit pelayanan",
        "generated": "Dibuat oleh patuh dari jawaban responden; setiap angka dapat ditelusuri "
                     "ke berkas jawaban (sha256 {sha}).",
        "summary_sheet": "Ringkasan", "nrr_sheet": "NRR per unsur",
        "services_sheet": "Per layanan", "profile_sheet": "Profil responden",
        "plan_sheet": "Rencana tindak lanjut", "bands_sheet": "Tabel mutu",
        "excluded_sheet": "Baris tidak dihitung", "item": "Butir", "content": "Isi",
        "ikm_raw": "IKM sebelum dibulatkan", "mutu_code": "Mutu (kode)",
        "mutu_label": "Mutu (sebutan)", "method_text": "Metode sampel",
    },
    "en": {
        "title": "Community Satisfaction Survey (SKM) results report",
        "unit": "Service unit", "organisation": "Organisation", "period": "Period",
        "year": "Year {year}", "survey_dates": "Survey dates",
        "no_dates": "none in the answers file", "respondents": "Respondents",
        "file": "Answers file", "basis": "Basis",
        "basis_text": "PermenPANRB 14/2017 on the guidelines for the community satisfaction "
                      "survey of public service units",
        "no_unit": "unit name not given (add --unit \"Unit name\" or --manifest)",
        "ikm": "Community Satisfaction Index (IKM)", "mutu": "Service quality",
        "no_ikm": "No IKM computed: an unsur has no answers.",
        "sample": "Sample adequacy", "population": "Population (service users)",
        "required": "Minimum sample", "actual": "Respondents counted",
        "sufficient": "sufficient", "insufficient": "NOT sufficient", "method": "Method",
        "no_population": "No population given, so the sample adequacy is not assessed "
                         "(add --population N, or skm.populasi in the manifest).",
        "verdict": "Conclusion",
        "how": "How the IKM is computed",
        "how_nrr": "NRR of an unsur = the mean of the respondents' answers (scale 1–4) for "
                   "that unsur; blank answers are left out of the mean and counted apart.",
        "how_ikm": "IKM = (NRR U1 + NRR U2 + … + NRR U9) ÷ 9 × 25, i.e. the sum of the NRRs "
                   "× a weight of 1/9 per unsur × 25, with the exact mean (not the weights "
                   "0.11 or 0.111, which shift the result), then rounded to 2 decimals half "
                   "up.",
        "how_values": "IKM before rounding {raw} → IKM {ikm} → quality {code} ({label}) by "
                      "the conversion table.",
        "how_unsur": "Value of an unsur = NRR × 25 (rounded to 2 decimals), compared with "
                     "the same table.",
        "nrr": "Value per unsur (NRR)",
        "chart_title": "NRR per unsur, scale 1–4",
        "chart_desc": "Horizontal bars: the mean value (NRR) of each SKM unsur on "
                      "the scale 1 to 4; colour by the unsur's quality.",
        "code": "Code", "unsur": "Unsur", "nrr_col": "NRR", "ikm_col": "NRR × 25",
        "mutu_col": "Quality", "answers": "Answers", "blank": "Blank",
        "weakest": "Weakest unsur",
        "weakest_one": "Unsur with the lowest NRR: {names} (NRR {nrr}).",
        "weakest_tie": "{names} tie for the lowest NRR ({nrr}).",
        "lowest_three": "Lowest three unsur: {names}.",
        "services": "Results per service", "service": "Service",
        "no_services": "The answers file has no service column; the IKM is not broken down "
                       "by service.",
        "profile": "Respondent profile", "category": "Category", "count": "Count",
        "share": "Share", "no_profile": "The answers file has no respondent profile columns.",
        "checks": "Survey checks",
        "check_nine_unsur": "All nine unsur present", "check_scale_1_4":
            "Every answer on the 1–4 scale", "check_sample_sufficient": "Sample sufficient",
        "check_within_period": "Survey dates within the period",
        "yes": "yes", "no": "no", "unknown": "not assessed",
        "excluded": "Rows left out ({count})", "line": "Line", "column": "Column",
        "value": "Value", "reason": "Reason",
        "excluded_more": "… and {count} more rows (see --format json).",
        "notes": "Notes on reading the file",
        "plan": "Follow-up plan (rencana tindak lanjut)",
        "plan_intro": "For the service unit to fill in: improvements for the lowest-rated "
                      "unsur. The unsur column holds the lowest three; blank rows for others.",
        "no_col": "No.", "activity": "Activity", "when": "When",
        "responsible": "Responsible",
        "bands": "Service quality conversion table", "band_min": "Lowest IKM",
        "band_label": "Service unit performance", "band_here": "this unit's result",
        "sign_place": "……………………, ………………………",
        "sign_role": "Head of the service unit",
        "generated": "Made by patuh from the respondents' answers; every number can be traced "
                     "to the answers file (sha256 {sha}).",
        "summary_sheet": "Summary", "nrr_sheet": "NRR per unsur",
        "services_sheet": "Per service", "profile_sheet": "Respondent profile",
        "plan_sheet": "Follow-up plan", "bands_sheet": "Quality table",
        "excluded_sheet": "Rows left out", "item": "Item", "content": "Value",
        "ikm_raw": "IKM before rounding", "mutu_code": "Quality (code)",
        "mutu_label": "Quality (label)", "method_text": "Sample method",
    },
}


def _w(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "id"]


def _t(value: Mapping[str, str] | None, lang: str) -> str:
    if not value:
        return ""
    return (value.get("en") if lang == "en" else value.get("id")) or value.get("id", "")


def _day(text: str | None, lang: str) -> str:
    if not text:
        return ""
    day = date.fromisoformat(text)
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    from patuh.habits import date_id

    return date_id(day)


def period_text(result: Mapping[str, Any], lang: str) -> str:
    """The evaluation period: ``Tahun 2024`` for a whole year, else its two dates."""
    period = result["period"]
    if not period["from"]:
        return ""
    first, last = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and \
            first.year == last.year:
        return _w(lang)["year"].format(year=first.year)
    return f"{_day(period['from'], lang)} – {_day(period['to'], lang)}"


def survey_text(result: Mapping[str, Any], lang: str) -> str:
    period = result["period"]
    if not period["survey_from"]:
        return _w(lang)["no_dates"]
    return f"{_day(period['survey_from'], lang)} – {_day(period['survey_to'], lang)}"


def share(count: int, total: int) -> Decimal:
    """A count's share of the total in per cent, rounded to 1 decimal half up."""
    return (Decimal(count * 100) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def bands() -> list[dict[str, Any]]:
    """The mutu conversion table of the `skm` rule data, best band first."""
    return [{"code": b.code, "label": b.label.as_dict(), "min": b.min}
            for b in skm._edition().bands]


def band_colour(code: str | None) -> tuple[str, str]:
    """The house badge colours for a mutu code (the best band the darkest green)."""
    codes = [b["code"] for b in bands()]
    if code not in codes or len(codes) < 2:
        return band_colours(None)
    return band_colours(1 - codes.index(code) / (len(codes) - 1))


def mutu_label(mutu: Mapping[str, str], lang: str) -> str:
    return mutu["label_en"] if lang == "en" and mutu.get("label_en") else mutu["label"]


def weakest_text(result: Mapping[str, Any], lang: str) -> list[str]:
    """The weakest unsur, ties said, and the lowest three (plain sentences)."""
    w = _w(lang)
    if not result["weakest"]:
        return []
    by_id = {u["id"]: u for u in result["unsur"]}
    joiner = " and " if lang == "en" else " dan "

    def names(codes: Sequence[str]) -> str:
        shown = [f"{c} {_t(by_id[c]['title'], lang)}" for c in codes]
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + joiner + shown[-1]

    nrr = number(by_id[result["weakest"][0]]["nrr"], lang, 4)
    key = "weakest_one" if len(result["weakest"]) == 1 else "weakest_tie"
    out = [w[key].format(names=names(result["weakest"]), nrr=nrr)]
    if len(result["lowest_three"]) > len(result["weakest"]):
        out.append(w["lowest_three"].format(names=names(result["lowest_three"])))
    return out


def profile_rows(result: Mapping[str, Any], lang: str) -> list[tuple[str, list[tuple[str, int,
                                                                                  Decimal]],
                                                                     str]]:
    """Per profile column: its name, its categories (value, count, share %) and, for ages
    read as numbers, their summary instead."""
    out = []
    for column, counts in result["profile"].items():
        name = skm.PROFILE_NAMES[column].get(lang) if column in skm.PROFILE_NAMES else column
        if column == "umur" and "median" in counts:
            out.append((name, [], skm.age_summary(counts, lang)))
            continue
        total = sum(counts.values())
        out.append((name, [(k, v, share(v, total)) for k, v in counts.items()], ""))
    return out


def plan_rows(result: Mapping[str, Any], lang: str) -> list[str]:
    """The unsur column of the follow-up plan: the lowest three, then blank rows."""
    by_id = {u["id"]: u for u in result["unsur"]}
    rows = [f"{c} {_t(by_id[c]['title'], lang)}" for c in result["lowest_three"]]
    return rows + [""] * max(0, PLAN_ROWS - len(rows))


def check_value(value: bool | None, lang: str) -> str:
    w = _w(lang)
    return w["unknown"] if value is None else w["yes"] if value else w["no"]


# --- HTML --------------------------------------------------------------------------------------

CSS = """
.report-head { display: flex; gap: 22px; align-items: stretch; flex-wrap: wrap; }
.report-head .facts { flex: 1 1 380px; }
.report-head .verdict { flex: 0 1 320px; border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 16px; background: var(--soft); }
.ikm-value { font-size: 34px; font-weight: 700; }
.formula { margin: 4px 0; padding: 6px 10px; border-left: 3px solid var(--bar);
  background: var(--soft); }
table.plan td { height: 34px; }
table.plan th:first-child, table.plan td:first-child { width: 2.5em; }
table.plan td.unsur-cell { width: 28%; }
table.plan th:nth-child(3) { width: 34%; }
tr.here td { font-weight: 700; background: #eef5ee; }
.swatch { display: inline-block; min-width: 22px; padding: 0 4px; border-radius: 4px;
  text-align: center; font-weight: 700; }
.profile { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr));
  gap: 4px 18px; }
.nrr-chart { max-width: 640px; }
table.checks td:first-child { width: 36px; }
.verdict .predicate-label { font-size: 17px; }
section.plan-section { break-inside: avoid; page-break-inside: avoid; }
.profile h3 { margin-top: 8px; }
.unnamed { color: #8a1c1c; }
footer code, td code { overflow-wrap: anywhere; word-break: break-all; }
main td, main dd, main p, main li, main h1, .subtitle { overflow-wrap: anywhere; }
@media print {
  .report-head { flex-wrap: nowrap; gap: 12px; }
  .report-head .verdict { flex: 0 0 38%; break-inside: avoid; page-break-inside: avoid; }
  .ikm-value { font-size: 24pt; }
  table.plan td { height: 26pt; }
  section { break-inside: auto; }
  .profile { grid-template-columns: 1fr 1fr; }
  .profile > div { break-inside: avoid; page-break-inside: avoid; }
  .verdict .predicate-label { font-size: 12pt; }
}
"""


def _nrr_chart(result: Mapping[str, Any], lang: str) -> str:
    """Inline SVG bars of the nine NRRs on the 1–4 scale (no script, no external resource)."""
    w = _w(lang)
    rows = result["unsur"]
    width, left, label_w, right, bar_h, gap, top = 640, 4, 300, 62, 18, 8, 6
    plot = width - left - label_w - right
    axis_y = top + len(rows) * (bar_h + gap)
    height = axis_y + 22

    def x(value: float) -> float:
        return left + label_w + plot * (min(max(value, 1.0), 4.0) - 1.0) / 3.0

    out = [f'<svg class="chart nrr-chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" aria-labelledby="nrr-title nrr-desc" '
           'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
           f'<title id="nrr-title">{esc(w["chart_title"])}</title>',
           f'<desc id="nrr-desc">{esc(w["chart_desc"])}</desc>']
    for tick in (1, 2, 3, 4):
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{axis_y}" '
                   'stroke="#d0d0d0" stroke-width="1"/>')
        out.append(f'<text x="{tx:.1f}" y="{axis_y + 15}" font-size="11" fill="#555" '
                   f'text-anchor="middle">{tick}</text>')
    for index, u in enumerate(rows):
        y = top + index * (bar_h + gap)
        title = _t(u["title"], lang)
        label = f"{u['id']} {title}"
        label = label if len(label) <= 46 else label[:45] + "…"
        value = "—" if u["nrr"] is None else number(u["nrr"], lang, 4)
        out.append(f'<g class="bar-row" data-unsur="{esc(u["id"])}">')
        out.append(f"<title>{esc(u['id'])} {esc(title)}: NRR {esc(value)}</title>")
        out.append(f'<text x="{left}" y="{y + bar_h - 4}" font-size="12" fill="#1a1a1a">'
                   f"{esc(label)}</text>")
        out.append(f'<rect class="track" x="{x(1):.1f}" y="{y}" width="{plot}" '
                   f'height="{bar_h}" fill="#eeeeee"/>')
        if u["nrr"] is not None:
            background, _ = band_colour((u["mutu"] or {}).get("code"))
            out.append(f'<rect class="bar" x="{x(1):.1f}" y="{y}" '
                       f'width="{x(u["nrr"]) - x(1):.1f}" height="{bar_h}" '
                       f'fill="{background}"/>')
        out.append(f'<text class="bar-value" x="{width - 4}" y="{y + bar_h - 4}" '
                   'font-size="12" font-weight="700" text-anchor="end" fill="#1a1a1a">'
                   f"{esc(value)}</text>")
        out.append("</g>")
    out.append(f'<line x1="{x(1):.1f}" y1="{axis_y}" x2="{x(4):.1f}" y2="{axis_y}" '
               'stroke="#888" stroke-width="1"/>')
    out.append("</svg>")
    return "\n".join(out)


def _badge(mutu: Mapping[str, str] | None) -> str:
    background, ink = band_colour((mutu or {}).get("code"))
    code = (mutu or {}).get("code") or "–"
    return (f'<span class="badge mutu-badge" style="background:{background};color:{ink}">'
            f"{esc(code)}</span>")


def _swatch(mutu: Mapping[str, str] | None) -> str:
    if not mutu:
        return "—"
    background, ink = band_colour(mutu["code"])
    return (f'<span class="swatch" style="background:{background};color:{ink}">'
            f"{esc(mutu['code'])}</span>")


def _head(result: Mapping[str, Any], lang: str, publication: Any) -> list[str]:
    w = _w(lang)
    unit = publication.unit
    facts = [(w["unit"], esc(unit) if unit else f'<span class="unnamed">{esc(w["no_unit"])}'
                                                  "</span>")]
    if publication.organisation:
        facts.append((w["organisation"], esc(publication.organisation)))
    if result["period"]["from"]:
        facts.append((w["period"], esc(period_text(result, lang))))
    facts += [(w["survey_dates"], esc(survey_text(result, lang))),
              (w["respondents"], esc(number(result["respondents"], lang))),
              (w["file"], f"<code>{esc(result['file'])}</code>"),
              (w["basis"], esc(w["basis_text"]))]
    out = [f"<h1>{esc(w['title'])}</h1>",
           f'<p class="subtitle">{esc(unit or "")}'
           f"{esc(' — ' + publication.organisation) if publication.organisation else ''}"
           f"{esc(' — ' + period_text(result, lang)) if result['period']['from'] else ''}"
           "</p>",
           '<section class="report-head">', '<div class="facts"><dl class="facts">']
    out += [f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts]
    out.append("</dl></div>")
    out.append(f'<div class="verdict"><p class="muted">{esc(w["ikm"])}</p>')
    if result["ikm"] is None:
        out.append(f'<p class="noscore">{esc(w["no_ikm"])}</p>')
    else:
        mutu = result["mutu"]
        out += ['<div class="badge-row">', _badge(mutu),
                f'<div><div class="ikm-value" data-ikm="{result["ikm"]}">'
                f"{esc(number(result['ikm'], lang, 2))}</div>",
                f'<div class="muted">{esc(w["mutu"])}</div>',
                f'<div class="predicate-label">{esc(mutu["code"])} '
                f"{esc(mutu_label(mutu, lang))}</div></div>", "</div>"]
    out.append("</div></section>")
    return out


def _sample(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    sample = result["sample"]
    out = [f'<section class="sample"><h2>{esc(w["sample"])}</h2>']
    if sample["required"] is None:
        out.append(f"<p>{esc(number(sample['actual'], lang))} {esc(w['respondents'].lower())}."
                   f" {esc(w['no_population'])}</p></section>")
        return out
    verdict = w["sufficient"] if sample["sufficient"] else w["insufficient"]
    rows = [(w["population"], number(sample["population"], lang)),
            (w["required"], number(sample["required"], lang)),
            (w["actual"], number(sample["actual"], lang)),
            (w["verdict"], verdict),
            (w["method"], skm.sample_method(lang))]
    out.append('<dl class="facts">')
    out += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows]
    out.append("</dl></section>")
    return out


def _how(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    out = [f'<section class="how"><h2>{esc(w["how"])}</h2>',
           f"<p>{esc(w['how_nrr'])}</p>", f'<p class="formula">{esc(w["how_ikm"])}</p>']
    if result["ikm"] is not None:
        mutu = result["mutu"]
        out.append("<p>" + esc(w["how_values"].format(
            raw=number(result["ikm_unrounded"], lang, 6), ikm=number(result["ikm"], lang, 2),
            code=mutu["code"], label=mutu_label(mutu, lang))) + "</p>")
    out.append(f"<p>{esc(w['how_unsur'])}</p></section>")
    return out


def _unsur(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    out = [f'<section class="unsur"><h2>{esc(w["nrr"])}</h2>', "<figure>",
           _nrr_chart(result, lang), "</figure>",
           '<table class="unsur-table"><thead><tr>'
           f"<th>{esc(w['code'])}</th><th>{esc(w['unsur'])}</th>"
           f'<th class="num">{esc(w["nrr_col"])}</th><th class="num">{esc(w["ikm_col"])}</th>'
           f"<th>{esc(w['mutu_col'])}</th><th class=\"num\">{esc(w['answers'])}</th>"
           f'<th class="num">{esc(w["blank"])}</th></tr></thead><tbody>']
    for u in result["unsur"]:
        nrr = "—" if u["nrr"] is None else number(u["nrr"], lang, 4)
        ikm = "—" if u["ikm"] is None else number(u["ikm"], lang, 2)
        weak = ' class="weakest"' if u["id"] in result["weakest"] else ""
        out.append(f'<tr{weak} data-unsur="{esc(u["id"])}"><td>{esc(u["id"])}</td>'
                   f"<td>{esc(_t(u['title'], lang))}</td>"
                   f'<td class="num nrr">{esc(nrr)}</td><td class="num">{esc(ikm)}</td>'
                   f"<td>{_swatch(u['mutu'])}</td>"
                   f'<td class="num">{esc(number(u["answers"], lang))}</td>'
                   f'<td class="num">{esc(number(u["blank"], lang))}</td></tr>')
    out.append("</tbody></table>")
    weakest = weakest_text(result, lang)
    if weakest:
        out.append(f'<h3>{esc(w["weakest"])}</h3>')
        out += [f'<p class="weakest-text">{esc(line)}</p>' for line in weakest]
    out.append("</section>")
    return out


def _services(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    out = [f'<section class="services"><h2>{esc(w["services"])}</h2>']
    if not result["layanan"]:
        return [*out, f'<p class="muted">{esc(w["no_services"])}</p></section>']
    out.append(f'<table class="services-table"><thead><tr><th>{esc(w["service"])}</th>'
               f'<th class="num">{esc(w["respondents"])}</th><th class="num">IKM</th>'
               f"<th>{esc(w['mutu_col'])}</th></tr></thead><tbody>")
    for row in result["layanan"]:
        ikm = "—" if row["ikm"] is None else number(row["ikm"], lang, 2)
        mutu = "" if not row["mutu"] else f" {esc(mutu_label(row['mutu'], lang))}"
        out.append(f"<tr><td>{esc(row['layanan'])}</td>"
                   f'<td class="num">{esc(number(row["respondents"], lang))}</td>'
                   f'<td class="num">{esc(ikm)}</td>'
                   f'<td class="nowrap">{_swatch(row["mutu"])}{mutu}</td></tr>')
    out.append("</tbody></table></section>")
    return out


def _profile(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    out = [f'<section class="profile-section"><h2>{esc(w["profile"])}</h2>']
    rows = profile_rows(result, lang)
    if not rows:
        return [*out, f'<p class="muted">{esc(w["no_profile"])}</p></section>']
    out.append('<div class="profile">')
    for name, categories, summary in rows:
        out.append(f"<div><h3>{esc(name)}</h3>")
        if summary:
            out.append(f"<p>{esc(summary)}</p></div>")
            continue
        out.append(f'<table class="small"><thead><tr><th>{esc(w["category"])}</th>'
                   f'<th class="num">{esc(w["count"])}</th><th class="num">'
                   f"{esc(w['share'])}</th></tr></thead><tbody>")
        out += [f'<tr><td>{esc(value)}</td><td class="num">{esc(number(count, lang))}</td>'
                f'<td class="num">{esc(number(pct, lang, 1))}%</td></tr>'
                for value, count, pct in categories]
        out.append("</tbody></table></div>")
    out.append("</div></section>")
    return out


def _checks(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    marks = {True: ("✓", "s-pass"), False: ("✗", "s-fail"), None: ("?", "s-missing")}
    out = [f'<section class="checks"><h2>{esc(w["checks"])}</h2><table class="checks"><tbody>']
    for key, value in result["checks"].items():
        mark, css = marks[value]
        out.append(f'<tr><td><span class="mark {css}">{mark}</span></td>'
                   f"<td>{esc(w['check_' + key])}</td><td>{esc(check_value(value, lang))}</td>"
                   "</tr>")
    out.append("</tbody></table>")
    excluded = result["excluded"]
    if excluded:
        out.append(f"<h3>{esc(w['excluded'].format(count=number(len(excluded), lang)))}</h3>")
        out.append(f"<table class=\"small\"><thead><tr><th>{esc(w['line'])}</th>"
                   f"<th>{esc(w['column'])}</th><th>{esc(w['value'])}</th>"
                   f"<th>{esc(w['reason'])}</th></tr></thead><tbody>")
        shown = 0
        for row in excluded:
            for p in row["problems"]:
                if shown < EXCLUDED_SHOWN:
                    out.append(f"<tr><td>{row['line']}</td><td>{esc(p['column'])}</td>"
                               f"<td><code>{esc(p['value'])}</code></td>"
                               f"<td>{esc(_t(p['reason'], lang))}</td></tr>")
                shown += 1
        out.append("</tbody></table>")
        if shown > EXCLUDED_SHOWN:
            more = w["excluded_more"].format(count=number(shown - EXCLUDED_SHOWN, lang))
            out.append(f'<p class="muted">{esc(more)}</p>')
    if result["notes"]:
        out.append(f"<h3>{esc(w['notes'])}</h3><ul class=\"notes small\">")
        out += [f"<li>{esc(_t(note, lang))}</li>" for note in result["notes"]]
        out.append("</ul>")
    out.append("</section>")
    return out


def _bands(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    here = (result["mutu"] or {}).get("code")
    out = [f'<section class="bands"><h2>{esc(w["bands"])}</h2><table class="bands-table">'
           f"<thead><tr><th>{esc(w['mutu_col'])}</th><th>{esc(w['band_label'])}</th>"
           f'<th class="num">{esc(w["band_min"])}</th></tr></thead><tbody>']
    for band in bands():
        mark = f" ({esc(w['band_here'])})" if band["code"] == here else ""
        css = ' class="here"' if band["code"] == here else ""
        out.append(f"<tr{css}><td>{_swatch({'code': band['code']})}</td>"
                   f"<td>{esc(_t(band['label'], lang))}{mark}</td>"
                   f'<td class="num">≥ {esc(number(band["min"], lang, 2))}</td></tr>')
    out.append("</tbody></table></section>")
    return out


def _plan(result: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    out = [f'<section class="plan-section"><h2>{esc(w["plan"])}</h2>',
           f'<p class="small muted">{esc(w["plan_intro"])}</p>',
           f'<table class="plan"><thead><tr><th>{esc(w["no_col"])}</th>'
           f"<th>{esc(w['unsur'])}</th><th>{esc(w['activity'])}</th>"
           f"<th>{esc(w['when'])}</th><th>{esc(w['responsible'])}</th></tr></thead><tbody>"]
    for index, unsur in enumerate(plan_rows(result, lang), start=1):
        out.append(f'<tr><td class="num">{index}</td><td class="unsur-cell">{esc(unsur)}</td>'
                   "<td></td><td></td><td></td></tr>")
    out.append("</tbody></table>")
    out += ['<section class="approval"><div class="sign">',
            f"<p>{esc(w['sign_place'])}</p>", f"<p>{esc(w['sign_role'])}</p>",
            '<div class="signature-space"></div>', "<p>(……………………………………)</p>",
            "</div></section></section>"]
    return out


def render_html(result: Mapping[str, Any], lang: str, publication: Any) -> str:
    """The report as one self-contained HTML5 page, printable on A4."""
    w = _w(lang)
    body = ["<main>"]
    body += _head(result, lang, publication)
    body += _sample(result, lang)
    body += _how(result, lang)
    body += _bands(result, lang)
    body += _unsur(result, lang)
    body += _services(result, lang)
    body += _profile(result, lang)
    body += _checks(result, lang)
    body += _plan(result, lang)
    body.append("</main>")
    from patuh import __version__

    before, _, after = w["generated"].partition("{sha}")
    body.append(f"<footer>{esc(before)}<code>{esc(result['sha256'])}</code>{esc(after)} "
                f"patuh {esc(__version__)}</footer>")
    title = w["title"] + (f" — {publication.unit}" if publication.unit else "")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{"en" if lang == "en" else "id"}">', "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">', f"<title>{esc(title)}</title>",
        f"<style>{HOUSE_CSS}{CSS}</style>", "</head>", "<body>", *body, "</body>",
        "</html>"]) + "\n"


# --- XLSX --------------------------------------------------------------------------------------

def render_xlsx(result: Mapping[str, Any], lang: str, publication: Any) -> bytes:
    """The same content as a workbook: a summary sheet, the NRR per unsur with a native bar
    chart, the services, the profile, the follow-up plan to fill in, the mutu table. Numbers
    are number cells with a display format (a spreadsheet shows them with the decimal
    separator of its language); text cells are never formulas."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart
    from openpyxl.chart import Reference
    from openpyxl.styles import Alignment
    from openpyxl.styles import Border
    from openpyxl.styles import Font
    from openpyxl.styles import Side

    from patuh.xlsxstyle import clean
    from patuh.xlsxstyle import sheet_title

    w = _w(lang)
    book = Workbook()
    titles: set[str] = set()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    codes = [b["code"] for b in bands()]

    def put(sheet: Any, row: int, column: int, value: Any, fmt: str | None = None,
            font: Any = None) -> Any:
        if isinstance(value, str):
            value = clean(value)
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if fmt:
            cell.number_format = fmt
        if font is not None:
            cell.font = font
        return cell

    def header(sheet: Any, row: int, names: Sequence[str], widths: Sequence[int]) -> None:
        from openpyxl.utils import get_column_letter

        for column, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
            put(sheet, row, column, name, font=bold).alignment = wrap
            sheet.column_dimensions[get_column_letter(column)].width = width

    def mutu_cell(sheet: Any, row: int, column: int, mutu: Mapping[str, str] | None) -> None:
        from patuh.xlsxstyle import band_heat
        from patuh.xlsxstyle import fill
        from patuh.xlsxstyle import ink

        if not mutu:
            return
        heat = band_heat(codes.index(mutu["code"]) if mutu["code"] in codes else None,
                         len(codes))
        cell = put(sheet, row, column, mutu["code"])
        cell.fill, cell.font = fill(heat), ink(heat, bold=True)

    # summary
    sheet = book.active
    sheet.title = sheet_title(w["summary_sheet"], titles)
    put(sheet, 1, 1, w["title"], font=Font(bold=True, size=14))
    sample = result["sample"]
    mutu = result["mutu"] or {}
    rows: list[tuple[str, Any, str | None]] = [
        (w["unit"], publication.unit or w["no_unit"], None),
        (w["organisation"], publication.organisation or "", None),
        (w["period"], period_text(result, lang), None),
        (w["survey_dates"], survey_text(result, lang), None),
        (w["file"], result["file"], None), ("sha256", result["sha256"], None),
        (w["basis"], w["basis_text"], None),
        ("IKM", result["ikm"], "0.00"), (w["ikm_raw"], result["ikm_unrounded"], "0.000000"),
        (w["mutu_code"], mutu.get("code", ""), None),
        (w["mutu_label"], mutu_label(mutu, lang) if mutu else w["no_ikm"], None),
        (w["respondents"], result["respondents"], "#,##0"),
        (w["population"], sample["population"], "#,##0"),
        (w["required"], sample["required"], "#,##0"),
        (w["check_sample_sufficient"], check_value(sample["sufficient"], lang), None),
        (w["method_text"], skm.sample_method(lang), None),
        (w["how"], w["how_ikm"], None),
    ]
    put(sheet, 3, 1, w["item"], font=bold)
    put(sheet, 3, 2, w["content"], font=bold)
    line = 4
    for name, value, fmt in rows:
        put(sheet, line, 1, name, font=bold)
        put(sheet, line, 2, value, fmt).alignment = wrap
        line += 1
    for text in weakest_text(result, lang):
        put(sheet, line, 1, w["weakest"], font=bold)
        put(sheet, line, 2, text).alignment = wrap
        line += 1
    for key, value in result["checks"].items():
        put(sheet, line, 1, w["check_" + key], font=bold)
        put(sheet, line, 2, check_value(value, lang))
        line += 1
    for note in result["notes"]:
        put(sheet, line, 1, w["notes"], font=bold)
        put(sheet, line, 2, _t(note, lang)).alignment = wrap
        line += 1
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90

    # NRR per unsur, with a native bar chart
    sheet = book.create_sheet(sheet_title(w["nrr_sheet"], titles))
    header(sheet, 1, [w["code"], w["unsur"], w["nrr_col"], w["ikm_col"], w["mutu_col"],
                      w["answers"], w["blank"]], [8, 42, 10, 11, 8, 10, 9])
    for index, u in enumerate(result["unsur"], start=2):
        put(sheet, index, 1, u["id"])
        put(sheet, index, 2, _t(u["title"], lang))
        put(sheet, index, 3, u["nrr"], "0.0000")
        put(sheet, index, 4, u["ikm"], "0.00")
        mutu_cell(sheet, index, 5, u["mutu"])
        put(sheet, index, 6, u["answers"], "#,##0")
        put(sheet, index, 7, u["blank"], "#,##0")
    last = len(result["unsur"]) + 1
    from openpyxl.formatting.rule import DataBarRule

    # bars in the NRR cells too, on the 1–4 scale (for a reader whose program draws no chart)
    sheet.conditional_formatting.add(f"C2:C{last}", DataBarRule(
        start_type="num", start_value=1, end_type="num", end_value=4, color="2F5D8A"))
    line = last + 2
    for text in weakest_text(result, lang):
        put(sheet, line, 1, text)
        line += 1
    chart = BarChart()
    chart.type = "bar"
    chart.title = clean(w["chart_title"])
    chart.y_axis.title = "NRR"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 1, 4
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"
    chart.x_axis.scaling.orientation = "maxMin"  # U1 on top, as in the table
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 9, 16
    sheet.add_chart(chart, f"A{line + 1}")

    # per service
    sheet = book.create_sheet(sheet_title(w["services_sheet"], titles))
    if result["layanan"]:
        header(sheet, 1, [w["service"], w["respondents"], "IKM", w["mutu_col"],
                          w["band_label"]], [48, 12, 10, 8, 20])
        for index, row in enumerate(result["layanan"], start=2):
            put(sheet, index, 1, row["layanan"])
            put(sheet, index, 2, row["respondents"], "#,##0")
            put(sheet, index, 3, row["ikm"], "0.00")
            mutu_cell(sheet, index, 4, row["mutu"])
            put(sheet, index, 5, mutu_label(row["mutu"], lang) if row["mutu"] else "")
    else:
        put(sheet, 1, 1, w["no_services"])

    # respondent profile
    sheet = book.create_sheet(sheet_title(w["profile_sheet"], titles))
    header(sheet, 1, [w["column"], w["category"], w["count"], w["share"]], [18, 40, 10, 12])
    line = 2
    for name, categories, summary in profile_rows(result, lang):
        if summary:
            put(sheet, line, 1, name)
            put(sheet, line, 2, summary)
            line += 1
        for value, count, pct in categories:
            put(sheet, line, 1, name)
            put(sheet, line, 2, value)
            put(sheet, line, 3, count, "#,##0")
            put(sheet, line, 4, float(pct / 100), "0.0%")
            line += 1
    if line == 2:
        put(sheet, 2, 1, w["no_profile"])

    # follow-up plan, to fill in
    sheet = book.create_sheet(sheet_title(w["plan_sheet"], titles))
    put(sheet, 1, 1, w["plan"], font=Font(bold=True, size=13))
    put(sheet, 2, 1, w["plan_intro"])
    names = [w["no_col"], w["unsur"], w["activity"], w["when"], w["responsible"]]
    sheet.page_setup.orientation = "landscape"
    header(sheet, 4, names, [6, 40, 50, 18, 28])
    for column in range(1, len(names) + 1):
        sheet.cell(row=4, column=column).border = box
    for index, unsur in enumerate(plan_rows(result, lang), start=1):
        put(sheet, 4 + index, 1, index)
        put(sheet, 4 + index, 2, unsur)
        sheet.row_dimensions[4 + index].height = 30
        for column in range(1, len(names) + 1):
            sheet.cell(row=4 + index, column=column).border = box
            sheet.cell(row=4 + index, column=column).alignment = wrap

    # mutu table
    sheet = book.create_sheet(sheet_title(w["bands_sheet"], titles))
    header(sheet, 1, [w["mutu_col"], w["band_label"], w["band_min"]], [8, 28, 16])
    for index, band in enumerate(bands(), start=2):
        mutu_cell(sheet, index, 1, {"code": band["code"]})
        put(sheet, index, 2, _t(band["label"], lang)
            + (f" ({w['band_here']})" if band["code"] == mutu.get("code") else ""))
        put(sheet, index, 3, float(band["min"]), "0.00")

    if result["excluded"]:
        sheet = book.create_sheet(sheet_title(w["excluded_sheet"], titles))
        header(sheet, 1, [w["line"], w["column"], w["value"], w["reason"]], [8, 14, 20, 60])
        line = 2
        for row in result["excluded"]:
            for p in row["problems"]:
                put(sheet, line, 1, row["line"])
                put(sheet, line, 2, p["column"])
                put(sheet, line, 3, str(p["value"]))
                put(sheet, line, 4, _t(p["reason"], lang))
                line += 1

    for sheet in book.worksheets:  # printed on A4, as wide as the page
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
