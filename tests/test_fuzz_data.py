"""Fuzzing the data files a unit hands in (SKM answers, F-03 responses, the complaint log, the
user interviews) with Hypothesis: whatever the bytes, patuh answers with a result (exit 0) or a
clear error (exit 2) — never exit 3, never a traceback — and leaves the file as it was."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from patuh.cli import main

HOSTILE_CELLS = st.sampled_from([
    "", "4", "3.0", "4,0", "0", "5", "6", "-1", "NaN", "Infinity", "-inf", "1e999999999",
    "4\u00b2", "\u00b3", "\u0663", "9" * 5000, "ya", "tidak", "Y", "2024-03-31", "9999-12-31",
    "0001-01-01", "2024-02-30", "=1+1", "\ufeff4", '"', '""', "a,b", "a;b", "\t", "\r\n",
    "\x00", "\x1b[31m", "\u202e", " 4 ", "x" * 300,
    # as people in Indonesia type dates and numbers, and headings they give
    "31/10/2025", "10/31/2025", "31-10-2025", "31 Oktober 2025", "31/13/2025", "45961",
    "3,0", "9.870", "U1 Persyaratan", "Jenis Layanan", "HASIL SURVEI", "Tidak Ada",
])
VALID_CELLS = {  # most cells valid, so that the reading goes on past the first row
    "skm": st.sampled_from(["1", "2", "3", "4", "", "2024-03-04", "30", "Layanan A",
                            "04/03/2024"]),
    "f03": st.sampled_from(["0", "1", "2", "3", "4", "5", "", "R1"]),
    "log": st.sampled_from(["2024-01-02", "2024-02-03", "", "A1", "catatan", "03/02/2024"]),
    "interviews": st.sampled_from(["ya", "tidak", "", "R1"]),
}
HEADERS = {
    "skm": ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "tanggal", "umur",
            "layanan"],
    "f03": ["responden", "1.a.K1", "2.a.K1", "15.e.K"],
    "log": ["nomor", "tanggal_diterima", "tanggal_tanda_terima", "tanggal_lengkap",
            "tanggal_tanggapan", "tanggal_keputusan", "tanggal_pemberitahuan", "keterangan"],
    "interviews": ["responden", "penundaan_berlarut", "permintaan_imbalan"],
}
SPELLINGS = {"U1": "U1 Persyaratan", "U2": "U2. Sistem", "U9": "Unsur 9",
             "tanggal": "Tanggal Survei", "umur": "Umur (tahun)", "layanan": "Jenis Layanan",
             "tanggal_diterima": "Tanggal Diterima", "nomor": "No. Pengaduan",
             "tanggal_tanggapan": "Tgl Tanggapan", "1.a.K1": "1.a.K1 Kebijakan",
             "responden": "Nama Responden"}
SECTIONS = {
    "skm": "skm:\n  berkas: data.csv\n",
    "f03": "penilaian_pengguna:\n  berkas: data.csv\n",
    "log": "pengaduan:\n  log:\n    berkas: data.csv\n",
    "interviews": "wawancara_pengguna:\n  berkas: data.csv\n",
}


@st.composite
def csv_bytes(draw: st.DrawFn, kind: str) -> bytes:
    header = list(HEADERS[kind])
    if draw(st.booleans()):
        header = draw(st.permutations(header))[:draw(st.integers(1, len(header)))]
    if draw(st.booleans()):  # the headings people write (Jenis Layanan, U1 Persyaratan …)
        header = [SPELLINGS.get(name, name) for name in header]
    valid = VALID_CELLS[kind]
    cells = st.one_of(valid, valid, valid, valid, HOSTILE_CELLS, st.text(max_size=12))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 2), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quote or delimiter in value else value

    titles = draw(st.lists(st.lists(st.sampled_from(["HASIL SURVEI 2025", "", "Periode:"]),
                                    max_size=3), max_size=2))  # a report's title block
    text = end.join(delimiter.join(cell(c) for c in row)
                    for row in [*titles, header, *rows]) + end
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 9:  # now and then, raw bytes spliced in
        data = data[:draw(st.integers(0, len(data)))] + draw(st.binary(max_size=40))
    return data


def patuh(*argv: str | Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


def assert_handled(code: int, err: str, data: bytes, file: Path) -> None:
    assert code in (0, 2), (code, err, data)
    assert "Traceback" not in err and "internal error" not in err, (err, data)
    if code == 2:
        assert err.startswith("patuh: "), err
    assert file.read_bytes() == data


FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=csv_bytes("skm"), xlsx=st.booleans())
def test_patuh_skm_on_any_answers(data: bytes, xlsx: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / ("jawaban.xlsx" if xlsx else "jawaban.csv")
        file.write_bytes(data)
        code, err = patuh("skm", file, "--population", "100", "--lang", "en")
        assert_handled(code, err, data, file)


@settings(FUZZ, max_examples=40)
@given(kind=st.sampled_from(sorted(SECTIONS)), data=st.data())
def test_patuh_check_on_any_data_file(kind: str, data: st.DataObject) -> None:
    raw = data.draw(csv_bytes(kind))
    with tempfile.TemporaryDirectory() as folder:
        unit = Path(folder)
        (unit / "data.csv").write_bytes(raw)
        manifest = unit / "manifest.yaml"
        manifest.write_text("schema_version: 1\nunit: {nama: Unit Uji}\n"
                            "periode: {tahun: 2024}\n" + SECTIONS[kind], "utf-8")
        ruleset = {"skm": "skm", "f03": "pekppp", "log": "uu25", "interviews": "uu25"}[kind]
        code, err = patuh("check", manifest, "--ruleset", ruleset, "--format", "json",
                          "--lang", "en")
        assert_handled(code, err, raw, unit / "data.csv")
