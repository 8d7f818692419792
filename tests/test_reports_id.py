"""The check reports read as Indonesian with ``--lang id`` and stay complete in English.

Every bundled example is checked against every ruleset (as `patuh check` does), and its report
rendered as text and HTML in both languages; the rule reference pages are rendered for every
edition. The Indonesian output must hold no word of the English stop-list and no decimal point
in its prose (tests/stoplist.py); the English output names the same things in English.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from stoplist import decimal_points
from stoplist import english_words

from patuh.cli import main
from patuh.plugins.html import render_html
from patuh.plugins.reporters import render_text
from patuh.rulebook import available
from patuh.rulebook import load_ruleset
from patuh.ruledocs import render_docs
from patuh.sources import CONFIDENCE_NAMES

from golden_cases import EXAMPLES
from golden_cases import ROOT

RULESETS = ("pekppp", "ombudsman", "uu25", "skm")
AUDIT = ROOT / "examples" / "audit"


@cache
def report(unit: str, ruleset: str, *extra: str) -> dict[str, Any] | None:
    """The JSON report of `patuh check` on an example (None: no edition in force for it)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        code = main(["check", str(ROOT / "examples" / unit / "manifest.yaml"), "--ruleset",
                     ruleset, "--format", "json", "-o", str(out), *extra])
        if code == 2:
            return None
        assert code in (0, 1), (unit, ruleset, code)
        return json.loads(out.read_text("utf-8"))


CASES = [(unit, ruleset) for unit in EXAMPLES for ruleset in RULESETS]
RENDERERS = {"text": render_text, "html": render_html}


def checked(unit: str, ruleset: str) -> dict[str, Any]:
    found = report(unit, ruleset)
    if found is None:
        pytest.skip(f"no {ruleset} edition is in force for {unit}")
    return found


def assert_indonesian(text: str, where: str) -> None:
    assert english_words(text) == [], f"{where}: English words {english_words(text)}"
    assert decimal_points(text) == [], f"{where}: decimal points {decimal_points(text)[:10]}"


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize(("unit", "ruleset"), CASES)
def test_every_report_reads_as_indonesian(unit: str, ruleset: str, fmt: str) -> None:
    assert_indonesian(RENDERERS[fmt](checked(unit, ruleset), "id"), f"{unit} {ruleset} {fmt}")


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_the_audited_report_reads_as_indonesian(fmt: str) -> None:
    """With the evaluator's verification and waivers (their sections and score pairs)."""
    audited = report("dpmptsp-kota-harapan", "pekppp",
                     "--waivers", str(AUDIT / "waivers.yaml"),
                     "--verification", str(AUDIT / "verifikasi-dpmptsp.yaml"))
    assert audited is not None and audited.get("waivers") and audited.get("verification")
    assert_indonesian(RENDERERS[fmt](audited, "id"), f"audited {fmt}")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_rule_reference_page_reads_in_its_language(lang: str) -> None:
    for ruleset_id in sorted(available()):
        ruleset = load_ruleset(ruleset_id)
        for edition in ruleset.editions:
            text = render_docs(ruleset, edition, lang)
            if lang == "id":
                assert_indonesian(text, f"{ruleset_id} {edition.edition}")
            else:  # the confidence levels keep their codes for the rule authors
                assert re.search(r"`(official|secondary|unofficial|inferred)`", text)


def test_exact_indonesian_strings() -> None:
    pekppp = checked("dpmptsp-kota-harapan", "pekppp")
    text = render_text(pekppp, "id")
    assert "Nilai: 4,67 " in text
    assert "4,7838 × 0,75 + " in text
    assert "dibulatkan ke 2 desimal, setengah ke atas)" in text
    assert "bobot  24,00%" in text
    assert "menuju level 5 (+0,0252)" in text
    assert ": tidak resmi [V2c]" in text and "bertentangan [V2c]: 22.d.B" in text
    assert "disimpulkan [NF]" in text
    html = render_html(pekppp, "id")
    assert '<span class="score-big">4,67</span>' in html
    assert "setengah ke atas" in html
    assert "(utama; sekunder)" in html and "(pedoman pelaksana; sekunder)" in html
    puskesmas = render_text(checked("puskesmas-sukamaju", "pekppp"), "id")
    assert "Menuju predikat B Baik: ≥ 3,51 (kurang 0,27)" in puskesmas
    ombudsman = render_html(checked("dpmptsp-kota-harapan", "ombudsman"), "id")
    assert "(hasil penilaian; tidak ditemukan)" in ombudsman


def test_the_band_edge_reads_with_a_decimal_comma() -> None:
    """A unit just below A (the examples are at A or well below it): the A edge ``≥ 4,51``."""
    below = json.loads(json.dumps(checked("dpmptsp-kota-harapan", "pekppp")))
    below["score"]["final"] = 4.45
    below["next_band"] = {"code": "A", "label": "Pelayanan Prima",
                          "label_en": "Excellent service", "min": 4.51, "gap": 0.06,
                          "path": {"steps": [], "reaches": False}}
    assert "Menuju predikat A Pelayanan Prima: ≥ 4,51 (kurang 0,06)" in render_text(below, "id")
    page = render_html(below, "id")
    assert "≥ 4,51" in page and "Kurang 0,06 poin menuju predikat A Pelayanan Prima" in page
    assert "Next predicate A Excellent service: ≥ 4.51 (short by 0.06)" in render_text(below,
                                                                                      "en")


def test_a_missing_evidence_file_is_named_in_each_language(tmp_path: Path) -> None:
    import shutil

    unit = tmp_path / "unit"
    shutil.copytree(ROOT / "examples" / "dpmptsp-kota-harapan", unit)
    manifest = unit / "manifest.yaml"
    text = manifest.read_text("utf-8")
    assert "sdm/sk-kode-etik-pegawai-2024.pdf" in text
    manifest.write_text(text.replace("sdm/sk-kode-etik-pegawai-2024.pdf", "sdm/tidak-ada.pdf",
                                     1), "utf-8")
    out = tmp_path / "report.json"
    assert main(["check", str(manifest), "--ruleset", "pekppp", "--format", "json", "-o",
                 str(out)]) in (0, 1)
    found = json.loads(out.read_text("utf-8"))
    assert any(e["status"] == "not_found" for r in found["results"] for e in r["evidence"])
    indonesian = render_text(found, "id")
    assert "sdm/tidak-ada.pdf [tidak ditemukan]" in indonesian
    assert "not_found" not in indonesian
    assert "sdm/tidak-ada.pdf [not found]" in render_text(found, "en")
    page = render_html(found, "id")
    assert "[tidak ditemukan]" in page and ">bukti<" in page


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_the_english_report_keeps_the_english_names(fmt: str) -> None:
    rendered = RENDERERS[fmt](checked("dpmptsp-kota-harapan", "pekppp"), "en")
    assert "half up" in rendered
    assert "4.67" in rendered and "4,67" not in rendered
    for code in ("unofficial", "inferred", "conflict"):
        assert CONFIDENCE_NAMES[code].en in rendered
    for word in ("setengah", "tidak resmi", "disimpulkan", "bertentangan"):
        assert word not in rendered


def test_rules_show_reads_as_indonesian(run) -> None:
    """`patuh rules show` on every bundled rule: Indonesian names, decimal commas."""
    shown = 0
    for ruleset_id in sorted(available()):
        for rule in load_ruleset(ruleset_id).rules:
            result = run("rules", "show", rule.id)
            assert result.code == 0, result.err
            assert_indonesian(result.out, rule.id)
            shown += 1
    assert shown > 50
    english = run("rules", "show", "pekppp.22.d.B", "--lang", "en").out
    assert "— conflict [V2c]" in english and "weight 20%" in english


def test_a_large_count_takes_the_thousands_dot() -> None:
    many = json.loads(json.dumps(checked("dpmptsp-kota-harapan", "pekppp")))
    survey = next(p for p in many["score"]["parts"] if p.get("respondents"))
    survey["respondents"] = 9870
    assert "(9.870 responden)" in render_text(many, "id")
    assert "(9,870 respondents)" in render_text(many, "en")
    assert '<td class="num">9.870</td>' in render_html(many, "id")
