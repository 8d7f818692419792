"""The pages of the ``html`` reporter (its hook: :mod:`patuh.plugins.html`): one
self-contained HTML5 page per report (``patuh check M --format html -o report.html``), and
:func:`render_batch_summary` for a page summing up many units.

The page needs nothing from outside: inline CSS, inline SVG charts, system fonts, no script,
no links out of the page (a URL in the data is shown as text). Every text from a report is
escaped. It prints on A4 (``@page``), keeps an indicator's row on one page and prints the
badge colours. Bahasa Indonesia by default, English with ``--lang en``. Same report, same bytes:
no timestamps, no random ids.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from patuh.i18n import number
from patuh.plugins.reporters import num
from patuh.plugins.reporters import shown_value
from patuh.plugins.reporters import signed
from patuh.report import evidence_status_name
from patuh.report import finding_kind_name
from patuh.rulebook import legal_role_name
from patuh.scoring import rounding_name
from patuh.sources import confidence_name
from patuh.sources import kind_name
from patuh.sources import tag_name

MARKS = {"pass": "✓", "partial": "~", "fail": "✗", "missing": "?", "not_applicable": "-",
         "waived": "w", "error": "!"}

WORDS: dict[str, dict[str, Any]] = {
    "id": {
        "doc_title": "Laporan kepatuhan", "unit": "Unit", "agency": "Instansi", "code": "Kode",
        "address": "Alamat", "period": "Periode", "date": "Tanggal evaluasi",
        "edition": "Edisi", "effective": "berlaku", "since": "sejak", "until": "sampai",
        "legal_basis": "Dasar hukum", "amended_by": "diubah dengan", "replaces": "menggantikan",
        "predicate": "Predikat", "score": "Nilai", "range": "rentang", "formula": "Rumus",
        "rounded": "dibulatkan", "decimals": "desimal",
        "part": "Komponen", "value": "Nilai", "weight": "Bobot",
        "respondents": "responden", "respondents_head": "Responden",
        "items": "butir", "no_data": "tidak ada data",
        "next_band": "Menuju predikat", "gap": "kurang", "top_band": "Predikat tertinggi.",
        "no_score": "Nilai tidak dapat dihitung: datanya tidak ada. Lihat catatan.",
        "aspects": "Nilai per aspek", "aspects_chart": "Nilai per aspek",
        "aspects_desc": "Diagram batang nilai tiap aspek pada skala {lo}–{hi}.",
        "indicators": "Indikator", "status": "Status", "reached": "Capaian",
        "indicator": "Indikator", "gain": "Tambahan", "evidence": "Bukti",
        "next": "Menuju level",
        "full": "Menuju nilai penuh (100)", "missing_data": "belum ada data",
        "plan": "Rencana perbaikan", "plan_hint": "diurutkan menurut tambahan poin",
        "step": "Langkah", "target": "Sasaran", "no_plan": "Semua indikator sudah di level "
        "maksimum.", "no_gain": "Indikator yang belum terpenuhi (lihat di atas) tidak mengubah "
        "nilai ini.", "findings": "Temuan pada bukti dukung", "ref": "Rujukan",
        "owner": "Bagian manifest", "kind": "Jenis", "message": "Pesan",
        "notes": "Catatan", "confidence": "Tingkat keyakinan sumber",
        "confidence_hint": "bukan teks resmi; keterangan tiap aturan ada di "
        "<code>results[].source</code> pada <code>--format json</code>",
        "bibliography": "Bibliografi", "bibliography_hint": "sumber yang dikutip laporan ini",
        "cites": "Sumber", "publisher": "penerbit", "seen": "dilihat",
        "not_recorded": "tidak dicatat", "supports": "mendukung", "no_url": "tanpa URL",
        "scoring_sources": "Sumber penilaian", "rounding_source": "Aturan pembulatan",
        "bands_source": "Tabel predikat", "aspect_weights": "Bobot aspek",
        "rules_by_confidence": "Aturan menurut tingkat keyakinan", "rules": "aturan",
        "digests": "Jejak (sha256)", "manifest": "Manifest",
        "no_digest": "tidak ada (bukan berkas)", "legend": "Keterangan",
        "from_source": {"argument": "dari --as-of", "manifest": "dari periode.tanggal_penilaian",
                        "period_end": "akhir tahun periode"},
        "status_words": {"pass": "terpenuhi", "partial": "sebagian", "fail": "tidak terpenuhi",
                         "missing": "tidak ada data", "not_applicable": "tidak berlaku",
                         "waived": "dikecualikan", "error": "kesalahan"},
        "generated": "Dibuat oleh {tool} {version} (skema laporan {schema}).",
        "none": "tidak ada",
        "readings": "Cara patuh membaca isian", "written": "Ditulis", "read_as": "Dibaca "
        "sebagai", "how": "Cara", "field": "Isian",
        # batch summary
        "batch_title": "Ringkasan pemeriksaan", "rank": "Peringkat", "ruleset": "Ruleset",
        "error": "Kesalahan", "units": "unit", "scores": "Nilai per unit",
        "scores_desc": "Diagram batang nilai tiap unit untuk ruleset {ruleset}, skala {lo}–{hi}.",
        "no_rows": "Tidak ada unit.",
        # first page
        "counted": "dihitung", "summary": "Ringkasan untuk pimpinan", "now": "Saat ini",
        "gap_line": "Kurang {gap} poin menuju predikat {band} (≥ {min}).",
        "path": "Jalan terpendek ke predikat {band}",
        "path_hint": "{n} langkah, tambahan poin terbesar lebih dulu",
        "todo": "Yang harus dilengkapi", "points": "Poin", "after": "Nilai jadi",
        "path_short": "Semua langkah satu level ini bersama belum mencapai {band}; setelahnya "
        "naikkan lagi indikator yang sama (lihat rencana perbaikan).",
        "evidence_to_add": "Bukti yang ditambahkan",
        "without_waivers": "Tanpa pengecualian", "with_waivers": "dengan pengecualian",
        "claimed": "Nilai klaim unit", "verified": "terverifikasi evaluator",
        "see_plan": "Rincian semua langkah: bagian Rencana perbaikan.",
    },
    "en": {
        "doc_title": "Compliance report", "unit": "Unit", "agency": "Agency", "code": "Code",
        "address": "Address", "period": "Period", "date": "Evaluation date",
        "edition": "Edition", "effective": "in force", "since": "from", "until": "until",
        "legal_basis": "Legal basis", "amended_by": "amended by", "replaces": "replaces",
        "predicate": "Predicate", "score": "Score", "range": "range", "formula": "Formula",
        "rounded": "rounded to", "decimals": "decimals",
        "part": "Part", "value": "Value", "weight": "Weight",
        "respondents": "respondents", "respondents_head": "Respondents",
        "items": "items", "no_data": "no data",
        "next_band": "Next predicate", "gap": "short by", "top_band": "Highest predicate.",
        "no_score": "No score: its data is missing. See the notes.",
        "aspects": "Aspect scores", "aspects_chart": "Aspect scores",
        "aspects_desc": "Bar chart of each aspect's score on the scale {lo}–{hi}.",
        "indicators": "Indicators", "status": "Status", "reached": "Reached",
        "indicator": "Indicator", "gain": "Gain", "evidence": "Evidence",
        "next": "To level",
        "full": "To the full score (100)", "missing_data": "no data",
        "plan": "Improvement plan", "plan_hint": "ranked by points gained",
        "step": "Step", "target": "Target", "no_plan": "Every indicator is at its maximum "
        "level.", "no_gain": "The indicators not met (see above) do not change this score.",
        "findings": "Findings on evidence", "ref": "Reference", "owner": "Manifest part",
        "kind": "Kind", "message": "Message",
        "notes": "Notes", "confidence": "Source confidence",
        "confidence_hint": "not official text; each rule's caveats are in "
        "<code>results[].source</code> of <code>--format json</code>",
        "bibliography": "Bibliography", "bibliography_hint": "the sources this report cites",
        "cites": "Sources", "publisher": "publisher", "seen": "seen",
        "not_recorded": "not recorded", "supports": "supports", "no_url": "no URL",
        "scoring_sources": "Scoring sources", "rounding_source": "Rounding rule",
        "bands_source": "Band table", "aspect_weights": "Aspect weights",
        "rules_by_confidence": "Rules by confidence", "rules": "rules",
        "digests": "Trace (sha256)", "manifest": "Manifest",
        "no_digest": "none (not a file)", "legend": "Legend",
        "from_source": {"argument": "from --as-of", "manifest": "from periode.tanggal_penilaian",
                        "period_end": "end of the period's year"},
        "status_words": {"pass": "met", "partial": "partly met", "fail": "not met",
                         "missing": "no data", "not_applicable": "not applicable",
                         "waived": "waived", "error": "error"},
        "generated": "Made by {tool} {version} (report schema {schema}).",
        "none": "none",
        "readings": "How patuh read your entries", "written": "Written", "read_as": "Read "
        "as", "how": "How", "field": "Entry",
        "batch_title": "Check summary", "rank": "Rank", "ruleset": "Ruleset",
        "error": "Error", "units": "units", "scores": "Scores by unit",
        "scores_desc": "Bar chart of each unit's score for ruleset {ruleset}, scale {lo}–{hi}.",
        "no_rows": "No units.",
        "counted": "counted", "summary": "Summary for leadership", "now": "Now",
        "gap_line": "{gap} points short of predicate {band} (≥ {min}).",
        "path": "Shortest path to predicate {band}",
        "path_hint": "{n} steps, largest gains first",
        "todo": "What to complete", "points": "Points", "after": "Score after",
        "path_short": "All these one-level steps together do not yet reach {band}; then raise "
        "the same indicators further (see the improvement plan).",
        "evidence_to_add": "Evidence to add",
        "without_waivers": "Without waivers", "with_waivers": "with waivers",
        "claimed": "Unit's claimed score", "verified": "verified by the evaluator",
        "see_plan": "Every step in detail: the Improvement plan section.",
    },
}

# Colours by band position (0 = lowest band, 1 = highest): background, text. Dark enough to
# read in black-and-white print too; the code is always written in the badge.
BAND_COLOURS = ((0.85, "#1b5e20", "#ffffff"), (0.65, "#2e7d32", "#ffffff"),
                (0.45, "#f9a825", "#1a1a1a"), (0.25, "#e65100", "#ffffff"),
                (0.0, "#b71c1c", "#ffffff"))
NEUTRAL = ("#546e7a", "#ffffff")

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #c9c9c9; --soft: #f3f4f6; --bar: #2f5d8a; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px; color: var(--ink);
  background: #fff; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, Helvetica,
  sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 2px solid var(--ink);
  break-after: avoid; page-break-after: avoid; }
h3, .legend { break-after: avoid; page-break-after: avoid; }
h3 { font-size: 14px; margin: 16px 0 6px; }
p { margin: 4px 0; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
.muted { color: var(--muted); }
pre.waivers { white-space: pre-wrap; font-size: .85rem; }
.nowrap { white-space: nowrap; }
.small { font-size: 12px; }
.subtitle { color: var(--muted); margin: 0 0 14px; }
.head { display: flex; gap: 22px; align-items: stretch; flex-wrap: wrap; }
.head .facts { flex: 1 1 420px; }
.head .verdict { flex: 0 1 430px; border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 16px; background: var(--soft); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.badge-row { display: flex; align-items: center; gap: 14px; }
.badge { display: inline-flex; align-items: center; justify-content: center; min-width: 92px;
  height: 92px; padding: 0 12px; border-radius: 14px; font-size: 46px; font-weight: 700;
  letter-spacing: -1px; border: 2px solid rgba(0, 0, 0, .25); }
.badge.long { font-size: 26px; }
.predicate-label { font-size: 19px; font-weight: 700; line-height: 1.25; }
.score-big { font-size: 30px; font-weight: 700; }
.estimate { margin: 14px 0; padding: 10px 14px; border: 2px solid #b26a00; background: #fff4e0;
  border-radius: 6px; font-weight: 700; }
.noscore { margin: 8px 0; padding: 8px 12px; border: 1px dashed var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-size: 12px; }
.counted { white-space: normal; min-width: 70px; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.mark { display: inline-block; width: 24px; height: 24px; line-height: 24px; border-radius: 50%;
  text-align: center; font-weight: 700; }
.s-pass { background: #c8e6c9; color: #1b5e20; }
.s-partial { background: #fff3c4; color: #7a5a00; }
.s-fail { background: #ffcdd2; color: #b71c1c; }
.s-missing { background: #e0e0e0; color: #333; }
.s-not_applicable, .s-waived { background: #eceff1; color: #455a64; }
.s-error { background: #b71c1c; color: #fff; }
.meter { display: block; width: 70px; height: 6px; margin-top: 4px; background: #e3e3e3;
  border-radius: 3px; overflow: hidden; }
.meter > span { display: block; height: 100%; background: var(--bar); }
.ind-title { font-weight: 600; }
.level-title { color: var(--muted); }
ul.evidence, ul.unmet { margin: 3px 0 0; padding-left: 18px; font-size: 12px; }
ul.unmet li { color: #8a1c1c; }
.next { margin-top: 4px; font-size: 12px; }
.ev-bad { color: #b71c1c; font-weight: 700; }
section.summary { break-after: page; page-break-after: always; }
.lead { font-size: 17px; }
.gap-line { font-size: 16px; font-weight: 700; }
ul.todo { margin: 2px 0 0; padding-left: 18px; font-size: 12px; }
ul.todo li.ev-add { color: var(--muted); }
section.approval { display: flex; justify-content: flex-end; margin-top: 18px;
  break-inside: avoid; page-break-inside: avoid; }
section.approval .sign { min-width: 240px; text-align: center; }
.signature-space { height: 60px; }
table.score-pair { width: auto; min-width: 50%; }
.chart { width: 100%; max-width: 900px; height: auto; display: block; }
.notes li, .sources li { margin-bottom: 4px; }
.caveat { display: block; color: var(--muted); font-size: 12px; }
footer { margin-top: 26px; padding-top: 6px; border-top: 1px solid var(--line); font-size: 12px;
  color: var(--muted); }
.gauge { max-width: 100%; height: auto; }
@media screen and (max-width: 640px) {
  dd, li, p, td { overflow-wrap: break-word; }
  body { padding: 12px 10px; font-size: 14px; }
  h1 { font-size: 19px; }
  .head { gap: 12px; }
  .head .facts, .head .verdict { flex: 1 1 100%; min-width: 0; }
  .badge { min-width: 64px; height: 64px; font-size: 32px; }
  .score-big { font-size: 24px; }
  dl.facts { grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
  main table { display: block; max-width: 100%; overflow-x: auto; }
  td.nowrap, .nowrap { white-space: normal; }
  table.path, table.path tbody, table.path tr, table.path td { display: block; width: 100%; }
  table.path thead { display: none; }
  table.path tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.path td { border: 0; padding: 2px 0; text-align: left; }
  table.path td.num { display: inline-block; width: auto; margin-right: 12px; }
  table.path td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
  table.results td:last-child, table.results th:last-child { display: none; }
}
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { font-size: 12.5pt; margin-top: 14pt; }
  .head { flex-wrap: nowrap; gap: 12px; }
  .head .facts { flex: 1 1 auto; }
  .head .verdict { flex: 0 0 46%; break-inside: avoid; page-break-inside: avoid; }
  .badge { min-width: 72px; height: 72px; font-size: 36px; }
  .gauge { width: 100%; height: auto; }
  table.digests td { padding: 1px 6px; }
  .chart, .estimate, .noscore, figure { break-inside: avoid; page-break-inside: avoid; }
  th { font-size: 8.5pt; }
  ul.evidence, ul.unmet, .next, .small, code { font-size: 8pt; }
  .head .verdict { padding: 8px 12px; }
  .lead { display: none; }
  .gap-line { font-size: 11pt; margin: 2pt 0; }
  section.summary h2 { margin-top: 8pt; }
  table.path td { padding: 2pt 4pt; }
  table.path ul.todo { font-size: 8pt; }
  table.path .next { margin-top: 0; display: inline; margin-left: 6pt; }
  table.path ul.todo { margin-top: 1pt; }
  table.plan ul.todo { font-size: 7.5pt; margin: 0; }
  table.plan td { padding: 2pt 4pt; }
  table.results td { padding: 3pt 4pt; }
  h1 { font-size: 15pt; }
  .subtitle { margin-bottom: 6pt; }
  table.path .ind-title { font-weight: 600; }
}
"""


def _w(lang: str) -> dict[str, Any]:
    return WORDS["en" if lang == "en" else "id"]


def esc(value: Any) -> str:
    """Escaped text for HTML content and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _t(value: Mapping[str, str] | None, lang: str) -> str:
    if not value:
        return ""
    from patuh.sources import tagged_text

    return tagged_text(value.get(lang) or value.get("id", ""), lang)


def _g(value: float, lang: str | None = None) -> str:
    """As briefly as ``{:g}`` writes it; in ``lang``'s way when given (``0,75``)."""
    if lang is None:
        return f"{value:g}"
    from patuh.report import short_number

    return short_number(value, lang)


def _short_sha(digest: str | None) -> str:
    return "" if not digest else digest[:12]


def band_colours(position: float | None) -> tuple[str, str]:
    """Badge background and text colours for a band position in 0..1 (None: neutral)."""
    if position is None:
        return NEUTRAL
    for floor, background, text in BAND_COLOURS:
        if position >= floor:
            return background, text
    return BAND_COLOURS[-1][1:]


def band_position(report: Mapping[str, Any]) -> float | None:
    """Where the predicate's band sits among the edition's bands: 1 for the highest (no band
    above it), otherwise its lower bound's place on the score range (0 for the lowest band).
    The report does not carry the band table, so the lower bound stands for the position."""
    predicate = report.get("predicate")
    if not predicate:
        return None
    if not report.get("next_band"):
        return 1.0
    low, high = report["score"]["range"]
    if high <= low:
        return None
    return min(1.0, max(0.0, (predicate["min"] - low) / (high - low)))


# A band named for a zone colour (Ombudsman: Zona Hijau / Kuning / Merah) takes that colour.
ZONE_COLOURS = {"hijau": BAND_COLOURS[0][1:], "kuning": BAND_COLOURS[2][1:],
                "merah": BAND_COLOURS[4][1:]}


def predicate_colours(report: Mapping[str, Any]) -> tuple[str, str]:
    """The badge colours: the zone's colour when the band names one, else by band position."""
    predicate = report.get("predicate") or {}
    names = f"{predicate.get('code', '')} {(predicate.get('zone') or {}).get('id', '')}".lower()
    found = [colours for word, colours in ZONE_COLOURS.items() if word in names.split()]
    if len(found) == 1:
        return found[0]
    return band_colours(band_position(report))


def _predicate_text(predicate: Mapping[str, Any], lang: str) -> str:
    if predicate.get("display"):
        return _t(predicate["display"], lang)
    label = predicate["label_en"] if lang == "en" and predicate.get("label_en") else (
        predicate["label"])
    return f"{predicate['code']} {label}"


def _predicate_label(predicate: Mapping[str, Any], lang: str) -> str:
    """The band's name without its code (the badge shows the code)."""
    text = _predicate_text(predicate, lang)
    code = predicate["code"]
    if text.startswith(code + " "):
        text = text[len(code) + 1:]
    return text


def _short_id(rule_id: str, own: str) -> str:
    prefix, _, rest = rule_id.partition(".")
    return rest if prefix == own and rest else rule_id


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    if span <= 0:
        return [low]
    for step in (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if span / step <= 10:
            break
    else:
        step = span / 5
    first = -(-low // step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def bar_chart(bars: Sequence[Mapping[str, Any]], low: float, high: float, title: str,
              desc: str, css_class: str, chart_id: str, width: int = 900,
              value_chars: int = 0, lang: str | None = None) -> str:
    """An inline SVG horizontal bar chart. Each bar: ``label`` (text above the bar), ``value``
    (None: no bar), ``value_text``, ``tooltip``, optional ``colour``. Bars start at ``low``."""
    longest = max([value_chars, *(len(str(bar["value_text"])) for bar in bars)])
    label_h, bar_h, gap, top, left = 15, 16, 12, 8, 4
    right = max(60, 16 + 8 * longest)  # room for the value written after the track
    row = label_h + bar_h + gap
    axis_y = top + row * len(bars)
    height = axis_y + 22
    plot = width - left - right
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return left + plot * (min(max(value, low), high) - low) / span

    out = [f'<svg class="{esc(css_class)}" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
           'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
           f'<title id="{chart_id}-title">{esc(title)}</title>',
           f'<desc id="{chart_id}-desc">{esc(desc)}</desc>']
    for tick in _ticks(low, high):
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{axis_y}" '
                   'stroke="#d0d0d0" stroke-width="1"/>')
        out.append(f'<text x="{tx:.1f}" y="{axis_y + 15}" font-size="11" fill="#555" '
                   f'text-anchor="middle">{_g(tick, lang)}</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        out.append('<g class="bar-row">')
        out.append(f'<title>{esc(bar["tooltip"])}</title>')
        label = bar["label"] if len(bar["label"]) <= 120 else bar["label"][:119] + "…"
        out.append(f'<text x="{left}" y="{y + label_h - 3}" font-size="12" fill="#1a1a1a">'
                   f'{esc(label)}</text>')
        by = y + label_h
        out.append(f'<rect class="track" x="{left}" y="{by}" width="{plot}" height="{bar_h}" '
                   'fill="#eeeeee"/>')
        value = bar.get("value")
        if value is not None:
            bw = x(value) - left
            colour = bar.get("colour") or "#2f5d8a"
            out.append(f'<rect class="bar" x="{left}" y="{by}" width="{bw:.1f}" '
                       f'height="{bar_h}" fill="{esc(colour)}"/>')
        out.append(f'<text x="{width - 4}" y="{by + bar_h - 3}" font-size="12" font-weight="700" '
                   f'text-anchor="end" fill="#1a1a1a">{esc(bar["value_text"])}</text>')
        out.append("</g>")
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" '
               'stroke="#888" stroke-width="1"/>')
    out.append("</svg>")
    return "\n".join(out)


def _score_gauge(report: Mapping[str, Any], lang: str) -> str:
    """A thin bar: the final score on the range, with the predicate's and next band's
    lower bounds marked."""
    score = report["score"]
    final = score["final"]
    low, high = score["range"]
    if final is None or high <= low:
        return ""
    width, height, pad = 400, 34, 6
    plot = width - 2 * pad

    def x(value: float) -> float:
        return pad + plot * (min(max(value, low), high) - low) / (high - low)

    background, _ = predicate_colours(report)
    w = _w(lang)
    places = score["rounding"]["places"]
    title = (f"{w['score']} {num(final, lang, places)} ({w['range']} {_g(low, lang)}–"
             f"{_g(high, lang)})")
    out = [f'<svg class="gauge" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           'aria-labelledby="gauge-title" font-family="DejaVu Sans, Arial, sans-serif">',
           f'<title id="gauge-title">{esc(title)}</title>',
           f'<rect x="{pad}" y="6" width="{plot}" height="12" rx="3" fill="#e3e3e3"/>',
           f'<rect x="{pad}" y="6" width="{x(final) - pad:.1f}" height="12" rx="3" '
           f'fill="{background}"/>']
    marks = []
    if report.get("predicate"):
        marks.append(report["predicate"]["min"])
    if report.get("next_band"):
        marks.append(report["next_band"]["min"])
    for value in marks:
        mx = x(value)
        out.append(f'<line x1="{mx:.1f}" y1="3" x2="{mx:.1f}" y2="21" stroke="#1a1a1a" '
                   'stroke-width="1.5"/>')
        anchor = "start" if mx - pad < 12 else "end" if width - pad - mx < 12 else "middle"
        out.append(f'<text x="{mx:.1f}" y="32" font-size="10" fill="#333" '
                   f'text-anchor="{anchor}">{_g(value, lang)}</text>')
    # the ends of the range, unless a mark's label stands there already
    if all(x(value) - x(low) > 24 for value in marks):
        out.append(f'<text x="{pad}" y="32" font-size="10" fill="#777">{_g(low, lang)}'
                   '</text>')
    if all(x(high) - x(value) > 24 for value in marks):
        out.append(f'<text x="{width - pad}" y="32" font-size="10" fill="#777" '
                   f'text-anchor="end">{_g(high, lang)}</text>')
    out.append("</svg>")
    return "".join(out)


def _page(title: str, lang: str, body: Iterable[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "id"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
    ]) + "\n"


def _web_url(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def _either(value: str | Mapping[str, str] | None, lang: str) -> str:
    """A bibliography field: one string for both languages, or ``{id, en}``."""
    return value if isinstance(value, str) else _t(value, lang)


def _source_keys(source: Mapping[str, Any], report: Mapping[str, Any], lang: str) -> str:
    """The source keys a source cites, each linked to its entry in the page's bibliography
    (with the source's title on hover); a key the bibliography lacks stays plain text."""
    bib = report.get("bibliography") or {}
    links = []
    for key in source.get("sources") or []:
        entry = bib.get(key)
        if entry is None:
            links.append(f"<code>{esc(key)}</code>")
        else:
            links.append(f'<a class="src" href="#src-{esc(key)}" '
                         f'title="{esc(_either(entry["title"], lang))}">'
                         f"{esc(key)}</a>")
    return ", ".join(links)


def _source_line(source: Mapping[str, Any], lang: str, label: str = "",
                 report: Mapping[str, Any] | None = None) -> str:
    tag = f" [{tag_name(source['reference_tag'], lang)}]" if source.get("reference_tag") else ""
    head = f"<strong>{esc(label)}</strong>: " if label else ""
    text = (f"<li>{head}{esc(source.get('regulation', ''))} — "
            f"<em>{esc(confidence_name(source.get('confidence', ''), lang))}</em>{esc(tag)}")
    if source.get("reference"):
        text += (f' <span class="muted small">(<code>{esc(source["reference"])}</code>)'
                 "</span>")
    keys = _source_keys(source, report or {}, lang)
    if keys:
        text += f' <span class="small">[{keys}]</span>'
    for caveat in source.get("caveats", []):
        text += f'<span class="caveat">{esc(_t(caveat, lang))}</span>'
    return text + "</li>"


def _header(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    rs = report["ruleset"]
    unit = report["unit"]
    period = report.get("period") or {}
    out = [f"<h1>{esc(unit.get('nama', ''))}</h1>",
           f'<p class="subtitle">patuh — {esc(_t(rs["title"], lang))}</p>']
    if report.get("estimate"):
        out.append(f'<div class="estimate" role="note">⚠ {esc(_t(report["estimate"], lang))}'
                   "</div>")
    facts = []
    if unit.get("instansi"):
        facts.append((w["agency"], esc(unit["instansi"])))
    if unit.get("kode"):
        facts.append((w["code"], f"<code>{esc(unit['kode'])}</code>"))
    if unit.get("alamat"):
        facts.append((w["address"], esc(unit["alamat"])))
    facts.append((w["period"], esc(period.get("tahun", ""))))
    facts.append((w["date"], f"{esc(report['evaluated_on'])} <span class=\"muted\">("
                  f"{esc(w['from_source'].get(report['evaluated_on_source'], ''))})</span>"))
    eff = rs.get("effective") or {}
    effective = f"{w['since']} {eff.get('from', '')}"
    if eff.get("until"):
        effective += f" {w['until']} {eff['until']}"
    facts.append((w["edition"], f"<code>{esc(rs['id'])}</code> {esc(rs['edition'])} "
                  f"<span class=\"muted\">({esc(w['effective'])} {esc(effective)})</span>"))
    out.append('<div class="head">')
    out.append('<div class="facts"><dl class="facts">')
    for term, value in facts:
        out.append(f"<dt>{esc(term)}</dt><dd>{value}</dd>")
    out.append("</dl></div>")
    out.append('<div class="verdict">' + "".join(_verdict(report, lang)) + "</div>")
    out.append("</div>")
    return out


def _verdict(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    score = report["score"]
    places = score["rounding"]["places"]
    predicate = report.get("predicate")
    out = []
    if predicate is None:
        out.append('<div class="badge-row"><span class="badge predicate-badge" '
                   f'style="background:{NEUTRAL[0]};color:{NEUTRAL[1]}">—</span>'
                   f'<div><div class="muted">{esc(w["predicate"])}</div>'
                   f'<div class="predicate-label">—</div></div></div>')
        out.append(f'<p class="noscore" role="note">{esc(w["no_score"])}</p>')
        return out
    background, ink = predicate_colours(report)
    code = predicate["code"]
    size = " long" if len(code) > 3 else ""
    label = _predicate_label(predicate, lang)
    zone_text = _t(predicate.get("zone"), lang)
    zone = (f'<div class="muted">{esc(zone_text)}</div>'
            if zone_text and zone_text not in label else "")
    out.append(f'<div class="badge-row"><span class="badge predicate-badge{size}" '
               f'style="background:{background};color:{ink}" '
               f'aria-label="{esc(w["predicate"])} {esc(code)}">{esc(code)}</span>'
               f'<div><div class="muted">{esc(w["predicate"])}</div>'
               f'<div class="predicate-label">{esc(label)}</div>{zone}</div></div>')
    final = score["final"]
    low, high = score["range"]
    out.append(f'<p><span class="muted">{esc(w["score"])}</span> '
               f'<span class="score-big">{num(final, lang, places)}</span> '
               f'<span class="muted">/ {_g(high, lang)} ({esc(w["range"])} {_g(low, lang)}–'
               f'{_g(high, lang)})'
               "</span></p>")
    out.append(_score_gauge(report, lang))
    nb = report.get("next_band")
    if nb:
        label = _t(nb["display"], lang) if nb.get("display") else (
            f"{nb['code']} {nb['label_en'] if lang == 'en' else nb['label']}")
        gap = "" if nb.get("gap") is None else f" ({w['gap']} {num(nb['gap'], lang, places)})"
        out.append(f'<p class="small">{esc(w["next_band"])} {esc(label)}: ≥ '
                   f'{num(nb["min"], lang, places)}{esc(gap)}</p>')
    else:
        out.append(f'<p class="small muted">{esc(w["top_band"])}</p>')
    return out


def _band_name(band: Mapping[str, Any], lang: str) -> str:
    if band.get("display"):
        return _t(band["display"], lang)
    return f"{band['code']} {band['label_en'] if lang == 'en' else band['label']}"


def _summary_section(report: Mapping[str, Any], lang: str) -> list[str]:
    """The first page for the head of the office: predicate and score, the gap to the next
    predicate and the fewest steps to reach it (each with what is missing and its points)."""
    from patuh.waivers import score_text

    w = _w(lang)
    score = report["score"]
    places = score["rounding"]["places"]
    out = [f'<section class="summary" id="summary"><h2>{esc(w["summary"])}</h2>']
    predicate = report.get("predicate")
    if score["final"] is None:
        out.append(f'<p class="noscore" role="note">{esc(w["no_score"])}</p></section>')
        return out
    now = num(score["final"], lang, places) + (
        f" — {_predicate_text(predicate, lang)}" if predicate else "")
    out.append(f'<p class="lead"><span class="muted">{esc(w["now"])}:</span> '
               f"<strong>{esc(now)}</strong></p>")
    effect = (report.get("waivers") or {}).get("effect")
    if effect:
        out.append(f'<p class="alt">{esc(w["without_waivers"])}: '
                   f"<strong>{esc(score_text(effect['without'], lang))}</strong> → "
                   f"{esc(w['with_waivers'])}: {esc(score_text(effect['with'], lang))}</p>")
    verified = (report.get("verification") or {}).get("effect")
    if verified:
        out.append(f'<p class="alt">{esc(w["claimed"])}: '
                   f"<strong>{esc(score_text(verified['claimed'], lang))}</strong> → "
                   f"{esc(w['verified'])}: {esc(score_text(verified['verified'], lang))}</p>")
    nb = report.get("next_band")
    if not nb:
        out.append(f"<p>{esc(w['top_band'])}</p></section>")
        return out
    band = _band_name(nb, lang)
    gap = "—" if nb.get("gap") is None else num(nb["gap"], lang, places)
    line = w["gap_line"].format(gap=gap, band=band, min=num(nb["min"], lang, places))
    out.append(f'<p class="gap-line">{esc(line)}</p>')
    path = nb.get("path") or {"steps": [], "reaches": False}
    steps = path["steps"]
    if not steps:
        all_pass = all(r["status"] == "pass" for r in report["results"])
        out.append(f"<p>{esc(w['no_plan'] if all_pass else w['no_gain'])}</p></section>")
        return out
    own = report["ruleset"]["id"]
    results = {r["rule_id"]: r for r in report["results"]}
    out.append(f'<h3>{esc(w["path"].format(band=band))} <span class="muted small">('
               f'{esc(w["path_hint"].format(n=len(steps)))})</span></h3>')
    out.append(f'<table class="path"><thead><tr><th class="num">#</th>'
               f"<th>{esc(w['indicator'])} — {esc(w['todo'])}</th>"
               f"<th class=\"num\">{esc(w['points'])}</th>"
               f"<th class=\"num\">{esc(w['after'])}</th></tr></thead><tbody>")
    for index, step in enumerate(steps, start=1):
        r = results.get(step["rule_id"]) or {}
        title = _t(r.get("title"), lang)
        if r.get("next_level"):
            move = (f"{w['next']} {r['level']} → {r['next_level']['level']}: "
                    f"{_t(r['next_level']['title'], lang)}")
        else:
            move = w["full"]
        todo = [f"<li>{esc(_t(u['message'], lang))}"
                + (f' <em>({esc(w["missing_data"])})</em>' if u.get("missing") else "")
                + "</li>" for u in r.get("unmet") or []]
        guidance = _t(r.get("evidence_guidance"), lang)
        if guidance:
            todo.append(f'<li class="ev-add"><strong>{esc(w["evidence_to_add"])}:</strong> '
                        f"{esc(guidance)}</li>")
        out.append(f'<tr class="path-step" data-rule="{esc(step["rule_id"])}">'
                   f'<td class="num">{index}</td>'
                   f'<td><code>{esc(_short_id(step["rule_id"], own))}</code> '
                   f'<span class="ind-title">{esc(title)}</span>'
                   f'<div class="next">{esc(move)}</div>'
                   f'<ul class="todo">{"".join(todo)}</ul></td>'
                   f'<td class="num" data-label="{esc(w["points"])}">'
                   f'{signed(step["gain"], lang)}</td>'
                   f'<td class="num" data-label="{esc(w["after"])}"><strong>'
                   f'{num(step["score_after"], lang, places)}</strong></td></tr>')
    out.append("</tbody></table>")
    if not path["reaches"]:
        out.append(f'<p class="estimate" role="note">{esc(w["path_short"].format(band=band))}'
                   "</p>")
    out.append(f'<p class="small muted">{esc(w["see_plan"])}</p>')
    out += _approval_block(report, lang)
    out.append("</section>")
    return out


def _score_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    score = report["score"]
    places = score["rounding"]["places"]
    out = [f'<h2 id="score">{esc(w["score"])}</h2>']
    parts = score["parts"]
    if score["final"] is not None:
        formula = " + ".join(f"{_t(p['title'], lang)} {num(p['value'], lang)} × "
                             f"{_g(p['weight'], lang)}"
                             for p in parts if p["value"] is not None)
        out.append(f'<p><strong>{esc(w["formula"])}:</strong> {esc(formula)} = '
                   f'{num(score["unrounded"], lang, 6)}; {esc(w["rounded"])} {places} '
                   f'{esc(w["decimals"])}, {esc(rounding_name(score["rounding"]["mode"], lang))}'
                   f' → <strong>{num(score["final"], lang, places)}</strong></p>')
    else:
        out.append(f'<p class="noscore" role="note">{esc(w["no_score"])}</p>')
    out.append(f"<table class=\"parts\"><thead><tr><th>{esc(w['part'])}</th>"
               f"<th class=\"num\">{esc(w['value'])}</th><th class=\"num\">{esc(w['weight'])}"
               f"</th><th class=\"num\">{esc(w['respondents_head'])}</th></tr></thead><tbody>")
    for p in parts:
        value = esc(w["no_data"]) if p["value"] is None else num(p["value"], lang)
        respondents = "" if p.get("respondents") is None else num(p["respondents"], lang, 0)
        items = ""
        if p.get("items"):
            items = ('<div class="small muted">' + esc(w["items"]) + ": " + esc(", ".join(
                f"{k} {num(v, lang)}" for k, v in sorted(p["items"].items()))) + "</div>")
        out.append(f"<tr><td>{esc(_t(p['title'], lang))} <code>{esc(p['id'])}</code>{items}"
                   f"</td><td class=\"num\">{value}</td><td class=\"num\">"
                   f"{_g(p['weight'], lang)}</td>"
                   f"<td class=\"num\">{esc(respondents)}</td></tr>")
    out.append("</tbody></table>")
    return out


def aspect_axis(report: Mapping[str, Any]) -> tuple[float, float]:
    """The scale of the aspect chart: the score range, widened to start at 0 and to hold every
    aspect score (a scoring model may give aspects another scale than the final score)."""
    low, high = report["score"]["range"]
    scores = [a["score"] for a in report["aspects"] if a.get("score") is not None]
    low = min([low, 0.0, *scores])
    high = max([high, *scores])
    return float(low), float(high)


def _aspects_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    aspects = report["aspects"]
    out = [f'<h2 id="aspects">{esc(w["aspects"])}</h2>']
    if not aspects:
        return [*out, f"<p>{esc(w['none'])}</p>"]
    low, high = aspect_axis(report)
    bars = []
    for a in aspects:
        title = _t(a["title"], lang)
        label = f"{a['id']}. {title} — {w['weight'].lower()} {num(a['weight'], lang, 2)}%"
        value_text = num(a["score"], lang, 2)
        bars.append({"label": label, "value": a["score"], "value_text": value_text,
                     "tooltip": f"{a['id']}. {title}: {value_text} / {_g(high, lang)}"})
    out.append('<figure style="margin:0">')
    out.append(bar_chart(bars, low, high, w["aspects_chart"],
                         w["aspects_desc"].format(lo=_g(low, lang), hi=_g(high, lang)),
                         "chart aspect-chart", "aspects-chart", lang=lang))
    out.append("</figure>")
    return out


def _legal_basis(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    items = report["ruleset"].get("legal_basis") or []
    out = [f'<h2 id="legal-basis">{esc(w["legal_basis"])}</h2>', '<ul class="sources">']
    for item in items:
        text = f"<strong>{esc(item.get('regulation', ''))}</strong>"
        if item.get("title"):
            text += f" — {esc(item['title'])}"
        extra = [name(item[k], lang) for k, name in (("role", legal_role_name),
                                                     ("confidence", confidence_name))
                 if item.get(k)]
        if extra:
            text += f' <span class="muted small">({esc("; ".join(extra))})</span>'
        for key in ("amended_by", "replaces"):
            if item.get(key):
                text += (f'<span class="caveat">{esc(w[key])}: '
                         f'{esc(", ".join(map(str, item[key])))}</span>')
        urls = item.get("url") or []
        for url in [urls] if isinstance(urls, str) else urls:
            text += f'<span class="caveat mono">{esc(url)}</span>'
        out.append(f"<li>{text}</li>")
    out.append("</ul>")
    return out


def _result_row(r: Mapping[str, Any], report: Mapping[str, Any], lang: str) -> str:
    w = _w(lang)
    own = report["ruleset"]["id"]
    status = r["status"]
    weight_unit = "%" if report["score"].get("weights") == "percent" else ""
    if r["level"] is not None:
        reached = f"{r['level']}/{r['max_level']}"
    else:
        reached = f"{num(r['score'], lang, 2)}/100"
    counted_note = ""
    if status == "waived":
        waiver = next((item for item in (report.get("waivers") or {}).get("applied", ())
                       if item["rule_id"] == r["rule_id"]), None)
        if waiver is not None:
            _, counted = _counted(waiver, lang)
            counted_note = (f'<div class="counted small">{esc(w["counted"])}: '
                            f"<strong>{esc(counted)}</strong></div>")
    meter = ""
    if r.get("score") is not None:
        meter = (f'<span class="meter" aria-hidden="true"><span style="width:'
                 f'{min(max(r["score"], 0), 100):.0f}%"></span></span>')
    cell = [f'<div class="ind-title">{esc(_t(r["title"], lang))}</div>']
    if r.get("level_title"):
        cell.append(f'<div class="level-title">= {esc(_t(r["level_title"], lang))}</div>')
    if r["evidence"]:
        cell.append('<ul class="evidence">')
        for e in r["evidence"]:
            bad = ""
            if e["status"] not in ("ok", "declared"):
                why = evidence_status_name(e["status"], lang)
                bad = f' <span class="ev-bad">[{esc(why)}]</span>'
            digest = (f' <code class="muted" title="sha256:{esc(e["sha256"])}">'
                      f'sha256:{esc(_short_sha(e["sha256"]))}</code>' if e.get("sha256") else "")
            cell.append(f"<li>{esc(e['ref'])}{digest}{bad}</li>")
        cell.append("</ul>")
    if r.get("next_level") or (r["unmet"] and r["level"] is None):
        if r.get("next_level"):
            head = (f"{w['next']} {r['next_level']['level']}: "
                    f"{_t(r['next_level']['title'], lang)}")
        else:
            head = w["full"]
        cell.append(f'<div class="next"><strong>{esc(head)}</strong></div>')
    if r["unmet"]:
        cell.append('<ul class="unmet">')
        for u in r["unmet"]:
            flag = f' <em>({esc(w["missing_data"])})</em>' if u.get("missing") else ""
            cell.append(f"<li>{esc(_t(u['message'], lang))}{flag}</li>")
        cell.append("</ul>")
    source = r.get("source") or {}
    keys = _source_keys(source, report, lang)
    if keys or source.get("reference"):
        ref = (f' <span class="muted">(<code>{esc(source["reference"])}</code>)</span>'
               if source.get("reference") else "")
        cell.append(f'<div class="small cites">{esc(w["cites"])}: {keys}{ref}</div>')
    gain = signed(r["gain"], lang) if r.get("gain") else ""
    word = w["status_words"].get(status, status)
    return (f'<tr class="result s-row-{esc(status)}" id="rule-{esc(r["rule_id"])}" '
            f'data-rule="{esc(r["rule_id"])}" data-status="{esc(status)}">'
            f'<td><span class="mark s-{esc(status)}" title="{esc(word)}" '
            f'aria-label="{esc(word)}">{esc(MARKS.get(status, "?"))}</span></td>'
            f'<td class="nowrap"><code>{esc(_short_id(r["rule_id"], own))}</code></td>'
            f'<td class="num">{esc(reached)}{meter}{counted_note}</td>'
            f'<td>{"".join(cell)}</td>'
            f'<td class="num">{_g(r["weight"], lang)}{weight_unit}</td>'
            f'<td class="num">{esc(gain)}</td></tr>')


def _indicators_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    out = [f'<h2 id="indicators">{esc(w["indicators"])}</h2>']
    legend = "  ".join(f"{MARKS[s]} {w['status_words'][s]}"
                       for s in ("pass", "partial", "fail", "missing"))
    out.append(f'<p class="small muted legend">{esc(w["legend"])}: {esc(legend)}</p>')
    by_aspect: dict[str, list[Mapping[str, Any]]] = {}
    for r in report["results"]:
        by_aspect.setdefault(r["aspect"], []).append(r)
    groups = [(a["id"], _t(a["title"], lang)) for a in report["aspects"]]
    known = {a for a, _ in groups}
    groups += [(a, a) for a in by_aspect if a not in known]  # results of an unlisted aspect
    head = (f"<thead><tr><th></th><th>{esc(w['code'])}</th><th class=\"num\">"
            f"{esc(w['reached'])}</th><th>{esc(w['indicator'])}</th><th class=\"num\">"
            f"{esc(w['weight'])}</th><th class=\"num\">{esc(w['gain'])}</th></tr></thead>")
    for aspect_id, title in groups:
        rows = by_aspect.get(aspect_id, [])
        if not rows:
            continue
        out.append(f'<h3 id="aspect-{esc(aspect_id)}">{esc(aspect_id)}. {esc(title)}</h3>')
        out.append(f'<table class="results">{head}<tbody>')
        out.extend(_result_row(r, report, lang) for r in rows)
        out.append("</tbody></table>")
    return out


def _plan_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    own = report["ruleset"]["id"]
    out = [f'<h2 id="plan">{esc(w["plan"])} <span class="muted small">'
           f'({esc(w["plan_hint"])})</span></h2>']
    plan = report["improvement_plan"]
    if not plan:
        all_pass = all(r["status"] == "pass" for r in report["results"])
        out.append(f"<p>{esc(w['no_plan'] if all_pass else w['no_gain'])}</p>")
        return out
    out.append(f"<table class=\"plan\"><thead><tr><th class=\"num\">#</th><th class=\"num\">"
               f"{esc(w['gain'])}</th><th>{esc(w['code'])}</th><th>{esc(w['indicator'])}</th>"
               f"<th class=\"num\">{esc(w['step'])}</th><th>{esc(w['target'])}</th></tr>"
               "</thead><tbody>")
    results = {r["rule_id"]: r for r in report["results"]}
    for index, item in enumerate(plan, start=1):
        step = (f"{item['from_level']} → {item['to_level']}" if item["to_level"] is not None
                else f"{num(item['from_score'], lang, 2)} → 100")
        unmet = (results.get(item["rule_id"]) or {}).get("unmet") or []
        todo = "".join(f"<li>{esc(_t(u['message'], lang))}</li>" for u in unmet)
        out.append(f'<tr class="plan-item"><td class="num">{index}</td>'
                   f'<td class="num">{signed(item["gain"], lang)}</td>'
                   f'<td class="nowrap"><code>{esc(_short_id(item["rule_id"], own))}</code>'
                   "</td>"
                   f'<td>{esc(_t(item["title"], lang))}</td>'
                   f'<td class="num">{esc(step)}</td>'
                   f'<td>{esc(_t(item["next_title"], lang))}'
                   f'{f"<ul class=todo>{todo}</ul>" if todo else ""}</td></tr>')
    out.append("</tbody></table>")
    return out


def _findings_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    findings = report["findings"]
    out = [f'<h2 id="findings">{esc(w["findings"])}</h2>']
    if not findings:
        return [*out, f"<p class=\"muted\">{esc(w['none'])}</p>"]
    out.append(f"<table class=\"findings\"><thead><tr><th>{esc(w['ref'])}</th>"
               f"<th>{esc(w['owner'])}</th><th>{esc(w['kind'])}</th><th>{esc(w['status'])}</th>"
               f"<th>{esc(w['message'])}</th></tr></thead><tbody>")
    for f in findings:
        out.append(f'<tr class="finding"><td>{esc(f["ref"])}</td><td><code>{esc(f["owner"])}'
                   f'</code></td><td>{esc(finding_kind_name(f["kind"], lang))}</td>'
                   f'<td>{esc(evidence_status_name(f["status"], lang))}</td>'
                   f'<td>{esc(_t(f["message"], lang))}</td></tr>')
    out.append("</tbody></table>")
    return out


def _readings_section(report: Mapping[str, Any], lang: str) -> list[str]:
    """How values typed the way people write them were read (absent when none were)."""
    readings = report.get("readings") or []
    if not readings:
        return []
    w = _w(lang)
    out = [f'<h2 id="readings">{esc(w["readings"])}</h2>',
           f"<table class=\"readings\"><thead><tr><th>{esc(w['field'])}</th>"
           f"<th>{esc(w['written'])}</th><th>{esc(w['read_as'])}</th><th>{esc(w['how'])}</th>"
           "</tr></thead><tbody>"]
    for item in readings:
        where = f'{esc(item["where"])} ' if item.get("where") else ""
        out.append(f'<tr class="reading"><td>{where}<code>{esc(item["path"])}</code></td>'
                   f'<td>{esc(item["raw"])}</td><td>{esc(shown_value(item["value"], lang))}</td>'
                   f'<td>{esc(_t(item["how"], lang))}</td></tr>')
    out.append("</tbody></table>")
    return out


def _notes_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    if not report["notes"]:
        return []
    out = [f'<h2 id="notes">{esc(w["notes"])}</h2>', '<ul class="notes">']
    out.extend(f"<li>{esc(_t(n, lang))}</li>" for n in report["notes"])
    out.append("</ul>")
    return out


def _confidence_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    own = report["ruleset"]["id"]
    out = [f'<h2 id="confidence">{esc(w["confidence"])} <span class="muted small">'
           f'({w["confidence_hint"]})</span></h2>']
    scoring = report["confidence"]["scoring"]
    if scoring:
        out.append(f"<h3>{esc(w['scoring_sources'])}</h3><ul class=\"sources\">")
        out.extend(_source_line(c, lang, report=report) for c in scoring)
        out.append("</ul>")
    edition_sources = [(w["rounding_source"], report["score"].get("rounding_source")),
                       (w["bands_source"], report.get("bands_source"))]
    edition_sources = [(label, src) for label, src in edition_sources if src]
    weak: dict[str, list[str]] = {}
    for a in report["aspects"]:
        source = a.get("source") or {}
        conf = source.get("confidence")
        if conf and conf not in ("official", "secondary"):
            tag = (f" [{tag_name(source['reference_tag'], lang)}]"
                   if source.get("reference_tag") else "")
            weak.setdefault(f"{confidence_name(conf, lang)}{tag}", []).append(a["id"])
    if edition_sources or weak:
        out.append('<ul class="sources">')
        out.extend(_source_line(src, lang, label, report) for label, src in edition_sources)
        for key, ids in sorted(weak.items()):
            out.append(f"<li><strong>{esc(w['aspect_weights'])}</strong> "
                       f"{esc(', '.join(ids))}: <em>{esc(key)}</em></li>")
        out.append("</ul>")
    groups: dict[str, list[str]] = {}
    for item in report["confidence"]["low"]:
        tag = f" [{tag_name(item['reference_tag'], lang)}]" if item.get("reference_tag") else ""
        groups.setdefault(f"{confidence_name(item['confidence'], lang)}{tag}", []).append(
            _short_id(item["rule_id"], own))
    if groups:
        out.append(f"<h3>{esc(w['rules_by_confidence'])}</h3>")
        out.append(f"<table class=\"confidence\"><thead><tr><th>{esc(w['confidence'])}</th>"
                   f"<th class=\"num\">{esc(w['rules'])}</th><th>{esc(w['code'])}</th></tr>"
                   "</thead><tbody>")
        for key, ids in sorted(groups.items()):
            out.append(f"<tr><td><em>{esc(key)}</em></td><td class=\"num\">{len(ids)}</td>"
                       f"<td class=\"small\">{esc(', '.join(ids))}</td></tr>")
        out.append("</tbody></table>")
    return out


def _bibliography_section(report: Mapping[str, Any], lang: str) -> list[str]:
    """Every source the report cites: title, publisher, URL(s) as links, date seen, what it
    supports (from the report's ``bibliography``)."""
    bib = report.get("bibliography") or {}
    if not bib:
        return []
    w = _w(lang)
    out = [f'<h2 id="bibliography">{esc(w["bibliography"])} <span class="muted small">'
           f'({esc(w["bibliography_hint"])})</span></h2>', '<ul class="sources">']
    for key, entry in sorted(bib.items()):
        urls = [u for u in entry.get("url") or [] if _web_url(u)]
        links = " ".join(f'<a class="mono" href="{esc(u)}" rel="noopener noreferrer">{esc(u)}</a>'
                         for u in urls)
        links = links or esc(_t(entry.get("url_note"), lang) or w["no_url"])
        seen = entry.get("seen") or w["not_recorded"]
        text = (f'<li id="src-{esc(key)}"><strong>{esc(key)}</strong> — '
                f'{esc(_either(entry["title"], lang))} '
                f'<span class="muted small">({esc(w["publisher"])}: '
                f'{esc(_either(entry["publisher"], lang))}; '
                f'{esc(kind_name(entry["kind"], lang))}; {esc(w["seen"])}: {esc(seen)})</span>'
                f'<span class="caveat">{links}</span>'
                f'<span class="caveat">{esc(w["supports"])}: '
                f'{esc(_t(entry.get("supports"), lang))}</span>')
        out.append(text + "</li>")
    out.append("</ul>")
    return out


def _digests_section(report: Mapping[str, Any], lang: str) -> list[str]:
    w = _w(lang)
    d = report["digests"]
    out = [f'<h2 id="digests">{esc(w["digests"])}</h2>', '<dl class="facts small">',
           f"<dt>{esc(w['rules'])}</dt><dd><code>{esc(d['rules'])}</code></dd>",
           f"<dt>{esc(w['manifest'])}</dt><dd><code>{esc(d['manifest'])}</code> "
           f"<span class=\"muted\">{esc(report['manifest']['file'])}</span></dd>", "</dl>"]
    evidence = d.get("evidence") or {}
    if evidence:
        out.append(f"<table class=\"digests small\"><thead><tr><th>{esc(w['evidence'])} "
                   f"({len(evidence)})</th><th>sha256</th></tr></thead><tbody>")
        for ref, digest in sorted(evidence.items()):
            shown = (f"<code>{esc(digest)}</code>" if digest
                     else f"<span class=\"muted\">{esc(w['no_digest'])}</span>")
            out.append(f"<tr><td>{esc(ref)}</td><td>{shown}</td></tr>")
        out.append("</tbody></table>")
    return out


def _counted(item: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """A waiver's level reached and level counted, as text."""
    en = lang == "en"
    found = item["found"]
    if found["level"] is not None:
        reached = f"{found['level']}/{found['max_level']}"
    else:
        reached = "—" if found["score"] is None else f"{_g(found['score'], lang)}/100"
    scored = item.get("scored_as")
    if scored is None:
        counted = "not scored (excluded)" if en else "tidak dinilai (dikecualikan)"
    elif scored.get("level") is not None:
        counted = f"{scored['level']}/{found['max_level']}"
    else:
        counted = f"{_g(scored['score'], lang)}/100"
    return reached, counted


def _score_pair(rows: Sequence[tuple[str, Mapping[str, Any]]], lang: str,
                css_class: str) -> str:
    """A small table of two scores with their predicates and the difference."""
    en = lang == "en"
    heads = ("", "Score", "Predicate", "Δ") if en else ("", "Nilai", "Predikat", "Δ")
    out = [f'<table class="score-pair {css_class}"><thead><tr>'
           + "".join(f'<th{" class=num" if h in ("Score", "Nilai", "Δ") else ""}>{esc(h)}</th>'
                     for h in heads) + "</tr></thead><tbody>"]
    first = rows[0][1].get("final")
    for label, summary in rows:
        final = summary.get("final")
        pred = summary.get("predicate")
        pred_text = "—" if not pred else (
            f"{pred['code']} {pred['label_en'] if en else pred['label']}")
        delta = "" if final is None or first is None or summary is rows[0][1] else (
            signed(final - first, lang, 2))
        out.append(f"<tr><th>{esc(label)}</th><td class=\"num\"><strong>"
                   f"{esc('—' if final is None else _g(final, lang))}</strong></td>"
                   f"<td>{esc(pred_text)}</td><td class=\"num\">{esc(delta)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _audit_section(report: Mapping[str, Any], lang: str) -> list[str]:
    """The evaluator's verification (claim and verified side by side, both scores and
    predicates) and the waivers (each one, its effect, the score with and without), when the
    report has them (``--verification``, ``--waivers``)."""
    en = lang == "en"
    out: list[str] = []
    section = report.get("verification")
    if section:
        title = "Evaluator verification" if en else "Verifikasi evaluator"
        out.append(f'<h2 id="verification">{title}</h2>')
        out.append(f"<p>{esc(section['evaluator'])}, {esc(section['tanggal'])} "
                   f"(<code>{esc(section['file'])}</code>)</p>")
        if section.get("catatan"):
            out.append(f"<p>{esc(section['catatan'])}</p>")
        effect = section.get("effect")
        if effect:
            out.append(_score_pair(
                [("Claimed by the unit" if en else "Klaim unit", effect["claimed"]),
                 ("Verified" if en else "Terverifikasi", effect["verified"])],
                lang, "verification-scores"))
        heads = (("Indicator", "Claim", "Verified", "Δ", "Note") if en else
                 ("Indikator", "Klaim", "Terverifikasi", "Δ", "Catatan"))
        out.append('<div class="wide"><table class="parts verification"><thead><tr>'
                   + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>")
        for item in section["items"]:
            if item["measured"]:
                claim = ("—" if item["claimed_score"] is None
                         else _g(item["claimed_score"], lang))
                verified = _g(item["verified_score"], lang)
                delta = "—" if item["delta"] is None else (
                    ("+" if item["delta"] > 0 else "") + _g(item["delta"], lang))
            else:
                claim = f"{item['claimed_level']}/{item['max_level']}"
                verified = f"{item['verified_level']}/{item['max_level']}"
                delta = f"{item['delta']:+d}"
            out.append(f"<tr class=\"verified-item\"><td><code>"
                       f"{esc(item['rule_id'])}</code> "
                       f"{esc(_t(item['title'], lang))}</td><td class=\"num\">{esc(claim)}</td>"
                       f"<td class=\"num\">{esc(verified)}</td><td class=\"num\">{esc(delta)}"
                       f"</td><td>{esc(item['note'])} <span class=\"muted\">("
                       f"{esc(item['evaluator'])}, {esc(item['date'])})</span></td></tr>")
        out.append("</tbody></table></div>")
    waivers = report.get("waivers")
    if waivers:
        out.extend(_waivers_section(waivers, report, lang))
    return out


def _waivers_section(section: Mapping[str, Any], report: Mapping[str, Any],
                     lang: str) -> list[str]:
    en = lang == "en"
    own = report["ruleset"]["id"]
    titles = {r["rule_id"]: r["title"] for r in report["results"]}
    out = [f'<h2 id="waivers">{"Waivers" if en else "Pengecualian"} '
           f'<span class="muted small">(<code>{esc(section["file"])}</code>)</span></h2>']
    effect = section.get("effect")
    if effect:
        out.append(_score_pair(
            [("Without waivers" if en else "Tanpa pengecualian", effect["without"]),
             ("With waivers" if en else "Dengan pengecualian", effect["with"])],
            lang, "waiver-scores"))
    if not section["applied"]:
        out.append(f"<p>{'None in force.' if en else 'Tidak ada yang berlaku.'}</p>")
    else:
        heads = (("Indicator", "Reached", "Counted", "Why and who") if en else
                 ("Indikator", "Dicapai", "Dihitung", "Alasan dan penanggung jawab"))
        out.append('<div class="wide"><table class="waivers"><thead><tr>'
                   + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>")
        for item in section["applied"]:
            reached, counted = _counted(item, lang)
            if item["effect"] == "excluded":
                what = (f"weight shared within aspect {item['aspect']}" if en else
                        f"bobotnya dibagi ke aspek {item['aspect']}")
            else:
                what = "scored as met (maximum)" if en else "dinilai terpenuhi (maksimum)"
            who = (f"{'owner' if en else 'pemilik'}: {item['owner']}; "
                   f"{'approved by' if en else 'disetujui'}: {item['approver']}; "
                   f"{item['start']} – {item['expiry']}; "
                   f"{'legal basis' if en else 'dasar'}: {item['legal_basis']}")
            out.append(f'<tr class="waiver" data-rule="{esc(item["rule_id"])}"><td><code>'
                       f"{esc(_short_id(item['rule_id'], own))}</code> "
                       f"{esc(_t(titles.get(item['rule_id']), lang))}</td>"
                       f'<td class="num">{esc(reached)}</td>'
                       f'<td class="num"><strong>{esc(counted)}</strong>'
                       f'<div class="small muted">{esc(what)}</div></td>'
                       f"<td>{esc(_t(item['reason'], lang))}"
                       f'<div class="small muted">{esc(who)} ({esc(item["source"])})</div>'
                       "</td></tr>")
        out.append("</tbody></table></div>")
    notes = []
    for item in section.get("ignored") or []:
        why = {"expired": "expired" if en else "kedaluwarsa",
               "not_started": "not yet in force" if en else "belum berlaku"}.get(
            item["why"], item["why"])
        notes.append(f"{item['rule_id']}: {why} ({item['start']} – {item['expiry']}; "
                     f"{item['source']})")
    notes += [_t(warning, lang) for warning in section.get("warnings") or []]
    if notes:
        out.append('<ul class="notes small">'
                   + "".join(f"<li>{esc(n)}</li>" for n in dict.fromkeys(notes)) + "</ul>")
    return out


def _approval_block(report: Mapping[str, Any], lang: str) -> list[str]:
    """The approval block (``patuh check --approval-evaluator/-date/-place``): place and date,
    room for a signature, the evaluator's name."""
    approval = report.get("approval")
    if not approval:
        return []
    en = lang == "en"
    where = ", ".join(v for v in (approval.get("place"), approval.get("date_text")) if v)
    role = "Evaluator" if en else "Evaluator,"
    head = "Approval" if en else "Pengesahan"
    return [f'<section class="approval" aria-label="{head}"><div class="sign">',
            f'<p class="where">{esc(where)}</p>' if where else "",
            f"<p>{esc(role)}</p>", '<div class="signature-space"></div>',
            f'<p class="evaluator"><strong>{esc(approval.get("evaluator") or "")}</strong>'
            "</p></div></section>"]


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    """A headless-capable Chromium: $PATUH_BROWSER, else the first of BROWSERS on PATH."""
    import os
    import shutil

    named = os.environ.get("PATUH_BROWSER")
    if named:
        return shutil.which(named)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def html_to_pdf(page: str, timeout: float = 180) -> bytes:
    """The page printed to an A4 PDF by headless Chromium (the same engine the HTML tests
    use, so the PDF is the page as printed from the browser). InputError (exit 2) when no
    browser is found or it fails."""
    import subprocess
    import tempfile
    from pathlib import Path

    from patuh.errors import InputError
    from patuh.i18n import Text

    browser = find_browser()
    if browser is None:
        raise InputError(
            Text("--format pdf memerlukan peramban Chromium headless, tetapi tidak ditemukan "
                 f"({', '.join(BROWSERS)} atau $PATUH_BROWSER)",
                 "--format pdf needs a headless Chromium browser, but none was found "
                 f"({', '.join(BROWSERS)} or $PATUH_BROWSER)"),
            hint=Text("pasang paket `chromium`, atau pakai --format html lalu cetak ke PDF dari "
                      "peramban", "install the `chromium` package, or use --format html and "
                      "print it to PDF from a browser"))
    with tempfile.TemporaryDirectory(prefix="patuh-pdf-") as folder:
        work = Path(folder)
        source, target = work / "report.html", work / "report.pdf"
        source.write_text(page, "utf-8")
        try:
            done = subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-extensions", f"--user-data-dir={work / 'profile'}",
                 "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri()],
                capture_output=True, text=True, timeout=timeout, check=False,
                stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(Text(f"peramban {browser} gagal mencetak PDF: {exc}",
                                  f"browser {browser} failed to print the PDF: {exc}")) from None
        if done.returncode != 0 or not target.is_file() or \
                not target.read_bytes().startswith(b"%PDF-"):
            tail = (done.stderr or "").strip().splitlines()[-1:] or [""]
            raise InputError(Text(f"peramban {browser} gagal mencetak PDF (kode "
                                  f"{done.returncode}): {tail[0]}",
                                  f"browser {browser} failed to print the PDF (code "
                                  f"{done.returncode}): {tail[0]}"))
        return target.read_bytes()


def render_html(report: Mapping[str, Any], lang: str = "id") -> str:
    """One report as a self-contained HTML5 page."""
    w = _w(lang)
    tool = report.get("tool") or {}
    body: list[str] = ["<main>"]
    body += _header(report, lang)
    summary = _summary_section(report, lang)
    if report.get("approval") and not any('class="approval"' in line for line in summary):
        summary += _approval_block(report, lang)
    body += summary
    body += _score_section(report, lang)
    body += _audit_section(report, lang)
    body += _aspects_section(report, lang)
    body += _legal_basis(report, lang)
    body += _indicators_section(report, lang)
    body += _plan_section(report, lang)
    body += _findings_section(report, lang)
    body += _readings_section(report, lang)
    body += _notes_section(report, lang)
    body += _confidence_section(report, lang)
    body += _bibliography_section(report, lang)
    body += _digests_section(report, lang)
    body.append("</main>")
    body.append("<footer>" + esc(w["generated"].format(
        tool=tool.get("name", "patuh"), version=tool.get("version", ""),
        schema=report.get("schema_version", ""))) + "</footer>")
    predicate = report.get("predicate")
    code = f" — {predicate['code']}" if predicate else ""
    title = (f"{w['doc_title']}: {report['unit'].get('nama', '')} — "
             f"{report['ruleset']['id']} {report['ruleset']['edition']}{code}")
    return _page(title, lang, body)


# --- batch summary -----------------------------------------------------------------------------

def _batch_axis(rows: Sequence[Mapping[str, Any]]) -> tuple[float, float]:
    """The scale of one ruleset's scores: a row's ``range`` ([low, high], as in
    report["score"]["range"]) when given; otherwise 0 to 5, 100 or the highest score."""
    for row in rows:
        given = row.get("range")
        if given and len(given) == 2 and given[1] > given[0]:
            return float(min(0.0, given[0])), float(given[1])
    scores = [float(r["score"]) for r in rows if r.get("score") is not None]
    top = max(scores, default=0.0)
    for high in (5.0, 100.0):
        if top <= high:
            return 0.0, high
    return 0.0, top


def render_batch_summary(rows: list[dict[str, Any]], lang: str = "id") -> str:
    """A page summing up many checks: a table of the rows, and per ruleset a bar chart of the
    scores. Row keys: rank, unit, kode, ruleset, edition, evaluated_on, score,
    predicate_code, predicate_label, status, error (any may be None); optional ``range``
    ([low, high] of the ruleset's score) fixes the chart's scale; optional ``note`` (why a
    ruleset was skipped: not in force for the unit's date) and ``link`` (the unit's report,
    relative to this page)."""
    w = _w(lang)
    statuses = ({"ok": "ok", "error": "error", "skipped": "skipped (not in force)"}
                if lang == "en" else
                {"ok": "ok", "error": "kesalahan", "skipped": "dilewati (tidak berlaku)"})

    def score_text(row: Mapping[str, Any]) -> str:
        return number(float(row["score"]), lang, int(row.get("places") or 2))

    body = ["<main>", f"<h1>{esc(w['batch_title'])}</h1>",
            f'<p class="subtitle">patuh — {len(rows)} {esc(w["units"])}</p>']
    if not rows:
        body += [f"<p>{esc(w['no_rows'])}</p>", "</main>"]
        return _page(w["batch_title"], lang, body)
    by_ruleset: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:  # a skipped ruleset has no score to chart: it is in the table
        if row.get("status") != "skipped":
            by_ruleset.setdefault(str(row.get("ruleset") or ""), []).append(row)
    body.append(f'<h2 id="scores">{esc(w["scores"])}</h2>')
    # the same room for the values in every chart, so that their tracks line up
    longest = max((len(f"{score_text(r)} {r.get('predicate_code') or ''}")
                   for r in rows if r.get("score") is not None), default=0)
    for index, (ruleset, group) in enumerate(by_ruleset.items(), start=1):
        low, high = _batch_axis(group)
        span = (high - low) or 1.0
        bars = []
        for row in group:
            score = row.get("score")
            value = None if score is None else float(score)
            code = row.get("predicate_code")
            text = "—" if value is None else score_text(row) + (f" {code}" if code else "")
            colour = None if value is None else band_colours((value - low) / span)[0]
            name = str(row.get("unit") or row.get("kode") or "")
            label = name if row.get("rank") is None else f"{row['rank']}. {name}"
            bars.append({"label": label, "value": value, "value_text": text,
                         "colour": colour,
                         "tooltip": f"{row.get('unit') or ''} ({ruleset}): {text}"})
        edition = sorted({str(r.get("edition")) for r in group if r.get("edition")})
        body.append(f"<h3><code>{esc(ruleset)}</code> {esc(', '.join(edition))}</h3>")
        body.append(bar_chart(bars, low, high, f"{w['scores']} — {ruleset}",
                              w["scores_desc"].format(ruleset=ruleset, lo=_g(low, lang),
                                                      hi=_g(high, lang)),
                              "chart batch-chart", f"batch-chart-{index}",
                              value_chars=longest, lang=lang))
    headers = [(w["rank"], True), (w["unit"], False), (w["ruleset"], False),
               (w["date"], False), (w["score"], True), (w["predicate"], False),
               (w["status"], False), (w["error"], False)]
    body.append('<table class="batch"><thead><tr>' + "".join(
        f'<th{" class=num" if num else ""}>{esc(h)}</th>' for h, num in headers)
        + "</tr></thead><tbody>")
    for row in rows:
        score = row.get("score")
        shown = "—" if score is None else score_text(row)
        code = row.get("predicate_code")
        predicate = ""
        if code:
            predicate = (f"<strong>{esc(code)}</strong> {esc(row.get('predicate_label') or '')}")
        kode = f' <code class="muted">{esc(row["kode"])}</code>' if row.get("kode") else ""
        error, note = row.get("error"), row.get("note")
        message = ("<span class=ev-bad>" + esc(error) + "</span>" if error else
                   "<span class=muted>" + esc(note) + "</span>" if note else "")
        name = esc(row.get("unit") or "")
        if row.get("link"):
            name = f'<a href="{esc(row["link"])}">{name or esc(row["link"])}</a>'
        status = str(row.get("status") or "")
        body.append(
            f'<tr class="batch-row"><td class="num">{esc(row.get("rank"))}</td>'
            f'<td>{name}{kode}</td>'
            f'<td><code>{esc(row.get("ruleset") or "")}</code> {esc(row.get("edition") or "")}'
            f'</td><td class="nowrap">{esc(row.get("evaluated_on") or "")}</td>'
            f'<td class="num">{shown}</td><td>{predicate}</td>'
            f'<td>{esc(statuses.get(status, status))}</td>'
            f'<td>{message}</td>'
            "</tr>")
    body += ["</tbody></table>", "</main>"]
    return _page(w["batch_title"], lang, body)
