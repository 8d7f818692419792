"""The bundled ``ombudsman`` and ``uu25`` rulesets: every rule's own examples, the 2022 weights,
several rulesets in one check, the 2025 gap, the complaint-log and user-interview derivers, and
the 2022–2024 arithmetic worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from patuh.rulebook import Ruleset
from patuh.rulebook import load_ruleset
from patuh.ruletests import ExampleRun
from patuh.ruletests import run_examples
from patuh.validation import validator

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ("ombudsman", "uu25")
SHOWCASE = ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"
LOG_HEADER = ("nomor,tanggal_diterima,tanggal_tanda_terima,tanggal_lengkap,tanggal_tanggapan,"
              "tanggal_keputusan,tanggal_pemberitahuan")


# --- every rule's own examples --------------------------------------------------------------

def _rule_files(ruleset: str) -> list[Path]:
    return sorted(p for p in (ROOT / "rules" / ruleset).rglob("*.yaml")
                  if p.name != "ruleset.yaml")


def _example_params() -> list[Any]:
    params = []
    for ruleset in RULESETS:
        for file in _rule_files(ruleset):
            data = yaml.safe_load(file.read_text("utf-8"))
            examples = [e for v in data["versions"] for e in (v.get("examples") or [])]
            for index, example in enumerate(examples):
                params.append(pytest.param(data["id"], index, str(example.get("name")),
                                           id=f"{data['id']}-{index}"))
    return params


@pytest.fixture(scope="module")
def rulesets() -> dict[str, Ruleset]:
    return {rid: load_ruleset(rid) for rid in RULESETS}


@pytest.fixture(scope="module")
def runs(rulesets: dict[str, Ruleset]) -> dict[str, list[ExampleRun]]:
    return {rule.id: run_examples(rule) for rs in rulesets.values() for rule in rs.rules}


def describe(run: ExampleRun) -> str:
    unmet = "\n".join(f"    - {u.message.en}" for u in run.result.unmet) or "    (none)"
    expected = (f"score {run.expected_score}" if run.expected_score is not None
                else f"level {run.expected_level}")
    return (f"{run.rule.id} v{run.version.version} example {run.name!r}: expected {expected} "
            f"({run.expected_status or 'any status'}), got level {run.result.level} / score "
            f"{run.actual_score} ({run.result.status}); unmet:\n{unmet}")


@pytest.mark.parametrize(("rule_id", "index", "name"), _example_params())
def test_example(rule_id: str, index: int, name: str,
                 runs: dict[str, list[ExampleRun]]) -> None:
    run = runs[rule_id][index]
    assert run.name == name
    assert run.ok, describe(run)


def test_every_rule_file_is_loaded(rulesets: dict[str, Ruleset]) -> None:
    for rid, ruleset in rulesets.items():
        assert len(ruleset.rules) == len(_rule_files(rid)), rid


def test_every_rule_version_has_a_passing_and_a_failing_or_missing_example(
        rulesets: dict[str, Ruleset], runs: dict[str, list[ExampleRun]]) -> None:
    problems = []
    for ruleset in rulesets.values():
        for rule in ruleset.rules:
            for version in rule.versions:
                mine = [r for r in runs[rule.id] if r.version is version and r.ok]
                if not any(r.result.status == "pass" for r in mine):
                    problems.append(f"{rule.id} v{version.version}: no passing example")
                if not any(r.result.status in ("fail", "missing") for r in mine):
                    problems.append(f"{rule.id} v{version.version}: no failing or missing "
                                    "example")
    assert not problems, "\n".join(problems)


def test_every_rule_has_an_example_where_the_data_says_no(
        rulesets: dict[str, Ruleset], runs: dict[str, list[ExampleRun]]) -> None:
    lacking = [rule.id for rs in rulesets.values() for rule in rs.rules
               if not any(r.result.status in ("fail", "partial") and r.ok
                          for r in runs[rule.id])]
    assert not lacking


def test_every_borrowed_rule_exists(rulesets: dict[str, Ruleset]) -> None:
    uu25 = {rule.id for rule in rulesets["uu25"].rules}
    for edition in rulesets["ombudsman"].editions:
        for aspect in edition.aspects:
            for rule_id, _ in aspect.include:
                assert rule_id in uu25, (edition.edition, aspect.id, rule_id)


# --- the 2022 edition's weights -------------------------------------------------------------

def test_2022_dimension_weights(rulesets: dict[str, Ruleset]) -> None:
    edition = rulesets["ombudsman"].edition_named("2022")
    assert edition is not None
    assert rulesets["ombudsman"].edition_for(date(2023, 6, 30)) is edition
    weights = {a.id: a.weight for a in edition.aspects}
    assert weights == {"input": Decimal("21.85"), "proses": Decimal("32.37"),
                       "output": Decimal("24.24"), "pengaduan": Decimal("21.54")}
    assert sum(weights.values()) == 100


# --- several rulesets in one check ----------------------------------------------------------

def _valid(report: dict[str, Any]) -> None:
    errors = list(validator("report").iter_errors(report))
    assert not errors, errors[0].message


def test_two_rulesets_in_one_json_document(run) -> None:
    result = run("check", SHOWCASE, "--ruleset", "pekppp", "--ruleset", "ombudsman",
                 "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"schema_version", "reports"}
    assert data["schema_version"] == 1
    assert [r["ruleset"]["id"] for r in data["reports"]] == ["pekppp", "ombudsman"]
    for report in data["reports"]:
        _valid(report)
    # each report is the one a single-ruleset check gives
    alone = json.loads(run("check", SHOWCASE, "--ruleset", "ombudsman", "--format", "json").out)
    assert data["reports"][1] == alone


def test_ruleset_all(run) -> None:
    result = run("check", SHOWCASE, "--ruleset", "all", "--format", "json")
    assert result.code == 0, result.err
    reports = json.loads(result.out)["reports"]
    assert [r["ruleset"]["id"] for r in reports] == ["ombudsman", "pekppp", "skm", "uu25"]
    for report in reports:
        _valid(report)
    text = run("check", SHOWCASE, "--ruleset", "all")
    assert text.code == 0
    assert text.out.count("Predikat: ") == 4


def test_the_same_ruleset_twice_is_checked_once(run) -> None:
    result = run("check", SHOWCASE, "--ruleset", "uu25", "--ruleset", "uu25", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["ruleset"]["id"] == "uu25"


# --- 2025: no published instrument ----------------------------------------------------------

def test_2025_stops_and_asks_for_an_edition(run, write_manifest) -> None:
    for argv in (["check", SHOWCASE, "--as-of", "2025-03-01"],
                 ["check", write_manifest({"periode": {"tahun": 2025}})]):
        result = run(*argv, "--ruleset", "ombudsman", "--lang", "en")
        assert result.code == 2, result.err
        assert "Peraturan Ombudsman 61/2025" in result.err
        assert "--edition" in result.err
        assert result.out == ""
        assert "Traceback" not in result.err


# --- where borrowed rules count: patuh's reading, listed with the source confidence -------------

def test_placement_of_borrowed_rules_is_listed_as_inferred(run) -> None:
    argv = ("check", SHOWCASE, "--ruleset", "ombudsman", "--as-of", "2023-06-30")
    result = run(*argv, "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    _valid(report)
    placements = {e["placement"]["aspect"]: e for e in report["confidence"]["scoring"]
                  if "placement" in e}
    assert set(placements) == {"input", "proses", "pengaduan"}
    assert placements["proses"]["placement"]["rules"] == [
        "uu25.15a", "uu25.20", "uu25.21", "uu25.22", "uu25.pp96-30", "uu25.pp96-32",
        "uu25.pp96-33", "uu25.23-4"]
    assert placements["pengaduan"]["placement"]["rules"] == [
        "uu25.36", "uu25.37", "uu25.44", "uu25.50"]
    assert placements["input"]["placement"]["rules"] == ["uu25.29"]
    for entry in placements.values():
        assert entry["confidence"] == "inferred" and entry["reference_tag"] == "NF"
    assert "1/15" in placements["proses"]["caveats"][0]["en"]
    # every rule counted in Proses, own or borrowed: 15, as the disclosure says
    proses = [r for r in report["results"] if r["aspect"] == "proses"]
    assert len(proses) == 15
    text = run(*argv, "--lang", "en").out
    confidence = text[text.index("Source confidence"):]
    line = "patuh: kewajiban UU 25/2009 dan PP 96/2012 di dimensi Proses: inferred [NF]"
    assert line in confidence
    assert "instead of 1/11" in confidence


def test_every_ombudsman_rule_names_an_article_or_says_none_was_found(rulesets) -> None:
    for rule in rulesets["ombudsman"].rules:
        for version in rule.versions:
            article = version.source.get("article", "")
            assert "Pasal" in article or "Indikator" in article or \
                article.startswith("tidak ditemukan: "), (rule.id, version.version)


def test_the_2021_edition_lists_no_placement() -> None:
    ruleset = load_ruleset("ombudsman")
    edition = ruleset.edition_named("2021")
    assert all("source" not in i for a in edition.raw["aspects"] for i in a.get("include", ()))


def test_2022_tags_are_not_carried_over_from_earlier_rounds(rulesets) -> None:
    """The 2022–2024 indicator lists were not found: rules placed in Proses, Input facilities
    or Pengaduan by patuh's reading carry NF, not the tag of a 2013/2019 item."""
    day = date(2023, 6, 30)
    for rule in rulesets["ombudsman"].rules:
        name = rule.id.split(".", 1)[1]
        if name.startswith(("tampil-", "ruang-")) or name in (
                "sp-elektronik", "toilet", "laporan-pengaduan"):
            source = rule.version_at(day).source
            assert (source["confidence"], source["reference_tag"]) == ("inferred", "NF"), rule.id


@pytest.mark.parametrize(("as_of", "reason"), [
    ("2012-06-30", "2013"), ("2009-07-18", "2013"), ("2012-12-31", "2013"),
    ("2020-06-30", "2020"), ("2020-01-01", "2020"), ("2020-12-31", "2020")])
def test_dates_with_no_assessment_are_refused_with_the_reason(run, as_of, reason) -> None:
    """The 2021 edition spans 2009-07-18 … 2021-12-31, but there was no assessment before
    2013 nor in 2020: a zone for such a date would be invented."""
    for command in (("check", SHOWCASE, "--ruleset", "ombudsman"),
                    ("predicate", "ombudsman", "77.73")):
        result = run(*command, "--as-of", as_of, "--lang", "en")
        assert result.code == 2, (command, result.out, result.err)
        assert result.out == ""
        assert "no Ombudsman compliance assessment" in result.err
        assert reason in result.err and as_of in result.err
        assert "--edition" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("as_of", ["2013-06-30", "2019-06-30", "2019-12-31", "2021-01-01",
                                   "2021-06-30"])
def test_dates_of_an_assessment_still_get_a_zone(run, as_of) -> None:
    result = run("check", SHOWCASE, "--ruleset", "ombudsman", "--as-of", as_of,
                 "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["ruleset"]["edition"] == "2021" and report["estimate"] is None
    assert report["predicate"]["code"] in {"Hijau", "Kuning", "Merah"}
    assert run("predicate", "ombudsman", "77.73", "--as-of", as_of).code == 0


def test_a_gap_inside_an_edition_with_a_named_edition_is_an_estimate(run) -> None:
    result = run("check", SHOWCASE, "--ruleset", "ombudsman", "--as-of", "2020-06-30",
                 "--edition", "2021", "--format", "json")
    assert result.code == 0, result.err
    estimate = json.loads(result.out)["estimate"]
    assert estimate["en"].startswith("ESTIMATE") and "2020" in estimate["en"]


def test_the_2025_gap_says_what_is_known(run) -> None:
    result = run("check", SHOWCASE, "--ruleset", "ombudsman", "--as-of", "2025-03-01",
                 "--lang", "en")
    assert result.code == 2
    assert "70 %" in result.err and "30 %" in result.err
    assert "Opini Kualitas Tertinggi Tanpa Maladministrasi" in result.err
    assert "Not found" in result.err


def test_2025_with_a_named_edition_is_an_estimate(run) -> None:
    argv = ("check", SHOWCASE, "--ruleset", "ombudsman", "--as-of", "2025-03-01",
            "--edition", "2022")
    result = run(*argv, "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    _valid(report)
    assert report["ruleset"]["edition"] == "2022"
    assert report["estimate"]["en"].startswith("ESTIMATE")
    assert "Peraturan Ombudsman 61/2025" in report["estimate"]["id"]
    for lang, warning, predicate in (("id", "!! PERKIRAAN:", "Predikat:"),
                                     ("en", "!! ESTIMATE:", "Predicate:")):
        lines = run(*argv, "--lang", lang).out.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(predicate))
        block = [line for line in lines[3:at] if line.strip()]
        assert len(block) == 1 and block[0].startswith(warning), lines[:at + 1]


def test_an_edition_named_before_its_period_is_an_estimate_in_whole_sentences(run) -> None:
    """A date before the 2022 edition with no gap declared: the fallback reason is a sentence
    of its own ("… tidak berlaku pada 2021-09-15. Hasil ini …")."""
    manifest = ROOT / "examples" / "disdukcapil-kota-harapan-2021" / "manifest.yaml"
    result = run("check", manifest, "--ruleset", "ombudsman", "--edition", "2022",
                 "--format", "json")
    assert result.code == 0, result.err
    estimate = json.loads(result.out)["estimate"]
    assert estimate["id"].startswith("PERKIRAAN: edisi 2022 tidak berlaku pada 2021-09-15")
    assert estimate["en"].startswith("ESTIMATE: edition 2022 is not in force on 2021-09-15")
    assert "2021-09-15. Hasil ini" in estimate["id"], estimate["id"]
    assert "2021-09-15. This result" in estimate["en"], estimate["en"]


def test_in_force_edition_is_not_an_estimate(run) -> None:
    result = run("check", SHOWCASE, "--ruleset", "ombudsman", "--edition", "2022",
                 "--format", "json")
    assert json.loads(result.out)["estimate"] is None
    assert "!!" not in run("check", SHOWCASE, "--ruleset", "ombudsman").out


# --- the complaint log ----------------------------------------------------------------------

def check_json(run, manifest: Path, ruleset: str, *argv: str) -> dict[str, Any]:
    result = run("check", manifest, "--ruleset", ruleset, "--format", "json", *argv)
    assert result.code == 0, result.err
    return json.loads(result.out)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["rule_id"]: r for r in report["results"]}


def reasons(result: dict[str, Any], lang: str = "en") -> str:
    return "\n".join(u["message"][lang] for u in result["unmet"])


def log_unit(write_manifest, rows: list[str], *, as_of: str = "2024-06-30",
             text: str | None = None, raw: bytes | None = None) -> Path:
    manifest = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": as_of},
                               "pengaduan": {"log": {"berkas": "log.csv"}}})
    target = manifest.parent / "log.csv"
    if raw is not None:
        target.write_bytes(raw)
    else:
        target.write_text(text if text is not None else "\n".join([LOG_HEADER, *rows]) + "\n",
                          encoding="utf-8")
    return manifest


def test_late_reply_and_late_decision_are_named(run, write_manifest) -> None:
    manifest = log_unit(write_manifest, [
        # on time everywhere: reply on day 14, decision on day 60, notice on day 14
        "OK-1,2024-01-02,2024-01-02,2024-01-03,2024-01-16,2024-03-03,2024-03-17",
        # reply on day 15 (2 Feb → 17 Feb)
        "LATE-REPLY,2024-02-02,2024-02-02,2024-02-05,2024-02-17,2024-03-01,2024-03-04",
        # decided 61 days after the file was complete (1 Mar → 1 May)
        "LATE-DECISION,2024-03-01,2024-03-01,2024-03-01,2024-03-05,2024-05-01,2024-05-02",
    ])
    results = by_id(check_json(run, manifest, "uu25"))
    reply, decision = results["uu25.44"], results["uu25.50"]
    assert reply["status"] == "fail" and decision["status"] == "fail"
    assert "1 of 3 do not comply" in reasons(reply)
    assert "LATE-REPLY" in reasons(reply) and "limit 2024-02-16" in reasons(reply)
    assert "LATE-DECISION" not in reasons(reply) and "OK-1" not in reasons(reply)
    assert "LATE-DECISION" in reasons(decision) and "limit 2024-04-30" in reasons(decision)
    assert "LATE-REPLY" not in reasons(decision) and "OK-1" not in reasons(decision)
    assert "LATE-REPLY" in reasons(reply, "id")  # named in both languages


def test_open_cases_count_against_their_deadline_only_once_it_has_passed(
        run, write_manifest) -> None:
    # evaluation date 30 June 2024
    within = log_unit(write_manifest, [
        "BARU,2024-06-20,2024-06-20,,,,",             # no reply yet, day 10 of 14
        "PROSES,2024-05-02,2024-05-02,2024-05-02,2024-05-06,,",  # no decision yet, day 59 of 60
    ])
    results = by_id(check_json(run, within, "uu25"))
    assert results["uu25.44"]["status"] == "pass", reasons(results["uu25.44"])
    assert results["uu25.50"]["status"] == "pass", reasons(results["uu25.50"])
    past = log_unit(write_manifest, [
        "LAMA,2024-06-15,2024-06-15,,,,",             # no reply on day 15
        "MACET,2024-04-30,2024-04-30,2024-04-30,2024-05-06,,",  # no decision on day 61
        "DIAM,2024-03-01,2024-03-01,2024-03-01,2024-03-04,2024-04-01,",  # no notice, day 90
    ])
    results = by_id(check_json(run, past, "uu25"))
    assert results["uu25.44"]["status"] == "fail"
    assert "LAMA" in reasons(results["uu25.44"])
    # the case is named by its number and its columns, not by a derived path
    assert "LAMA: tanggal_diterima = 2024-06-15: no tanggal_tanggapan by 2024-06-30" in \
        reasons(results["uu25.44"])
    assert "pengaduan.log.kasus" not in reasons(results["uu25.44"])
    assert results["uu25.50"]["status"] == "fail"
    assert "MACET" in reasons(results["uu25.50"]) and "DIAM" in reasons(results["uu25.50"])
    assert "(until 2024-06-29) has passed" in reasons(results["uu25.50"])


def test_a_case_without_receipt_date_is_missing_not_failed(run, write_manifest) -> None:
    manifest = log_unit(write_manifest, ["X-1,2024-06-03,,,2024-06-05,,"])
    results = by_id(check_json(run, manifest, "uu25"))
    assert results["uu25.44"]["status"] == "missing"
    assert "X-1" in reasons(results["uu25.44"])


def test_log_file_appears_in_the_digests(run, write_manifest) -> None:
    manifest = log_unit(write_manifest, ["OK,2024-06-03,2024-06-03,,2024-06-05,,"])
    report = check_json(run, manifest, "uu25")
    assert "log.csv" in report["digests"]["evidence"]


@pytest.mark.parametrize(("content", "line", "words"), [
    (f"{LOG_HEADER}\nA-1,2024-03-01,2024-03-01,,,,\nA-2,31/13/2024,,,,,\n", 3,
     ["tanggal_diterima", "31/13/2024", "not a date", "31 Oktober 2025"]),
    (f"{LOG_HEADER}\nA-1,2024-03-01,2024-03-32,,,,\n", 2, ["tanggal_tanda_terima", "2024-03-32"]),
    ("nomor,tanggal,tanggal_tanggapan\nA-1,2024-03-01,2024-03-02\n", 1,
     ["'tanggal_diterima'", "header"]),
    (f"{LOG_HEADER}\nA-1,,2024-03-01,,,,\n", 2, ["'tanggal_diterima'", "empty"]),
    ("", 1, ["empty"]),
    ("\n\n", 1, ["empty"]),
])
def test_bad_complaint_log(run, write_manifest, content: str, line: int,
                           words: list[str]) -> None:
    manifest = log_unit(write_manifest, [], text=content)
    result = run("check", manifest, "--ruleset", "uu25", "--lang", "en")
    assert result.code == 2, result.out
    assert f"log.csv:{line}" in result.err, result.err
    for word in words:
        assert word in result.err, (word, result.err)
    assert "Traceback" not in result.err and result.out == ""


def test_semicolon_log_with_bom_works(run, write_manifest) -> None:
    rows = [LOG_HEADER.replace(",", ";") + ";kanal;keterangan",
            "S-1;2024-06-03;2024-06-03;2024-06-04;2024-06-10;2024-06-20;2024-06-21;surat;"
            "Balasan, lengkap",
            "S-2;2024-05-02;2024-05-02;;2024-05-31;;;telepon_sms;"]
    manifest = log_unit(write_manifest, [],
                        raw=("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    results = by_id(check_json(run, manifest, "uu25"))
    assert results["uu25.50"]["status"] == "pass"
    assert results["uu25.44"]["status"] == "fail"
    assert "S-2" in reasons(results["uu25.44"]) and "S-1" not in reasons(results["uu25.44"])


# --- user interviews ------------------------------------------------------------------------

INTERVIEWS = """\
responden,tanggal,layanan,penundaan_berlarut,permintaan_imbalan,tidak_kompeten,diskriminasi
R1,2024-06-01,KTP-el,tidak,tidak,tidak,tidak
R2,2024-06-01,KK,ya,tidak,tidak,tidak
R3,2024-06-02,KIA,ya,ya,,tidak
R4,2024-06-02,Akta,TIDAK,tidak,ya,
R5,2024-06-03,KTP-el,tidak,tidak,tidak,tidak
"""
# 5 users x 4 questions = 20 cells, 2 left blank (not asked) -> 18 answers.
# "ya": R2 penundaan, R3 penundaan + imbalan, R4 tidak_kompeten = 4 -> 14 "tidak".
# score = 14 / 18 * 100 = 77.777… -> 77.78; per question: penundaan 2/5 ya -> 60,
# imbalan 1/5 -> 80, tidak_kompeten 1/4 -> 75, diskriminasi 0/4 -> 100.
INTERVIEW_SCORE = 77.78


def interview_unit(write_manifest, section: dict[str, Any], text: str | None = None) -> Path:
    manifest = write_manifest({"periode": {"tahun": 2024}, "wawancara_pengguna": section})
    if text is not None:
        (manifest.parent / "wawancara.csv").write_text(text, encoding="utf-8")
    return manifest


def test_interview_score_is_the_share_of_tidak(run, write_manifest) -> None:
    manifest = interview_unit(write_manifest, {"berkas": "wawancara.csv"}, INTERVIEWS)
    report = check_json(run, manifest, "ombudsman")
    result = by_id(report)["ombudsman.persepsi-maladministrasi"]
    assert result["score"] == INTERVIEW_SCORE
    assert result["status"] == "partial"
    (output,) = [a for a in report["aspects"] if a["id"] == "output"]
    assert output["score"] == 77.7778
    assert "wawancara.csv" in report["digests"]["evidence"]


def test_question_names_do_not_change_the_score(run, write_manifest) -> None:
    renamed = INTERVIEWS.replace("penundaan_berlarut,permintaan_imbalan,tidak_kompeten,"
                                 "diskriminasi", "q1,q2,q3,q4")
    manifest = interview_unit(write_manifest, {"berkas": "wawancara.csv"}, renamed)
    result = by_id(check_json(run, manifest, "ombudsman"))["ombudsman.persepsi-maladministrasi"]
    assert result["score"] == INTERVIEW_SCORE


def test_interview_cell_that_is_not_ya_or_tidak(run, write_manifest) -> None:
    manifest = interview_unit(write_manifest, {"berkas": "wawancara.csv"},
                              INTERVIEWS.replace("R4,2024-06-02,Akta,TIDAK",
                                                 "R4,2024-06-02,Akta,mungkin"))
    result = run("check", manifest, "--ruleset", "ombudsman", "--lang", "en")
    assert result.code == 2
    assert "wawancara.csv:5" in result.err  # header is line 1, R4 is line 5
    assert "penundaan_berlarut" in result.err and "'mungkin'" in result.err
    assert "Traceback" not in result.err


def test_interview_rekap(run, write_manifest) -> None:
    manifest = interview_unit(write_manifest, {"rekap": {"responden": 30,
                                                         "tanpa_maladministrasi_persen": 86.5}})
    result = by_id(check_json(run, manifest, "ombudsman"))["ombudsman.persepsi-maladministrasi"]
    assert (result["score"], result["status"]) == (86.5, "partial")


def test_measured_score_is_shown_as_a_decimal_number(run, write_manifest) -> None:
    """The reason under a measured score quotes the fact as the user wrote it (82.5), not as
    the exact fraction patuh computes with (165/2)."""
    manifest = interview_unit(write_manifest, {"rekap": {"responden": 30,
                                                         "tanpa_maladministrasi_persen": 82.5}})
    result = by_id(check_json(run, manifest, "ombudsman"))["ombudsman.persepsi-maladministrasi"]
    assert result["score"] == 82.5
    text = reasons(result, "id")
    assert "165/2" not in text
    assert "82.5" in text or "82,5" in text, text


def test_no_claim_that_every_indicator_is_at_its_maximum_while_a_score_is_partial(
        run) -> None:
    """The showcase's Output (95.53) and Rekomendasi Ombudsman (75) scores are below 100: the
    improvement plan must not say that every indicator is at its maximum."""
    report = check_json(run, SHOWCASE, "ombudsman")
    partial = {r["rule_id"]: r["score"] for r in report["results"] if r["status"] == "partial"}
    assert partial == {"ombudsman.paham-rekomendasi": 75.0,
                       "ombudsman.persepsi-maladministrasi": 95.53}
    assert "Every indicator is at its maximum level." not in \
        run("check", SHOWCASE, "--ruleset", "ombudsman", "--lang", "en").out
    assert "Semua indikator sudah di level maksimum." not in \
        run("check", SHOWCASE, "--ruleset", "ombudsman").out


def test_measured_rule_without_data_is_missing_and_scores_zero(run, write_manifest) -> None:
    report = check_json(run, write_manifest({"periode": {"tahun": 2024}}), "ombudsman")
    result = by_id(report)["ombudsman.persepsi-maladministrasi"]
    assert result["status"] == "missing"
    assert result["score"] is None
    (output,) = [a for a in report["aspects"] if a["id"] == "output"]
    assert output["score"] == 0


# --- the 2022–2024 arithmetic by hand -------------------------------------------------------

HAND = {
    "periode": {"tahun": 2024, "tanggal_penilaian": "2024-06-30"},
    "standar_pelayanan": {
        "ada": True,
        "penetapan": {"oleh": "kepala_unit", "tanggal": "2024-03-01", "bukti": ["sk-sp.pdf"]},
    },
    "maklumat": {"publikasi": {"tanggal": "2024-03-05"}},
    "sdm": {"wawancara_pelaksana": {"responden": 4,
                                    "paham": {"komponen_standar": 2, "tugas_wewenang": 3}}},
    "sarana_prasarana": {"ruang_tunggu": {"ada": True, "bukti": ["ruang-tunggu.jpg"]},
                         "toilet": {"ada": True, "bukti": ["toilet.jpg"]}},
    "pengaduan": {"akuntabilitas": {"tahapan": ["diarsipkan", "dilaporkan"],
                                    "bukti": ["laporan.pdf"]},
                  "log": {"berkas": "log.csv"}},
    "wawancara_pengguna": {"rekap": {"responden": 30, "tanpa_maladministrasi_persen": 90}},
}
# Input, 14 indicators: ruang-tunggu and toilet 100 each; paham-komponen-standar 2/4 = 50,
#   paham-tugas-wewenang 3/4 = 75; the four other paham-* have a respondent count but no
#   answer count (missing, 0); everything else has no data (0).
#   Input = (100 + 100 + 50 + 75) / 14 = 325/14 = 23.2142857…
# Proses, 15 indicators: uu25.15a (SP set by the head of unit, decree attached), uu25.pp96-30
#   (SP Fri 1 Mar 2024, maklumat Tue 5 Mar: 2nd working day) and uu25.pp96-33 (SP adopted
#   4 months ago) pass; nothing else has data.  Proses = 3 × 100 / 15 = 20
# Output, 1 indicator: 90.  Output = 90
# Pengaduan, 5 indicators: laporan-pengaduan (reported, with the report), uu25.44 and uu25.50
#   (one complaint, every step on time) pass; uu25.36 and uu25.37 have no data.
#   Pengaduan = 3 × 100 / 5 = 60
# Final = (21.85 × 325/14 + 32.37 × 20 + 24.24 × 90 + 21.54 × 60) / 100
#       = (507.2321428… + 647.4 + 2181.6 + 1292.4) / 100 = 46.286321… -> 46.29 -> D (≥ 32)
HAND_ASPECTS = {"input": 23.2143, "proses": 20.0, "output": 90.0, "pengaduan": 60.0}
HAND_PASS = {"ombudsman.ruang-tunggu", "ombudsman.toilet", "uu25.15a", "uu25.pp96-30",
             "uu25.pp96-33", "ombudsman.laporan-pengaduan", "uu25.44", "uu25.50"}
HAND_PARTIAL = {"ombudsman.paham-komponen-standar": 50.0, "ombudsman.paham-tugas-wewenang": 75.0,
                "ombudsman.persepsi-maladministrasi": 90.0}


def test_2022_arithmetic_by_hand(run, write_manifest) -> None:
    manifest = write_manifest(HAND, files=("sk-sp.pdf", "ruang-tunggu.jpg", "toilet.jpg",
                                           "laporan.pdf"))
    (manifest.parent / "log.csv").write_text(
        f"{LOG_HEADER}\nH-1,2024-04-01,2024-04-01,2024-04-02,2024-04-05,2024-04-30,2024-05-02\n",
        encoding="utf-8")
    report = check_json(run, manifest, "ombudsman")
    assert report["ruleset"]["edition"] == "2022"
    results = by_id(report)
    assert len(results) == 14 + 15 + 1 + 5
    passed = {rid for rid, r in results.items() if r["status"] == "pass"}
    assert passed == HAND_PASS
    assert {rid: r["score"] for rid, r in results.items() if r["status"] == "partial"} == \
        HAND_PARTIAL
    for rid in ("ombudsman.paham-ombudsman", "ombudsman.paham-maladministrasi",
                "ombudsman.paham-rekomendasi", "ombudsman.paham-layanan-rentan"):
        assert results[rid]["status"] == "missing"
    assert {a["id"]: a["score"] for a in report["aspects"]} == HAND_ASPECTS
    assert {a["id"]: a["weight"] for a in report["aspects"]} == \
        {"input": 21.85, "proses": 32.37, "output": 24.24, "pengaduan": 21.54}
    assert report["score"]["unrounded"] == 46.286321
    assert report["score"]["final"] == 46.29
    assert report["predicate"]["code"] == "D"
    assert report["predicate"]["zone"]["id"] == "Zona Merah"
    assert report["next_band"]["code"] == "C" and report["next_band"]["gap"] == 7.71
