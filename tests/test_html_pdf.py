"""``patuh check --format pdf`` (the HTML report printed by headless Chromium) and the
optional approval block (``--approval-evaluator``, ``--approval-date``, ``--approval-place``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_html import Page
from test_html import need_browser

from golden_cases import ROOT

UNIT = ROOT / "examples/kecamatan-lembah-hijau/manifest.yaml"
APPROVAL = ("--approval-evaluator", "Rina <Kusumawati>", "--approval-date", "5/11/2024",
            "--approval-place", "Sukamaju")


@pytest.mark.parametrize(("lang", "day"), [("id", "5 November 2024"), ("en", "2024-11-05")])
def test_approval_block(run: Callable[..., Any], tmp_path: Path, lang: str, day: str) -> None:
    target = tmp_path / "report.html"
    done = run("check", UNIT, "--ruleset", "pekppp", "--format", "html", "--lang", lang,
               "-o", target, *APPROVAL)
    assert done.code == 0, done.err
    text = target.read_text("utf-8")
    page = Page(text)
    (block,) = page.by_class["approval"]
    assert f"Sukamaju, {day}" in block
    assert "Rina <Kusumawati>" in block  # escaped in the page, read back as text
    assert "Rina <Kusumawati>" not in text
    # on the first page: inside the summary, before the details
    assert text.index('class="approval"') < text.index('id="score"')


def test_no_approval_no_block(run: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert run("check", UNIT, "--ruleset", "pekppp", "--format", "html", "-o", target).code == 0
    assert 'class="approval"' not in target.read_text("utf-8")


@pytest.mark.parametrize(("args", "says"), [
    (("--format", "json", "--approval-evaluator", "X"), "--approval-*"),
    (("--format", "html", "--approval-date", "kemarin"), "--approval-date: 'kemarin'"),
    (("--format", "pdf"), "-o"),
])
def test_bad_options_exit_2(run: Callable[..., Any], args: tuple[str, ...], says: str) -> None:
    done = run("check", UNIT, "--ruleset", "pekppp", *args)
    assert done.code == 2
    assert says in done.err


def test_pdf_without_a_browser(run: Callable[..., Any], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATUH_BROWSER", "no-such-browser-here")
    target = tmp_path / "report.pdf"
    done = run("check", UNIT, "--ruleset", "pekppp", "--format", "pdf", "-o", target)
    assert done.code == 2
    assert "Chromium" in done.err and "--format html" in done.err
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@need_browser
def test_pdf_through_chromium(run: Callable[..., Any], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATUH_BROWSER", "/usr/bin/chromium")
    target = tmp_path / "report.pdf"
    done = run("check", UNIT, "--ruleset", "pekppp", "--format", "pdf", "-o", target,
               *APPROVAL)
    assert done.code == 0, done.err
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        assert abs((x1 - x0) - 595) < 2 and abs((y1 - y0) - 842) < 2, box  # A4
    assert 2 <= len(re.findall(rb"/Type\s*/Page[^s]", data)) <= 10
