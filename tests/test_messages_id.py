"""Messages in the user's terms (issue 15): every error, warning and hint names a place the
way the person wrote it (``inovasi.daftar[1].nama``: list positions counted from 1), never an
internal derived key (``skm.hasil.sampel_minimum``) but the keys to fill, all at once; YAML
syntax errors in Indonesian with line and column; Indonesian by default, English complete with
``--lang en``; exit 2 for bad input."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from stoplist import decimal_points
from stoplist import english_words

from patuh import hookimpl
from patuh import yamlio
from patuh.conditions import Context
from patuh.engine import fact_sources
from patuh.engine import make_context
from patuh.errors import InputError
from patuh.errors import format_path
from patuh.plugins.operators import OPERATORS

HEAD = "schema_version: 1\nunit:\n  nama: Unit Uji\nperiode:\n  tahun: 2024\n"
ZERO_BASED = re.compile(r"\b[a-z_]+\.[0-9]+\.[a-z_]+")  # inovasi.daftar.0.nama
# (not "ya"/"tidak": the values a person writes, which English hints cite)
INDONESIAN = re.compile(r"\b(bukan|belum|kunci|harus|tulis|kesalahan|baris|atau|dengan)\b")


def indonesian_clean(text: str) -> None:
    """No English word from the stop-list, no decimal point in prose, no 0-based path."""
    assert english_words(text) == [], text
    assert decimal_points(text) == [], text
    assert not ZERO_BASED.search(text), text
    assert "$." not in text, text
    assert "galat" not in text.lower(), text


def english_complete(text: str) -> None:
    """The English message has no Indonesian message words (values the user wrote aside)."""
    prose = re.sub(r'"[^"]*"|\'[^\']*\'|`[^`]*`|\S*/\S*', " ", text)  # values, ya/tidak
    assert not INDONESIAN.search(prose), text


def refused(result, *needles: str) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    assert "Traceback" not in result.err and result.out == ""
    for needle in needles:
        assert needle in result.err, f"{needle!r} not in:\n{result.err}"
    return result.err


# --- one formatter of paths -----------------------------------------------------------------

@pytest.mark.parametrize(("path", "shown"), [
    (("inovasi", "daftar", 0, "nama"), "inovasi.daftar[1].nama"),
    ("inovasi.daftar.0.nama", "inovasi.daftar[1].nama"),
    ("pengaduan.log.kasus.11", "pengaduan.log.kasus[12]"),
    (("a", 0, 2), "a[1][3]"),
    ("skm.skala_1_4", "skm.skala_1_4"),  # digits inside a key are not a position
    ((), ""),
    ("", ""),
])
def test_format_path_counts_list_positions_from_one(path, shown: str) -> None:
    assert format_path(path) == shown


# --- bad manifests: the Indonesian message with the 1-based path --------------------------

LIST_ITEM = HEAD + """inovasi:
  daftar:
    - nama: Inovasi A
      tahap: diterapkan
    - tahap: uji coba
      tanggal_diterapkan: kemarin
      kompetisi:
        diikuti: mungkin
"""


def test_a_wrong_list_item_is_named_by_its_position_from_one(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(LIST_ITEM, encoding="utf-8")
    err = refused(run("check", manifest),
                  f"{manifest}:10: inovasi.daftar[2].tahap: \"uji coba\" bukan salah satu dari",
                  f"{manifest}:11: inovasi.daftar[2].tanggal_diterapkan: \"kemarin\" bukan "
                  "tanggal yang sah",
                  f"{manifest}:13: inovasi.daftar[2].kompetisi.diikuti: \"mungkin\" bukan "
                  "ya/tidak",
                  # the key the item lacks, at the item itself
                  f"{manifest}:10: inovasi.daftar[2]: kunci wajib belum ada: nama")
    assert "daftar[0]" not in err and "daftar.1" not in err
    indonesian_clean(err)
    english = refused(run("check", manifest, "--lang", "en"),
                      "inovasi.daftar[2].tahap: \"uji coba\" is not one of",
                      "inovasi.daftar[2]: required key missing: nama",
                      "\"kemarin\" is not a valid date")
    english_complete(english)


@pytest.mark.parametrize(("body", "line", "path", "said_id", "said_en"), [
    ("skm:\n  responden: dua puluh\n", 7, "skm.responden", '"dua puluh" bukan bilangan bulat',
     '"dua puluh" is not of type integer'),
    ("skm:\n  ikm: sangat baik\n", 7, "skm.ikm", '"sangat baik" bukan bilangan',
     '"sangat baik" is not of type number'),
    ("skm:\n  ikm: 120,5\n", 7, "skm.ikm", "120,5 harus ≤ 100", "120.5 must be <= 100"),
    ("maklumat:\n  ada: mungkin\n", 7, "maklumat.ada", '"mungkin" bukan ya/tidak',
     '"mungkin" is not of type boolean'),
    ("standar_pelayanan:\n  penetapan:\n    tanggal: 31/13/2024\n", 8,
     "standar_pelayanan.penetapan.tanggal", '"31/13/2024" bukan tanggal yang sah',
     '"31/13/2024" is not a valid date'),
    ("inovasi:\n  daftar: ya\n", 7, "inovasi.daftar", '"ya" bukan daftar',
     '"ya" is not of type array'),
    ("inovasi: [1, 2]\n", 6, "inovasi", "[1, 2] bukan pemetaan (kunci: nilai)",
     "[1, 2] is not of type object"),
    ("unit:\n  nama: 12\n", 7, "unit.nama", "12 bukan teks", "12 is not of type string"),
])
def test_wrong_types_are_named_in_indonesian(tmp_path: Path, run, body: str, line: int,
                                             path: str, said_id: str, said_en: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    text = HEAD + body if not body.startswith("unit:") else HEAD.replace(
        "unit:\n  nama: Unit Uji\n", "") + body
    manifest.write_text(text, encoding="utf-8")
    err = refused(run("check", manifest), f": {path}: {said_id}")
    assert re.search(rf"manifest\.yaml:\d+: {re.escape(path)}: ", err), err
    assert f":{line}: {path}: " in err or path == "unit.nama", err
    indonesian_clean(err)
    english = refused(run("check", manifest, "--lang", "en"), f": {path}: {said_en}")
    english_complete(english)


def test_every_missing_required_key_is_listed_at_once(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("schema_version: 1\nskm:\n  responden: 5\n", encoding="utf-8")
    err = refused(run("check", manifest), "kunci wajib belum ada: unit, periode")
    indonesian_clean(err)
    assert "required key missing: unit, periode" in run("check", manifest, "--lang", "en").err


def test_reading_notes_and_json_paths_are_one_based(tmp_path: Path, run) -> None:
    """A path shown to people in JSON uses the same notation (the report's readers are
    people: a web page or a spreadsheet shows them as they are)."""
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "inovasi:\n  daftar:\n    - nama: A\n      tahap: diterapkan\n"
                        "      tanggal_diterapkan: 31/01/2024\n", encoding="utf-8")
    result = run("check", manifest, "--format", "json")
    assert result.code in (0, 1), result.err
    report = json.loads(result.out)
    paths = [r["path"] for r in report["readings"]]
    assert "inovasi.daftar[1].tanggal_diterapkan" in paths, paths
    every_path = [u["path"] for r in report["results"] for u in r["unmet"] if u["path"]]
    every_path += [e["owner"] for r in report["results"] for e in r["evidence"]]
    assert every_path and not [p for p in every_path if ZERO_BASED.search(p) or "$" in p]
    text = run("check", manifest).out
    assert "inovasi.daftar[1].tanggal_diterapkan: 31/01/2024 → 2024-01-31" in text


# --- YAML syntax errors, with both parsers --------------------------------------------------

PURE = yamlio.strict_loader(yaml.SafeLoader)
SYNTAX = {
    # name: (text, line, column, Indonesian words, English words)
    "missing_colon": ("a: 1\nb\nc: 2\n", 2, 1, "kunci tanpa titik dua ':'", "a key without ':'"),
    "colon_in_value": ("nama: Jam: 8\n", 1, 10, "titik dua ':' tidak boleh ada di sini",
                       "a ':' is not allowed here"),
    "tab": ("a:\n\tb: 1\n", 2, 1, "karakter tab", "a tab character"),
    "unclosed_list": ("a: [1, 2\nb: 3\n", 2, 2, "daftar [ … ] yang dibuka di baris 1",
                      "the list [ … ] opened on line 1"),
    "unclosed_mapping": ("a: {x: 1\nb: 3\n", 2, 2, "pemetaan { … } yang dibuka di baris 1",
                         "the mapping { … } opened on line 1"),
    "unclosed_quote": ('a: "abc\nb: 2\n', 1, 4, "tanda kutip yang dibuka di sini tidak pernah "
                       "ditutup", "the quote opened here is never closed"),
    "indentation": ("a:\n  b: 1\n c: 2\n", 3, 2, "indentasi tidak sejajar",
                    "the indentation does not line up"),
    "list_item": ("a:\n  - 1\n - 2\n", 3, 2, "indentasi tidak sejajar",
                  "the indentation does not line up"),
    "windows_path": ('berkas: "C:\\data\\sk.pdf"\n', 1, None, "garis miring terbalik",
                     "a backslash"),
    "at_sign": ("a: @unit\n", 1, 4, "karakter '@' tidak boleh mengawali nilai",
                "the character '@' cannot start a YAML value"),
    "alias": ("a: *catatan\n", 1, 4, "tanda '*' memulai alias YAML",
              "a '*' starts a YAML alias"),
    "tag": ("a: !penting ya\n", 1, 4, "tanda '!' memulai tag YAML", "a '!' starts an unknown"),
    "two_documents": ("a: 1\n---\nb: 2\n", 2, 1, "lebih dari satu dokumen YAML",
                      "more than one YAML document"),
    "control_character": ("a: b\x07\n", 1, 5, "karakter kendali #x0007",
                          "the control character #x0007"),
    "block_scalar": ("a: |x\n  b\n", 1, 5, "setelah | atau >", "after | or >"),
}


@pytest.mark.parametrize("parser", ["libyaml", "python"])
@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_yaml_syntax_errors_in_indonesian_with_line_and_column(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, parser: str) -> None:
    if parser == "python":
        monkeypatch.setattr(yamlio, "_StrictLoader", PURE)
    text, line, column, said_id, said_en = SYNTAX[case]
    file = tmp_path / "manifest.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        yamlio.load_yaml(file)
    error = caught.value
    assert error.line == line
    if column is not None:  # the two parsers stop at the same place (not for an escape)
        assert error.column == column
    where = f"{file}:{line}:{error.column}: "
    indonesian = error.render("id")
    assert indonesian.startswith(where + "kesalahan sintaks YAML: "), indonesian
    assert said_id in indonesian and "\n  ↳ " in indonesian
    indonesian_clean(indonesian)
    english = error.render("en")
    assert english.startswith(where + "invalid YAML: ") and said_en in english, english
    english_complete(english)


def test_duplicate_key_in_indonesian(tmp_path: Path) -> None:
    file = tmp_path / "m.yaml"
    file.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        yamlio.load_yaml(file)
    assert caught.value.line == 3
    assert "kunci 'a' ganda (pertama di baris 1)" in caught.value.render("id")
    indonesian_clean(caught.value.render("id"))


def test_an_unknown_parser_message_still_says_syntax_error_and_the_line(tmp_path: Path) -> None:
    mark = yaml.Mark("m.yaml", 0, 6, 2, "", 0)
    unknown = yaml.MarkedYAMLError("while doing something new", mark,
                                   "a message no table knows", mark)
    error = yamlio.syntax_error(tmp_path / "m.yaml", "a: 1\n", unknown)
    assert error.line == 7 and error.column == 3
    assert "kesalahan sintaks YAML" in error.render("id")
    indonesian_clean(error.render("id"))
    assert "a message no table knows" in error.render("en")


def test_yaml_syntax_error_on_the_command_line(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "maklumat:\n  isi: Jam layanan: pagi\n", encoding="utf-8")
    before = manifest.read_bytes()
    err = refused(run("check", manifest), f"{manifest}:7:", "kesalahan sintaks YAML",
                  "beri tanda kutip")
    indonesian_clean(err)
    assert manifest.read_bytes() == before


def test_malformed_json_in_indonesian(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"schema_version": 1,\n "periode": {"tahun": 2024,}\n}\n', "utf-8")
    err = refused(run("check", manifest), f"{manifest}:2:", "kesalahan sintaks JSON: kunci "
                  "harus teks bertanda kutip ganda")
    indonesian_clean(err)


# --- derived facts: the keys the person fills, all at once ---------------------------------

SKM_WITHOUT_INPUT = HEAD + """skm:
  dilaksanakan: true
  tanggal_laporan: "2024-06-28"
"""


def test_a_missing_skm_input_names_the_keys_to_fill(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(SKM_WITHOUT_INPUT, encoding="utf-8")
    text = run("check", manifest, "--ruleset", "skm", "--as-of", "2024-10-01").out
    sampel = text[text.index("[?] sampel"):text.index("[?] sembilan-unsur")]
    # both facts the rule compares are named, in one run, as the person fills them
    assert "skm.berkas atau skm.responden: belum diisi (tidak ada data)" in sampel
    assert "skm.populasi: belum diisi (tidak ada data)" in sampel
    assert "skm.berkas atau skm.skala: belum diisi" in text
    assert "skm.hasil" not in text
    indonesian_clean(sampel)
    english = run("check", manifest, "--ruleset", "skm", "--as-of", "2024-10-01",
                  "--lang", "en").out
    assert "skm.berkas or skm.responden: not supplied (no data)" in english
    assert "skm.hasil" not in english
    report = json.loads(run("check", manifest, "--ruleset", "skm", "--as-of", "2024-10-01",
                            "--format", "json").out)
    unmet = [u for r in report["results"] for u in r["unmet"]]
    assert unmet and all("skm.hasil" not in (u["path"] or "") + u["message"]["id"]
                         for u in unmet)
    assert {"skm.responden", "skm.populasi"} <= {
        p for u in unmet for p in re.findall(r"skm\.[a-z_]+", u["message"]["id"])}


def test_a_key_already_filled_is_not_asked_for(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(SKM_WITHOUT_INPUT + "  responden: 400\n", encoding="utf-8")
    text = run("check", manifest, "--ruleset", "skm", "--as-of", "2024-10-01").out
    sampel = text[text.index("sampel "):text.index("sembilan-unsur ")]
    assert "skm.populasi: belum diisi (tidak ada data)" in sampel
    assert "skm.responden" not in sampel and "skm.berkas" not in sampel


def context(facts: dict, sources: dict) -> Context:
    return Context(facts=facts, as_of=date(2024, 10, 1), operators=OPERATORS, sources=sources)


def test_missing_names_each_way_and_leaves_out_what_is_filled() -> None:
    sources = {"x.hasil": (("x.berkas",), ("x.rekap",)),
               "x.hasil.n": (("x.berkas",), ("x.n", "x.total"))}
    ctx = context({"x": {"total": 5}}, sources)
    outcome = ctx.evaluate({"compare": {"path": "x.hasil.n", "ge": {"fact": "x.hasil.m"}}})
    assert outcome.holds is None
    messages = [u.message.id for u in outcome.unmet]
    assert messages == ["x.berkas atau x.n: belum diisi (tidak ada data)",  # x.total is filled
                        "x.berkas atau x.rekap: belum diisi (tidak ada data)"]  # by the prefix
    assert [u.path for u in outcome.unmet] == ["x.berkas", "x.berkas"]
    assert set(outcome.used) == {"x.hasil.n", "x.hasil.m"}
    # a way whose keys are all filled did not give the fact: it is not suggested
    filled = context({"x": {"berkas": "a.csv"}}, sources).evaluate({"exists": "x.hasil.n"})
    assert filled.unmet[0].message.id == "x.n dan x.total: belum diisi (tidak ada data)"
    # a fact the person writes keeps its own path
    plain = context({}, sources).evaluate({"is_true": "y.daftar.0.ada"})
    assert plain.unmet[0].message.id == "y.daftar[1].ada: belum diisi (tidak ada data)"


def test_a_plugin_declares_where_its_derived_facts_come_from(plugin) -> None:
    class Sources:
        @hookimpl
        def patuh_fact_sources(self):
            return {"contoh.hasil.jumlah": [["contoh.berkas"], ["contoh.jumlah"]]}

    plugin(Sources(), "test-fact-sources")
    assert fact_sources()["contoh.hasil.jumlah"] == (("contoh.berkas",), ("contoh.jumlah",))
    assert fact_sources()["skm.hasil.sampel_minimum"] == (("skm.populasi",),)
    outcome = make_context({}, date(2024, 10, 1), {}).evaluate(
        {"ratio": {"numerator": "contoh.hasil.jumlah", "denominator": "skm.hasil.responden",
                   "ge": 50}})
    assert [u.message.en for u in outcome.unmet] == [
        "contoh.berkas or contoh.jumlah: not supplied (no data)",
        "skm.berkas or skm.responden: not supplied (no data)"]


def test_a_plugin_returning_malformed_sources_is_named(plugin) -> None:
    class Broken:
        @hookimpl
        def patuh_fact_sources(self):
            return {"contoh.hasil": "contoh.berkas"}  # not a list of ways

    plugin(Broken(), "test-broken-sources")
    with pytest.raises(Exception) as caught:
        fact_sources()
    assert "test-broken-sources" in str(caught.value)
    assert "patuh_fact_sources" in str(caught.value)


def test_a_derived_fact_with_data_is_named_not_by_its_path(tmp_path: Path, run) -> None:
    """A comparison that fails on derived facts names them (and the keys they come from)."""
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(SKM_WITHOUT_INPUT + "  responden: 96\n  populasi: 2000\n", "utf-8")
    text = run("check", manifest, "--ruleset", "skm", "--as-of", "2024-10-01").out
    assert "jumlah responden (dari skm.responden) = 96 (perlu ≥ sampel minimum (dari " \
        "skm.populasi) = 322)" in text, text
    assert "skm.hasil" not in text
    english = run("check", manifest, "--ruleset", "skm", "--as-of", "2024-10-01",
                  "--lang", "en").out
    assert "number of respondents (from skm.responden) = 96 (needs ≥ minimum sample (from " \
        "skm.populasi) = 322)" in english


def test_nested_list_items_are_evaluated_and_named_from_one() -> None:
    """Items of a list inside a list item: evaluated at their own place (the context keeps
    the machine path) and named with both positions counted from 1."""
    facts = {"a": [{"b": [{"ok": True}, {"ok": False}]}]}
    ctx = context(facts, {})
    outcome = ctx.evaluate({"count": {"path": "a", "ge": 1, "where": {
        "every": {"path": "b", "where": {"is_true": "ok"}}}}})
    assert outcome.holds is False
    messages = [u.message.id for u in outcome.unmet]
    assert "a[1].b: 1 dari 2 tidak memenuhi" in messages, messages
    assert "a[1].b[2]: a[1].b[2].ok: tidak" in messages, messages
    assert "a.0.b.1.ok" in outcome.used
