"""The questionnaire model generated from the rules, and the YAML form rendered from it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from patuh import manager
from patuh.manifest import load_manifest
from patuh.normalize import drop_unanswered
from patuh.questionnaire import FILES
from patuh.questionnaire import _matches
from patuh.questionnaire import build
from patuh.questionnaire import for_day
from patuh.questionnaire import rule_reads
from patuh.rulebook import available
from patuh.rulebook import load_ruleset
from patuh.rulebook import load_ruleset_folder
from patuh.template import manifest_template
from patuh.template import placeholders

from rulecopies import copy_ruleset
from rulecopies import replace_once

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["dpmptsp-kota-harapan", "puskesmas-sukamaju", "kecamatan-lembah-hijau",
            "disdukcapil-kota-harapan-2021"]
DAY = date(2024, 12, 31)


@pytest.fixture(scope="module")
def model():
    return for_day((), DAY)


def keys_of(data, prefix=()):
    """Every leaf key path of a parsed form; a list's first item stands for its items."""
    for key, value in data.items():
        path = (*prefix, str(key))
        if isinstance(value, dict) and value:
            yield from keys_of(value, path)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            yield from keys_of(value[0], (*prefix, f"{key}[]"))
        else:
            yield path


def test_every_path_any_rule_reads_is_asked(model) -> None:
    """For every ruleset, edition and rule version, each path a level's condition reads is a
    question of the model — so no form rendered from it can leave out a field that moves a
    score."""
    operators = manager.operators()
    checked = 0
    for ruleset_id in available():
        for rule in load_ruleset(ruleset_id).rules:
            for version in rule.versions:
                for level, reads in rule_reads(rule, version.period.start, operators).items():
                    for read in reads:
                        hits = _matches(read, model.questions)
                        assert hits, f"{rule.id} v{version.version} L{level} reads {read.path}"
                        checked += 1
    assert checked > 300


def test_the_fields_that_move_an_innovation_score_are_asked(model) -> None:
    """The finding: the innovation's date, competition and support were left out."""
    for path in ("inovasi.daftar[].tanggal_diterapkan", "inovasi.daftar[].kompetisi.diikuti",
                 "inovasi.daftar[].kompetisi.penghargaan",
                 "inovasi.daftar[].dukungan.payung_hukum",
                 "inovasi.daftar[].dukungan.sumber_daya"):
        question = model.questions[path]
        assert question.group == "inovasi.daftar[]"
        assert question.feeds, path
    # recorded, asked, and read by no rule: any competition level counts the same
    assert not model.questions["inovasi.daftar[].kompetisi.tingkat"].feeds
    date_question = model.questions["inovasi.daftar[].tanggal_diterapkan"]
    assert date_question.kind == "date"
    assert 3 in date_question.levels_of("pekppp.29.f.B")
    assert model.questions["inovasi.daftar[].dukungan.payung_hukum"].levels_of("pekppp.30.f.B")


def test_a_shared_fact_is_asked_once_and_feeds_every_ruleset(model) -> None:
    question = model.questions["standar_pelayanan.komponen"]
    rules = {feed.rule for feed in question.feeds}
    assert {"pekppp.1.a.Ak"} <= rules and any(not r.startswith("pekppp.") for r in rules)
    homes = [i.rule for s in model.sections for i in s.indicators
             if "standar_pelayanan.komponen" in i.questions]
    assert homes == ["pekppp.1.a.Ak"]
    assert [c.code for c in question.choices][:2] == ["persyaratan", "sistem_mekanisme_prosedur"]
    assert question.kind == "choices"
    assert question.evidence == "standar_pelayanan.bukti"


def test_every_question_has_one_home(model) -> None:
    seen: dict[str, str] = {}
    for section in model.sections:
        places = list(section.questions) + [p for i in section.indicators for p in i.questions]
        for path in places:
            assert path not in seen, f"{path} asked in {seen[path]} and {section.code}"
            seen[path] = section.code
    assert set(seen) == set(model.questions)


def test_evidence_slots_and_kinds(model) -> None:
    kinds = {q.kind for q in model.questions.values()}
    assert {"yes_no", "integer", "number", "date", "choice", "choices", "text", "texts",
            "file", "files"} <= kinds
    assert model.questions["standar_pelayanan.penetapan.bukti"].kind == FILES
    assert model.questions["standar_pelayanan.penetapan.oleh"].evidence == \
        "standar_pelayanan.penetapan.bukti"
    assert model.questions["skm.berkas"].kind == "file"


def test_the_yaml_form_holds_every_question_and_nothing_else(model) -> None:
    for lang in ("id", "en"):
        text = manifest_template(model, lang, placeholders(2024))
        data = yaml.safe_load(text)
        written = {".".join(k) for k in keys_of(data)} - {"schema_version"}
        asked = {".".join(q.keys) for q in model.questions.values()}
        assert written == asked


def test_values_written_again_are_written_the_same_way() -> None:
    """The form remembers how it wrote small values (a save rewrites the whole form): a value
    of another type or content is never given another's text."""
    from patuh.template import _scalar
    from patuh.template import scalar

    values = [True, 1, 1.0, "1", "ya", "yes", None, "", date(2024, 10, 31), "2024-10-31",
              [1, True], [True, 1], ["a"], {"berkas": "bukti/a.pdf", "sha256": "0" * 64},
              {"sha256": "0" * 64, "berkas": "bukti/a.pdf"}, "x" * 5000, [["deep"]], 0.1]
    for _round in range(2):
        for value in values:
            assert scalar(value) == _scalar(value), value
    assert scalar(True) == "true" and scalar(1) == "1" and scalar("1") == "'1'"
    assert scalar([True, 1]) == "[true, 1]"


def test_the_form_speaks_the_chosen_language(model) -> None:
    indonesian = manifest_template(model, "id", placeholders(2024))
    english = manifest_template(model, "en", placeholders(2024))
    assert "kunci yang dibiarkan kosong" in indonesian
    assert "a key left empty" in english and "kunci yang dibiarkan kosong" not in english
    assert "Level 3: SP ditetapkan minimal oleh kepala unit" in indonesian
    assert "Level 3: The SP is formally set, at least by the unit head" in english


@pytest.mark.parametrize("lang", ["id", "en"])
def test_init_writes_a_form_that_checks(tmp_path: Path, run, lang: str) -> None:
    folder = tmp_path / "unit-baru"
    result = run("init", folder, "--lang", lang, "--as-of", "2024-12-31")
    assert result.code == 0, result.err
    manifest = folder / "manifest.yaml"
    assert result.out.strip() == str(manifest)
    assert f"patuh check {manifest}" in result.err  # the next step, in --lang
    assert ("Fill in the answers" in result.err) == (lang == "en")
    checked = run("check", manifest, "--format", "json")
    assert checked.code == 0, checked.err
    report = json.loads(checked.out)
    statuses = [r["status"] for r in report["results"]]
    assert len(statuses) == 31
    # nothing is claimed: an unfilled innovation item is no innovation list at all
    assert set(statuses) == {"missing"}, statuses
    assert report["predicate"]["code"] == "F"


def test_init_refuses_to_overwrite(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("PATUH_LANG", "en")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("punya saya\n", encoding="utf-8")
    result = run("init", tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert f"{manifest}: already exists; not overwritten" in result.err
    assert "--force" in result.err
    assert manifest.read_text("utf-8") == "punya saya\n"
    assert run("init", tmp_path, "--force").code == 0
    assert "kompetisi:" in manifest.read_text("utf-8")


def test_init_unknown_format(tmp_path: Path, run) -> None:
    result = run("init", tmp_path, "--format", "docx")
    assert result.code == 2
    assert "docx" in result.err and "yaml" in result.err
    assert not any(tmp_path.iterdir())


def test_filling_only_the_innovation_moves_the_score(tmp_path: Path, run) -> None:
    """Fill the template's innovation item the way a person would, in Indonesian habits."""
    assert run("init", tmp_path, "--as-of", "2024-12-31").code == 0
    manifest = tmp_path / "manifest.yaml"
    text = manifest.read_text("utf-8")
    (tmp_path / "inovasi.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    filled = (text.replace("    - nama:", "    - nama: Layanan antar dokumen", 1)
              .replace("      tahap:", "      tahap: diterapkan", 1)
              .replace("      tanggal_diterapkan:", "      tanggal_diterapkan: 2022-03-01", 1)
              .replace("        diikuti:", "        diikuti: true", 1)
              .replace("        penghargaan:", "        penghargaan: false", 1))
    filled = filled.replace("\n  bukti:  # Bukti dukung: Inovasi",
                            "\n  bukti: [inovasi.pdf]  # Bukti dukung: Inovasi", 1)
    assert filled != text
    manifest.write_text(filled, encoding="utf-8")
    report = json.loads(run("check", manifest, "--format", "json", "--as-of",
                            "2024-12-31").out)
    level = {r["rule_id"]: r["level"] for r in report["results"]}
    assert level["pekppp.29.f.B"] == 4


@pytest.mark.parametrize("example", EXAMPLES)
def test_convert_to_yaml_keeps_every_answer(tmp_path: Path, run, example: str) -> None:
    source = ROOT / "examples" / example / "manifest.yaml"
    target = tmp_path / "manifest.yaml"
    result = run("convert", source, target)
    assert result.code == 0, result.err
    assert load_manifest(target).data == load_manifest(source).data


def test_convert_refuses_to_replace_its_source(tmp_path: Path, run) -> None:
    source = tmp_path / "manifest.yaml"
    source.write_bytes((ROOT / "examples/kecamatan-lembah-hijau/manifest.yaml").read_bytes())
    before = source.read_bytes()
    result = run("convert", source, source, "--force")
    assert result.code == 2 and "Traceback" not in result.err
    assert source.read_bytes() == before


def test_blank_answers_are_no_answers() -> None:
    data = {"unit": {"nama": "X", "alamat": None, "kode": "  "},
            "inovasi": {"daftar": [{"nama": None, "kompetisi": {"diikuti": None}}]},
            "maklumat": {"isi": []}, "sdm": {"motivasi": {"bentuk": None}}}
    assert drop_unanswered(data) == {"unit": {"nama": "X"}, "maklumat": {"isi": []}}
    assert drop_unanswered({"a": [1, None, 2], "b": False, "c": 0}) == \
        {"a": [1, 2], "b": False, "c": 0}


def test_an_objects_keys_are_asked_together(model) -> None:
    """The SP decree's date is read directly only by a statutory rule, but it is asked beside
    who set the decree (read by the PEKPPP indicator), not on another ruleset's page."""
    _section, indicator = model.home("standar_pelayanan.penetapan.tanggal")
    assert indicator.rule == "pekppp.1.a.Ak"
    assert model.home("standar_pelayanan.penetapan.oleh")[1].rule == "pekppp.1.a.Ak"
    rules = {f.rule for f in model.questions["standar_pelayanan.penetapan.tanggal"].feeds}
    assert "pekppp.1.a.Ak" not in rules and rules  # it feeds others; it is asked here
    assert model.home("standar_pelayanan.publikasi.media")[1].rule == "pekppp.3.a.T"
    assert model.home("standar_pelayanan.publikasi.bukti")[1].rule == "pekppp.3.a.T"
    assert model.home("inovasi.daftar[].dukungan.payung_hukum")[1].rule == "pekppp.30.f.B"


def test_a_changed_rule_changes_the_questionnaire_by_itself(tmp_path: Path) -> None:
    """Nothing is written per indicator: a rule that starts reading a key makes that key feed
    it, with no other change."""
    folder = copy_ruleset(tmp_path)
    rule = folder / "b_sdm" / "11.b.K.yaml"
    before = build([(load_ruleset_folder(folder), "2022")], DAY)
    assert not any(f.rule == "pekppp.11.b.K"
                   for f in before.questions["sdm.penghargaan_pegawai.ada"].feeds)
    replace_once(rule, "- is_true: kode_etik.ada", "- is_true: kode_etik.ada\n"
                 "            - is_true: sdm.penghargaan_pegawai.ada")
    after = build([(load_ruleset_folder(folder), "2022")], DAY)
    assert after.questions["sdm.penghargaan_pegawai.ada"].levels_of("pekppp.11.b.K") == (1,)
