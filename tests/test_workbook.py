"""The manifest as an Excel workbook: `patuh init --format xlsx`, reading a filled workbook back
(`patuh check manifest.xlsx`), and `patuh convert` between YAML and XLSX, lossless both ways."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import MINIMAL
from conftest import no_crash

from patuh.manifest import load_manifest
from patuh.questionnaire import CHOICE
from patuh.questionnaire import CHOICES
from patuh.questionnaire import DATE
from patuh.questionnaire import FILE
from patuh.questionnaire import FILES
from patuh.questionnaire import INTEGER
from patuh.questionnaire import KINDS
from patuh.questionnaire import NUMBER
from patuh.questionnaire import TEXT
from patuh.questionnaire import TEXTS
from patuh.questionnaire import YES_NO
from patuh.questionnaire import for_day

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/manifest.yaml"))
DAY = date(2024, 12, 31)
AS_OF = DAY.isoformat()


@pytest.fixture(scope="module")
def model():
    return for_day((), DAY)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def init_xlsx(run, folder: Path, *extra: str) -> Path:
    result = run("init", folder, "--format", "xlsx", "--as-of", AS_OF, *extra)
    assert result.code == 0, result.err
    target = folder / "manifest.xlsx"
    assert target.is_file()
    return target


def answer_cells(book: openpyxl.Workbook) -> dict[str, list[Any]]:
    """Each question path -> the cells holding its answers (one in a section sheet; one per
    row in a list's sheet), found the way a person reads the form: the Path column / row 1."""
    marker = book["_patuh"]
    out: dict[str, list[Any]] = {}
    for kind, _path, name in marker.iter_rows(min_row=2, max_col=3, values_only=True):
        if kind == "section":
            sheet = book[name]
            for row in sheet.iter_rows(min_row=2):
                code = row[0].value
                if code:
                    answer = row[4] if sheet.cell(row[0].row, 5).protection.locked is False \
                        else row[3]
                    out.setdefault(code, []).append(answer)
        elif kind == "group":
            sheet = book[name]
            for header in sheet[1]:
                if header.value:
                    out[header.value] = [sheet.cell(r, header.column)
                                         for r in range(3, sheet.max_row + 1)]
    return out


def fill(target: Path, answers: dict[str, Any], item: int = 0) -> dict[str, str]:
    """Type answers into the workbook as a person would; returns where each went."""
    book = openpyxl.load_workbook(target)
    cells = answer_cells(book)
    where = {}
    for path, value in answers.items():
        cell = cells[path][item if "[]" in path else 0]
        cell.value = value
        where[path] = f"{cell.parent.title}!{cell.coordinate}"
    book.save(target)
    return where


def validation_of(sheet, coordinate: str):
    found = [dv for dv in sheet.data_validations.dataValidation if coordinate in dv.sqref]
    return found[0] if found else None


# --- the form -------------------------------------------------------------------------------

def test_init_writes_a_protected_workbook_asking_every_question(run, tmp_path, model) -> None:
    target = init_xlsx(run, tmp_path / "unit")
    book = openpyxl.load_workbook(target)
    names = book.sheetnames
    assert names[0] == "Petunjuk"
    petunjuk = "\n".join(str(c.value) for c in book["Petunjuk"]["A"] if c.value)
    assert "patuh check manifest.xlsx" in petunjuk
    assert "31/10/2025" in petunjuk and "relatif terhadap folder" in petunjuk
    assert "Isi kolom Jawaban" in petunjuk and "Check with" not in petunjuk  # one language
    for ruleset, edition in model.rulesets:
        assert f"{ruleset} {edition}" in petunjuk
    # a sheet per section (the general one and each aspect with indicators), per list
    for section in model.sections:
        if section.indicators:
            assert any(section.title.id.split(" (")[0].startswith(n) for n in names), \
                section.title.id
    assert "Umum" in names and "Kebijakan Pelayanan" in names
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    assert book["_patuh"].sheet_state == "hidden"
    assert book.security.lockStructure
    cells = answer_cells(book)
    # every question of the model is asked, once in the section sheets, and for each list
    # whether the unit has none at all (an empty list is a claim; a blank sheet is no answer)
    assert set(cells) == set(model.questions) | set(model.groups)
    for group in model.groups:
        (flag,) = cells.pop(group)
        assert validation_of(flag.parent, flag.coordinate).formula1 == '"ya,tidak"'
        assert flag.protection.locked is False and flag.value is None
    assert all(len(c) == 1 for p, c in cells.items() if "[]" not in p)
    assert all(len(c) >= 20 for p, c in cells.items() if "[]" in p)  # blank list rows ready
    kinds_seen = set()
    for path, found in cells.items():
        question = model.questions[path]
        kinds_seen.add(question.kind)
        for cell in found[:2]:
            sheet = cell.parent
            assert sheet.protection.sheet and not sheet.protection.password
            assert cell.protection.locked is False, (path, cell.coordinate)
            rule = validation_of(sheet, cell.coordinate)
            if question.kind == YES_NO:
                assert rule is not None and rule.type == "list"
                assert rule.formula1 == '"ya,tidak"'
            elif question.kind == CHOICE:
                assert rule is not None and rule.type == "list"
                listed, span = rule.formula1.split("!")
                lists = book[listed.strip("'")]
                start, end = span.replace("$", "").split(":")
                codes = [c.value for row in lists[start:end] for c in row]
                assert codes == [c.code for c in question.choices]
            else:
                assert rule is None
            if question.kind == DATE:
                assert cell.number_format.upper() == "DD/MM/YYYY"
            if question.kind in (CHOICE, CHOICES, TEXT, TEXTS, FILE, FILES):
                assert cell.number_format == "@"  # 1-4 must stay text
    assert kinds_seen == set(KINDS)
    # evidence goes in its own column (Bukti), answers in Jawaban; the rest is locked
    umum = book["Kebijakan Pelayanan"]
    assert [c.value for c in umum[1]][:5] == ["Kode", "Indikator", "Pertanyaan / deskriptor",
                                              "Jawaban", "Bukti (nama berkas)"]
    assert umum.freeze_panes == "D2"
    for row in umum.iter_rows(min_row=2):
        path = row[0].value
        assert row[0].protection.locked and row[2].protection.locked
        if path in model.questions:
            evidence = model.questions[path].kind == FILES
            assert row[3].protection.locked is evidence
            assert row[4].protection.locked is not evidence
    # the placeholders of init are shown, and the untouched form checks at once
    assert cells["unit.nama"][0].value == "Nama Unit Pelayanan"
    assert cells["periode.tahun"][0].value == DAY.year
    result = run("check", target, "--as-of", AS_OF)
    assert result.code == 0, result.err


def test_init_in_english(run, tmp_path) -> None:
    target = init_xlsx(run, tmp_path / "unit", "--lang", "en")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Instructions"
    text = "\n".join(str(c.value) for c in book["Instructions"]["A"] if c.value)
    assert "Fill in the Answer column" in text and "Isi kolom Jawaban" not in text
    cells = answer_cells(book)
    cell = cells["standar_pelayanan.ada"][0]
    assert validation_of(cell.parent, cell.coordinate).formula1 == '"yes,no"'
    fill(target, {"standar_pelayanan.ada": "yes", "maklumat.ada": "no"})
    data = load_manifest(target).data
    assert data["standar_pelayanan"]["ada"] is True and data["maklumat"]["ada"] is False


# --- a workbook filled by a person ----------------------------------------------------------

PERSON = {
    "standar_pelayanan.ada": "ya",
    "standar_pelayanan.komponen": "persyaratan; sistem_mekanisme_prosedur",
    "standar_pelayanan.penetapan.oleh": "kepala_unit",
    "standar_pelayanan.penetapan.tanggal": datetime(2024, 3, 1),
    "standar_pelayanan.penetapan.bukti": "sp/sk-sp-2024.pdf",
    "maklumat.ada": "Ya",
    "maklumat.penetapan.tanggal": "31/10/2024",
    "maklumat.bukti": "maklumat/maklumat.pdf",
    "skm.responden": 120.0,
    "skm.ikm": "82,5",
    "inovasi.daftar[].nama": "Antar Jemput Berkas",
    "inovasi.daftar[].tahap": "diterapkan",
    "inovasi.daftar[].tanggal_diterapkan": datetime(2023, 6, 1),
}
SAME_AS_YAML = {
    "standar_pelayanan": {
        "ada": True, "komponen": ["persyaratan", "sistem_mekanisme_prosedur"],
        "penetapan": {"oleh": "kepala_unit", "tanggal": "2024-03-01",
                      "bukti": ["sp/sk-sp-2024.pdf"]}},
    "maklumat": {"ada": True, "penetapan": {"tanggal": "2024-10-31"},
                 "bukti": ["maklumat/maklumat.pdf"]},
    "skm": {"responden": 120, "ikm": 82.5},
    "inovasi": {"daftar": [{"nama": "Antar Jemput Berkas", "tahap": "diterapkan",
                            "tanggal_diterapkan": "2023-06-01"}]},
}


def levels(run, manifest: Path) -> list[tuple[str, Any, str]]:
    result = run("check", manifest, "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    return [(r["rule_id"], r["level"], r["status"]) for r in report["results"]] + [
        ("score", report["score"]["final"], report["predicate"]["code"])]


def test_a_filled_workbook_checks_as_the_same_yaml(run, tmp_path, write_manifest) -> None:
    folder = tmp_path / "unit"
    target = init_xlsx(run, folder)
    for ref in ("sp/sk-sp-2024.pdf", "maklumat/maklumat.pdf"):
        (folder / ref).parent.mkdir(parents=True, exist_ok=True)
        (folder / ref).write_bytes(f"bukti {ref}\n".encode())
    where = fill(target, {**PERSON, "unit.nama": "Unit Uji",
                          "unit.instansi": "Pemerintah Kota Uji"})
    before = sha(target)
    data = load_manifest(target).data
    expected = {**MINIMAL, **SAME_AS_YAML}
    assert data == expected
    readings = {r.where: r.reading.describe().en for r in load_manifest(target).readings}
    cell = {path: f"manifest.xlsx!{at}" for path, at in where.items()}
    assert readings == {
        cell["maklumat.penetapan.tanggal"]: "'31/10/2024' read as 2024-10-31 (day first)",
        cell["maklumat.ada"]: "'Ya' read as true (yes/no)",
        cell["standar_pelayanan.ada"]: "'ya' read as true (yes/no)",
        cell["skm.ikm"]: "'82,5' read as 82.5 (decimal comma)"}
    # and the report says so, naming the cell
    report = json.loads(run("check", target, "--format", "json").out)
    assert {r["where"]: (r["path"], r["raw"], r["value"]) for r in report["readings"]}[
        cell["maklumat.penetapan.tanggal"]] == ("maklumat.penetapan.tanggal", "31/10/2024",
                                                "2024-10-31")
    text = run("check", target, "--lang", "en").out
    assert f"{cell['skm.ikm']} skm.ikm: 82,5 → 82.5 (decimal comma)" in text
    yaml_twin = write_manifest(SAME_AS_YAML, folder="unit", name="twin.yaml")
    from_xlsx = levels(run, target)
    assert from_xlsx == levels(run, yaml_twin)
    assert any(level for _rule, level, _status in from_xlsx[:-1])  # the answers moved levels
    assert sha(target) == before  # reading never changes the workbook


def test_bad_answers_name_the_sheet_and_cell(run, tmp_path) -> None:
    folder = tmp_path / "unit"
    target = init_xlsx(run, folder)
    where = fill(target, {"standar_pelayanan.ada": "mungkin",
                          "standar_pelayanan.penetapan.oleh": "walikota_sendiri",
                          "skm.responden": "banyak",
                          "maklumat.penetapan.tanggal": "31/13/2024",
                          "inovasi.daftar[].tahap": "hampir"})
    before = sha(target)
    result = run("check", target)
    assert result.code == 2
    no_crash(result)
    for path, cell in where.items():
        assert f"manifest.xlsx!{cell}:" in result.err, (path, result.err)
    assert "'mungkin' bukan jawaban ya/tidak" in result.err
    assert "isi: pilih ya atau tidak" in result.err
    assert "kepala_unit" in result.err  # what to enter: the valid codes
    assert "31/10/2025" in result.err
    assert sha(target) == before
    english = run("check", target, "--lang", "en")
    assert english.code == 2 and "is not a yes/no answer" in english.err


def test_schema_errors_after_loading_point_at_the_cell(run, tmp_path) -> None:
    folder = tmp_path / "unit"
    target = init_xlsx(run, folder)
    where = fill(target, {"periode.tahun": 1990})
    result = run("check", target)
    assert result.code == 2
    assert f"manifest.xlsx!{where['periode.tahun']}: periode.tahun: 1990 harus ≥ 2000" \
        in result.err
    assert "isi: bilangan bulat" in result.err
    # a required answer left empty: its own empty cell is named
    target.unlink()
    target = init_xlsx(run, folder)
    nama = fill(target, {"unit.nama": None})["unit.nama"]
    result = run("check", target)
    assert result.code == 2
    assert f"manifest.xlsx!{nama}: kunci wajib belum ada: unit" in result.err
    assert "isi: teks" in result.err
    fill(target, {"unit.instansi": "Pemerintah Kota Uji"})
    result = run("check", target)
    assert result.code == 2
    assert f"manifest.xlsx!{nama}: unit: kunci wajib belum ada: nama" in result.err
    assert "isi: teks" in result.err
    # an item of a list missing a required answer: the row's cell is named
    target.unlink()
    target = init_xlsx(run, folder)
    where = fill(target, {"inovasi.daftar[].tahap": "diterapkan"})
    result = run("check", target)
    assert result.code == 2
    sheet, cell = where["inovasi.daftar[].tahap"].split("!")
    row = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert f"manifest.xlsx!{sheet}!A{row}: inovasi.daftar[1]: kunci wajib belum ada: nama" \
        in result.err


def test_an_answer_in_the_wrong_column_is_named(run, tmp_path) -> None:
    target = init_xlsx(run, tmp_path / "unit")
    book = openpyxl.load_workbook(target)
    cell = answer_cells(book)["standar_pelayanan.ada"][0]
    sheet = cell.parent
    sheet.protection.sheet = False  # a clerk unprotects the sheet and types beside the answer
    sheet.cell(cell.row, 5, "sp.pdf")
    book.save(target)
    result = run("check", target)
    assert result.code == 2
    assert f"manifest.xlsx!{sheet.title}!E{cell.row}: isian di kolom yang salah" in result.err
    assert f"pindahkan ke {sheet.title}!D{cell.row}" in result.err


def test_a_changed_path_column_is_named(run, tmp_path) -> None:
    target = init_xlsx(run, tmp_path / "unit")
    book = openpyxl.load_workbook(target)
    cells = answer_cells(book)
    first, second = cells["standar_pelayanan.ada"][0], cells["maklumat.ada"][0]
    first.parent.protection.sheet = second.parent.protection.sheet = False
    first.parent.cell(first.row, 1, "standar_pelayanan.tiada")
    second.parent.cell(second.row, 1, "unit.nama")  # a row copied over another
    book.save(target)
    result = run("check", target)
    assert result.code == 2
    no_crash(result)
    assert f"manifest.xlsx!{first.parent.title}!A{first.row}: kode 'standar_pelayanan.tiada' " \
        "tidak dikenal" in result.err
    assert f"manifest.xlsx!{second.parent.title}!A{second.row}: pertanyaan unit.nama muncul " \
        "dua kali (juga di Umum!D2)" in result.err


def test_a_workbook_that_is_not_a_form_is_refused_clearly(run, tmp_path) -> None:
    skm = tmp_path / "jawaban-skm.xlsx"
    shutil.copyfile(ROOT / "examples" / "skm-template" / "jawaban-skm.xlsx", skm)
    before = sha(skm)
    result = run("check", skm)
    assert result.code == 2
    no_crash(result)
    assert "bukan formulir manifest patuh" in result.err
    assert "patuh init FOLDER --format xlsx" in result.err
    assert sha(skm) == before
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("check", broken)
    assert result.code == 2
    no_crash(result)
    assert "berkas XLSX tidak dapat dibaca" in result.err


@pytest.mark.parametrize("rows", [
    [["bukan-penanda"]],
    [["patuh-manifest-form", 1], ["fixed", "[&a x, *a]", "1"]],
    [["patuh-manifest-form", 1], ["fixed", "bukan daftar", "[[[["]],
])
def test_a_false_marker_is_not_a_form(run, tmp_path, rows) -> None:
    book = openpyxl.Workbook()
    marker = book.create_sheet("_patuh")
    for row in rows:
        marker.append(row)
    target = tmp_path / "manifest.xlsx"
    book.save(target)
    result = run("check", target)
    assert result.code == 2
    no_crash(result)
    assert "bukan formulir manifest patuh" in result.err


def test_a_missing_sheet_is_named(run, tmp_path) -> None:
    target = init_xlsx(run, tmp_path / "unit")
    book = openpyxl.load_workbook(target)
    book.security.lockStructure = False
    del book["Daftar inovasi"]
    book.save(target)
    result = run("check", target)
    assert result.code == 2
    assert "lembar 'Daftar inovasi' tidak ada" in result.err


def test_a_workbook_over_the_size_limit_is_refused(run, tmp_path, monkeypatch) -> None:
    target = init_xlsx(run, tmp_path / "unit")
    monkeypatch.setenv("PATUH_MAX_WORKBOOK_BYTES", "10000")
    result = run("check", target)
    assert result.code == 2
    no_crash(result)
    assert "PATUH_MAX_WORKBOOK_BYTES" in result.err


# --- convert, lossless ----------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES)
def test_convert_every_example_both_ways(run, tmp_path, example) -> None:
    folder = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, folder)
    source = folder / "manifest.yaml"
    assert "schema_version" in yaml.safe_load(source.read_text("utf-8"))
    before = sha(source)
    workbook, back = folder / "form.xlsx", folder / "back.yaml"
    assert run("convert", source, workbook).code == 0
    assert run("convert", workbook, back).code == 0
    original = load_manifest(source).data
    assert load_manifest(workbook).data == original
    assert load_manifest(back).data == original
    again = folder / "again.xlsx"
    assert run("convert", back, again).code == 0
    assert load_manifest(again).data == original
    assert sha(source) == before


def test_checking_the_converted_workbook_gives_the_same_report(run, tmp_path) -> None:
    example = "dpmptsp-kota-harapan"
    folder = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, folder)
    workbook = folder / "manifest.xlsx"
    assert run("convert", folder / "manifest.yaml", workbook).code == 0
    assert levels(run, workbook) == levels(run, folder / "manifest.yaml")


def _value(question, variant: int) -> Any:
    """An answer of the question's kind (variant: which of two items of a list)."""
    kind = question.kind
    if kind == YES_NO:
        return variant == 0
    if kind in (INTEGER, NUMBER):
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else low + 100
        if kind == INTEGER:
            return int(min(high, low + 2 + variant))
        return min(high, low + 2.5 + variant) if high - low >= 3.5 else (low + high) / 2
    if kind == DATE:
        return f"2024-0{1 + variant}-2{variant}"
    if kind == CHOICE:
        return question.choices[variant % len(question.choices)].code
    if kind == CHOICES:
        return [c.code for c in question.choices][variant:variant + 2] or []
    if kind == TEXT:
        return ["Teks biasa", "=[bukan rumus]; dengan titik koma\nbaris kedua"][variant]
    if kind == TEXTS:
        return [["satu", "dua"], ["a; b", "=bukan rumus", "2024-01-01"]][variant]
    if kind == FILE:
        return "data/jawaban.csv"
    if kind == FILES:
        return [["sp/a.pdf", "https://contoh.go.id/sp"],
                [{"berkas": "sp/b.pdf", "sha256": "0" * 64, "keterangan": "SK; salinan"},
                 {"url": "https://contoh.go.id/x", "keterangan": "laman"}, "c d.pdf"]][variant]
    raise AssertionError(kind)


def synthetic(model) -> dict[str, Any]:
    """A manifest answering every question: two items in every list, both shapes of every
    kind (a choices list, evidence as names, URLs and {berkas, sha256, keterangan})."""
    data: dict[str, Any] = {"schema_version": 1}
    for number, question in enumerate(model.questions.values()):
        keys = question.keys
        items = 2 if question.group else 1
        for variant in range(items):
            node: Any = data
            for key in keys[:-1]:
                if key.endswith("[]"):
                    node = node.setdefault(key[:-2], [])
                    while len(node) <= variant:
                        node.append({})
                    node = node[variant]
                else:
                    node = node.setdefault(key, {})
            variant_of = variant if question.group else number % 2
            node[keys[-1]] = _value(question, variant_of)
    data["periode"] = {"tahun": 2024, "tanggal_penilaian": "2024-12-31"}
    data["standar_pelayanan"]["komponen"] = []  # an answered empty list differs from blank
    data["unit"]["kode"] = "UNIT-01"  # a pattern
    data["unit"]["alamat"] = '"Jl. Merdeka 1"'  # quotes that are part of the answer
    data["unit"]["instansi"] = "Pemkot\x07 Uji"  # a control character no cell may hold
    for one_of in ("wawancara_pengguna", "penilaian_pengguna"):  # a file or its summary
        del data[one_of]["berkas"]
    return data


def test_convert_is_lossless_for_every_kind_of_answer(run, tmp_path, model) -> None:
    data = synthetic(model)
    source = tmp_path / "manifest.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    original = load_manifest(source).data
    assert original == data  # the synthetic manifest is valid as it stands
    kinds = {q.kind for q in model.questions.values()}
    assert kinds == set(KINDS)
    workbook, back = tmp_path / "manifest.xlsx", tmp_path / "back.yaml"
    assert run("convert", source, workbook).code == 0
    assert load_manifest(workbook).data == original
    assert run("convert", workbook, back).code == 0
    assert load_manifest(back).data == original
    # how the rare shapes look to a person: plain where a cell can show it, else YAML flow text
    cells = answer_cells(openpyxl.load_workbook(workbook))
    bukti = [c.value for c in cells["inovasi.daftar[].bukti"][:2]]
    assert bukti[0] == "sp/a.pdf; https://contoh.go.id/sp"
    assert bukti[1].startswith("[{berkas: sp/b.pdf, sha256: '000")
    assert cells["standar_pelayanan.komponen"][0].value == "[]"
    texts = [c.value for c in cells["inovasi.daftar[].nama"][:2]]
    assert texts[0] == "Teks biasa"
    assert texts[1].startswith("=[bukan rumus]")  # as typed, yet a text, never a formula
    assert cells["unit.alamat"][0].value == '"\\"Jl. Merdeka 1\\""'
    assert cells["unit.instansi"][0].value == '"Pemkot\\u0007 Uji"'
    dates = [c.value for c in cells["inovasi.daftar[].tanggal_diterapkan"][:2]]
    assert dates == [datetime(2024, 1, 20), datetime(2024, 2, 21)]


def test_none_at_all_is_an_answer_in_both_forms(run, tmp_path) -> None:
    """`inovasi.daftar: []` (the unit has no innovation: level 0, not met) differs from no
    answer (no data); both forms keep the difference."""
    folder = tmp_path / "unit"
    source = folder / "manifest.yaml"
    folder.mkdir()
    source.write_text("schema_version: 1\nunit: {nama: Unit Uji}\nperiode: {tahun: 2024}\n"
                      "inovasi: {daftar: []}\n", encoding="utf-8")
    workbook, back = folder / "manifest.xlsx", tmp_path / "back.yaml"
    assert run("convert", source, workbook).code == 0
    assert load_manifest(workbook).data["inovasi"] == {"daftar": []}
    assert run("convert", workbook, back).code == 0
    assert "daftar: []" in back.read_text("utf-8")
    assert load_manifest(back).data == load_manifest(source).data
    status = {r["rule_id"]: r["status"] for r in json.loads(run(
        "check", workbook, "--format", "json", "--as-of", AS_OF).out)["results"]}
    assert status["pekppp.29.f.B"] == "fail"
    # "none at all" and an item on the list's sheet contradict each other: the cell is named
    book = openpyxl.load_workbook(workbook)
    sheet = book["Daftar inovasi"]
    sheet.cell(3, 1, "Antrian daring")
    sheet.cell(3, 2, "pembelajaran")
    book.save(workbook)
    result = run("check", workbook)
    assert result.code == 2 and "Traceback" not in result.err
    assert "tidak ada satu pun" in result.err and "manifest.xlsx!Inovasi!D" in result.err
