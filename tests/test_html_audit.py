"""The HTML report with waivers and an evaluator's verification: a waived row shows the level
reached and the level counted; the waivers section (each waiver, its effect, the score with
and without); the claimed-vs-verified scores and predicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_html import Page

from patuh.i18n import number
from patuh.plugins.html import render_html
from patuh.report import short_number

from golden_cases import ROOT

UNIT = ROOT / "examples/dpmptsp-kota-harapan/manifest.yaml"
WAIVERS = ROOT / "examples/audit/waivers.yaml"
VERIFICATION = ROOT / "examples/audit/verifikasi-dpmptsp.yaml"


@pytest.fixture
def audited(run: Callable[..., Any], tmp_path: Path) -> dict[str, Any]:
    target = tmp_path / "report.json"
    done = run("check", UNIT, "--ruleset", "pekppp", "--waivers", WAIVERS,
               "--verification", VERIFICATION, "--format", "json", "-o", target)
    assert done.code == 0, done.err
    return json.loads(target.read_text("utf-8"))


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_waived_row_shows_reached_and_counted(audited: dict[str, Any], lang: str) -> None:
    page = Page(render_html(audited, lang))
    applied = audited["waivers"]["applied"]
    assert applied
    waived_rows = [r for r in audited["results"] if r["status"] == "waived"]
    assert len(page.by_class["counted"]) == len(waived_rows) == len(applied)
    for item, shown in zip(applied, page.by_class["counted"], strict=True):
        found = item["found"]
        if item["scored_as"] is None:
            word = "not scored" if lang == "en" else "tidak dinilai"
            assert word in shown
        else:
            assert f"{item['scored_as']['level']}/{found['max_level']}" in shown
    rows = page.by_class["waiver"]
    assert len(rows) == len(applied)
    for item, row in zip(applied, rows, strict=True):
        assert f"{item['found']['level']}/{item['found']['max_level']}" in row
        assert squash(item["reason"][lang]) in squash(row)
        assert item["approver"] in squash(row)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_scores_with_and_without(audited: dict[str, Any], lang: str) -> None:
    page = Page(render_html(audited, lang))
    effect = audited["waivers"]["effect"]
    (waiver_table,) = page.by_class["waiver-scores"]
    for side in ("without", "with"):
        assert short_number(effect[side]["final"], lang) in waiver_table
        assert effect[side]["predicate"]["code"] in waiver_table
    assert number(effect["with"]["final"] - effect["without"]["final"], lang, 2,
                  sign=True) in waiver_table
    verified = audited["verification"]["effect"]
    (verification_table,) = page.by_class["verification-scores"]
    for side in ("claimed", "verified"):
        label = verified[side]["predicate"]["label_en" if lang == "en" else "label"]
        assert short_number(verified[side]["final"], lang) in verification_table
        assert label in verification_table
    assert len(page.by_class["verified-item"]) == len(audited["verification"]["items"])
    # the first page says both too
    summary = page.by_class["summary"][0]
    assert short_number(effect["without"]["final"], lang) in summary
    assert short_number(verified["claimed"]["final"], lang) in summary
