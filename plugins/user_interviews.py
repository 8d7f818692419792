"""Fact deriver for user interviews on maladministration (``wawancara_pengguna``).

The interview questions themselves are not public; patuh takes one column per question with
answers ``ya`` (the user experienced or saw maladministration) or ``tidak`` (also as typed:
``Ya``, ``iya``, ``tdk``, ``tidak ada`` …), blank or ``-`` when not asked; CSV or XLSX, the
header possibly below title rows. The score is the share of ``tidak`` answers, 0–100. Produces
``wawancara_pengguna.hasil`` {responden, jawaban, tanpa_maladministrasi_persen, per_pertanyaan}.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from patuh import InputError
from patuh import Text
from patuh import hookimpl
from patuh.habits import read_bool
from patuh.plugins import tables

SECTION = "wawancara_pengguna"
NOT_ASKED = {"-", "–", "n/a", "na", "tidak ditanyakan"}  # a dash is a blank, not a "tidak"
META = tables.Vocabulary({
    "responden": ("nama", "nama responden", "no", "no.", "nomor", "nomor responden",
                  "kode responden"),
    "tanggal": ("tanggal wawancara", "tgl", "tgl wawancara", "timestamp", "stempel waktu",
                "waktu"),
    "layanan": ("jenis layanan", "jenis pelayanan", "nama layanan"),
    "keterangan": ("catatan", "catatan pewawancara"),
})


def _answer(cell: str) -> bool | None:
    """``ya`` (maladministration experienced or seen) → True, ``tidak`` → False; also their
    kin (``iya``, ``y``, ``t``, ``tdk``, ``tidak ada``, ``belum``); None when not yes/no."""
    if cell.strip().lower() == "t":
        return False
    got = read_bool(cell)
    return None if got is None else got[0]


def _header_score(cells: list[str]) -> int:
    """A row is the header when it names the respondent's details (``No``, ``Nama``,
    ``Responden``, ``Tanggal``, ``Layanan`` …) beside at least one other heading, and no cell
    is an answer. Otherwise the header is the first line, as before."""
    filled = [cell for cell in cells if cell]
    known = [cell for cell in filled if META.canonical(cell) is not None]
    if not known or len(filled) < 2 or any(_answer(cell) is not None for cell in filled
                                           if cell not in known):
        return 0
    return len(filled)


@tables.persistent  # depends on the file and the code only (tables.memo_read)
def read_interviews(file: Path) -> dict[str, Any]:
    header, rows = tables.read_rows(file, workbooks=True, header_score=_header_score)
    known = META.resolve(file, header, rows.header_line)
    meta = set(known.columns.values()) | known.shadowed_names()
    questions = [h for h in header if h and h not in meta]
    if not questions:
        raise InputError(Text("tidak ada kolom pertanyaan di baris judul",
                              "no question columns in the header row"), file=file,
                         line=rows.header_line)
    no = dict.fromkeys(questions, 0)
    answered = dict.fromkeys(questions, 0)
    respondents = 0
    for number, row in rows:
        respondents += 1
        for question in questions:
            cell = row.get(question, "")
            if cell == "" or cell.strip().lower() in NOT_ASKED:
                continue
            answer = _answer(cell)
            if answer is None:
                raise InputError(Text(f"kolom {question!r}: {cell!r} bukan ya/tidak",
                                      f"column {question!r}: {cell!r} is not ya/tidak"),
                                 file=file, line=number, path=f"[{question}]",
                                 hint=Text("isi ya, tidak, atau kosongkan (- juga berarti tidak "
                                           "ditanyakan)", "write ya, tidak, or leave it empty "
                                           "(- also means not asked)"))
            answered[question] += 1
            no[question] += not answer
    total = sum(answered.values())
    if respondents == 0 or total == 0:
        raise tables.no_usable_rows(
            file, rows, Text("berkas wawancara tidak berisi jawaban",
                             "the interview file has no answers"),
            hint=Text("satu baris per responden, ya/tidak di kolom pertanyaan",
                      "one row per respondent, ya/tidak under the questions"))
    result: dict[str, Any] = {
        "responden": respondents,
        "jawaban": total,
        "tanpa_maladministrasi_persen": Fraction(sum(no.values()) * 100, total),
        "per_pertanyaan": {q: Fraction(no[q] * 100, answered[q])
                           for q in questions if answered[q]},
    }
    notes = [*rows.notes, *(n for n in (tables.header_note(rows.header_line),) if n)]
    if notes:
        result["catatan"] = [note.as_dict() for note in notes]
    return result


@hookimpl
def patuh_fact_sources() -> Mapping[str, Any]:
    return tables.section_sources(SECTION, {"tanpa_maladministrasi_persen": Text(
        "persentase pengguna yang tidak mengalami maladministrasi",
        "share of users who met no maladministration")})


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    return tables.derive_section(manifest, base_dir, SECTION, read_interviews, lambda rekap: {
        "responden": rekap["responden"],
        "tanpa_maladministrasi_persen": Fraction(str(rekap["tanpa_maladministrasi_persen"])),
    })
