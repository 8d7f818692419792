"""The web platform's unit folder (patuh.plugins.web.store): plain pytest, no Django."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from patuh.evidence import resolve_inside
from patuh.manifest import load_manifest
from patuh.plugins.web import store
from patuh.plugins.web.store import UnitFolder
from patuh.plugins.web.store import questionnaire
from patuh.plugins.web.store import sanitise_name

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# each bundled unit, with the rulesets its README checks
UNITS = {
    "dpmptsp-kota-harapan": ("pekppp", "ombudsman", "skm", "uu25"),
    "puskesmas-sukamaju": ("pekppp", "ombudsman", "skm", "uu25"),
    "kecamatan-lembah-hijau": ("pekppp", "ombudsman", "uu25"),
    "disdukcapil-kota-harapan-2021": ("ombudsman", "uu25"),
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


@pytest.fixture(scope="module")
def model():
    return questionnaire((), date(2024, 12, 31))


@pytest.fixture
def unit(tmp_path: Path, model) -> UnitFolder:
    folder = UnitFolder(tmp_path / "units" / "r2025" / "dinas-a")
    folder.create({"nama": "Dinas A", "kode": "dinas-a", "instansi": "Pemerintah Kota Uji"},
                  {"tahun": 2024}, model=model)
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> UnitFolder:
    """The DPMPTSP example imported once (tests copy it before changing it)."""
    root = tmp_path_factory.mktemp("imported") / "dpmptsp"
    return UnitFolder.import_folder(EXAMPLES / "dpmptsp-kota-harapan", root)


def copy_unit(unit: UnitFolder, target: Path) -> UnitFolder:
    shutil.copytree(unit.root, target)
    return UnitFolder(target)


def bilingual(text: Any) -> None:
    assert text is not None and text.id and text.en and text.id != text.en


# --- answers -----------------------------------------------------------------------------------

def test_create_writes_the_form_that_loads(unit: UnitFolder) -> None:
    text = unit.manifest_path.read_text("utf-8")
    assert text.startswith("# Manifest bukti dukung patuh")
    assert "standar_pelayanan:" in text  # the whole form, every key present
    data = load_manifest(unit.manifest_path).data
    assert data["unit"] == {"nama": "Dinas A", "kode": "dinas-a",
                            "instansi": "Pemerintah Kota Uji"}
    assert data["periode"] == {"tahun": 2024}
    assert unit.answers() == data


def test_create_refuses_an_existing_unit(unit: UnitFolder, model) -> None:
    before = unit.manifest_path.read_bytes()
    with pytest.raises(store.InputError):
        unit.create({"nama": "Lain"}, {"tahun": 2025}, model=model)
    assert unit.manifest_path.read_bytes() == before


@pytest.mark.parametrize(("path", "typed", "canonical", "written"), [
    ("standar_pelayanan.ada", "ya", True, "ada: true"),
    ("standar_pelayanan.ada", "tidak", False, "ada: false"),
    ("standar_pelayanan.ada", True, True, "ada: true"),
    ("standar_pelayanan.penetapan.tanggal", "31/10/2024", "2024-10-31",
     "tanggal: '2024-10-31'"),
    ("standar_pelayanan.penetapan.tanggal", "5 Februari 2024", "2024-02-05",
     "tanggal: '2024-02-05'"),
    ("skm.ikm", "82,5", 82.5, "ikm: 82.5"),
    ("skm.populasi", "9.870", 9870, "populasi: 9870"),
    ("standar_pelayanan.komponen", ["persyaratan", "biaya_tarif"],
     ["persyaratan", "biaya_tarif"], "komponen: [persyaratan, biaya_tarif]"),
    ("unit.cara_layanan", "daring", "daring", "cara_layanan: daring"),
])
def test_an_answer_is_stored_as_its_canonical_value(unit: UnitFolder, model, path: str,
                                                    typed: Any, canonical: Any,
                                                    written: str) -> None:
    result = unit.save_answer(path, typed, model)
    assert result.ok, result.error
    node: Any = load_manifest(unit.manifest_path).data
    for key in path.split("."):
        node = node[key]
    assert node == canonical
    assert written in unit.manifest_path.read_text("utf-8")
    if isinstance(typed, str) and typed != canonical and path != "unit.cara_layanan":
        assert [r.reading.raw for r in result.readings] == [typed]  # how it was read


@pytest.mark.parametrize(("path", "typed"), [
    ("standar_pelayanan.ada", "mungkin"),
    ("standar_pelayanan.penetapan.tanggal", "31/02/2024"),
    ("skm.ikm", "delapan puluh"),
    ("skm.ikm", "120,5"),  # read, but above the schema's maximum
    ("standar_pelayanan.komponen", ["persyaratan", "bukan_komponen"]),
    ("unit.cara_layanan", "lewat_pos"),
    ("periode.tahun", "1850"),
])
def test_an_invalid_answer_is_never_written(unit: UnitFolder, model, path: str,
                                            typed: Any) -> None:
    assert unit.save_answer("standar_pelayanan.ada", "ya", model).ok
    before = unit.manifest_path.read_bytes()
    result = unit.save_answer(path, typed, model)
    assert not result.ok
    bilingual(result.error)
    assert path.split(".")[0] in result.error.id  # names where
    assert unit.manifest_path.read_bytes() == before  # byte for byte
    assert not [p for p in unit.root.iterdir() if p.name.startswith(".patuh-")]


def test_an_empty_answer_clears_the_key(unit: UnitFolder, model) -> None:
    assert unit.save_answer("skm.ikm", "82,5", model).ok
    assert unit.save_answer("skm.responden", "400", model).ok
    assert unit.save_answer("skm.ikm", "", model).ok
    assert unit.answers()["skm"] == {"responden": 400}
    assert unit.save_answer("skm.responden", None, model).ok
    assert "skm" not in unit.answers()
    assert unit.save_answer("standar_pelayanan.komponen", ["persyaratan"], model).ok
    assert unit.save_answer("standar_pelayanan.komponen", [], model).ok  # no box ticked
    assert "standar_pelayanan" not in unit.answers()


def test_list_items_are_added_changed_and_removed(unit: UnitFolder, model) -> None:
    before = unit.manifest_path.read_bytes()
    alone = unit.save_answer("inovasi.daftar[0].nama", "Gerai Jempol", model)
    assert not alone.ok and "tahap" in alone.error.id  # an item needs nama and tahap
    assert alone.needs == ("inovasi.daftar[0].tahap",)
    assert unit.manifest_path.read_bytes() == before
    assert unit.save_answers({"inovasi.daftar[0].nama": "Gerai Jempol",
                              "inovasi.daftar[0].tahap": "diterapkan"}, model).ok
    assert unit.save_answers({"inovasi.daftar[1].nama": "Antrian Daring",
                              "inovasi.daftar[1].tahap": "pembelajaran"}, model).ok
    gap = unit.save_answer("inovasi.daftar[5].nama", "Terlalu jauh", model)
    assert not gap.ok and "butir ke-6" in gap.error.id and "item 6" in gap.error.en
    assert unit.save_answer("inovasi.daftar[1].tanggal_diterapkan", "1/3/2024", model).ok
    items = unit.answers()["inovasi"]["daftar"]
    assert items == [{"nama": "Gerai Jempol", "tahap": "diterapkan"},
                     {"nama": "Antrian Daring", "tahap": "pembelajaran",
                      "tanggal_diterapkan": "2024-03-01"}]
    half = unit.save_answers({"inovasi.daftar[2].nama": "X", "skm.ikm": "80"}, model)
    assert not half.ok and "skm" not in unit.answers()  # all or none
    assert unit.remove_item("inovasi.daftar", 0, model).ok
    assert unit.answers()["inovasi"]["daftar"] == [
        {"nama": "Antrian Daring", "tahap": "pembelajaran",
         "tanggal_diterapkan": "2024-03-01"}]
    missing = unit.remove_item("inovasi.daftar", 3, model)
    assert not missing.ok
    bilingual(missing.error)
    assert unit.remove_item("inovasi.daftar", 0, model).ok
    assert "inovasi" not in unit.answers()
    assert not unit.remove_item("bukan.daftar", 0, model).ok


def test_unknown_questions_are_refused(unit: UnitFolder, model) -> None:
    before = unit.manifest_path.read_bytes()
    for path in ("standar_pelayanan.tidak_ada", "inovasi.daftar.nama", "inovasi.daftar[].nama",
                 "standar_pelayanan.ada[0]"):
        result = unit.save_answer(path, "ya", model)
        assert not result.ok
        bilingual(result.error)
    assert unit.manifest_path.read_bytes() == before


def test_a_key_holding_dots_is_one_question(unit: UnitFolder, model) -> None:
    alone = unit.save_answer("penilaian_pengguna.rekap.butir.1.a.K1", "3,4", model)
    assert alone.needs == ("penilaian_pengguna.rekap.responden",)
    assert unit.save_answers({"penilaian_pengguna.rekap.responden": "40",
                              "penilaian_pengguna.rekap.butir.1.a.K1": "3,4"}, model).ok
    assert unit.answers()["penilaian_pengguna"]["rekap"] == {"responden": 40,
                                                             "butir": {"1.a.K1": 3.4}}


def test_a_manifest_broken_by_hand_can_still_be_repaired(unit: UnitFolder, model) -> None:
    text = unit.manifest_path.read_text("utf-8").replace("  tahun: 2024", "  tahun: dua ribu")
    unit.manifest_path.write_text(text, "utf-8")
    assert unit.save_answer("skm.ikm", "82,5", model).ok  # fine in itself: kept
    refused = unit.save_answer("skm.responden", "banyak", model)
    assert not refused.ok and "skm.responden" in refused.error.id
    assert unit.save_answer("periode.tahun", "2024", model).ok
    assert load_manifest(unit.manifest_path).data["skm"] == {"ikm": 82.5}


# --- evidence -----------------------------------------------------------------------------------

def test_a_pdf_is_stored_under_its_digest(unit: UnitFolder, model) -> None:
    result = unit.add_evidence("standar_pelayanan.penetapan.bukti", "SK SP 2024.pdf", PDF,
                               model)
    assert result.ok, result.error
    digest = hashlib.sha256(PDF).hexdigest()
    assert result.sha256 == digest and result.size == len(PDF)
    assert result.stored_name == f"bukti/{digest[:16]}.pdf"
    assert result.content_type == "application/pdf"
    assert (unit.root / result.stored_name).read_bytes() == PDF
    data = load_manifest(unit.manifest_path).data
    assert data["standar_pelayanan"]["penetapan"]["bukti"] == [
        {"berkas": result.stored_name, "sha256": digest, "keterangan": "SK SP 2024.pdf"}]
    assert unit.evidence_file(digest) == unit.root / result.stored_name
    report = unit.report("pekppp")
    assert report["digests"]["evidence"] == {result.stored_name: digest}
    assert not report["findings"]


def test_the_type_comes_from_the_content_not_the_name(unit: UnitFolder, model) -> None:
    png = unit.add_evidence("maklumat.bukti", "maklumat.pdf", PNG, model)
    jpeg = unit.add_evidence("maklumat.bukti", "foto", JPEG, model)
    assert png.stored_name.endswith(".png") and png.content_type == "image/png"
    assert jpeg.stored_name.endswith(".jpg")
    xlsx = (EXAMPLES / "skm-template" / "jawaban-skm.xlsx").read_bytes()
    sheet = unit.add_evidence("skm.bukti", "rekap.csv", xlsx, model)
    assert sheet.ok and sheet.stored_name.endswith(".xlsx")
    csv_utf8 = "nama;nilai\nAndi;4\nRené;3\n".encode()
    csv_1252 = "nama;nilai\nRené;3\n".encode("cp1252")
    assert unit.add_evidence("skm.bukti", "a.pdf", csv_utf8, model).stored_name.endswith(".csv")
    assert unit.add_evidence("skm.bukti", "b", csv_1252, model).stored_name.endswith(".csv")


@pytest.mark.parametrize(("content", "detected"), [
    (b"MZ\x90\x00" + b"\x00" * 60, "EXE"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "ELF"),
    (b"GIF89a" + b"\x00" * 20, "GIF"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "HTML/XML"),
    (b"\x00\x01\x02\x03binary", "biner"),
    ("nama;nilai\nAndi;4\n".encode("utf-16"), "UTF-16"),
    (b"nama;nilai\n\x1b[2Jhapus layar\n", "biner"),
])
def test_other_types_are_refused_whatever_their_name(unit: UnitFolder, model, content: bytes,
                                                     detected: str) -> None:
    before = unit.manifest_path.read_bytes()
    result = unit.add_evidence("maklumat.bukti", "laporan.pdf", content, model)
    assert not result.ok
    assert result.error.id.startswith("jenis berkas tidak diizinkan: terdeteksi ")
    assert "yang diterima: PDF, JPEG, PNG, XLSX, CSV" in result.error.id
    assert "accepted: PDF, JPEG, PNG, XLSX, CSV" in result.error.en
    assert detected in result.error.id
    assert unit.manifest_path.read_bytes() == before
    assert not list((unit.root / "bukti").iterdir())  # nothing kept, no temporary file


def test_a_zip_that_is_not_a_workbook_is_refused(unit: UnitFolder, model) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    result = unit.add_evidence("maklumat.bukti", "x.xlsx", buffer.getvalue(), model)
    assert not result.ok and "DOCX" in result.error.id
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "a")
    result = unit.add_evidence("maklumat.bukti", "x.xlsx", plain.getvalue(), model)
    assert not result.ok and "ZIP" in result.error.id


class Endless(io.RawIOBase):
    """A stream of PDF bytes that never ends, counting what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert 0 < size <= 1 << 20, "read in bounded chunks"
        self.read_bytes += size
        return (b"%PDF-" + b"x" * size)[:size]


def test_the_size_limit_stops_reading(unit: UnitFolder, model, monkeypatch) -> None:
    monkeypatch.setenv("PATUH_WEB_MAX_UPLOAD_BYTES", "100000")
    before = unit.manifest_path.read_bytes()
    stream = Endless()
    result = unit.add_evidence("maklumat.bukti", "besar.pdf", stream, model)
    assert not result.ok and "PATUH_WEB_MAX_UPLOAD_BYTES" in result.error.id
    bilingual(result.error)
    assert stream.read_bytes < 100000 + (1 << 20)
    assert unit.manifest_path.read_bytes() == before
    assert not list((unit.root / "bukti").iterdir())
    assert unit.add_evidence("maklumat.bukti", "kecil.pdf", PDF, model).ok
    assert not unit.add_evidence("maklumat.bukti", "kosong.pdf", b"", model).ok


def test_the_default_limit_is_20_mb() -> None:
    assert store.MAX_UPLOAD_BYTES.value() == 20 * 1024 * 1024


@pytest.mark.parametrize(("name", "kept"), [
    ("C:\\Users\\ana\\Dokumen\\SK SP.pdf", "SK SP.pdf"),
    ("../../etc/passwd", "passwd"),
    ("sk\x1b[31m\u202emerah.pdf", "sk[31mmerah.pdf"),
    ("a" * 300 + ".pdf", "a" * 200),
    ("/", None),
    ("", None),
])
def test_the_original_name_is_sanitised(name: str, kept: str | None) -> None:
    assert sanitise_name(name) == kept


def test_the_same_file_in_many_slots_is_flagged(unit: UnitFolder, model) -> None:
    first = unit.add_evidence("standar_pelayanan.penetapan.bukti", "sk.pdf", PDF, model)
    assert first.ok and first.reused == ()
    again = unit.add_evidence("standar_pelayanan.penetapan.bukti", "sk.pdf", PDF, model)
    assert again.ok and again.already
    second = unit.add_evidence("maklumat.penetapan.bukti", "sk-lagi.pdf", PDF, model)
    assert second.ok and second.reused == ("standar_pelayanan.penetapan.bukti",)
    assert unit.evidence_reuse() == {first.sha256: ["standar_pelayanan.penetapan.bukti",
                                                    "maklumat.penetapan.bukti"]}
    assert len(list((unit.root / "bukti").iterdir())) == 1  # stored once
    unit.remove_evidence("maklumat.penetapan.bukti", first.sha256, model)
    assert unit.evidence_reuse() == {}
    assert (unit.root / first.stored_name).exists()  # still attached elsewhere
    removed = unit.remove_evidence("standar_pelayanan.penetapan.bukti", first.sha256, model)
    assert removed == {"berkas": first.stored_name, "sha256": first.sha256,
                       "keterangan": "sk.pdf"}
    # kept as an earlier version, outside the export
    assert (unit.root / first.stored_name).exists()
    assert first.stored_name not in unit.files()
    assert unit.earlier_versions() == [first.stored_name]
    assert "standar_pelayanan" not in unit.answers()


def test_evidence_on_a_list_item_and_a_data_file(unit: UnitFolder, model) -> None:
    assert unit.save_answers({"inovasi.daftar[0].nama": "Gerai Jempol",
                              "inovasi.daftar[0].tahap": "diterapkan"}, model).ok
    result = unit.add_evidence("inovasi.daftar[0].bukti", "sk-inovasi.pdf", PDF, model)
    assert result.ok, result.error
    assert unit.answers()["inovasi"]["daftar"][0]["bukti"][0]["berkas"] == result.stored_name
    refused = unit.add_evidence("skm.berkas", "jawaban.pdf", PDF, model)
    assert not refused.ok and "CSV" in refused.error.id
    csv = (EXAMPLES / "dpmptsp-kota-harapan" / "skm" / "jawaban-skm-2024.csv").read_bytes()
    data = unit.add_evidence("skm.berkas", "jawaban-skm-2024.csv", csv, model)
    assert data.ok, data.error
    assert unit.answers()["skm"]["berkas"] == data.stored_name
    report = unit.report("skm")
    assert report["score"]["final"] is not None  # the IKM is computed from the stored file
    unit.remove_evidence("skm.berkas", data.sha256, model)
    assert "skm" not in unit.answers()
    assert (unit.root / data.stored_name).exists() and data.stored_name not in unit.files()


def test_an_upload_to_a_question_that_takes_no_file(unit: UnitFolder, model) -> None:
    result = unit.add_evidence("standar_pelayanan.ada", "x.pdf", PDF, model)
    assert not result.ok
    bilingual(result.error)
    assert not unit.add_evidence("tidak.ada.bukti", "x.pdf", PDF, model).ok


def test_a_guessed_digest_serves_nothing(unit: UnitFolder) -> None:
    for guess in ("../manifest.yaml", "*", "0" * 64, "", "a" * 63):
        assert unit.evidence_file(guess) is None


# --- reports, export ----------------------------------------------------------------------------

@pytest.mark.parametrize(("ruleset", "edition"), [("pekppp", None), ("ombudsman", "2022"),
                                                  ("skm", None)])
def test_the_json_report_is_the_commands_byte_for_byte(imported: UnitFolder, run,
                                                       ruleset: str,
                                                       edition: str | None) -> None:
    args = ["check", imported.manifest_path, "--ruleset", ruleset, "--format", "json"]
    args += ["--edition", edition] if edition else []
    result = run(*args)
    assert result.code == 0, result.err
    assert imported.report_json(ruleset, edition) == result.out
    assert json.loads(result.out) == imported.report(ruleset, edition)


def test_the_json_report_bytes_from_a_separate_process(imported: UnitFolder) -> None:
    import subprocess

    out = subprocess.run([sys.executable, "-m", "patuh", "check", str(imported.manifest_path),
                          "--ruleset", "pekppp", "--format", "json"], capture_output=True,
                         check=True).stdout
    assert imported.report_json("pekppp").encode("utf-8") == out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_html_report_is_the_commands(imported: UnitFolder, run, lang: str) -> None:
    result = run("check", imported.manifest_path, "--ruleset", "pekppp", "--format", "html",
                 "--lang", lang)
    assert result.code == 0, result.err
    assert imported.report_html("pekppp", lang=lang) == result.out


def test_the_report_follows_each_save(tmp_path: Path, imported: UnitFolder, model) -> None:
    unit = copy_unit(imported, tmp_path / "u")
    before = unit.report("pekppp")["score"]["final"]
    assert unit.save_answer("standar_pelayanan.ada", "tidak", model).ok
    assert unit.report("pekppp")["score"]["final"] < before
    assert unit.save_answer("standar_pelayanan.ada", "ya", model).ok
    assert unit.report("pekppp")["score"]["final"] == before


def test_a_file_changed_behind_the_cache_shows(tmp_path: Path, imported: UnitFolder) -> None:
    unit = copy_unit(imported, tmp_path / "u")
    assert not unit.report("pekppp")["findings"]
    stored = sorted((unit.root / "bukti").iterdir())[0]
    stored.unlink()
    assert [f["status"] for f in unit.report("pekppp")["findings"]] == ["not_found"]


def test_the_export_is_deterministic_and_checks_the_same(tmp_path: Path, imported: UnitFolder,
                                                         run) -> None:
    first = imported.export_zip()
    assert imported.export_zip() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names) and "manifest.yaml" in names
        assert "skm/jawaban-skm-2024.csv" in names  # data files go along
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())
        assert not [n for n in names if ".patuh-" in n or n.startswith("/") or ".." in n]
        archive.extractall(tmp_path / "export")
    copied = copy_unit(imported, tmp_path / "elsewhere")
    assert copied.export_zip() == first  # the same folder anywhere: the same bytes
    result = run("check", tmp_path / "export" / "manifest.yaml", "--ruleset", "pekppp",
                 "--format", "json")
    assert result.code == 0, result.err
    assert result.out == imported.report_json("pekppp")


# --- import -------------------------------------------------------------------------------------

def without_evidence(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: without_evidence(v) for k, v in data.items() if k != "bukti"}
    if isinstance(data, list):
        return [without_evidence(v) for v in data]
    return data


def evidence_lists(data: Any, path: str = "") -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "bukti":
                found[path] = value
            else:
                found.update(evidence_lists(value, f"{path}.{key}"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.update(evidence_lists(value, f"{path}[{index}]"))
    return found


def same_but_evidence(old, new) -> None:
    """The data equal, except that each evidence file is now its stored copy."""
    assert without_evidence(new.data) == without_evidence(old.data)
    old_lists, new_lists = evidence_lists(old.data), evidence_lists(new.data)
    assert old_lists.keys() == new_lists.keys()
    for where, items in old_lists.items():
        assert len(new_lists[where]) == len(items)
        for before, after in zip(items, new_lists[where], strict=True):
            ref = before.get("berkas") if isinstance(before, dict) else before
            original, _status = (None, "url") if ref is None or ref.startswith("http") \
                else resolve_inside(old.base_dir, ref)
            if original is None:
                assert after == before  # missing: stays as written
                continue
            digest = hashlib.sha256(original.read_bytes()).hexdigest()
            assert after["sha256"] == digest
            assert after["berkas"].startswith(f"bukti/{digest[:16]}.")
            assert (new.base_dir / after["berkas"]).read_bytes() == original.read_bytes()
            assert after["keterangan"] == (before.get("keterangan") if isinstance(before, dict)
                                           and before.get("keterangan") else Path(ref).name)


@pytest.mark.parametrize("example", sorted(UNITS))
def test_every_example_imports_with_the_same_result(tmp_path: Path, example: str) -> None:
    source = EXAMPLES / example
    unit = UnitFolder.import_folder(source, tmp_path / example)
    old, new = load_manifest(source / "manifest.yaml"), load_manifest(unit.manifest_path)
    same_but_evidence(old, new)
    assert unit.manifest_path.read_text("utf-8").startswith("# Manifest bukti dukung patuh")
    from patuh.report import build_report
    from patuh.rulebook import load_ruleset

    for ruleset in UNITS[example]:
        want = build_report(old, load_ruleset(ruleset))
        got = unit.report(ruleset)
        assert got["score"]["final"] == want["score"]["final"], ruleset
        assert got["predicate"] == want["predicate"], ruleset
        assert [r["level"] for r in got["results"]] == [r["level"] for r in want["results"]]
        assert len(got["findings"]) == len(want["findings"])


def test_a_workbook_manifest_imports_as_the_yaml_form(tmp_path: Path, run) -> None:
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES / "dpmptsp-kota-harapan", source)
    result = run("convert", source / "manifest.yaml", source / "manifest.xlsx")
    assert result.code == 0, result.err
    (source / "manifest.yaml").unlink()
    unit = UnitFolder.import_folder(source, tmp_path / "unit")
    assert unit.manifest_path.name == "manifest.yaml"
    old = load_manifest(source / "manifest.xlsx")
    same_but_evidence(old, load_manifest(unit.manifest_path))
    assert unit.report("pekppp")["score"]["final"] == \
        load_report(old)["score"]["final"]


def load_report(manifest) -> dict[str, Any]:
    from patuh.report import build_report
    from patuh.rulebook import load_ruleset

    return build_report(manifest, load_ruleset("pekppp"))


def test_import_keeps_missing_and_outside_references(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "sp").mkdir(parents=True)
    (source / "sp" / "sk.pdf").write_bytes(PDF)
    (tmp_path / "rahasia.pdf").write_bytes(PDF + b"rahasia")
    data = {"schema_version": 1, "unit": {"nama": "Unit Uji"}, "periode": {"tahun": 2024},
            "standar_pelayanan": {"ada": "ya", "bukti": [
                "sp/sk.pdf", "sp/hilang.pdf", "../rahasia.pdf", "https://contoh.go.id/sp",
                {"berkas": "sp/sk.pdf", "keterangan": "SK yang sama"}]}}
    (source / "manifest.yaml").write_text(yaml.safe_dump(data), "utf-8")
    unit = UnitFolder.import_folder(source / "manifest.yaml", tmp_path / "unit")
    items = unit.answers()["standar_pelayanan"]["bukti"]
    assert items[1:4] == ["sp/hilang.pdf", "../rahasia.pdf", "https://contoh.go.id/sp"]
    assert items[0]["keterangan"] == "sk.pdf" and items[4]["keterangan"] == "SK yang sama"
    assert items[0]["berkas"] == items[4]["berkas"]
    assert sorted(p.name for p in (unit.root / "bukti").iterdir()) == [
        Path(items[0]["berkas"]).name]  # the outside file was not copied
    statuses = sorted(f["status"] for f in unit.report("pekppp")["findings"])
    assert statuses == ["not_found", "outside"]


def test_import_refuses_a_bad_source_and_an_existing_unit(tmp_path: Path,
                                                          imported: UnitFolder) -> None:
    with pytest.raises(store.InputError):
        UnitFolder.import_folder(tmp_path, tmp_path / "unit")  # no manifest
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.yaml").write_text("unit: [\n", "utf-8")
    with pytest.raises(store.InputError):
        UnitFolder.import_folder(bad, tmp_path / "unit")
    with pytest.raises(store.InputError):
        UnitFolder.import_folder(EXAMPLES / "dpmptsp-kota-harapan", imported.root)


def test_the_questionnaire_is_built_once(model) -> None:
    assert questionnaire((), date(2024, 12, 31)) is model
    pekppp = questionnaire((("pekppp", "2022"),), date(2024, 12, 31))
    assert pekppp is questionnaire((("pekppp", "2022"),), date(2024, 12, 31))
    assert pekppp.rulesets == (("pekppp", "2022"),)


def test_the_store_imports_no_django() -> None:
    import subprocess

    code = ("import sys, patuh.plugins.web.store; "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    source = (ROOT / "plugins" / "web" / "store.py").read_text("utf-8")
    assert "django" not in source.lower().replace("no django", "")


def test_a_save_hashes_no_evidence_file_again(tmp_path: Path, imported: UnitFolder, model,
                                              monkeypatch) -> None:
    from patuh import evidence

    unit = copy_unit(imported, tmp_path / "u")
    first = unit.report("pekppp")
    hashed: list[Path] = []
    real = evidence._sha256
    monkeypatch.setattr(evidence, "_sha256", lambda f: hashed.append(f) or real(f))
    assert unit.save_answer("standar_pelayanan.peninjauan.dilakukan", "tidak", model).ok
    assert unit.report("pekppp")["digests"]["evidence"] == first["digests"]["evidence"]
    assert hashed == []
    # a file replaced behind the platform's back is hashed again and its digest checked
    stored = unit.root / next(iter(first["digests"]["evidence"]))
    stored.write_bytes(stored.read_bytes() + b"diubah")
    assert unit.save_answer("standar_pelayanan.peninjauan.dilakukan", "ya", model).ok
    findings = unit.report("pekppp")["findings"]
    assert hashed == [stored.resolve()]
    assert [f["status"] for f in findings] == ["digest_mismatch"]


def test_a_failed_import_leaves_no_half_unit(tmp_path: Path, monkeypatch) -> None:
    def full_disk(target: Path, root: Path) -> tuple[str, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_store_copy", full_disk)
    with pytest.raises(OSError):
        UnitFolder.import_folder(EXAMPLES / "dpmptsp-kota-harapan", tmp_path / "unit")
    assert not (tmp_path / "unit").exists()


@pytest.mark.parametrize(("path", "typed", "parses"), [
    ("standar_pelayanan.monev.tanggal", "2024-07-10", 1),  # canonical already
    ("standar_pelayanan.monev.tanggal", "10/07/2024", 1),  # read in memory, then written
    ("standar_pelayanan.ada", "tidak", 1),
    ("standar_pelayanan.ada", "", 1),  # cleared
])
def test_a_save_parses_the_manifest_again_only_when_it_must(
        tmp_path: Path, imported: UnitFolder, model, run, monkeypatch, path: str, typed: str,
        parses: int) -> None:
    """The typed value is read in memory, the canonical form validated once and that manifest
    kept as the written file's (a second parse of the same bytes would give the same): the
    report is still the command's, byte for byte, and names the real file."""
    unit = copy_unit(imported, tmp_path / "u")
    unit.report("pekppp")
    loads: list[Path] = []

    def counting(file: Path):
        loads.append(file)
        return load_manifest(file)

    monkeypatch.setattr(store, "load_manifest", counting)
    saved = unit.save_answer(path, typed, model)
    assert saved.ok
    if typed == "10/07/2024":  # how it was read is still told
        assert [(r.reading.raw, r.value) for r in saved.readings] == [(typed, "2024-07-10")]
    served = unit.report_json("pekppp")
    assert len(loads) == parses
    kept, fresh = unit.manifest(), load_manifest(unit.manifest_path)
    assert (kept.file, kept.data, kept.readings) == (fresh.file, fresh.data, fresh.readings)
    assert vars(kept.document) == vars(fresh.document)  # lines, raw numbers, file
    assert unit.manifest().file == unit.manifest_path
    assert unit.manifest().document.file == unit.manifest_path
    result = run("check", unit.manifest_path, "--ruleset", "pekppp", "--format", "json")
    assert served == result.out
    data = json.loads(served)
    assert data["manifest"]["file"] == "manifest.yaml"


TYPED = {  # what people type, per kind: habits, edge cases and refusals
    "yes_no": ["ya", "tidak", "Ya ", "1", "0", "yes", "true", "sudah", "mungkin", ""],
    "date": ["31/10/2024", "2024-10-31", "05/03/2024", "3 Maret 2024", "31/02/2024",
             "2024-10-31 08:00", "45000", "kemarin", ""],
    "number": ["82,5", "82.5", "1.234", "0,5", "100", "120", "-3", "9.870", "abc", ""],
    "integer": ["12", "9.870", "1.234.567", "12,5", "12.0", "x", ""],
    "text": ["Catatan: ya", "2024-10-31", "yes", "  spasi  ", "'kutip'", "#1", ""],
    "choice": ["x-tidak-ada", ""],
    "texts": ["satu\ndua", "", "ya"],
}


def test_the_one_parse_save_writes_what_the_long_way_wrote(tmp_path: Path,
                                                           imported: UnitFolder, model,
                                                           monkeypatch) -> None:
    """Every kind of question with what people type: the save that reads the typed value in
    memory writes the same bytes and tells the same readings and refusals as the save that
    loads the typed form first (the long way, still taken when the fast one declines)."""
    fast = copy_unit(imported, tmp_path / "fast")
    slow = copy_unit(imported, tmp_path / "slow")
    seen: dict[str, int] = {}
    quick: list[bool] = []
    canonical = UnitFolder._commit_canonical

    def counted(self, *args):
        done = canonical(self, *args)
        quick.append(done is not None)
        return done

    monkeypatch.setattr(UnitFolder, "_commit_canonical", counted)
    for question in model.questions.values():
        if question.group or "[" in question.path or question.kind not in TYPED \
                or seen.get(question.kind, 0) >= 1:
            continue
        seen[question.kind] = seen.get(question.kind, 0) + 1
        typed = list(TYPED[question.kind])
        typed += [c.code for c in question.choices][:2]
        for value in typed:
            one = fast.save_answer(question.path, value, model)
            with monkeypatch.context() as patched:
                patched.setattr(UnitFolder, "_commit_canonical", lambda *a: None)
                two = slow.save_answer(question.path, value, model)
            where = (question.path, value)
            assert (one.ok, one.error, one.after, one.before) == \
                (two.ok, two.error, two.after, two.before), where
            assert [(r.path, r.reading.raw, r.reading.value, r.value) for r in one.readings] \
                == [(r.path, r.reading.raw, r.reading.value, r.value) for r in two.readings], \
                where
            assert fast.manifest_path.read_bytes() == slow.manifest_path.read_bytes(), where
    assert set(seen) >= {"yes_no", "date", "number", "text", "choice"}
    assert sum(quick) > len(quick) / 2  # most saves took one parse


def test_a_stored_file_is_hashed_again_only_when_it_changed(tmp_path: Path,
                                                            monkeypatch) -> None:
    from patuh.plugins import tables

    path = tmp_path / "skm.csv"
    path.write_bytes(b"a;b\n1;2\n")
    hashed: list[Path] = []
    plain = tables.sha256
    monkeypatch.setattr(tables, "sha256", lambda p: hashed.append(p) or plain(p))
    first = store.file_digest(path)
    assert first == hashlib.sha256(b"a;b\n1;2\n").hexdigest()
    assert store.file_digest(path) == first and len(hashed) == 1
    path.write_bytes(b"a;b\n1;3\n")  # same size, other bytes
    assert store.file_digest(path) == hashlib.sha256(b"a;b\n1;3\n").hexdigest()
    assert len(hashed) == 2
