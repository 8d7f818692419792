"""Policy-team tools: editions through time, `rules diff`, drafts, `rules impact`, `rules test`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from rulecopies import RULES
from rulecopies import replace_once

ROOT = Path(__file__).resolve().parents[1]
DPMPTSP = ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"


def diff_json(run, a: str, b: str) -> dict:
    result = run("rules", "diff", a, b, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_ombudsman_2021_to_2022(run) -> None:
    d = diff_json(run, "ombudsman@2021", "ombudsman@2022")
    assert set(d["aspects"]["added"]) == {"input", "proses", "output"}
    assert "sdm" in d["aspects"]["removed"]
    assert d["aspects"]["changed"]["pengaduan"]["weight"] == {"from": 0.0, "to": 21.54}
    assert set(d["bands"]["added"]) == {"A", "B", "C", "D", "E"}
    assert set(d["bands"]["removed"]) == {"Hijau", "Kuning", "Merah"}
    assert d["scoring"]["pool"] == {"from": "rules", "to": "aspects"}
    assert "ombudsman.persepsi-maladministrasi" in d["rules"]["added"]
    assert "ombudsman.atribut-petugas" in d["rules"]["removed"]
    moved = d["rules"]["changed"]["ombudsman.ruang-tunggu"]
    assert moved["aspect"] == {"from": "sarana", "to": "input"}
    assert moved["version"] == {"from": 1, "to": 2}
    assert "confidence" in moved


def test_skm_2014_to_2017_names_the_unsur_change(run) -> None:
    d = diff_json(run, "skm@2014", "skm@2017")
    before = {u["code"]: u["id"] for u in d["scoring"]["unsur"]["from"]}
    after = {u["code"]: u["id"] for u in d["scoring"]["unsur"]["to"]}
    assert "Maklumat" in before["U8"] and "Sarana" in after["U9"]
    assert "Maklumat pelayanan" not in after.values()
    assert d["not_encoded"] == ["skm@2014"]
    text = run("rules", "diff", "skm@2014", "skm@2017", "--lang", "en").out
    assert "U8: Service pledge → Handling of complaints, suggestions and input" in text
    assert "U9: Handling of complaints, suggestions and input → Facilities" in text


def test_pekppp_17_2017_weights_only(run) -> None:
    d = diff_json(run, "pekppp@2017", "pekppp@2022")
    weights = {k: (v["weight"]["from"], v["weight"]["to"])
               for k, v in d["aspects"]["changed"].items()}
    assert weights == {"a": (30.0, 24.0), "b": (18.0, 25.0), "c": (15.0, 18.0),
                       "d": (15.0, 11.0), "e": (15.0, 10.0), "f": (7.0, 12.0)}
    assert d["aspects"]["added"] == ["g"]  # the queue item left Kebijakan, unweighted
    assert d["not_encoded"] == ["pekppp@2017"]
    assert len(d["rules"]["added"]) == 31
    assert d["bands"]["changed"] == {}


def test_the_same_edition_twice_has_no_differences(run) -> None:
    text = run("rules", "diff", "uu25@2009", "uu25").out
    assert "tidak ada perbedaan" in text


def make_draft(tmp_path: Path) -> Path:
    """A proposal: 6.a.B weighs 21 instead of 17, and 7.a.T 3 instead of 7."""
    draft = tmp_path / "draft"
    draft.mkdir()
    for name, old, new in [("6.a.B.yaml", "weight: 17", "weight: 21"),
                           ("7.a.T.yaml", "weight: 7", "weight: 3")]:
        target = draft / name
        shutil.copy(RULES / "a_kebijakan" / name, target)
        replace_once(target, old, new)
    return draft


def test_draft_diff_and_impact(tmp_path: Path, run) -> None:
    draft = make_draft(tmp_path)
    d = diff_json(run, "pekppp@2022", str(draft))
    assert d["rules"]["changed"]["pekppp.6.a.B"] == {"weight": {"from": 17.0, "to": 21.0}}
    assert d["rules"]["changed"]["pekppp.7.a.T"] == {"weight": {"from": 7.0, "to": 3.0}}
    assert not d["rules"]["added"] and not d["rules"]["removed"]

    result = run("rules", "impact", "pekppp@2022", draft, DPMPTSP, "--format", "json")
    assert result.code == 0, result.err
    (unit,) = json.loads(result.out)["units"]
    # DPMPTSP: 6.a.B at 5/5, 7.a.T at 4/5; F-03 present, so the F-02 share is 0.75:
    #   6.a.B: 0.75 × 0.24 × (21 − 17)/100 × 5 = +0.0360
    #   7.a.T: 0.75 × 0.24 × (3 − 7)/100 × 4   = −0.0288
    effects = {m["rule_id"]: m["effect"] for m in unit["movers"]}
    assert effects == {"pekppp.6.a.B": 0.036, "pekppp.7.a.T": -0.0288}
    assert unit["a"]["predicate"] == unit["b"]["predicate"] == "A"
    assert unit["delta"] == pytest.approx(unit["b"]["score"] - unit["a"]["score"])


def test_a_draft_that_breaks_the_weights_is_refused(tmp_path: Path, run) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    shutil.copy(RULES / "a_kebijakan" / "6.a.B.yaml", draft / "6.a.B.yaml")
    replace_once(draft / "6.a.B.yaml", "weight: 17", "weight: 18")
    result = run("rules", "diff", "pekppp@2022", draft, "--lang", "en")
    assert result.code == 2
    assert "add up to 101" in result.err


def test_impact_refuses_an_edition_known_only_in_part(run) -> None:
    result = run("rules", "impact", "pekppp@2017", "pekppp@2022", DPMPTSP, "--lang", "en")
    assert result.code == 2
    assert "known only in part" in result.err


def test_unknown_edition_names(run) -> None:
    assert run("rules", "diff", "nope@1", "uu25").code == 2
    assert run("rules", "diff", "uu25@1999", "uu25").code == 2


def test_rules_test_on_the_bundled_rules(run) -> None:
    result = run("rules", "test")
    assert result.code == 0, result.out
    assert " 0 gagal; cakupan uji lengkap" in result.out


def test_rules_test_shows_expected_actual_and_the_deciding_condition(tmp_path: Path,
                                                                      run) -> None:
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    rule = folder / "sarana" / "29.yaml"
    text = rule.read_text("utf-8")
    # make the failing example claim a pass
    index = text.index("status: fail")
    rule.write_text(text[:index].rsplit("level: 0", 1)[0] + "level: 1\n        "
                    + "status: pass" + text[index + len("status: fail"):], encoding="utf-8")
    result = run("rules", "test", folder, "--lang", "en")
    assert result.code == 1
    assert "FAIL uu25.29" in result.out
    assert "expected level 1 / pass, got level 0 / fail" in result.out
    assert "decided by level 1" in result.out


def test_rules_test_names_a_rule_without_a_failing_case(tmp_path: Path, run) -> None:
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    rule = folder / "sarana" / "29.yaml"
    data = yaml.safe_load(rule.read_text("utf-8"))
    for version in data["versions"]:
        version["examples"] = [e for e in version["examples"] if e["level"] == 1]
        version["examples"] *= 2  # the schema wants two examples
    rule.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = run("rules", "test", folder, "--lang", "en")
    assert result.code == 1
    assert "GAP  uu25.29: version 1: no failing case (level 0)" in result.out
    assert "FAIL" not in result.out


def test_cases_beside_a_rule_are_run(tmp_path: Path, run) -> None:
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    (folder / "sarana" / "29.cases.yaml").write_text(
        "cases:\n"
        "  - name: satu fasilitas cukup\n"
        "    level: 1\n"
        "    facts: {sarana_prasarana: {kelompok_rentan: {fasilitas: [ramp_pegangan],"
        " bukti: [ramp.jpg]}}}\n"
        "  - name: salah harapan\n"
        "    level: 1\n"
        "    facts: {sarana_prasarana: {kelompok_rentan: {fasilitas: []}}}\n",
        encoding="utf-8")
    result = run("rules", "test", folder, "--lang", "en")
    assert result.code == 1
    assert "29.cases.yaml: salah harapan" in result.out
    assert "29.cases.yaml: satu fasilitas cukup" not in result.out  # it passed
    assert run("rules", "validate", folder).code == 0  # a cases file is not a rule


# --- drafts for validate, test and docs ------------------------------------------------------

def test_validate_test_and_docs_accept_a_draft_folder(tmp_path: Path, run) -> None:
    draft = make_draft(tmp_path)
    result = run("rules", "validate", draft, "--lang", "en")
    assert result.code == 0, result.err
    assert result.out.startswith("OK pekppp (draft ")
    result = run("rules", "test", draft, "--lang", "en")
    assert result.code == 0, result.out
    assert " 0 failed; 0 gaps" in result.out
    result = run("rules", "docs", draft, "--edition", "2022", "-o", tmp_path / "docs")
    assert result.code == 0, result.err
    page = (tmp_path / "docs" / "pekppp-2022.en.md").read_text("utf-8")
    # the draft's weights, laid over the installed rules (which are all there)
    assert "| `pekppp.6.a.B` | The community satisfaction survey (SKM) is run per the " \
           "PermenPANRB | 21 |" in page
    assert "`pekppp.7.a.T`" in page and "| 3 |" in page
    assert "`pekppp.1.a.Ak`" in page
    # without -o a draft's pages go into the draft folder, never over docs/rules
    result = run("rules", "docs", draft, "--edition", "2022")
    assert result.code == 0, result.err
    assert (draft / "docs" / "pekppp-2022.id.md").is_file()


def test_a_broken_draft_fails_validate_and_test_naming_the_file(tmp_path: Path, run) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    shutil.copy(RULES / "a_kebijakan" / "6.a.B.yaml", draft / "6.a.B.yaml")
    replace_once(draft / "6.a.B.yaml", "weight: 17", "weight: 18")
    for command in ("validate", "test"):
        result = run("rules", command, draft, "--lang", "en")
        assert result.code == 2, result.out
        assert "add up to 101" in result.err
    result = run("rules", "validate", draft / "6.a.B.yaml", "--lang", "en")
    assert result.code == 2 and "add up to 101" in result.err


def test_a_draft_rule_with_a_failing_example_fails_rules_test(tmp_path: Path, run) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    rule = draft / "29.yaml"
    shutil.copy(ROOT / "rules" / "uu25" / "sarana" / "29.yaml", rule)
    text = rule.read_text("utf-8")
    index = text.index("status: fail")
    rule.write_text(text[:index].rsplit("level: 0", 1)[0] + "level: 1\n        "
                    + "status: pass" + text[index + len("status: fail"):], encoding="utf-8")
    result = run("rules", "test", draft, "--lang", "en")
    assert result.code == 1
    assert "FAIL uu25.29" in result.out and str(rule) in result.out


# --- what `rules diff` shows in words ---------------------------------------------------------

def test_diff_text_shows_thresholds_labels_and_dimension_weights(run) -> None:
    text = run("rules", "diff", "ombudsman@2021", "ombudsman@2022").out
    # rules/ombudsman/ruleset.yaml: bands A 88, B 78, C 54, D 32, E 0 (2 decimals);
    # 2021 zones Hijau 81, Kuning 51, Merah 0; dimensions input 21.85, proses 32.37, output 24.24
    for line in ["+ A  ≥ 88,00  Kualitas Tertinggi (zona: Zona Hijau)",
                 "+ B  ≥ 78,00  Kualitas Tinggi (zona: Zona Hijau)",
                 "+ C  ≥ 54,00  Kualitas Sedang (zona: Zona Kuning)",
                 "+ D  ≥ 32,00  Kualitas Rendah (zona: Zona Merah)",
                 "+ E  ≥ 0,00  Kualitas Terendah",
                 "- Hijau  ≥ 81,00  Zona Hijau", "- Kuning  ≥ 51,00  Zona Kuning",
                 "(bobot 21,85)", "(bobot 32,37)", "(bobot 24,24)",
                 "~ pengaduan bobot: 0 → 21,54"]:
        assert line in text, line
    assert "+ input  Dimensi Input" in text
    en = run("rules", "diff", "ombudsman@2021", "ombudsman@2022", "--lang", "en").out
    assert "+ A  ≥ 88.00  Highest quality (zone: Green zone)" in en
    assert "(weight 21.85)" in en


def test_diff_shows_a_changed_threshold_and_a_changed_condition_in_words(tmp_path: Path,
                                                                          run) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    shutil.copy(RULES / "ruleset.yaml", draft / "ruleset.yaml")
    text = (draft / "ruleset.yaml").read_text("utf-8")
    (draft / "ruleset.yaml").write_text(text.replace(
        "{code: A, min: 4.51,", "{code: A, min: 4.6,"), "utf-8")
    result = run("rules", "diff", "pekppp@2022", f"{draft}@2022", "--lang", "en")
    assert result.code == 0, result.err
    assert "~ A minimum score: 4.51 → 4.60" in result.out

    draft = tmp_path / "draft2"
    draft.mkdir()
    shutil.copy(ROOT / "rules" / "uu25" / "sarana" / "29.yaml", draft / "29.yaml")
    replace_once(draft / "29.yaml", "fasilitas, ge: 1}", "fasilitas, ge: 2}")
    result = run("rules", "diff", "uu25", draft)
    assert result.code == 0, result.err
    out = result.out
    assert "kondisi berubah" not in out
    assert "level 1: Ada fasilitas khusus kelompok rentan" in out
    before, after = out.index("sebelum:"), out.index("sesudah:")
    assert before < after
    assert "`count: {path: sarana_prasarana.kelompok_rentan.fasilitas, ge: 1}`" \
        in out[before:after]
    assert "`count: {path: sarana_prasarana.kelompok_rentan.fasilitas, ge: 2}`" in out[after:]


# --- `rules impact`: a summary, and a bad manifest is one error row --------------------------

KECAMATAN = ROOT / "examples" / "kecamatan-lembah-hijau" / "manifest.yaml"


def test_impact_summary_and_error_rows(tmp_path: Path, run) -> None:
    draft = make_draft(tmp_path)
    shutil.copy(RULES / "ruleset.yaml", draft / "ruleset.yaml")
    text = (draft / "ruleset.yaml").read_text("utf-8")
    # band A from 4.51 to 4.70 in the 2022 edition (the second A row in the file)
    head, tail = text.rsplit("{code: A, min: 4.51,", 1)
    (draft / "ruleset.yaml").write_text(head + "{code: A, min: 4.70," + tail, "utf-8")
    bad = tmp_path / "rusak.yaml"
    bad.write_text("unit: [\n", "utf-8")
    missing = tmp_path / "tidak-ada.yaml"
    result = run("rules", "impact", "pekppp@2022", f"{draft}@2022", DPMPTSP, bad, KECAMATAN,
                 missing, "--format", "json")
    assert result.code == 2
    assert "2 dari 4 manifest" in result.err
    data = json.loads(result.out)
    units = data["units"]
    assert [u["manifest"] for u in units] == [str(DPMPTSP), str(bad), str(KECAMATAN),
                                              str(missing)]
    assert str(bad) in units[1]["error"]["en"] and "YAML" in units[1]["error"]["en"]
    assert "not found" in units[3]["error"]["en"]
    dpmptsp, kecamatan = units[0], units[2]
    # the weights moved as in test_draft_diff_and_impact; A now starts at 4.70
    assert {m["rule_id"]: m["effect"] for m in dpmptsp["movers"]} == {
        "pekppp.6.a.B": 0.036, "pekppp.7.a.T": -0.0288}
    assert dpmptsp["a"]["predicate"] == "A" and dpmptsp["b"]["score"] < 4.70
    assert dpmptsp["b"]["predicate"] == "A-"
    assert kecamatan["a"]["predicate"] == kecamatan["b"]["predicate"]
    summary = data["summary"]
    assert (summary["units"], summary["scored"], summary["errors"]) == (4, 2, 2)
    assert summary["predicate_changed"] == [{"unit": dpmptsp["unit"], "manifest": str(DPMPTSP),
                                             "from": "A", "to": "A-"}]
    deltas = [dpmptsp["delta"], kecamatan["delta"]]
    assert summary["mean_delta"] == pytest.approx(sum(deltas) / 2)
    biggest = max((dpmptsp, kecamatan), key=lambda u: abs(u["delta"]))
    assert summary["largest_delta"]["delta"] == biggest["delta"]
    assert summary["largest_delta"]["manifest"] == biggest["manifest"]

    text = run("rules", "impact", "pekppp@2022", f"{draft}@2022", DPMPTSP, bad, KECAMATAN,
               "--lang", "en").out
    assert f"ERROR  ({bad})" in text
    assert "Summary: pekppp@2022 →" in text
    assert "3 units: 2 scored, 1 with errors" in text
    assert f"predicate changes: 1\n    {dpmptsp['unit']}: A → A-" in text
    assert f"largest change: {biggest['delta']:+.2f}  {biggest['unit']}" in text


def test_impact_with_only_good_manifests_exits_0(run) -> None:
    result = run("rules", "impact", "pekppp@2022", "pekppp@2022", DPMPTSP, KECAMATAN)
    assert result.code == 0, result.err
    assert "2 unit: 2 dinilai, 0 dengan kesalahan" in result.out
    assert "predikat berubah: 0" in result.out
    assert "rata-rata perubahan +0,000" in result.out


# --- `rules list`: a rule's share, not its raw weight with a percent sign -------------------

def _shares(out: str) -> dict[str, str]:
    rows = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        rows[parts[0]] = parts[3] if parts[3] != "bobot" else f"bobot {parts[4]}"
    return rows


def test_rules_list_shows_equal_weights_as_their_share(run) -> None:
    # uu25 pools its rules (scoring.pool: rules), every weight 1: each is 1/14 of the score
    out = run("rules", "list", "--ruleset", "uu25", "--as-of", "2024-06-01").out
    rules = yaml.safe_load((ROOT / "rules" / "uu25" / "ruleset.yaml").read_text("utf-8"))
    assert rules["editions"][0]["scoring"]["pool"] == "rules"
    shares = _shares(out)
    assert len(shares) == 14
    assert set(shares.values()) == {"7,14%"}  # 100/14, in Indonesian; not 1%
    # PEKPPP weights add up to 100 per aspect: the share is the weight (6.a.B: 17)
    pekppp = _shares(run("rules", "list", "--ruleset", "pekppp", "--as-of", "2024-06-01").out)
    assert pekppp["pekppp.6.a.B"] == "17%" and pekppp["pekppp.7.a.T"] == "7%"
    # Ombudsman 2022: persepsi-maladministrasi is the only rule of the output dimension;
    # a rule of the 2021 edition only is not scored in 2022 and shows its bare weight
    ombudsman = _shares(run("rules", "list", "--ruleset", "ombudsman", "--as-of",
                            "2023-06-01").out)
    assert ombudsman["ombudsman.persepsi-maladministrasi"] == "100%"
    assert ombudsman["ombudsman.atribut-petugas"] == "bobot 1"
    assert "1%" not in ombudsman.values()


def test_diff_shows_changed_elements_counts_and_level_minimums(tmp_path: Path, run) -> None:
    draft = tmp_path / "draft"
    draft.mkdir()
    shutil.copy(RULES / "a_kebijakan" / "2.a.P.yaml", draft / "2.a.P.yaml")
    replace_once(draft / "2.a.P.yaml", "{level: 5, min: 5,", "{level: 5, min: 6,")
    media = "        - {code: media_massa, id: Media massa, en: Mass media}\n"
    replace_once(draft / "2.a.P.yaml", media,
                 media + "        - {code: tokoh_adat, id: Tokoh adat, en: Customary leaders}\n")
    replace_once(draft / "2.a.P.yaml", "      requires:\n        has_evidence: "
                 "standar_pelayanan.penyusunan\n", "")
    result = run("rules", "diff", "pekppp@2022", draft, "--lang", "en")
    assert result.code == 0, result.err
    out = result.out
    assert "elements [unsur_masyarakat]: +tokoh_adat" in out
    assert "level 5: More than 4 community groups (all five)\n        before:\n" \
           "          - at least: 5\n        after:\n          - at least: 6" in out
    assert "requires: {has_evidence: standar_pelayanan.penyusunan}} → {path: " in out
    assert ": changed" not in out  # each change is shown, not just named
