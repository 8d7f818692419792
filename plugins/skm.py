"""SKM, Survei Kepuasan Masyarakat (PermenPANRB 14/2017): the IKM from raw survey answers.

    NRR_u = mean of the answers (1–4) given for unsur u      (a blank is left out, and counted)
    IKM   = (Σ NRR_u / 9) × 25, rounded to 2 decimals half up  (exact mean, not 0.11 or 0.111)
    mutu  = the ruleset `skm` band table on the rounded IKM   (A ≥ 88.31, B ≥ 76.61, C ≥ 65.00)
    sample (Krejcie–Morgan 1970): S = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5,
    d = 0.05, rounded to the nearest integer.

This plugin reads response files (CSV or XLSX), derives `skm.hasil` for manifests (so PEKPPP
indicator 6.a.B can judge whether the survey follows the regulation), offers the `fact_score`
scoring model of the `skm` ruleset, and adds the `patuh skm` command.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import click

from patuh import InputError
from patuh import Text
from patuh import hookimpl
from patuh.habits import read_number
from patuh.plugins import tables

CODES = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
PROFILE = ("jenis_kelamin", "umur", "pendidikan", "pekerjaan")
SCALE = range(1, 5)
_ANSWERS = {str(n): n for n in SCALE}  # the usual cells, read without a pattern
AGE = re.compile(r"[0-9]{1,3}", re.ASCII)  # not `str.isdigit`: it takes "²", which int() refuses
CHI2, P, D = Fraction("3.841"), Fraction(1, 2), Fraction(5, 100)
REGULATION = "PermenPANRB 14/2017"


# --- arithmetic ----------------------------------------------------------------------------

def half_up(value: Fraction, places: int = 2) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def minimum_sample(population: int) -> int:
    """Krejcie–Morgan minimum sample for a population of N users (N ≥ 1)."""
    n = Fraction(population)
    s = CHI2 * n * P * (1 - P) / (D * D * (n - 1) + CHI2 * P * (1 - P))
    return int(half_up(s, 0))


def ikm_of(nrr: Mapping[str, Fraction]) -> Fraction:
    """The unrounded IKM (25–100): the exact mean of the nine NRRs, times 25."""
    return sum(nrr.values(), Fraction(0)) / len(CODES) * 25


# --- reading -------------------------------------------------------------------------------

HEADER_IS = Text("baris judul U1 … U9", "a U1 … U9 header row")


def _header_score(cells: list[str]) -> int:
    """How much a row looks like the header of SKM answers: the columns it names, when at
    least three of them are unsur (a title row names none)."""
    known = vocabulary().known(cells)
    return len(known) if len(known & set(CODES)) >= 3 else 0


@dataclass
class Table:
    """A response file as read: its header (and the line it is on), its rows, notes on how it
    was read; ``workbook``: cells come from a workbook (numbers in a date column are serials)."""

    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    notes: list[Text]
    header_line: int = 1
    workbook: bool = False


def read_table(file: Path, sheet: str | None = None, json_path: str | None = None) -> Table:
    """Header and rows of a CSV or XLSX response file, with notes on how it was read."""
    header, table = tables.read_rows(file, fallback="cp1252", workbooks=True,
                                     header_score=_header_score, sheet=sheet,
                                     sheet_path=json_path, header_is=HEADER_IS)
    notes = list(table.notes)
    if table.encoding not in ("utf-8", tables.WORKBOOK):
        notes.append(Text(f"Berkas bukan UTF-8; dibaca sebagai {table.encoding} (Windows).",
                          f"The file is not UTF-8; it was read as {table.encoding} (Windows)."))
    return Table(header, table, notes, table.header_line, workbook=table.workbook)


PROFILE_SPELLINGS = {
    "layanan": ("jenis layanan", "jenis pelayanan", "pelayanan", "nama layanan",
                "layanan yang diterima", "jenis layanan yang diterima", "service"),
    "tanggal": ("tanggal survei", "tanggal survey", "tanggal pengisian", "tgl survei", "tgl",
                "tanggal isi", "waktu pengisian", "timestamp", "stempel waktu",
                "cap waktu", "tanda waktu", "date"),
    "jenis_kelamin": ("jenis kelamin", "jenis kelamin (L/P)", "kelamin", "jk", "L/P", "gender",
                      "sex"),
    "umur": ("usia", "umur (tahun)", "usia (tahun)", "umur (th)", "usia (th)", "umur responden",
             "usia responden", "age"),
    "pendidikan": ("pendidikan terakhir", "tingkat pendidikan", "education"),
    "pekerjaan": ("pekerjaan utama", "profesi", "mata pencaharian", "occupation"),
}
# a row's number or the respondent's name: known, not read, no note (other columns are named)
UNUSED = ("no", "no.", "nomor", "nomor urut", "no urut", "responden", "nama", "nama responden")
_UNSUR = re.compile(r"(?:u|unsur)_?([1-9])(?:_(.+))?")
_UNSUR_AFTER = re.compile(r".+_(?:u|unsur)_?([1-9])")


def _unsur(name: str) -> str | None:
    """``U1 Persyaratan``, ``U1. Persyaratan``, ``Unsur 1``, ``Persyaratan (U1)`` → U1."""
    folded = tables.fold(name)
    match = _UNSUR.fullmatch(folded)
    if match and not (match[2] and re.search(r"(?:^|_)(?:u|unsur)_?[0-9]", match[2])):
        return f"U{match[1]}"
    match = _UNSUR_AFTER.fullmatch(folded)
    return f"U{match[1]}" if match else None


@cache
def vocabulary() -> tables.Vocabulary:
    """The columns of SKM answers and their usual spellings; the unsur also by their titles
    in the rule data (``Persyaratan``, ``Waktu penyelesaian`` …)."""
    names: dict[str, tuple[str, ...]] = {code: (f"unsur {code[1]}",) for code in CODES}
    for code, title in unsur_titles():
        names[code] = (*names[code], title.id)
    names.update(PROFILE_SPELLINGS)
    return tables.Vocabulary(names, unused=UNUSED, match=_unsur, single=CODES)


# --- computing -----------------------------------------------------------------------------

def _edition() -> Any:
    """The SKM edition whose unsur titles and mutu table apply: the newest complete one."""
    from patuh.rulebook import load_ruleset

    return [e for e in load_ruleset("skm").editions if e.incomplete is None][-1]


def unsur_titles() -> list[tuple[str, Text]]:
    """The unsur of the edition, in column order U1 … U9 (titles come from the rule data)."""
    return [(u["code"], Text(u["id"], u["en"])) for u in _edition().scoring["unsur"]]


def _mutu(value: Decimal) -> dict[str, str]:
    from patuh.scoring import band_for

    band = band_for(_edition(), value)
    return {"code": band.code, "label": band.label.id, "label_en": band.label.en}


def _number(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(half_up(value, places))


def _summary(answers: Mapping[str, list[int]]) -> dict[str, Any]:
    """NRR, IKM and mutu of a set of answers by unsur (None where an unsur has no answer)."""
    nrr = {code: Fraction(sum(values), len(values)) for code, values in answers.items()
           if values}
    complete = len(nrr) == len(CODES)
    ikm = half_up(ikm_of(nrr)) if complete else None
    return {"nrr": nrr, "ikm": ikm, "complete": complete}


def _age(value: str) -> int | None:
    """An age in whole years as typed: ``34``, ``34,0``, ``34 tahun``; None otherwise (an age
    group such as ``25-34`` is counted as it is written)."""
    text = re.sub(r"\s*(?:tahun|thn|th)\.?$", "", value.strip(), flags=re.IGNORECASE)
    if not AGE.fullmatch(text.split(",")[0].split(".")[0]):
        return None
    got = read_number(text)
    if got is None or got[0] != got[0].to_integral_value() or not 0 <= got[0] <= 999:
        return None
    return int(got[0])


def _profile(rows: list[dict[str, str]], header: list[str]) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for column in PROFILE:
        if column not in header:
            continue
        values = [row.get(column, "") for row in rows if row.get(column, "")]
        read: dict[str, int | None] = {}  # ages repeat: each spelling read once
        ages = [read[v] if v in read else read.setdefault(v, _age(v)) for v in values] \
            if column == "umur" else []
        if values and ages and all(age is not None for age in ages):
            profile[column] = {"n": len(ages), "min": min(ages), "max": max(ages),
                               "median": statistics.median(ages)}
        else:
            counts: dict[str, int] = {}
            for value in values:
                counts[value] = counts.get(value, 0) + 1
            profile[column] = dict(sorted(counts.items()))
    return profile


def _no_usable_rows(file: Path, rows: Any, excluded: list[dict[str, Any]], out_of_range: int,
                    bad_dates: int) -> InputError:
    """Why no row could be used: the first bad cell when rows were left out for their values
    (a date the reader does not know blamed as such, not the delimiter), else the file's
    likely cause (blank answers, a mixed delimiter)."""
    message = Text("tidak ada baris jawaban yang dapat dipakai", "no usable answer rows")
    hint = Text("periksa pemisah kolom (, atau ;) dan isi U1 … U9 dengan 1–4",
                "check the delimiter (, or ;) and fill U1 … U9 with 1–4")
    if not excluded or not (out_of_range or bad_dates):
        return tables.no_usable_rows(file, rows, message, hint)
    first = next(row for row in excluded if any(p["value"] for p in row["problems"]))
    problem = next(p for p in first["problems"] if p["value"])
    is_date = problem["column"] not in CODES
    shown = tables.shown(problem["value"])
    if is_date:
        cause = Text(f": semua baris dikeluarkan; {bad_dates} di antaranya karena tanggalnya "
                     f"tidak dikenali (pertama: baris {first['line']}, kolom "
                     f"{problem['column']!r}: {shown!r})",
                     f": every row was left out; {bad_dates} of them because the date could "
                     f"not be read (first: line {first['line']}, column {problem['column']!r}: "
                     f"{shown!r})")
        hint = Text("tulis tanggal seperti " + tables.ACCEPTED_DATES.id + " (hari lebih dulu), "
                    "atau kosongkan kolom tanggal", "write dates like "
                    + tables.ACCEPTED_DATES.en + " (day first), or leave the date column empty")
    else:
        cause = Text(f": semua baris dikeluarkan (pertama: baris {first['line']}, kolom "
                     f"{problem['column']}: {shown!r} {problem['reason']['id']})",
                     f": every row was left out (first: line {first['line']}, column "
                     f"{problem['column']}: {shown!r} {problem['reason']['en']})")
    return InputError(message + cause, file=file, line=first["line"],
                      path=f"[{problem['column']}]", hint=hint)


def compute(file: Path, *, population: int | None = None, period: tuple[date, date] | None
            = None, display_name: str | None = None, sheet: str | None = None,
            sheet_path: str | None = None) -> dict[str, Any]:
    """Everything `patuh skm` reports about one response file (``sheet``: the worksheet of a
    workbook to read; ``sheet_path``: where it was named, for an error)."""
    table = read_table(file, sheet, sheet_path)
    header, rows, notes = table.header, table.rows, table.notes
    # U1 and u1 are one unsur
    tables.refuse_duplicates(file, header, lambda name: tables.fold(name) or name,
                             line=table.header_line)
    known = vocabulary().resolve(file, header, table.header_line)
    missing = [code for code in CODES if known.get(code) is None]
    if missing:
        hint = Text("baris judul harus memuat U1 … U9 (urutan unsur PermenPANRB 14/2017), di "
                    f"salah satu dari {tables.HEADER_SEARCH_ROWS} baris pertama; lihat templat "
                    "di README",
                    "the header row must hold U1 … U9 (the unsur order of PermenPANRB "
                    f"14/2017), within the first {tables.HEADER_SEARCH_ROWS} rows; see the "
                    "template in the README")
        seen = ""
        if known.unknown:  # what was there instead, so the user sees what patuh saw
            names = ", ".join(repr(tables.shown(n)) for n in known.unknown[:12])
            more = "" if len(known.unknown) <= 12 else " …"
            seen = f" ({names}{more})"
        raise InputError(
            Text(f"kolom unsur tidak ada: {', '.join(missing)}; kolom yang tidak dikenal di "
                 f"baris {table.header_line}{seen or ': tidak ada'}",
                 f"unsur columns missing: {', '.join(missing)}; columns not known on line "
                 f"{table.header_line}{seen or ': none'}"), file=file,
            line=table.header_line, hint=hint)
    if (where := tables.header_note(table.header_line)) is not None:
        notes.append(where)
    notes.extend(known.notes())
    columns = {code: known.columns[code] for code in CODES}
    extra = {name: known.get(name) for name in ("layanan", "tanggal", *PROFILE)}
    dates_read = tables.Dates(serials=table.workbook)

    kept: list[dict[str, str]] = []
    answers: dict[str, list[int]] = {code: [] for code in CODES}
    blanks = dict.fromkeys(CODES, 0)
    excluded: list[dict[str, Any]] = []
    out_of_range = bad_dates = 0
    dates: list[date] = []
    for line, row in rows:
        values: dict[str, int] = {}
        problems = []
        for code in CODES:
            cell = row.get(columns[code], "")
            if cell == "":
                continue
            number = _ANSWERS.get(cell)
            if number is None:
                number = tables.whole_number(cell)
            if number is None or number not in SCALE:
                out_of_range += 1
                why = (Text("bukan angka bulat", "not a whole number") if number is None
                       else Text("di luar skala 1–4", "outside the 1–4 scale"))
                problems.append((code, cell, why))
                continue
            values[code] = number
        day_cell = row.get(extra["tanggal"], "") if extra["tanggal"] else ""
        day = dates_read.read(day_cell, line) if day_cell else None
        if day_cell and day is None:
            bad_dates += 1
            problems.append((extra["tanggal"], day_cell, Text(
                "bukan tanggal yang dikenali (" + tables.ACCEPTED_DATES.id + ")",
                "not a date patuh can read (" + tables.ACCEPTED_DATES.en + ")")))
        if not problems and not values:
            problems.append(("U1–U9", "", Text("tidak ada jawaban", "no answers")))
        if problems:
            excluded.append({"line": line, "problems": [
                {"column": col, "value": val, "reason": why.as_dict()}
                for col, val, why in problems]})
            continue
        kept.append({**{k: row.get(v, "") for k, v in extra.items() if v}, "_answers": values})
        if day is not None:
            dates.append(day)
        for code in CODES:
            if code in values:
                answers[code].append(values[code])
            else:
                blanks[code] += 1
    if not kept:
        raise _no_usable_rows(file, rows, excluded, out_of_range, bad_dates)
    if (how := dates_read.note()) is not None:
        notes.append(how)

    total = _summary(answers)
    respondents = len(kept)
    unsur = []
    for code, title in unsur_titles():
        nrr = total["nrr"].get(code)
        unsur_ikm = None if nrr is None else half_up(nrr * 25)
        unsur.append({"id": code, "title": title.as_dict(), "nrr": _number(nrr, 4),
                      "ikm": None if unsur_ikm is None else float(unsur_ikm),
                      "mutu": None if unsur_ikm is None else _mutu(unsur_ikm),
                      "answers": len(answers[code]), "blank": blanks[code]})
    ranked = sorted((u for u in unsur if u["nrr"] is not None), key=lambda u: (u["nrr"], u["id"]))
    weakest = [u["id"] for u in ranked if u["nrr"] == ranked[0]["nrr"]] if ranked else []
    lowest_three = [u["id"] for u in ranked[:3]]

    layanan: list[dict[str, Any]] = []
    if extra["layanan"]:
        groups: dict[str, dict[str, list[int]]] = {}
        sizes: dict[str, int] = {}
        for row in kept:
            name = row.get("layanan") or "-"
            group = groups.setdefault(name, {code: [] for code in CODES})
            sizes[name] = sizes.get(name, 0) + 1
            for code, value in row["_answers"].items():
                group[code].append(value)
        for name, group in sorted(groups.items()):
            summary = _summary(group)
            layanan.append({
                "layanan": name, "respondents": sizes[name],
                "ikm": None if summary["ikm"] is None else float(summary["ikm"]),
                "mutu": None if summary["ikm"] is None else _mutu(summary["ikm"])})

    required = minimum_sample(population) if population else None
    survey_from, survey_to = (min(dates), max(dates)) if dates else (None, None)
    within = None
    if period is not None and dates:
        within = period[0] <= survey_from and survey_to <= period[1]
    ikm = total["ikm"]
    if not total["complete"]:
        absent = [code for code in CODES if not answers[code]]
        notes.append(Text(f"Unsur tanpa jawaban: {', '.join(absent)}; IKM tidak dihitung.",
                          f"Unsur without answers: {', '.join(absent)}; no IKM computed."))
    return {
        "schema_version": 1,
        "regulation": REGULATION,
        "file": display_name or file.name,
        "sha256": tables.sha256(file),
        "ikm": None if ikm is None else float(ikm),
        "ikm_unrounded": _number(ikm_of(total["nrr"]), 6) if total["complete"] else None,
        "mutu": None if ikm is None else _mutu(ikm),
        "respondents": respondents,
        "unsur": unsur,
        "weakest": weakest,
        "lowest_three": lowest_three,
        "layanan": layanan,
        "profile": _profile(kept, [k for k, v in extra.items() if v]),
        "sample": {"population": population, "required": required, "actual": respondents,
                   "sufficient": None if required is None else respondents >= required,
                   "method": "Krejcie–Morgan (1970): χ²=3.841, P=0.5, d=0.05"},
        "period": {"from": period[0].isoformat() if period else None,
                   "to": period[1].isoformat() if period else None,
                   "survey_from": survey_from.isoformat() if survey_from else None,
                   "survey_to": survey_to.isoformat() if survey_to else None,
                   "within": within},
        "checks": {"nine_unsur": total["complete"], "scale_1_4": out_of_range == 0,
                   "sample_sufficient": None if required is None else respondents >= required,
                   "within_period": within},
        "excluded": excluded,
        "notes": [n.as_dict() for n in notes],
    }


# --- manifests -----------------------------------------------------------------------------

def _facts_from_declared(skm: Mapping[str, Any]) -> dict[str, Any]:
    populasi, responden = skm.get("populasi"), skm.get("responden")
    required = minimum_sample(populasi) if populasi else None
    facts: dict[str, Any] = {
        "sumber": "manifest",
        "jumlah_unsur": skm.get("jumlah_unsur"),
        "skala_1_4": None if "skala" not in skm else skm["skala"] == "1-4",
        "responden": responden,
        "sampel_minimum": required,
        "sampel_cukup": None if required is None or responden is None else responden >= required,
        "tanggal": skm.get("tanggal_laporan"),
        "ikm": skm.get("ikm"),
    }
    return {k: v for k, v in facts.items() if v is not None}


def _rules_key() -> str:
    """What identifies the `skm` rule data that :func:`compute` reads (the unsur titles, the
    mutu table): the rule cache's key of its folder (every file in it, the bibliography beside
    it, patuh's code). Unlike the ruleset's digest it needs no loading of the ruleset, which a
    check of another ruleset whose SKM facts are kept in the cache never uses."""
    from patuh.rulebook import available
    from patuh.rulebook import load_ruleset

    folder = available().get("skm")
    if folder is None:
        return load_ruleset("skm").digest  # says that the ruleset is missing
    return _folder_key(folder)


@cache
def _folder_key(folder: Path) -> str:
    """Kept for the process, as the loaded ruleset is (``load_ruleset`` is cached too)."""
    from patuh import rulecache

    return "skm:" + rulecache.folder_key(folder)


@tables.persistent  # depends on the file, the arguments and the code only
def _compute_for_manifest(target: Path, population: int | None, display_name: str,
                          sheet: str | None, _rules_digest: str) -> dict[str, Any]:
    return compute(target, population=population, display_name=display_name, sheet=sheet,
                   sheet_path="skm.lembar")


# The manifest keys each fact under skm.hasil comes from (patuh_derive_facts below): the
# answers file, or the figures written in the manifest (_facts_from_declared); and the name a
# reason gives it (a person never wrote skm.hasil.*).
_FILE = ("skm.berkas",)
FACT_SOURCES: dict[str, Any] = {
    "skm.hasil": (_FILE,),
    "skm.hasil.jumlah_unsur": {"from": (_FILE, ("skm.jumlah_unsur",)),
                               "label": Text("jumlah unsur yang disurvei",
                                             "number of unsur surveyed")},
    "skm.hasil.skala_1_4": {"from": (_FILE, ("skm.skala",)),
                            "label": Text("jawaban pada skala 1–4", "answers on the 1–4 scale")},
    "skm.hasil.responden": {"from": (_FILE, ("skm.responden",)),
                            "label": Text("jumlah responden", "number of respondents")},
    "skm.hasil.sampel_minimum": {"from": (("skm.populasi",),),
                                 "label": Text("sampel minimum", "minimum sample")},
    "skm.hasil.sampel_cukup": {"from": (("skm.berkas", "skm.populasi"),
                                        ("skm.responden", "skm.populasi")),
                               "label": Text("kecukupan sampel", "sample adequacy")},
    "skm.hasil.tanggal": {"from": (_FILE, ("skm.tanggal_laporan",)),
                          "label": Text("tanggal survei", "survey date")},
    "skm.hasil.ikm": {"from": (_FILE, ("skm.ikm",)), "label": Text("IKM", "IKM")},
    "skm.hasil.mutu": {"from": (_FILE,), "label": Text("mutu pelayanan", "service quality")},
}


@hookimpl
def patuh_fact_sources() -> Mapping[str, Any]:
    return FACT_SOURCES


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    skm = manifest.get("skm")
    if not skm or "hasil" in skm:  # nothing to derive, or stated already (a rule's example)
        return None
    if "berkas" in skm and base_dir is not None:
        target = tables.locate(base_dir, skm["berkas"], "skm.berkas")
        # the unsur titles and the mutu table come from the `skm` rule data
        result = tables.memo_read(target, _compute_for_manifest, skm.get("populasi"),
                                  skm["berkas"], skm.get("lembar") or None, _rules_key())
        facts = {
            "sumber": "berkas", "berkas": skm["berkas"], "sha256": result["sha256"],
            "jumlah_unsur": sum(1 for u in result["unsur"] if u["answers"]),
            "skala_1_4": result["checks"]["scale_1_4"],
            "responden": result["respondents"],
            "sampel_minimum": result["sample"]["required"],
            "sampel_cukup": result["sample"]["sufficient"],
            "tanggal": result["period"]["survey_to"] or skm.get("tanggal_laporan"),
            "ikm": result["ikm_unrounded"],
            "mutu": (result["mutu"] or {}).get("code"),
            "catatan": result["notes"] or None,  # how the file was read, for the report
        }
        return {"skm.hasil": {k: v for k, v in facts.items() if v is not None}}
    return {"skm.hasil": _facts_from_declared(skm)}


# --- scoring model for the `skm` ruleset ---------------------------------------------------

def fact_score(edition: Any, results: Any, facts: Mapping[str, Any]) -> Any:
    """The score is a fact computed before the rules ran (here: the IKM); rules are checks."""
    from patuh.conditions import MISSING
    from patuh.conditions import lookup
    from patuh.scoring import AspectScore
    from patuh.scoring import Part
    from patuh.scoring import Score

    options = edition.scoring
    raw = lookup(facts, options["fact"])
    final = None if raw is MISSING else Decimal(str(raw))
    notes: tuple[Text, ...] = () if final is not None else (Text.of(options["missing"]),)
    origin = lookup(facts, options["origin"]) if "origin" in options else MISSING
    if final is not None and origin == "manifest":
        notes = (Text.of(options["declared"]),)
    notes = (*notes, *tables.data_notes(facts))
    part = Part(options["part"]["id"], Text.of(options["part"]["title"]), final, Decimal(1))
    aspects = []
    for aspect in edition.aspects:
        members = [r for r in results if r.aspect == aspect.id]
        met = sum(1 for r in members if r.status == "pass")
        share = Decimal(met * 100) / len(members) if members else Decimal(0)
        aspects.append(AspectScore(aspect.id, aspect.title,
                                   Decimal(100) / len(edition.aspects), share))
    return Score(final, (part,), tuple(aspects), {}, notes)


@hookimpl
def patuh_scoring_models() -> Mapping[str, Any]:
    return {"fact_score": fact_score}


# --- command -------------------------------------------------------------------------------

PROFILE_NAMES = {"jenis_kelamin": Text("Jenis kelamin", "Sex"), "umur": Text("Umur", "Age"),
                 "pendidikan": Text("Pendidikan", "Education"),
                 "pekerjaan": Text("Pekerjaan", "Occupation")}


def sample_method(lang: str) -> str:
    """The minimum-sample method with its constants, numbers as the language writes them."""
    from patuh.i18n import number

    return (f"Krejcie–Morgan (1970): χ² = {number(CHI2, lang, 3)}, P = {number(P, lang, 1)}, "
            f"d = {number(D, lang, 2)}")


def age_summary(ages: Mapping[str, Any], lang: str) -> str:
    """``412 orang, termuda 19, tertua 65, median 38``: the ages read as whole years."""
    from patuh.i18n import number

    median = ages["median"]
    shown = number(int(median) if median == int(median) else median, lang)
    if lang == "en":
        return f"{ages['n']} people, youngest {ages['min']}, oldest {ages['max']}, " \
               f"median {shown}"
    return f"{number(ages['n'], lang)} orang, termuda {ages['min']}, tertua {ages['max']}, " \
           f"median {shown}"


def render_text(result: Mapping[str, Any], lang: str) -> str:
    from patuh.i18n import number

    en = lang == "en"

    def t(value: Mapping[str, str] | None) -> str:
        return "" if not value else (value.get("en") if en else value.get("id")) or ""

    def n(value: Any, places: int | None = None) -> str:
        return number(value, lang, places)

    lines = [f"patuh skm — {result['regulation']} — {result['file']}"]
    if result["ikm"] is None:
        lines.append("IKM: not computed" if en else "IKM: tidak dihitung")
    else:
        m = result["mutu"]
        label = f"{m['label']} ({m['label_en']})" if en else m["label"]
        lines.append(f"IKM: {n(result['ikm'], 2)}  ({'quality' if en else 'mutu'} {m['code']} "
                     f"{label}; {'unrounded' if en else 'sebelum dibulatkan'} "
                     f"{n(result['ikm_unrounded'], 6)})")
    lines.append(f"{'Respondents' if en else 'Responden'}: {n(result['respondents'])}")
    sample = result["sample"]
    if sample["required"] is not None:
        verdict = ("sufficient" if sample["sufficient"] else "NOT sufficient") if en else \
            ("cukup" if sample["sufficient"] else "BELUM cukup")
        lines.append(f"{'Sample' if en else 'Sampel'}: {n(sample['actual'])} / "
                     f"{'minimum' if en else 'minimal'} {n(sample['required'])} "
                     f"(N = {n(sample['population'])}, {sample_method(lang)}) → {verdict}")
    period = result["period"]
    if period["from"] and not period["survey_from"]:
        lines.append("Survey dates: none in the file (no tanggal column or values)" if en else
                     "Tanggal survei: tidak ada di berkas (kolom tanggal kosong atau tidak ada)")
    if period["survey_from"]:
        span = f"{period['survey_from']} – {period['survey_to']}"
        if period["within"] is not None:
            inside = ("within" if period["within"] else "OUTSIDE") if en else \
                ("di dalam" if period["within"] else "DI LUAR")
            span += f" ({inside} {period['from']} – {period['to']})"
        lines.append(f"{'Survey dates' if en else 'Tanggal survei'}: {span}")
    lines.append("")
    lines.append("Unsur                                              NRR     IKM    mutu  "
                 + ("answers blank" if en else "jawaban kosong"))
    for u in result["unsur"]:
        nrr = "—" if u["nrr"] is None else n(u["nrr"], 4)
        ikm = "—" if u["ikm"] is None else n(u["ikm"], 2)
        mutu = "—" if u["mutu"] is None else u["mutu"]["code"]
        lines.append(f"  {u['id']}  {t(u['title']):<44} {nrr:>6}  {ikm:>6}   {mutu:<4} "
                     f"{n(u['answers']):>6} {n(u['blank']):>6}")
    if result["weakest"]:
        lines.append(("Weakest: " if en else "Terlemah: ") + ", ".join(result["weakest"])
                     + ("  (lowest three: " if en else "  (tiga terendah: ")
                     + ", ".join(result["lowest_three"]) + ")")
    if result["layanan"]:
        lines.append("")
        lines.append("Per service:" if en else "Per layanan:")
        width = max(len(row["layanan"]) for row in result["layanan"])
        for row in result["layanan"]:
            ikm = "—" if row["ikm"] is None else f"{n(row['ikm'], 2)} {row['mutu']['code']}"
            lines.append(f"  {row['layanan']:<{width}} {n(row['respondents']):>4}  {ikm}")
    if result["profile"]:
        lines.append("")
        lines.append("Respondent profile:" if en else "Profil responden:")
        for column, counts in result["profile"].items():
            if column == "umur" and "median" in counts:
                shown = age_summary(counts, lang)
            else:
                shown = ", ".join(f"{k} {n(v)}" for k, v in counts.items())
            name = PROFILE_NAMES[column].get(lang) if column in PROFILE_NAMES else column
            lines.append(f"  {name}: {shown}")
    if result["excluded"]:
        lines.append("")
        lines.append(("Rows left out" if en else "Baris yang tidak dihitung")
                     + f" ({n(len(result['excluded']))}):")
        for row in result["excluded"]:
            for p in row["problems"]:
                lines.append(f"  {'line' if en else 'baris'} {row['line']}, {p['column']} = "
                             f"{p['value']!r}: {t(p['reason'])}")
    checks = result["checks"]
    names = {"nine_unsur": ("9 unsur present", "9 unsur ada", ""),
             "scale_1_4": ("answers on the 1–4 scale", "jawaban pada skala 1–4", ""),
             "sample_sufficient": ("sample sufficient", "sampel cukup", "--population"),
             "within_period": ("within the period", "dalam periode",
                               "--period / --from --to")}
    lines.append("")
    lines.append("Checks:" if en else "Pemeriksaan:")
    for key, value in checks.items():
        name_en, name_id, needs = names[key]
        mark = "?" if value is None else ("✓" if value else "✗")
        hint = f" ({'needs' if en else 'perlu'} {needs})" if value is None and needs else ""
        if key == "within_period" and value is None and period["from"]:
            hint = " (no dates in the file)" if en else " (berkas tanpa tanggal)"
        lines.append(f"  [{mark}] {name_en if en else name_id}{hint}")
    for note in result["notes"]:
        lines.append(f"  ! {t(note)}")
    return "\n".join(lines) + "\n"


class Population(click.ParamType):
    """A count of users as people type it: ``9870``, or with thousands dots ``9.870``
    (a count has no decimals, so the dot can only group thousands)."""

    name = "N"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        got = read_number(text) if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,12}",
                                                text, re.ASCII) else None
        if got is None or got[0] < 1:
            self.fail(f"{value!r}: jumlah pengguna adalah bilangan bulat ≥ 1, mis. 9870 atau "
                      f"9.870 / the number of users is a whole number ≥ 1, e.g. 9870 or 9.870",
                      param, ctx)
        return int(got[0])


MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Publication:
    """What the published report says beside the numbers: who surveyed, and for when."""

    unit: str | None = None
    organisation: str | None = None
    manifest: str | None = None  # the manifest the unit and the answers came from, as named


def _from_manifest(path: Path, responses: Path | None, population: int | None,
                   year: int | None, dates_given: bool, sheet: str | None,
                   publication: Publication
                   ) -> tuple[Path, int | None, int | None, str | None, str | None]:
    """The answers file, population, year and sheet a unit's manifest names (``skm.berkas``,
    ``skm.populasi``, ``periode.tahun``, ``skm.lembar``) where the command line names none, and
    the unit's name and organisation (``unit.nama``, ``unit.instansi``)."""
    from patuh.manifest import load_manifest

    manifest = load_manifest(path)
    data = manifest.data
    skm = data.get("skm") or {}
    unit = data.get("unit") or {}
    publication.unit = publication.unit or unit.get("nama")
    publication.organisation = publication.organisation or unit.get("instansi")
    publication.manifest = path.name
    sheet_path = "--sheet" if sheet else "$.skm.lembar"
    if responses is None:
        if not skm.get("berkas"):
            raise manifest.document.error(
                ("skm",) if "skm" in data else (),
                Text("manifest tidak menyebut berkas jawaban SKM (skm.berkas); laporan SKM "
                     "dihitung dari jawaban responden",
                     "the manifest names no SKM answers file (skm.berkas); the SKM report is "
                     "computed from the respondents' answers"),
                Text("isi skm.berkas dengan berkas jawaban (CSV/XLSX) di folder manifest, atau "
                     "sebut berkasnya: patuh skm JAWABAN.csv --manifest " + path.name,
                     "fill skm.berkas with the answers file (CSV/XLSX) in the manifest's "
                     "folder, or name the file: patuh skm ANSWERS.csv --manifest "
                     + path.name))
        responses = tables.locate(manifest.base_dir, skm["berkas"], "$.skm.berkas")
    population = population if population is not None else skm.get("populasi")
    if year is None and not dates_given:  # --from/--to typed win over the manifest's year
        year = (data.get("periode") or {}).get("tahun")
    return responses, population, year, sheet or skm.get("lembar") or None, sheet_path


def _period(year: int | None, start: str | None, end: str | None) -> tuple[date, date] | None:
    """The evaluation period: a whole year, or --from … --to."""
    from patuh.options import parse_date

    if year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    if not (start or end):
        return None
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if first is None or last is None:
        raise InputError(Text("--from dan --to harus diisi bersama",
                              "--from and --to go together"))
    if last < first:
        raise InputError(Text(f"--to {last} lebih awal dari --from {first}",
                              f"--to {last} is before --from {first}"),
                         hint=Text("tukar kedua tanggal", "swap the two dates"))
    return first, last


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte: reading it says which
        return False


def _is_manifest_form(file: Path) -> bool:
    """Whether a workbook is a patuh manifest form (its hidden marker sheet), read only when
    it was refused as answers."""
    import zipfile

    from patuh.plugins.xlsx_form import MARKER_SHEET

    if file.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(file) as book:
            info = book.getinfo("xl/workbook.xml")
            if info.file_size > 1_000_000:
                return False
            return re.search(rb'<sheet\b[^>]*\bname="' + re.escape(MARKER_SHEET.encode())
                             + rb'"', book.read(info)) is not None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError):
        return False


@hookimpl
def patuh_add_commands(cli: click.Group) -> None:
    if "skm" in cli.commands:
        return

    @cli.command("skm")
    @click.argument("responses", required=False, type=click.Path(path_type=Path))
    @click.option("--population", type=Population(),
                  help="Pengguna layanan pada periode survei / users served in the period.")
    @click.option("--period", "year", type=click.IntRange(2000, 2100),
                  help="Tahun periode evaluasi / evaluation year.")
    @click.option("--from", "start", help="Awal periode / period start (YYYY-MM-DD).")
    @click.option("--to", "end", help="Akhir periode / period end (YYYY-MM-DD).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "xlsx"]),
                  default="text", show_default=True,
                  help="html/xlsx: laporan hasil SKM untuk dipublikasikan / the SKM report "
                       "to publish.")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
    @click.option("--sheet", "sheet", metavar="NAMA",
                  help="Lembar kerja XLSX yang dibaca / the XLSX worksheet to read (default: "
                       "the first with a U1 … U9 header).")
    @click.option("--manifest", "manifest", type=click.Path(path_type=Path),
                  help="Manifest unit: berkas jawaban, populasi, tahun, nama unit dari "
                       "manifest / the unit's manifest: answers file, population, year, unit "
                       "name taken from it.")
    @click.option("--unit", "unit", metavar="NAMA",
                  help="Nama unit pelayanan di laporan / the service unit's name in the report.")
    @click.option("--organisation", "--instansi", "organisation", metavar="NAMA",
                  help="Instansi induk unit / the unit's parent organisation.")
    def skm_command(responses: Path | None, population: int | None, year: int | None,
                    start: str | None, end: str | None, fmt: str, output: Path | None,
                    lang: str, sheet: str | None, manifest: Path | None, unit: str | None,
                    organisation: str | None) -> None:
        """Indeks Kepuasan Masyarakat dari jawaban survei (CSV/XLSX) / the IKM from answers.

        RESPONSES: berkas jawaban, atau manifest unit (.yaml) / the answers file, or the
        unit's manifest (.yaml)."""
        from patuh.outputs import write_output
        from patuh.yamlio import require_file

        if responses is not None and manifest is None and (
                responses.suffix.lower() in MANIFEST_SUFFIXES or _is_folder(responses)):
            responses, manifest = None, responses  # `patuh skm manifest.yaml` as `patuh check`
        if responses is None and manifest is None:
            raise InputError(Text("berkas jawaban SKM tidak disebut",
                                  "no SKM answers file given"),
                             hint=Text("patuh skm JAWABAN.csv, atau patuh skm --manifest "
                                       "manifest.yaml (memakai skm.berkas)",
                                       "patuh skm ANSWERS.csv, or patuh skm --manifest "
                                       "manifest.yaml (uses skm.berkas)"))
        if fmt == "xlsx" and output is None:
            raise InputError(Text("--format xlsx menulis buku kerja: sebutkan berkasnya dengan "
                                  "-o", "--format xlsx writes a workbook: name it with -o"),
                             hint=Text("mis. -o laporan-skm.xlsx", "e.g. -o skm-report.xlsx"))
        publication = Publication(unit=(unit or "").strip() or None,
                                  organisation=(organisation or "").strip() or None)
        sheet_path = "--sheet"
        inputs: list[Path] = []
        if manifest is not None:
            if not _is_folder(manifest):  # a unit's folder: load_manifest names its manifest
                require_file(manifest)
            inputs.append(manifest)
            responses, population, year, sheet, sheet_path = _from_manifest(
                manifest, responses, population, year, bool(start or end), sheet, publication)
        assert responses is not None
        require_file(responses)  # missing, a folder, a FIFO, a device, a bad name: said as such
        inputs.append(responses)
        period = _period(year, start, end)
        try:
            result = compute(responses, population=population, period=period, sheet=sheet,
                             sheet_path=sheet_path)
        except InputError:
            if manifest is not None or not _is_manifest_form(responses):
                raise
            # `patuh skm manifest.xlsx`: the manifest form of `patuh init --format xlsx`
            responses, population, year, sheet, sheet_path = _from_manifest(
                responses, None, population, year, bool(start or end), sheet, publication)
            require_file(responses)
            inputs.append(responses)
            result = compute(responses, population=population, period=_period(year, start,
                                                                               end),
                             sheet=sheet, sheet_path=sheet_path)
        if fmt in ("html", "xlsx"):
            from patuh.plugins import skm_report  # only for these formats: a cold start

            if fmt == "xlsx":
                from patuh.outputs import write_bytes

                assert output is not None
                write_bytes(output, skm_report.render_xlsx(result, lang, publication),
                            inputs=inputs)
                return
            write_output(skm_report.render_html(result, lang, publication), output,
                         protect=inputs)
            return
        text = (json.dumps(result, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
                if fmt == "json" else render_text(result, lang))
        write_output(text, output, protect=inputs, fmt=fmt)
