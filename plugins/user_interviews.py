"""Fact deriver for user interviews on maladministration (``wawancara_pengguna``).

The interview questions themselves are not public; patuh takes one column per question with
answers ``ya`` (the user experienced or saw maladministration) or ``tidak``, blank when not
asked. The score is the share of ``tidak`` answers, 0–100. Produces
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
from patuh.plugins import tables

SECTION = "wawancara_pengguna"
YES, NO = {"ya", "y"}, {"tidak", "t"}


def read_interviews(file: Path) -> dict[str, Any]:
    header, rows = tables.read_rows(file)
    questions = [h for h in header if h and h.lower() not in tables.META_COLUMNS]
    if not questions:
        raise InputError(Text("tidak ada kolom pertanyaan di baris judul",
                              "no question columns in the header row"), file=file, line=1)
    no = dict.fromkeys(questions, 0)
    answered = dict.fromkeys(questions, 0)
    respondents = 0
    for number, row in rows:
        respondents += 1
        for question in questions:
            cell = row.get(question, "").lower()
            if cell == "":
                continue
            if cell not in YES | NO:
                raise InputError(Text(f"kolom {question!r}: {cell!r} bukan ya/tidak",
                                      f"column {question!r}: {cell!r} is not ya/tidak"),
                                 file=file, line=number, path=f"[{question}]",
                                 hint=Text("isi ya, tidak, atau kosongkan",
                                           "write ya, tidak, or leave it empty"))
            answered[question] += 1
            no[question] += cell in NO
    total = sum(answered.values())
    if respondents == 0 or total == 0:
        raise tables.no_usable_rows(
            file, rows, Text("berkas wawancara tidak berisi jawaban",
                             "the interview file has no answers"),
            hint=Text("satu baris per responden, ya/tidak di kolom pertanyaan",
                      "one row per respondent, ya/tidak under the questions"))
    return {
        "responden": respondents,
        "jawaban": total,
        "tanpa_maladministrasi_persen": Fraction(sum(no.values()) * 100, total),
        "per_pertanyaan": {q: Fraction(no[q] * 100, answered[q])
                           for q in questions if answered[q]},
    }


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    return tables.derive_section(manifest, base_dir, SECTION, read_interviews, lambda rekap: {
        "responden": rekap["responden"],
        "tanpa_maladministrasi_persen": Fraction(str(rekap["tanpa_maladministrasi_persen"])),
    })
