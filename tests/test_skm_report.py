"""The SKM report a unit publishes (`patuh skm … --format html|xlsx`): the examples' answers
render in both languages with compute's values, Indonesian numbers and no English in the
Indonesian page; the page prints on A4 in headless Chromium and fits a phone; the workbook
opens with its sections and a chart; the unit comes from the options or the manifest; bad
input exits 2. Also the text output's Indonesian numbers."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stoplist import decimal_points
from stoplist import english_words
from test_html import chromium
from test_html import need_browser
from test_html_layout import pdf_pages
from test_html_layout import scroll_width

from patuh.i18n import number
from patuh.plugins.skm import compute

ROOT = Path(__file__).resolve().parents[1]
DPMPTSP = ROOT / "examples/dpmptsp-kota-harapan"
PUSKESMAS = ROOT / "examples/puskesmas-sukamaju"
TEMPLATE = ROOT / "examples/skm-template"
UNSUR = [f"U{i}" for i in range(1, 10)]

# name -> (arguments after `patuh skm`, the answers file, compute's arguments)
CASES: dict[str, tuple[list[str], Path, dict[str, Any]]] = {
    "dpmptsp-csv": (
        [str(DPMPTSP / "skm/jawaban-skm-2024.csv"), "--population", "9.870", "--period", "2024",
         "--unit", "DPMPTSP Kota Harapan", "--organisation", "Pemerintah Kota Harapan"],
        DPMPTSP / "skm/jawaban-skm-2024.csv", {"population": 9870}),
    "puskesmas-manifest": (
        ["--manifest", str(PUSKESMAS / "manifest.yaml")],
        PUSKESMAS / "skm/jawaban-skm-2024.xlsx", {"population": 14350}),
    "template-csv": ([str(TEMPLATE / "jawaban-skm.csv")], TEMPLATE / "jawaban-skm.csv", {}),
    "template-xlsx": ([str(TEMPLATE / "jawaban-skm.xlsx"), "--unit", "Unit Uji"],
                      TEMPLATE / "jawaban-skm.xlsx", {}),
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def render(run, case: str, lang: str, fmt: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    args, answers, options = CASES[case]
    target = tmp_path / f"{case}.{lang}.{fmt}"
    done = run("skm", *args, "--format", fmt, "--lang", lang, "-o", target)
    assert done.code == 0, done.err
    assert target.is_file()
    return target, compute(answers, **options)


def cells(page: str, css: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(rf'<td class="num {css}">([^<]*)</td>', page)]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_page_holds_computes_values(run, case: str, lang: str, tmp_path: Path) -> None:
    target, result = render(run, case, lang, "html", tmp_path)
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    # the IKM and its mutu, the NRR of each unsur in the table and in the chart
    assert f'data-ikm="{result["ikm"]}">{number(result["ikm"], lang, 2)}<' in page
    assert f"{result['mutu']['code']} {result['mutu']['label_en' if lang == 'en' else 'label']}"\
        in page
    assert cells(page, "nrr") == [number(u["nrr"], lang, 4) for u in result["unsur"]]
    chart = page[page.index("<svg"):page.index("</svg>")]
    assert chart.count('class="bar"') == 9
    for u in result["unsur"]:
        assert f">{number(u['nrr'], lang, 4)}</text>" in chart
    # how the IKM was computed, with compute's unrounded value, and the regulation
    assert number(result["ikm_unrounded"], lang, 6) in page
    assert "PermenPANRB 14/2017" in page
    # the weakest unsur, the services, the profile, the follow-up plan to fill in
    for code in result["weakest"]:
        assert 'class="weakest" data-unsur="' + code + '"' in page
    for row in result["layanan"]:
        assert html.escape(row["layanan"]) in page
        assert number(row["ikm"], lang, 2) in page
    assert ("Profil responden" if lang == "id" else "Respondent profile") in page
    plan = page[page.index('class="plan"'):]
    plan = plan[:plan.index("</table>")]
    assert plan.count("<tr>") == 1 + 5  # the header, then rows to fill in
    assert ("Penanggung jawab" if lang == "id" else "Responsible") in plan
    # self-contained: no script, nothing loaded from elsewhere
    assert "<script" not in page and not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    if lang == "id":
        assert english_words(page) == []
        assert decimal_points(page) == []


def test_sample_adequacy_and_period(run, tmp_path: Path) -> None:
    target, result = render(run, "dpmptsp-csv", "id", "html", tmp_path)
    page = target.read_text("utf-8")
    assert result["sample"]["required"] == 370
    for text in ("<dd>9.870</dd>", "<dd>370</dd>", "<dd>412</dd>", "<dd>cukup</dd>",
                 "χ² = 3,841, P = 0,5, d = 0,05", "Tahun 2024",
                 "2 Januari 2024 – 28 Juni 2024", "DPMPTSP Kota Harapan",
                 "Pemerintah Kota Harapan"):
        assert (text if text.startswith("<") else html.escape(text, quote=False)) in page, text
    # without a population the page says the adequacy is not assessed, and how to get it
    target, _ = render(run, "template-csv", "id", "html", tmp_path)
    page = target.read_text("utf-8")
    assert "kecukupan sampel tidak dinilai" in page and "--population" in page
    assert "nama unit tidak disebut" in page  # no unit given: said, not left blank


def test_ties_for_the_weakest_are_said(run, tmp_path: Path) -> None:
    rows = ["U1,U2,U3,U4,U5,U6,U7,U8,U9", "4,2,4,4,4,4,4,2,4", "4,3,4,4,4,4,4,3,4"]
    answers = write(tmp_path / "seri.csv", "\n".join(rows) + "\n")
    target = tmp_path / "seri.html"
    assert run("skm", answers, "--format", "html", "-o", target).code == 0
    page = target.read_text("utf-8")
    assert compute(answers)["weakest"] == ["U2", "U8"]
    assert "U2 Sistem, mekanisme, dan prosedur dan U8 Penanganan pengaduan, saran dan " \
           "masukan sama-sama memiliki NRR terendah (2,5000)." in page
    target = tmp_path / "seri-en.html"
    assert run("skm", answers, "--format", "html", "--lang", "en", "-o", target).code == 0
    assert "tie for the lowest NRR (2.5000)" in target.read_text("utf-8")


def test_an_unsur_without_answers(run, tmp_path: Path) -> None:
    """No IKM when an unsur has no answer: the report says so instead of a number, and the
    unsur that have answers are still shown."""
    rows = ["layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9", "A,4,3,4,4,4,4,4,3,", "B,3,3,3,3,3,3,3,3,"]
    answers = write(tmp_path / "kosong-u9.csv", "\n".join(rows) + "\n")
    assert compute(answers)["ikm"] is None
    target = tmp_path / "r.html"
    assert run("skm", answers, "--format", "html", "-o", target).code == 0
    page = target.read_text("utf-8")
    assert "IKM tidak dihitung: ada unsur tanpa jawaban." in page and "data-ikm" not in page
    assert cells(page, "nrr") == ["3,5000", "3,0000", "3,5000", "3,5000", "3,5000", "3,5000",
                                  "3,5000", "3,0000", "—"]
    assert "U2 Sistem, mekanisme, dan prosedur dan U8" in page  # the tie, U9 left aside
    book = tmp_path / "r.xlsx"
    assert run("skm", answers, "--format", "xlsx", "--lang", "en", "-o", book).code == 0
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(book)["Summary"].iter_rows(
        values_only=True) if r[0]}
    assert summary["IKM"] is None and summary["Quality (label)"].startswith("No IKM computed")


def test_text_the_user_wrote_is_escaped(run, tmp_path: Path) -> None:
    rows = ["layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9", '"<b>Izin</b> & co",4,3,4,4,4,4,4,3,4',
            "=HYPERLINK(\"http://x\"),3,3,3,3,3,3,3,3,3"]
    answers = write(tmp_path / "j.csv", "\n".join(rows) + "\n")
    target = tmp_path / "j.html"
    assert run("skm", answers, "--unit", "<script>alert(1)</script>", "--format", "html",
               "-o", target).code == 0
    page = target.read_text("utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;Izin&lt;/b&gt; &amp; co" in page
    book = tmp_path / "j.xlsx"
    assert run("skm", answers, "--format", "xlsx", "-o", book).code == 0
    sheet = openpyxl.load_workbook(book)["Per layanan"]
    names = {sheet.cell(row, 1).value: sheet.cell(row, 1).data_type for row in (2, 3)}
    assert names == {"<b>Izin</b> & co": "s", '=HYPERLINK("http://x")': "s"}  # no formula


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", ["dpmptsp-csv", "puskesmas-manifest", "template-xlsx"])
def test_the_workbook_has_the_sections(run, case: str, lang: str, tmp_path: Path) -> None:
    target, result = render(run, case, lang, "xlsx", tmp_path)
    book = openpyxl.load_workbook(target)
    names = (["Summary", "NRR per unsur", "Per service", "Respondent profile",
              "Follow-up plan", "Quality table"] if lang == "en" else
             ["Ringkasan", "NRR per unsur", "Per layanan", "Profil responden",
              "Rencana tindak lanjut", "Tabel mutu"])
    assert book.sheetnames[:6] == names
    summary = {row[0]: row[1] for row in book[names[0]].iter_rows(values_only=True) if row[0]}
    assert summary["IKM"] == result["ikm"]
    assert book[names[0]]["B11"].number_format == "0.00"  # shown with the locale's separator
    assert summary["Respondents" if lang == "en" else "Jumlah responden"] == \
        result["respondents"]
    nrr = book["NRR per unsur"]
    rows = list(nrr.iter_rows(min_row=2, max_row=10, values_only=True))
    assert [r[0] for r in rows] == UNSUR
    assert [r[2] for r in rows] == [u["nrr"] for u in result["unsur"]]
    assert [r[4] for r in rows] == [u["mutu"]["code"] for u in result["unsur"]]
    assert len(nrr._charts) == 1  # a native bar chart of the NRR column
    bars = {str(k.sqref): [r.dataBar for r in v] for k, v in
            nrr.conditional_formatting._cf_rules.items()}
    assert [float(v.val) for v in bars["C2:C10"][0].cfvo] == [1, 4]  # bars on the 1–4 scale
    services = list(book[names[2]].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in services if r[0]] == \
        [(s["layanan"], s["ikm"]) for s in result["layanan"]]
    plan = list(book[names[4]].iter_rows(min_row=4, max_row=9, values_only=True))
    assert plan[0] == (("No.", "Unsur", "Activity", "When", "Responsible") if lang == "en"
                       else ("No.", "Unsur", "Kegiatan", "Waktu", "Penanggung jawab"))
    assert all(r[2] is None and r[3] is None and r[4] is None for r in plan[1:])
    assert [r[1].split()[0] for r in plan[1:4]] == result["lowest_three"]
    if lang == "id":
        text = "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row if isinstance(v, str))
        assert english_words(text) == []
        assert decimal_points(text) == []


def test_the_manifest_gives_unit_answers_population_and_year(run, tmp_path: Path) -> None:
    target, result = render(run, "puskesmas-manifest", "id", "html", tmp_path)
    page = target.read_text("utf-8")
    assert "UPTD Puskesmas Sukamaju" in page and "Dinas Kesehatan Kabupaten Sukamaju" in page
    assert "<dd>14.350</dd>" in page and "<dd>374</dd>" in page and "Tahun 2024" in page
    # the manifest named as the argument, as for `patuh check`; options win over it
    done = run("skm", PUSKESMAS / "manifest.yaml", "--unit", "Puskesmas Lain",
               "--population", "500", "--format", "json")
    assert done.code == 0, done.err
    assert json.loads(done.out)["sample"] == {**result["sample"], "population": 500,
                                              "required": 217, "sufficient": True}
    other = tmp_path / "other.html"
    assert run("skm", PUSKESMAS / "manifest.yaml", "--unit", "Puskesmas Lain", "--format",
               "html", "-o", other).code == 0
    assert "Puskesmas Lain" in other.read_text("utf-8")


def test_a_manifest_form_as_the_argument(run, tmp_path: Path) -> None:
    """`patuh skm manifest.xlsx` (the form of `patuh init --format xlsx`) is read as the
    manifest, as `patuh skm manifest.yaml` is; an answers workbook stays an answers file."""
    import shutil

    unit = tmp_path / "unit"
    shutil.copytree(PUSKESMAS, unit)
    assert run("convert", unit / "manifest.yaml", unit / "manifest.xlsx").code == 0
    (unit / "manifest.yaml").unlink()
    target = tmp_path / "r.html"
    done = run("skm", unit / "manifest.xlsx", "--format", "html", "-o", target)
    assert done.code == 0, done.err
    page = target.read_text("utf-8")
    assert "UPTD Puskesmas Sukamaju" in page and "<dd>14.350</dd>" in page
    result = compute(PUSKESMAS / "skm/jawaban-skm-2024.xlsx", population=14350)
    assert cells(page, "nrr") == [number(u["nrr"], "id", 4) for u in result["unsur"]]
    # a workbook that is neither says why it is not answers
    other = tmp_path / "lain.xlsx"
    other.write_bytes((TEMPLATE / "jawaban-skm.xlsx").read_bytes())
    book = openpyxl.load_workbook(other)
    for sheet in book:
        sheet.delete_rows(1, sheet.max_row)
        sheet["A1"] = "catatan"
    book.save(other)
    assert_refused(run("skm", other, "--format", "html"), "lain.xlsx")


def test_the_html_goes_to_stdout(run) -> None:
    done = run("skm", TEMPLATE / "jawaban-skm.csv", "--format", "html")
    assert done.code == 0, done.err
    assert done.out.startswith("<!DOCTYPE html>") and done.out.rstrip().endswith("</html>")


def assert_refused(result, *needles: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err and result.err.startswith("patuh: ")
    for needle in needles:
        assert needle in result.err, f"{needle!r} not in:\n{result.err}"


def test_bad_input_exits_2(run, tmp_path: Path) -> None:
    answers = TEMPLATE / "jawaban-skm.csv"
    assert_refused(run("skm", answers, "--format", "xlsx"), "-o")
    assert_refused(run("skm", answers, "--format", "xlsx", "--lang", "en"),
                   "--format xlsx writes a workbook: name it with -o")
    assert_refused(run("skm", "--format", "html"), "berkas jawaban SKM tidak disebut",
                   "--manifest")
    # a manifest that declares its results but keeps no answers: the key to fill is named
    assert_refused(run("skm", "--manifest", ROOT / "examples/kecamatan-lembah-hijau/manifest"
                       ".yaml", "--format", "html", "--lang", "en"),
                   "manifest.yaml:", "skm.berkas", "the SKM report is computed from")
    assert_refused(run("skm", "--manifest", tmp_path / "tidak-ada.yaml", "--format", "html"),
                   "tidak-ada.yaml")
    # a unit's folder, as the argument or as --manifest: its manifest is named
    for args in ((DPMPTSP,), ("--manifest", DPMPTSP)):
        assert_refused(run("skm", *args, "--format", "html", "--lang", "en"),
                       "this is a folder, not a manifest file", str(DPMPTSP / "manifest.yaml"))
    bad = write(tmp_path / "unit/manifest.yaml", "schema_version: 1\nunit: [\n")
    assert_refused(run("skm", "--manifest", bad, "--format", "html"), "manifest.yaml")
    # never written over an input
    copy = write(tmp_path / "jawaban.csv", answers.read_text("utf-8"))
    before = copy.read_bytes()
    assert_refused(run("skm", copy, "--format", "html", "-o", copy))
    assert_refused(run("skm", copy, "--format", "xlsx", "-o", copy))
    assert copy.read_bytes() == before
    # a workbook answers file is an input too
    book = tmp_path / "jawaban.xlsx"
    book.write_bytes((TEMPLATE / "jawaban-skm.xlsx").read_bytes())
    assert_refused(run("skm", book, "--format", "xlsx", "-o", book))


@pytest.mark.parametrize("case", ["dpmptsp-csv", "puskesmas-manifest", "template-csv"])
def test_text_output_in_indonesian(run, case: str) -> None:
    args, answers, options = CASES[case]
    done = run("skm", *args)
    assert done.code == 0, done.err
    result = compute(answers, **options)
    assert f"IKM: {number(result['ikm'], 'id', 2)}" in done.out
    for u in result["unsur"]:
        assert number(u["nrr"], "id", 4) in done.out
    assert english_words(done.out) == []
    assert decimal_points(done.out) == []
    english = run("skm", *args, "--lang", "en")
    assert f"IKM: {result['ikm']:.2f}" in english.out


def test_text_output_of_rows_left_out_in_indonesian(run, tmp_path: Path) -> None:
    rows = ["tanggal,umur,U1,U2,U3,U4,U5,U6,U7,U8,U9", "2024-02-01,34,4,3,4,4,4,4,4,3,4",
            "2024-02-02,41,5,3,4,4,4,4,4,3,4", "2024-02-03,29,4,3,x,4,4,4,4,3,4"]
    done = run("skm", write(tmp_path / "j.csv", "\n".join(rows) + "\n"), "--population",
               "1200", "--from", "2024-01-01", "--to", "2024-06-30")
    assert done.code == 0, done.err
    assert "Baris yang tidak dihitung (2)" in done.out
    assert "Umur: 1 orang, termuda 34, tertua 34, median 34" in done.out
    assert english_words(done.out) == []
    assert decimal_points(done.out) == []


def test_other_formats_do_not_load_the_report_module(tmp_path: Path) -> None:
    """Cold start: `patuh skm` as text or JSON never imports the report's module."""
    code = ("import sys\nfrom patuh.cli import main\n"
            f"main(['skm', {str(TEMPLATE / 'jawaban-skm.csv')!r}, '--format', 'json', '-o', "
            f"{str(tmp_path / 'o.json')!r}])\n"
            "print('patuh.plugins.skm_report' in sys.modules, 'openpyxl.chart' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.stdout.split() == ["False", "False"], done.stderr


# --- in a real browser -------------------------------------------------------------------------

@need_browser
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", ["dpmptsp-csv", "puskesmas-manifest", "template-csv"])
def test_prints_on_a4_and_fits_a_phone(run, case: str, lang: str, tmp_path: Path) -> None:
    target, _ = render(run, case, lang, "html", tmp_path)
    page = target.read_text("utf-8")
    assert 1 <= pdf_pages(page, tmp_path) <= 5  # every MediaBox A4 (pdf_pages asserts it)
    width, client = scroll_width(page, 390, tmp_path)
    assert client == 390 and width <= 390
    # at the width of an A4 page's printable area (180 mm) nothing sticks out either
    width, client = scroll_width(page, 680, tmp_path)
    assert client == 680 and width <= 680


@need_browser
def test_long_names_and_many_services_stay_on_the_page(run, tmp_path: Path) -> None:
    """What units outside the repository write: a service name with no space to break at,
    sixty services, two hundred occupations, age groups as text."""
    rows = ["layanan;U1;U2;U3;U4;U5;U6;U7;U8;U9;jenis kelamin;umur;pekerjaan"]
    names = ["X" * 180] + [f"Layanan nomor {i} " + "sangat panjang " * (i % 5) for i in range(60)]
    for n in range(600):
        answers = [str(1 + (n * 7 + k * 3) % 4) for k in range(9)]
        rows.append(";".join([names[n % len(names)], *answers, "LP"[n % 2],
                              ("17-25", "26-35", ">45")[n % 3], f"Pekerjaan {n % 200}"]))
    target = tmp_path / "banyak.html"
    assert run("skm", write(tmp_path / "banyak.csv", "\n".join(rows) + "\n"), "--format",
               "html", "-o", target).code == 0
    page = target.read_text("utf-8")
    assert page.count("<tr><td>Layanan nomor") == 60
    assert pdf_pages(page, tmp_path) <= 12
    for width in (390, 680):
        scroll, client = scroll_width(page, width, tmp_path)
        assert client == width and scroll <= width, (width, scroll)


@need_browser
def test_the_browser_sees_the_chart_and_no_console_message(run, tmp_path: Path) -> None:
    from test_html import console_lines

    target, result = render(run, "dpmptsp-csv", "id", "html", tmp_path)
    done = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom",
                    target.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('class="bar"') == 9 and dom.count('class="bar-row"') == 9
    assert console_lines(done.stderr, target.as_uri()) == []
    assert f">{number(result['ikm'], 'id', 2)}<" in dom
