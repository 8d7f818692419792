"""Hostile paths, data files and workbooks: a finding or exit 2 with a message naming the file,
row or column — never exit 3, never a traceback, never an input changed, never unbounded time
or memory (the limits on data files are small here through their environment variables)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_skm import skm_json
from test_skm import write
from xlsxkit import sheet_xml
from xlsxkit import write_xlsx

ROOT = Path(__file__).resolve().parents[1]
UNSUR = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
# ten respondents: nine answer 4 everywhere, one answers 3: IKM 97.50
ANSWERS = [[4] * 9 for _ in range(9)] + [[3] * 9]


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file below ``folder`` with its digest (symlinks by their target)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path)] = "-> " + os.readlink(path)
        elif path.is_file():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def assert_input_error(result, *needles: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert result.out == "", "no report may be printed for bad input"
    assert "Traceback" not in result.err
    assert "internal error" not in result.err and "kesalahan internal" not in result.err
    assert result.err.startswith("patuh: "), result.err
    for needle in needles:
        assert needle in result.err, f"{needle!r} not in:\n{result.err[:2000]}"


def check_json(run, manifest: Path, *options: str) -> dict:
    result = run("check", manifest, "--format", "json", *options)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return json.loads(result.out)


# --- paths ----------------------------------------------------------------------------------

def _loop(unit: Path) -> str:
    unit.mkdir(parents=True, exist_ok=True)
    (unit / "putar-a.pdf").symlink_to("putar-b.pdf")
    (unit / "putar-b.pdf").symlink_to("putar-a.pdf")
    return "putar-a.pdf"


EVIDENCE_REFS = {
    "nul_byte": lambda unit: "sp\0.pdf",
    "component_5000": lambda unit: "a" * 5000 + ".pdf",
    "path_100000": lambda unit: "ab/" * 33_333 + "sp.pdf",
    "symlink_loop": _loop,
}


@pytest.mark.parametrize("kind", EVIDENCE_REFS)
def test_unreadable_evidence_is_a_finding(kind: str, tmp_path: Path, write_manifest,
                                          run) -> None:
    ref = EVIDENCE_REFS[kind](tmp_path / "unit")
    manifest = write_manifest({"standar_pelayanan": {"ada": True, "bukti": [ref, "sp.pdf"]}},
                              files=("sp.pdf",))
    before = snapshot(manifest.parent)
    report = check_json(run, manifest)
    assert [(f["ref"], f["status"]) for f in report["findings"]] == [(ref, "unreadable")]
    assert "cannot be read" in report["findings"][0]["message"]["en"]
    result = next(r for r in report["results"] if r["rule_id"] == "pekppp.1.a.Ak")
    assert result["level"] >= 1  # the good file beside it still counts
    html = run("check", manifest, "--format", "html")
    assert html.code == 0 and "tidak dapat dibaca" in html.out
    assert snapshot(manifest.parent) == before


DATA_SECTIONS = {
    "skm": lambda ref: {"skm": {"berkas": ref}},
    "complaint_log": lambda ref: {"pengaduan": {"log": {"berkas": ref}}},
    "f03": lambda ref: {"penilaian_pengguna": {"berkas": ref}},
    "interviews": lambda ref: {"wawancara_pengguna": {"berkas": ref}},
}
JSON_PATHS = {"skm": "skm.berkas", "complaint_log": "pengaduan.log.berkas",
              "f03": "penilaian_pengguna.berkas", "interviews": "wawancara_pengguna.berkas"}


@pytest.mark.parametrize("section", DATA_SECTIONS)
@pytest.mark.parametrize(("kind", "why"), [
    ("nul_byte", "NUL byte"), ("component_5000", "too long"),
    ("path_100000", "too long"), ("symlink_loop", "symbolic link loop")])
def test_unreadable_data_file_is_exit_2_naming_it(section: str, kind: str, why: str,
                                                  tmp_path: Path, write_manifest, run) -> None:
    ref = EVIDENCE_REFS[kind](tmp_path / "unit")
    manifest = write_manifest(DATA_SECTIONS[section](ref))
    before = snapshot(manifest.parent)
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, JSON_PATHS[section], "the file cannot be read", why)
    assert len(result.err) < 2000  # a 100,000-character name is shortened
    assert snapshot(manifest.parent) == before


# permissions: root reads any file, so the check runs as an unprivileged user (nobody) where
# the tests run as root; it is skipped when no Python can run patuh as that user (e.g. the
# virtual environment's interpreter lives in root's private home)

def _unprivileged() -> dict:
    if os.geteuid() != 0:
        return {}
    return {"preexec_fn": lambda: (os.setgid(65534), os.setuid(65534))}


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A folder an unprivileged user can enter (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="patuh-perm-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


LAUNCH = ("import site, sys; site.addsitedir(sys.argv.pop(1)); sys.argv[0] = 'patuh'; "
          "from patuh.cli import run; run()")


def _interpreters() -> list[str]:
    """This Python, and the system's of the same version (the virtual environment's packages
    are added as a site folder)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    found = [sys.executable]
    for folder in ("/usr/bin", "/usr/local/bin"):
        if os.access(Path(folder, version), os.X_OK):
            found.append(str(Path(folder, version)))
    return found


def patuh_as_user(python: str, *argv: str | Path) -> subprocess.CompletedProcess[str]:
    import patuh

    site_dir = next(p for p in sys.path if p.endswith("site-packages") and
                    Path(p, "pluggy").exists())
    env = {**os.environ, "PATUH_NO_CACHE": "1", "PATUH_LANG": "en", "HOME": "/nonexistent",
           "PYTHONPATH": str(Path(patuh.__file__).resolve().parents[1])}
    return subprocess.run([python, "-c", LAUNCH, site_dir, *map(str, argv)], env=env,
                          capture_output=True, text=True, timeout=120, cwd="/",
                          **_unprivileged())


def _python_for_user() -> str | None:
    for python in _interpreters():
        try:
            if patuh_as_user(python, "--version").returncode == 0:
                return python
        except OSError:
            continue
    return None


def test_unreadable_files_and_folders(public_tmp: Path) -> None:
    """Evidence without read permission, or in a folder that cannot be entered, is a finding;
    a data file without read permission is exit 2 naming it; a batch folder that cannot be
    read is exit 2 naming it (a unit is never skipped silently)."""
    python = _python_for_user()
    if python is None:
        pytest.skip("no Python here runs patuh as an unprivileged user")
    unit = public_tmp / "unit"
    (unit / "tertutup").mkdir(parents=True)
    for name in ("sp.pdf", "rahasia.pdf", "tertutup/dalam.pdf"):
        (unit / name).write_bytes(b"bukti\n")
    (unit / "log.csv").write_text("nomor,tanggal_diterima\nA1,2024-01-02\n", "utf-8")
    manifest = unit / "manifest.yaml"
    manifest.write_text(
        "schema_version: 1\nunit: {nama: Unit Uji}\nperiode: {tahun: 2024}\n"
        "standar_pelayanan:\n  ada: true\n  bukti: [sp.pdf, rahasia.pdf, tertutup/dalam.pdf]\n",
        "utf-8")
    (unit / "rahasia.pdf").chmod(0o000)
    (unit / "tertutup").chmod(0o000)
    before = snapshot(unit)

    result = patuh_as_user(python, "check", manifest, "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["ref"], f["status"]) for f in findings) == [
        ("rahasia.pdf", "unreadable"), ("tertutup/dalam.pdf", "unreadable")]

    with manifest.open("a", encoding="utf-8") as handle:
        handle.write("pengaduan:\n  log:\n    berkas: log.csv\n")
    (unit / "log.csv").chmod(0o000)
    result = patuh_as_user(python, "check", manifest)
    assert result.returncode == 2, result.stderr
    assert "log.csv" in result.stderr and "Permission denied" in result.stderr
    assert "Traceback" not in result.stderr

    result = patuh_as_user(python, "batch", public_tmp, "--workers", "1")
    assert result.returncode == 2, result.stderr
    assert "tertutup" in result.stderr and "cannot read the folder" in result.stderr
    assert "Traceback" not in result.stderr
    (unit / "log.csv").chmod(0o644)
    (unit / "rahasia.pdf").chmod(0o644)
    (unit / "tertutup").chmod(0o755)
    del before[str(manifest)]  # appended to above
    after = snapshot(unit)
    del after[str(manifest)]
    assert after == before


# --- data files: cells ----------------------------------------------------------------------

def skm_csv(rows: list[list], header: list[str] = UNSUR, extra: str = "") -> str:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return "\n".join(lines) + "\n" + extra




BIG_CELL = '"' + "x" * 140_000 + '"'  # over the csv module's 131,072 characters

DATA_FILES = {  # section: (file name, a valid header and row, the column to spoil)
    "skm": ("jawaban.csv", "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,{}\n"),
    "complaint_log": ("log.csv", "nomor,tanggal_diterima,keterangan\nA1,2024-01-02,{}\n"),
    "f03": ("f03.csv", "responden,1.a.K1,2.a.K1\nR1,4,{}\n"),
    "interviews": ("wawancara.csv", "responden,penundaan,imbalan\nR1,tidak,{}\n"),
}


@pytest.mark.parametrize("section", DATA_FILES)
def test_a_cell_over_the_csv_field_limit(section: str, write_manifest, run) -> None:
    name, template = DATA_FILES[section]
    manifest = write_manifest(DATA_SECTIONS[section](name))
    write(manifest.parent / name, template.format(BIG_CELL))
    before = snapshot(manifest.parent)
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, f"{name}:2", "a cell longer than 131,072 characters")
    assert snapshot(manifest.parent) == before


@pytest.mark.parametrize("cell", ["4\u00b2", "\u00b3", "\u0663", "4" * 5000, "NaN", "Infinity",
                                  "-inf", "1e999999999", "4.0e0", "0x4"])
def test_odd_numbers_in_answers(cell: str, tmp_path: Path, run, write_manifest) -> None:
    """Superscript and Arabic-Indic digits (which str.isdigit or int() accept), thousands of
    digits, NaN and infinities: an SKM row left out and listed; an F-03 cell is exit 2."""
    file = write(tmp_path / "jawaban.csv", skm_csv([*ANSWERS, [cell] + [4] * 8]))
    report = skm_json(run, file)
    assert report["respondents"] == 10 and report["ikm"] == 97.5
    assert [(e["line"], e["problems"][0]["column"]) for e in report["excluded"]] == [(12, "U1")]

    manifest = write_manifest(DATA_SECTIONS["f03"]("f03.csv"))
    write(manifest.parent / "f03.csv", f"responden,1.a.K1\nR1,4\nR2,{cell}\n")
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, "f03.csv:3", "[1.a.K1]", "is not a whole number 0–5")


@pytest.mark.parametrize("age", ["2\u00b2", "9" * 5000, "\u0664\u0665", "NaN"])
def test_odd_ages_are_kept_as_text(age: str, tmp_path: Path, run) -> None:
    header = [*UNSUR, "umur"]
    rows = [[*row, 30 + i] for i, row in enumerate(ANSWERS)]
    rows[0][-1] = age
    report = skm_json(run, write(tmp_path / "jawaban.csv", skm_csv(rows, header)))
    assert report["ikm"] == 97.5
    umur = report["profile"]["umur"]
    assert "median" not in umur and umur[age] == 1  # counted as given, not as a number


def test_complaint_dates_at_the_end_of_the_calendar(write_manifest, run) -> None:
    """Deadlines past 9999-12-31 saturate there: it has not passed on any date a unit gives."""
    manifest = write_manifest(DATA_SECTIONS["complaint_log"]("log.csv"))
    write(manifest.parent / "log.csv",
          "nomor,tanggal_diterima,tanggal_tanda_terima,tanggal_lengkap,tanggal_tanggapan,"
          "tanggal_keputusan,tanggal_pemberitahuan\n"
          "A1,9999-12-30,,9999-12-30,,,\n"
          "A2,9999-12-31,9999-12-31,9999-12-31,9999-12-31,9999-12-31,9999-12-31\n"
          "A3,0001-01-01,,0001-01-01,,,\n")
    before = snapshot(manifest.parent)
    for as_of in ("2100-12-31", "2024-12-31"):  # the latest evaluation date there may be
        report = check_json(run, manifest, "--ruleset", "uu25", "--as-of", as_of)
        assert report["evaluated_on"] == as_of
    report = check_json(run, manifest, "--ruleset", "pekppp", "--as-of", "2100-12-31")
    assert report["evaluated_on"] == "2100-12-31"
    assert snapshot(manifest.parent) == before


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "1999-12-31", "0001-01-01"])
def test_an_evaluation_date_outside_the_manifest_years_is_a_typo(write_manifest, run,
                                                                 day: str) -> None:
    manifest = write_manifest()
    assert_input_error(run("check", manifest, "--as-of", day, "--lang", "en"),
                       f"--as-of: the evaluation date {day} is outside 2000-01-01–2100-12-31")
    dated = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": day}})
    assert_input_error(run("check", dated, "--lang", "en"),
                       f"{dated}:", "periode.tanggal_penilaian", "is outside")


def test_reversed_period_for_skm(tmp_path: Path, run) -> None:
    file = write(tmp_path / "jawaban.csv", skm_csv(ANSWERS))
    assert_input_error(run("skm", file, "--from", "2025-01-01", "--to", "2024-01-01",
                           "--lang", "en"), "--to 2024-01-01 is before --from 2025-01-01")
    report = skm_json(run, file, "--from", "2024-01-01", "--to", "2024-01-01")
    assert report["period"]["from"] == report["period"]["to"] == "2024-01-01"


# --- data files: size ----------------------------------------------------------------------

@pytest.mark.parametrize("section", DATA_FILES)
def test_a_huge_sparse_file_is_refused_by_size(section: str, write_manifest, run) -> None:
    name, _ = DATA_FILES[section]
    manifest = write_manifest(DATA_SECTIONS[section](name))
    with (manifest.parent / name).open("wb") as handle:
        handle.truncate(4 << 30)  # 4 GiB of holes: nothing is written to disk
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, name, "exceeds the limit of 67,108,864 bytes",
                       "4,294,967,296 bytes", "PATUH_MAX_DATA_BYTES=4294967297")
    assert (manifest.parent / name).stat().st_size == 4 << 30


@pytest.mark.parametrize("section", DATA_FILES)
def test_row_and_column_limits_name_their_variable(section: str, write_manifest, run,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    name, template = DATA_FILES[section]
    manifest = write_manifest(DATA_SECTIONS[section](name))
    header, row = template.format("4" if section != "interviews" else "ya").splitlines()
    write(manifest.parent / name, "\n".join([header] + [row] * 4) + "\n")
    assert run("check", manifest).code == 0
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "3")
    assert_input_error(run("check", manifest, "--lang", "en"), f"{name}:5",
                       "exceeds the limit of 3 rows", "PATUH_MAX_DATA_ROWS=")
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "4")
    monkeypatch.setenv("PATUH_MAX_DATA_COLUMNS", "2")
    assert_input_error(run("check", manifest, "--lang", "en"), f"{name}:1",
                       "exceeds the limit of 2 columns", "PATUH_MAX_DATA_COLUMNS=")
    monkeypatch.setenv("PATUH_MAX_DATA_COLUMNS", "sepuluh")
    assert_input_error(run("check", manifest, "--lang", "en"),
                       "PATUH_MAX_DATA_COLUMNS='sepuluh' is not a positive whole number")


def test_limits_for_patuh_skm_and_the_indonesian_message(tmp_path: Path, run,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    file = write(tmp_path / "jawaban.csv", skm_csv(ANSWERS * 100))
    size = file.stat().st_size
    assert size > 1000
    monkeypatch.setenv("PATUH_MAX_DATA_BYTES", "1000")
    result = run("skm", file)
    assert_input_error(result, "jawaban.csv",
                       f"melebihi batas 1.000 bita ({size // 1000}.{size % 1000:03d} bita)",
                       f"PATUH_MAX_DATA_BYTES={size + 1}")


@pytest.mark.parametrize(("text", "message"), [
    (",".join(UNSUR) + '\n"' + "4,\n" * 400_000,  # an unclosed quote swallowing the rest
     "an unclosed quote at line 2"),
    (",".join(UNSUR) + "\n" + '"4",' * 300_000 + "\n",  # a row of 300,000 cells
     "a row longer than 1,048,576 characters"),
    ("," * 3_000_000 + "\n", "a row longer than 1,048,576 characters"),  # a header of commas
])
def test_a_row_too_long(text: str, message: str, tmp_path: Path, run) -> None:
    file = write(tmp_path / "jawaban.csv", text)
    assert_input_error(run("skm", file, "--lang", "en"), "jawaban.csv:", message)


def test_line_ends_inside_and_between_rows_read_alike(tmp_path: Path, run,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunked reading keeps CRLF, bare CR and LF rows (and a CR at a chunk's edge) apart; a
    line end inside a quoted cell is read as one. (More rows than the default limit: raised.)"""
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "40000")
    rows = [",".join(map(str, row)) + f',"Layanan{{NL}}{i % 2}"'
            for i, row in enumerate(ANSWERS * 4000)]
    results = []
    for number, end in enumerate(("\n", "\r\n", "\r")):
        text = end.join([",".join(UNSUR) + ",layanan", *rows]) + end
        file = write(tmp_path / f"jawaban-{number}.csv", text.replace("{NL}", end))
        assert file.stat().st_size > 1 << 20  # more than one chunk
        results.append(skm_json(run, file))
    assert {r["respondents"] for r in results} == {40_000}
    assert results[0]["layanan"] == results[1]["layanan"] == results[2]["layanan"]
    assert [x["layanan"] for x in results[0]["layanan"]] == ["Layanan\n0", "Layanan\n1"]


# --- workbooks ------------------------------------------------------------------------------

def workbook(path: Path, **sheet: object) -> Path:
    return write_xlsx(path, [sheet_xml([UNSUR, *ANSWERS], **sheet)])


@pytest.mark.parametrize("sheet", [
    {},
    {"dimension": "A1:I4"},  # stale: read-only mode would stop at row 4 (3 respondents)
    {"dimension": "A1:XFD1048576"},  # would pad a million rows of 16,384 cells
    {"body": '<row r="1048576"><c r="XFD1048576"><v>4</v></c></row>'},  # a far stray cell
])
def test_a_workbook_is_read_as_it_is(sheet: dict, tmp_path: Path, run) -> None:
    file = workbook(tmp_path / "jawaban.xlsx", **sheet)
    report = skm_json(run, file)
    assert (report["respondents"], report["ikm"]) == (10, 97.5)


def test_a_stale_dimension_in_a_manifest(write_manifest, run) -> None:
    manifest = write_manifest({"skm": {"berkas": "jawaban.xlsx", "populasi": 10}})
    workbook(manifest.parent / "jawaban.xlsx", dimension="A1:I4")
    report = check_json(run, manifest, "--ruleset", "skm")
    assert report["score"]["final"] == 97.5


XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                    for i in range(9)) + "]>")


@pytest.mark.parametrize("prolog", ["xxe", "laughs"])
def test_workbook_entities_are_refused(prolog: str, tmp_path: Path, run) -> None:
    secret = write(tmp_path / "rahasia.txt", "kata-sandi-rahasia\n")
    entity = "&xxe;" if prolog == "xxe" else "&j;"
    xml = sheet_xml([UNSUR, [entity] + [4] * 8, *ANSWERS],
                    prolog=XXE.format(secret=secret) if prolog == "xxe" else LAUGHS)
    file = write_xlsx(tmp_path / "jawaban.xlsx", [xml])
    result = run("skm", file, "--lang", "en")
    assert_input_error(result, "jawaban.xlsx", "the XLSX file cannot be read")
    assert "kata-sandi" not in result.err


def test_a_workbook_without_sheets(tmp_path: Path, run) -> None:
    file = write_xlsx(tmp_path / "kosong.xlsx", [])
    assert_input_error(run("skm", file, "--lang", "en"), "kosong.xlsx",
                       "the workbook has no worksheet")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, run,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The sizes the zip's directory declares are checked first (reading never goes past
    them); the limit is small here, the same check refuses a 2.5 GB bomb by default."""
    xml = sheet_xml([UNSUR, *ANSWERS], body=" " * 3_000_000)
    file = write_xlsx(tmp_path / "bom.xlsx", [xml], level=9)
    assert file.stat().st_size < 100_000
    assert skm_json(run, file)["ikm"] == 97.5  # within the default limit: read
    monkeypatch.setenv("PATUH_MAX_WORKBOOK_BYTES", "1000000")
    assert_input_error(run("skm", file, "--lang", "en"), "bom.xlsx",
                       "exceeds the limit of 1,000,000 bytes", "bytes unpacked",
                       "PATUH_MAX_WORKBOOK_BYTES=")


def test_a_big_workbook_is_refused_by_default(tmp_path: Path, run) -> None:
    """60 MB of empty cells (or shared strings) would take about 20 s to parse."""
    xml = sheet_xml([UNSUR, *ANSWERS], body=" " * 13_000_000)
    file = write_xlsx(tmp_path / "besar.xlsx", [xml], level=9)
    assert_input_error(run("skm", file, "--lang", "en"), "besar.xlsx",
                       "exceeds the limit of 12,582,912 bytes", "PATUH_MAX_WORKBOOK_BYTES=")


def test_workbook_row_and_column_limits(tmp_path: Path, run,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    file = workbook(tmp_path / "jawaban.xlsx")
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "9")
    assert_input_error(run("skm", file, "--lang", "en"), "jawaban.xlsx:11",
                       "exceeds the limit of 9 rows", "PATUH_MAX_DATA_ROWS=")
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "10")
    monkeypatch.setenv("PATUH_MAX_DATA_COLUMNS", "8")
    assert_input_error(run("skm", file, "--lang", "en"), "jawaban.xlsx:1",
                       "exceeds the limit of 8 columns", "PATUH_MAX_DATA_COLUMNS=")


@pytest.mark.parametrize("argv", [
    ("skm", "{long}.csv"), ("batch", "{long}"), ("check", "{long}.yaml"),
    ("check", "{deep}manifest.yaml"), ("history", "unit", "--store", "{long}.sqlite"),
])
def test_command_line_paths_too_long(argv: tuple[str, ...], tmp_path: Path, run) -> None:
    values = {"long": str(tmp_path / ("a" * 5000)), "deep": str(tmp_path) + "/a" * 3000 + "/"}
    result = run(*(arg.format(**values) for arg in argv), "--lang", "en")
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert result.err.startswith("patuh: ")


# --- evidence too large to hash -------------------------------------------------------------

def test_evidence_over_the_hashing_limit_is_a_finding_and_still_counts(
        write_manifest, run, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = write_manifest({"standar_pelayanan": {"ada": True, "bukti": ["sp.pdf"]}},
                              files=("sp.pdf",))
    with (manifest.parent / "sp.pdf").open("r+b") as handle:
        handle.truncate(64 << 20)  # holes: nothing is written to disk
    monkeypatch.setenv("PATUH_MAX_EVIDENCE_BYTES", "4096")
    report = check_json(run, manifest)
    assert [(f["ref"], f["status"]) for f in report["findings"]] == [("sp.pdf", "too_large")]
    assert "too large to hash" in report["findings"][0]["message"]["en"]
    assert "digest not recorded" in report["findings"][0]["message"]["en"]
    result = next(r for r in report["results"] if r["rule_id"] == "pekppp.1.a.Ak")
    assert result["level"] >= 1  # it still counts as evidence
    text = run("check", manifest, "--lang", "en")
    assert text.code == 0 and "too large to hash" in text.out
    html = run("check", manifest, "--format", "html")
    assert html.code == 0 and "terlalu besar untuk di-hash" in html.out
    # under the limit it is hashed as before; a total per manifest limits the sum
    monkeypatch.setenv("PATUH_MAX_EVIDENCE_BYTES", str(128 << 20))
    monkeypatch.setenv("PATUH_MAX_EVIDENCE_TOTAL_BYTES", "4096")
    report = check_json(run, manifest)
    assert [f["status"] for f in report["findings"]] == ["too_large"]
    monkeypatch.setenv("PATUH_MAX_EVIDENCE_BYTES", "sepuluh")
    assert_input_error(run("check", manifest, "--lang", "en"),
                       "PATUH_MAX_EVIDENCE_BYTES='sepuluh' is not a positive whole number")
    assert (manifest.parent / "sp.pdf").stat().st_size == 64 << 20


# --- data files that yield nothing, or lose a column, must not pass silently ----------------

SPOILED = {  # section: (file name, header, a good row, the same row with every answer blank)
    "skm": ("jawaban.csv", "no,U1,U2,U3,U4,U5,U6,U7,U8,U9", "1,4,4,4,4,4,4,4,4,3",
            "1,,,,,,,,,"),
    "f03": ("f03.csv", "responden,1.a.K1,2.a.K1", "R1,4,5", "R1,,"),
    "interviews": ("wawancara.csv", "responden,penundaan,imbalan", "R1,tidak,ya", "R1,,"),
    "complaint_log": ("log.csv", "nomor,tanggal_diterima,keterangan", "A1,2024-01-02,x",
                      "A1,,x"),
}


def _spoil(section: str, write_manifest, lines: list[str]) -> tuple[Path, str]:
    name = SPOILED[section][0]
    manifest = write_manifest(DATA_SECTIONS[section](name))
    write(manifest.parent / name, "\n".join(lines) + "\n")
    return manifest, name


@pytest.mark.parametrize("section", SPOILED)
def test_an_unclosed_quote_names_its_line(section: str, write_manifest, run) -> None:
    """One stray quote swallowed all the rows below it into one cell: F-03 then had no data
    and the score went up."""
    _, header, good, _ = SPOILED[section]
    manifest, name = _spoil(section, write_manifest,
                            [header, good, '"' + good] + [good] * 1000)
    assert_input_error(run("check", manifest, "--lang", "en"), f"{name}:3",
                       "an unclosed quote at line 3")
    assert_input_error(run("check", manifest), "tanda petik tidak ditutup di baris 3")
    # over the row limit the same quote is named too
    manifest, name = _spoil(section, write_manifest,
                            [header, '"' + good] + ["x" * 1000] * 1100)
    assert_input_error(run("check", manifest, "--lang", "en"), "an unclosed quote at line 2")


@pytest.mark.parametrize("section", ["skm", "f03", "interviews"])
def test_no_usable_answer_is_exit_2_with_its_cause(section: str, write_manifest, run) -> None:
    _, header, good, blank = SPOILED[section]
    manifest, name = _spoil(section, write_manifest, [header] + [blank] * 5)
    assert_input_error(run("check", manifest, "--lang", "en"), name, "every answer cell is empty")
    mixed = [header.replace(",", ";")] + [good] * 5
    manifest, name = _spoil(section, write_manifest, mixed)
    assert_input_error(run("check", manifest, "--lang", "en"), name,
                       "the header row is separated by ';' but line 2 by ','")


def test_a_mixed_delimiter_in_the_complaint_log_says_so(write_manifest, run) -> None:
    _, header, good, _ = SPOILED["complaint_log"]
    manifest, name = _spoil("complaint_log", write_manifest,
                            [header.replace(",", ";"), good])
    assert_input_error(run("check", manifest, "--lang", "en"), f"{name}:2",
                       "separated by ';' but line 2 by ','")


@pytest.mark.parametrize("section", SPOILED)
def test_a_duplicated_column_is_refused_naming_both_positions(section: str, write_manifest,
                                                              run) -> None:
    _, header, good, _ = SPOILED[section]
    first = header.split(",")[1]
    manifest, name = _spoil(section, write_manifest,
                            [f"{header},{first}", f"{good},{good.split(',')[1]}"])
    count = len(header.split(",")) + 1
    assert_input_error(run("check", manifest, "--lang", "en"), f"{name}:1",
                       f"column {first!r} appears more than once (columns 2, {count})")


def test_skm_duplicated_unsur_in_csv_and_workbook(tmp_path: Path, run) -> None:
    """`patuh skm` took U1's NRR from the second U1 column only."""
    header = [*UNSUR, "u1"]
    csv_file = write(tmp_path / "jawaban.csv", skm_csv([[*row, 1] for row in ANSWERS], header))
    assert_input_error(run("skm", csv_file, "--lang", "en"), "jawaban.csv:1",
                       "column 'U1' appears more than once (columns 1, 10)")
    book = write_xlsx(tmp_path / "jawaban.xlsx",
                      [sheet_xml([header] + [[*row, 1] for row in ANSWERS])])
    assert_input_error(run("skm", book, "--lang", "en"), "jawaban.xlsx:1",
                       "column 'U1' appears more than once (columns 1, 10)")


# --- a data file and its aggregates together -----------------------------------------------

@pytest.mark.parametrize(("section", "rekap"), [
    ("penilaian_pengguna", {"responden": 12, "butir": {"1.a.K1": 4.5}}),
    ("wawancara_pengguna", {"responden": 30, "tanpa_maladministrasi_persen": 82.5}),
])
def test_berkas_and_rekap_together_are_refused(section: str, rekap: dict, write_manifest,
                                               run) -> None:
    """The file was used and the aggregates ignored without a word."""
    manifest = write_manifest({section: {"rekap": rekap}})
    assert run("check", manifest).code == 0  # the aggregates alone keep working
    manifest = write_manifest({section: {"berkas": "data.csv", "rekap": rekap}})
    write(manifest.parent / "data.csv", "responden,1.a.K1\nR1,4\n")
    assert_input_error(run("check", manifest, "--lang", "en"), "manifest.yaml:",
                       f": {section}: ", "give only one of berkas or rekap, not both")
    assert_input_error(run("check", manifest), "berikan salah satu saja: berkas atau rekap")


# --- files that are not CSV text, each said as it is ---------------------------------------

@pytest.mark.parametrize("section", SPOILED)
@pytest.mark.parametrize(("spoil", "message"), [
    (lambda text: text.encode("utf-16"), "this file is UTF-16 text"),  # with its BOM
    (lambda text: text.encode("utf-16-le"), "this file is UTF-16 text"),  # without
    (lambda text: text.replace("\n", "\n\0").replace("\0", "", 1).encode(),  # lines 3, 4
     ":3: a NUL byte at line 3"),
])
def test_utf16_and_nul_bytes_are_named(section: str, spoil, message: str, write_manifest,
                                       run) -> None:
    name, header, good, _ = SPOILED[section]
    manifest = write_manifest(DATA_SECTIONS[section](name))
    (manifest.parent / name).write_bytes(spoil("\n".join([header, good, good]) + "\n"))
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, name, message)
    assert "Excel workbook" not in result.err


WORKBOOK_SHEETS = {"f03": [["responden", "1.a.K1"], ["R1", 4]],
                   "interviews": [["responden", "penundaan"], ["R1", "tidak"]],
                   "complaint_log": [["nomor", "tanggal_diterima"], ["A1", "2024-01-02"]]}


@pytest.mark.parametrize("section", ["f03", "interviews", "complaint_log"])
def test_a_workbook_is_read_and_one_named_csv_is_said_so(section: str, tmp_path: Path,
                                                         write_manifest, run) -> None:
    """Units keep these in Excel: a workbook is read (before: exit 2, "must be CSV"); one
    saved under a .csv name is named as such."""
    manifest = write_manifest(DATA_SECTIONS[section]("data.xlsx"))
    write_xlsx(manifest.parent / "data.xlsx", [sheet_xml(WORKBOOK_SHEETS[section])])
    result = run("check", manifest, "--lang", "en")
    assert result.code in (0, 1), result.err
    manifest = write_manifest(DATA_SECTIONS[section]("data.csv"))
    write_xlsx(manifest.parent / "data.csv", [sheet_xml(WORKBOOK_SHEETS[section])])
    assert_input_error(run("check", manifest, "--lang", "en"), "data.csv",
                       "this is not a CSV file (perhaps an Excel workbook named .csv)",
                       "name it .xlsx")


def test_skm_with_every_row_left_out_names_the_first(tmp_path: Path, run) -> None:
    file = write(tmp_path / "jawaban.csv", skm_csv([["+1+1", *[4] * 8]] * 3))
    assert_input_error(run("skm", file, "--lang", "en"), "jawaban.csv",
                       "every row was left out (first: line 2, column U1: '+1+1'")
    blank = write(tmp_path / "kosong.csv", skm_csv([[""] * 9] * 3))
    assert_input_error(run("skm", blank, "--lang", "en"), "kosong.csv",
                       "no usable answer rows: no row below the header row has anything in it")
