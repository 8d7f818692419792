"""Indonesian output reads as Indonesian (issue 15, item 4).

Every surface a user reads with ``--lang id`` (the default) is rendered from the bundled
examples and fails on a word of the English stop-list or a number written with a decimal
point (``tests/stoplist.py``): the check reports (text, HTML, the prose of the JSON), every
batch summary, the history, ``patuh skm``, the rule reference, the other commands, the XLSX
form, and one instance of every class of error the other tests provoke. What a machine reads
stays as it is: the JSON Lines, the CSV's values and the JSON's keys are not prose.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stoplist import decimal_points
from stoplist import english_words
from test_bad_input import CASES as BAD_MANIFESTS

from golden_cases import EXAMPLES
from golden_cases import cases

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ("pekppp", "ombudsman", "uu25", "skm")
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
KODE = "dpmptsp-kota-harapan"



def assert_indonesian(text: str, where: str = "") -> None:
    """No English stop-word and no decimal point in the prose of ``text``."""
    found = {"english": english_words(text), "decimal points": decimal_points(text)}
    assert found == {"english": [], "decimal points": []}, f"{where}\n{text[:3000]}"


def indonesian_strings(data: Any) -> Iterator[str]:
    """The Indonesian prose of a JSON document: the ``id`` side of every ``{id, en}`` text."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), str) and isinstance(data.get("en"), str):
            yield data["id"]
            return
        for value in data.values():
            yield from indonesian_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from indonesian_strings(value)


def sheet_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    try:
        return [cell.value for sheet in book.worksheets for row in sheet.iter_rows()
                for cell in row if isinstance(cell.value, str)]
    finally:
        book.close()


# --- patuh check: every example × ruleset, text, HTML and the JSON's prose ------------------

CHECKS = [(unit, ruleset) for unit in EXAMPLES
          for ruleset in dict.fromkeys(r for r, _ in cases(unit)) if ruleset in RULESETS]


@pytest.mark.parametrize("fmt", ["text", "html", "json"])
@pytest.mark.parametrize(("unit", "ruleset"), CHECKS)
def test_check_report(unit: str, ruleset: str, fmt: str, run) -> None:
    result = run("check", ROOT / "examples" / unit / "manifest.yaml", "--ruleset", ruleset,
                 "--format", fmt)
    assert result.code in (0, 1), result.err
    text = result.out
    if fmt == "json":  # rule data as written: its reference tags ([V1], [CONFLICT]) are codes
        text = re.sub(r"\[[A-Z][A-Z0-9]*\]", " ", "\n".join(indonesian_strings(json.loads(text))))
    assert_indonesian(text + "\n" + result.err, f"{unit} {ruleset} {fmt}")


# --- patuh batch: the summaries -------------------------------------------------------------

@pytest.fixture(scope="module")
def batch_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """``patuh batch examples -o OUT --format json --format html`` in Indonesian, with the
    text summary it prints without ``-o``."""
    from click.testing import CliRunner

    from patuh.cli import cli

    out = tmp_path_factory.mktemp("batch") / "out"
    runner = CliRunner()
    written = runner.invoke(cli, ["batch", str(ROOT / "examples"), "-o", str(out), "--workers",
                                  "1", "--format", "json", "--format", "html"])
    printed = runner.invoke(cli, ["batch", str(ROOT / "examples"), "--workers", "1"])
    assert written.exit_code == printed.exit_code == 2  # one example's edition is refused
    return out, written.stderr, printed.stdout + printed.stderr


def test_batch_text_summary(batch_out) -> None:
    out, _stderr, printed = batch_out
    text = (out / "summary.txt").read_text("utf-8")
    assert "4,67" in text and "kesalahan" in text
    assert_indonesian(text, "summary.txt")
    assert_indonesian(printed, "stdout and stderr")


def test_batch_success_line(tmp_path: Path, run) -> None:
    units = tmp_path / "units"
    shutil.copytree(EXAMPLE, units / "a", symlinks=True)
    result = run("batch", units, "--workers", "1", "-o", tmp_path / "out")
    assert result.code == 0, result.err
    assert result.err.startswith("patuh batch: 1 unit — pekppp A 1 — ditulis ke ")
    assert_indonesian(result.err, "stderr")


def test_batch_csv_header_and_words(batch_out) -> None:
    import csv

    from patuh.batch import COLUMNS

    out, _stderr, _printed = batch_out
    with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert_indonesian(" | ".join(header), "CSV header")
    status = [dict(zip(COLUMNS, row, strict=True))["status"] for row in rows]
    assert_indonesian(" ".join(status), "CSV status")
    scores = [dict(zip(COLUMNS, row, strict=True))["score"] for row in rows]
    assert "4.67" in scores  # the CSV keeps machine numbers


def test_batch_xlsx_summary(batch_out) -> None:
    out, _stderr, _printed = batch_out
    assert_indonesian("\n".join(sheet_texts(out / "summary.xlsx")), "summary.xlsx")
    book = openpyxl.load_workbook(out / "summary.xlsx")
    formats = {cell.number_format for sheet in book.worksheets for row in sheet.iter_rows()
               for cell in row if isinstance(cell.value, float)}
    book.close()
    assert formats and all(f.startswith("[$-421]") for f in formats), formats


def test_batch_every_ruleset_with_skipped_rows(run) -> None:
    result = run("batch", ROOT / "examples", "--ruleset", "all", "--as-of", "2025-06-30",
                 "--workers", "1")
    assert result.code == 0, result.err
    assert "dilewati" in result.out and "88,62" in result.out
    assert_indonesian(result.out + result.err, "--ruleset all")


def test_batch_html_summary(batch_out) -> None:
    out, _stderr, _printed = batch_out
    assert_indonesian((out / "summary.html").read_text("utf-8"), "summary.html")


# --- patuh history --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example stored for 2024 and, a little worse, for 2025."""
    from patuh.cli import main

    base = tmp_path_factory.mktemp("history")
    later = base / "2025"
    shutil.copytree(EXAMPLE, later, symlinks=True)
    manifest = later / "manifest.yaml"
    text = manifest.read_text("utf-8")
    for old, new in (('  tahun: 2024\n  tanggal_penilaian: "2024-10-21"',
                      '  tahun: 2025\n  tanggal_penilaian: "2025-10-20"'),
                     ("    media: [cetak, elektronik, media_sosial, website]\n",
                      "    media: [cetak, elektronik, website]\n")):
        assert old in text
        text = text.replace(old, new, 1)
    manifest.write_text(text, encoding="utf-8")
    db = base / "riwayat.sqlite"
    for source in (EXAMPLE / "manifest.yaml", manifest):
        assert main(["check", str(source), "--store", str(db), "--format", "json",
                     "-o", str(base / "r.json")]) == 0
    return db


@pytest.mark.parametrize("args", [[KODE], [KODE, "--compare", "2024", "2025"],
                                  ["--compare", "2024", "2025"]], ids=["trend", "unit", "all"])
def test_history(history_db: Path, args: list[str], run) -> None:
    result = run("history", *args, "--store", history_db)
    assert result.code == 0, result.err
    assert "," in result.out  # a score or a difference, with its decimal comma
    assert_indonesian(result.out + result.err, " ".join(args))


# --- the other commands ---------------------------------------------------------------------

OTHER_COMMANDS = {
    "predicate": ["predicate", "pekppp", "4.505"],
    "predicate-ombudsman": ["predicate", "ombudsman", "77.73", "--as-of", "2021-12-01"],
    "rules-list": ["rules", "list"],
    "rules-show": ["rules", "show", "pekppp.1.a.Ak"],
    "rules-validate": ["rules", "validate"],
    "rules-test": ["rules", "test"],
    "rules-diff": ["rules", "diff", "pekppp@2017", "pekppp@2022"],
    "rules-impact": ["rules", "impact", "ombudsman@2021", "ombudsman@2022",
                     str(EXAMPLE / "manifest.yaml")],
}


@pytest.mark.parametrize("name", sorted(OTHER_COMMANDS))
def test_other_commands(name: str, run) -> None:
    result = run(*OTHER_COMMANDS[name])
    assert result.code == 0, result.err
    text = result.out + result.err
    if name == "rules-show":  # the bibliography's entries are cited as their sources name them
        text = "\n".join(line for line in text.splitlines() if not line.startswith("    ["))
    assert_indonesian(text, name)


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_init_and_its_form(fmt: str, tmp_path: Path, run) -> None:
    result = run("init", tmp_path / "unit", "--format", fmt)
    assert result.code == 0, result.err
    assert_indonesian(result.out + result.err, "init")
    if fmt == "xlsx":
        assert_indonesian("\n".join(sheet_texts(tmp_path / "unit" / "manifest.xlsx")),
                          "manifest.xlsx")


def test_convert_and_its_form(tmp_path: Path, run) -> None:
    target = tmp_path / "manifest.xlsx"
    result = run("convert", EXAMPLE / "manifest.yaml", target)
    assert result.code == 0, result.err
    assert_indonesian(result.out + result.err, "convert")
    assert_indonesian("\n".join(sheet_texts(target)), "converted manifest.xlsx")


# --- patuh skm and the rule reference -------------------------------------------------------

def test_skm_text(run) -> None:
    result = run("skm", ROOT / "examples" / "skm-template" / "jawaban-skm.csv")
    assert result.code == 0, result.err
    assert_indonesian(result.out + result.err, "skm")


def test_rule_docs(tmp_path: Path, run) -> None:
    assert run("rules", "docs", "-o", tmp_path).code == 0
    pages = sorted(tmp_path.glob("*.id.md"))
    assert pages
    for page in pages:
        assert_indonesian(page.read_text("utf-8"), page.name)


# --- errors: one of every class the other tests provoke -------------------------------------

@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_bad_manifest_messages(case: str, tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(BAD_MANIFESTS[case][0], encoding="utf-8")
    result = run("check", manifest)
    assert result.code == 2
    assert_indonesian(result.err, case)


def _f03(folder: Path, content: bytes | None) -> Path:
    if content is not None:
        (folder / "f03.csv").write_bytes(content)
    manifest = folder / "manifest.yaml"
    manifest.write_text("schema_version: 1\nunit:\n  nama: Unit Uji\nperiode:\n  tahun: 2024\n"
                        "penilaian_pengguna:\n  berkas: f03.csv\n", encoding="utf-8")
    return manifest


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "unit").mkdir()
    return tmp_path / "unit"


OTHER_ERRORS = {
    # a manifest that is not there, a folder, an unknown extension, malformed JSON
    "missing-manifest": lambda tmp: ["check", tmp / "tidak-ada.yaml"],
    "folder-as-manifest": lambda tmp: ["check", tmp],
    "unknown-extension": lambda tmp: ["check", _write(tmp / "manifest.txt", "a: 1\n")],
    "malformed-json": lambda tmp: ["check", _write(tmp / "manifest.json", '{"a": [1,}')],
    # options
    "unknown-ruleset": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--ruleset", "nope"],
    "unknown-format": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--format", "docx"],
    "as-of-not-a-date": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--as-of", "kemarin"],
    "unknown-edition": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--edition", "1999"],
    "fail-under": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--fail-under", "Z9"],
    "unknown-rule": lambda tmp: ["rules", "show", "pekppp.99.z"],
    "predicate-not-a-number": lambda tmp: ["predicate", "pekppp", "empat"],
    "predicate-out-of-range": lambda tmp: ["predicate", "pekppp", "7"],
    "usage": lambda tmp: ["check"],
    "unknown-option": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--formt", "html"],
    "option-without-value": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--format"],
    "not-an-integer": lambda tmp: ["batch", EXAMPLE.parent, "--workers", "dua"],
    "out-of-range": lambda tmp: ["batch", EXAMPLE.parent, "--workers", "0"],
    "not-a-choice": lambda tmp: ["history", KODE, "--store", tmp / "r.sqlite", "--format", "csv"],
    "unknown-command": lambda tmp: ["periksa"],
    "extra-argument": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "lagi"],
    # data files
    "f03-missing": lambda tmp: ["check", _f03(_folder(tmp), None)],
    "f03-not-utf8": lambda tmp: ["check", _f03(_folder(tmp), b"nama,1.a.K1\nJos\xe9,5\n")],
    "f03-bad-cell": lambda tmp: ["check", _f03(_folder(tmp), b"nama,1.a.K1\nA,lima\n")],
    # hostile input: numbers that are not finite, nesting, aliases, keys that are not text
    "nan-number": lambda tmp: ["check", _write(tmp / "manifest.yaml", HEAD + "skm:\n  ada: true\n"
                                                "  responden: .nan\n")],
    "json-infinity": lambda tmp: ["check", _write(tmp / "manifest.json",
                                                  '{"schema_version": 1, "x": Infinity}')],
    "too-deep": lambda tmp: ["check", _write(tmp / "manifest.yaml",
                                             HEAD + "x: " + "[" * 60 + "]" * 60 + "\n")],
    "recursive-alias": lambda tmp: ["check", _write(tmp / "manifest.yaml",
                                                    HEAD + "x: &a [*a]\n")],
    "key-not-text": lambda tmp: ["check", _write(tmp / "manifest.yaml", HEAD + "1: satu\n")],
    "predicate-nan": lambda tmp: ["predicate", "pekppp", "nan"],
    "waivers-nan": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--waivers",
                                _write(tmp / "w.yaml", "schema_version: 1\nx: .nan\n")],
    "verification-bad": lambda tmp: ["check", EXAMPLE / "manifest.yaml", "--verification",
                                     _write(tmp / "v.yaml", "schema_version: 1\nx: 1\n")],
    # a rule file that breaks its schema, a draft with nothing in it
    "rule-schema": lambda tmp: ["rules", "validate", _broken_rule(tmp)],
    # the SKM answers: a cell that is not an answer
    "skm-bad-cell": lambda tmp: ["skm", _write(tmp / "skm.csv", "U1,U2\n4,lima\n")],
    # outputs and the other commands
    "output-onto-manifest": lambda tmp: ["check", _copy(tmp), "-o", tmp / "u" / "manifest.yaml"],
    "init-exists": lambda tmp: ["init", _copy(tmp).parent],
    "history-missing-store": lambda tmp: ["history", KODE, "--store", tmp / "tidak-ada.sqlite"],
    "batch-empty-folder": lambda tmp: ["batch", _folder(tmp)],
    "rules-validate-empty": lambda tmp: ["rules", "validate", _folder(tmp)],
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "schema_version: 1\nunit:\n  nama: Unit Uji\nperiode:\n  tahun: 2024\n"


def _broken_rule(tmp: Path) -> Path:
    folder = tmp / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    rule = next(iter(sorted(folder.glob("*/*.yaml"))))
    text = rule.read_text("utf-8")
    assert "confidence: " in text
    rule.write_text(text.replace("confidence: ", "confidence: yakin #", 1), encoding="utf-8")
    return folder


def _copy(tmp: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp / "u", symlinks=True)
    return tmp / "u" / "manifest.yaml"


@pytest.mark.parametrize("name", sorted(OTHER_ERRORS))
def test_other_errors(name: str, tmp_path: Path, run) -> None:
    result = run(*OTHER_ERRORS[name](tmp_path))
    assert result.code == 2, (result.code, result.err)
    assert_indonesian(result.err, name)


def test_command_line_mistakes_name_what_to_fix(run) -> None:
    result = run("check", EXAMPLE / "manifest.yaml", "--formt", "html")
    assert result.err.endswith("Kesalahan: Opsi '--formt' tidak ada. Maksud Anda "
                               "'--format'?\n")
    assert "Coba 'patuh check --help' untuk bantuan." in result.err
    workers = run("batch", ROOT / "examples", "--workers", "dua")
    assert ("Nilai tidak sah untuk '--workers': 'dua' bukan bilangan bulat yang sah."
            in workers.err)
    group = run("rules")  # a group without its command: its help (bilingual, "id / en")
    assert group.err.startswith("Penggunaan: patuh rules ")
    for shown in (result.err, workers.err):
        assert_indonesian(shown, "command line")
    english = run("check", EXAMPLE / "manifest.yaml", "--formt", "html", "--lang", "en")
    assert english.code == 2 and "No such option '--formt'" in english.err  # click's own


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_entries_written_the_indonesian_way(fmt: str, tmp_path: Path, run) -> None:
    """A unit that writes its numbers and dates as Indonesians do: the report's account of how
    patuh read them ("Cara patuh membaca isian") reads as Indonesian too."""
    manifest = _copy(tmp_path)
    text = manifest.read_text("utf-8")
    for old, new in (("populasi: 9870", 'populasi: "9.870"'),
                     ('tanggal_penilaian: "2024-10-21"', "tanggal_penilaian: 21/10/2024")):
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("\nskm:\n", '\nskm:\n  ikm: "82,50"\n', 1)
    manifest.write_text(text, encoding="utf-8")
    result = run("check", manifest, "--format", fmt)
    assert result.code in (0, 1), result.err
    assert "9.870" in result.out and "82,5" in result.out
    assert_indonesian(result.out, f"readings {fmt}")
