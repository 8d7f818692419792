"""The ``html`` reporter and the batch summary page: structure on the HTML text (every example
report), then in a real headless Chromium from the system's packages (DOM, screenshot,
console, A4 PDF). CI installs Chromium (.ci/run); elsewhere the browser tests skip without it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import struct
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from patuh import manager
from patuh.i18n import number
from patuh.plugins.html import render_batch_summary
from patuh.plugins.html import render_html

from golden_cases import GOLDEN
from golden_cases import ROOT

# Every example report kept as a golden file: (unit.ruleset) -> report
REPORTS = {p.name[: -len(".json")]: p for p in sorted(GOLDEN.glob("*.json"))
           if "results" in json.loads(p.read_text("utf-8"))}
SHOWCASE = "examples/dpmptsp-kota-harapan/manifest.yaml"
CHROMIUM = Path("/usr/bin/chromium")
VOID = {"meta", "br", "img", "line", "rect", "input", "link", "hr"}  # no text inside
URL_ATTRS = {"src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data",
             "background", "cite", "style"}


def report(name: str) -> dict[str, Any]:
    return json.loads(REPORTS[name].read_text("utf-8"))


class Page(HTMLParser):
    """The start tags (with attributes), the text of each element by class, the style text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.style = ""
        self.texts: list[str] = []
        self._stack: list[tuple[str, dict[str, str], int]] = []
        self.by_class: dict[str, list[str]] = {}
        self._parts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag not in VOID:
            self._stack.append((tag, a, len(self._parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self._stack:
            open_tag, attrs, start = self._stack.pop()
            text = "".join(self._parts[start:]).strip()
            for cls in attrs.get("class", "").split():
                self.by_class.setdefault(cls, []).append(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][0] == "style":
            self.style += data
            return
        self._parts.append(data)
        self.texts.append(data)

    def count(self, tag: str, cls: str) -> int:
        return sum(1 for t, a in self.tags if t == tag and cls in a.get("class", "").split())


def assert_self_contained(text: str) -> None:
    page = Page(text)
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed", "base"), tag
        for name, value in attrs.items():
            if (tag, name) == ("a", "href") and re.fullmatch(r"https?://[^\s\"'<>]+", value):
                # a link the reader may follow (a source of the bibliography) loads nothing
                assert attrs.get("rel") == "noopener noreferrer", attrs
                continue
            if name in URL_ATTRS or name.startswith("on"):
                assert not re.search(r"(?i)(https?:|//|url\()", value), (tag, name, value)
    assert not re.search(r"(?i)(https?:|url\(|@import)", page.style)
    assert "<script" not in text.lower()


# --- structure of the HTML text ------------------------------------------------------------

def test_the_reporter_is_registered() -> None:
    assert manager.reporters()["html"] is render_html


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_example_report(name: str) -> None:
    rep = report(name)
    text = render_html(rep, "id")
    assert text.startswith("<!DOCTYPE html>\n<html lang=\"id\">")
    assert text == render_html(copy.deepcopy(rep), "id")  # same report, same bytes
    assert_self_contained(text)
    page = Page(text)
    # the predicate badge: its code, prominently
    badge = page.by_class["predicate-badge"]
    assert badge == [rep["predicate"]["code"] if rep["predicate"] else "—"]
    # one row per result, in the report's order within each aspect
    rows = [a["data-rule"] for t, a in page.tags if t == "tr" and "result" in a.get("class", "")]
    assert sorted(rows) == sorted(r["rule_id"] for r in rep["results"])
    assert len(rows) == len(rep["results"])
    # the aspect chart: one bar per aspect, with an accessible title
    charts = [a for t, a in page.tags if t == "svg" and "aspect-chart" in a.get("class", "")]
    assert len(charts) == 1 and charts[0]["role"] == "img"
    assert page.count("rect", "bar") == len(rep["aspects"])
    assert '<title id="aspects-chart-title">' in text
    # A4 print rule and rows kept whole
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*15mm;?\s*\}", page.style)
    assert re.search(r"tr\s*\{[^}]*break-inside:\s*avoid", page.style)
    # the rest of what the text report shows
    assert rep["ruleset"]["edition"] in text
    assert rep["evaluated_on"] in text
    assert rep["digests"]["rules"] in text and rep["digests"]["manifest"] in text
    for item in rep["improvement_plan"]:
        assert number(item["gain"], "id", 4, sign=True) in text  # +0,0252
    assert page.count("tr", "plan-item") == len(rep["improvement_plan"])
    all_text = "".join(page.texts)
    for r in rep["results"]:
        for e in r["evidence"]:
            if e["sha256"]:
                assert f"sha256:{e['sha256'][:12]}" in text
        for u in r["unmet"]:
            assert u["message"]["id"] in all_text
    for legal in rep["ruleset"]["legal_basis"]:
        assert legal["regulation"] in all_text
    if rep["score"]["final"] is not None:
        places = rep["score"]["rounding"]["places"]
        assert number(rep["score"]["final"], "id", places) in page.by_class["score-big"][0]
        assert f"= {number(rep['score']['unrounded'], 'id', 6)}" in text
    else:
        assert page.by_class["noscore"]


@pytest.mark.parametrize(("name", "colour"), [
    ("dpmptsp-kota-harapan.pekppp", "#1b5e20"),  # A, the highest band: dark green
    ("puskesmas-sukamaju.pekppp", "#f9a825"),  # B- (3.01 of 0–5): amber
    ("kecamatan-lembah-hijau.pekppp", "#e65100"),  # D (1.51): orange
    ("kecamatan-lembah-hijau.ombudsman", "#b71c1c"),  # D, Zona Merah: red, as its zone says
    ("disdukcapil-kota-harapan-2021.ombudsman", "#f9a825"),  # Zona Kuning
    ("puskesmas-sukamaju.uu25", "#b71c1c"),  # Belum, the lowest band
    ("disdukcapil-kota-harapan-2021.skm", "#546e7a"),  # no score: neutral
])
def test_badge_colour_follows_the_band(name: str, colour: str) -> None:
    page = Page(render_html(report(name), "id"))
    badges = [a for t, a in page.tags if t == "span" and "predicate-badge" in a.get("class", "")]
    assert len(badges) == 1 and f"background:{colour};" in badges[0]["style"]


def test_english_and_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from patuh.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["check", SHOWCASE, "--format", "json", "-o", str(tmp_path / "r.json")]) == 0
    assert main(["check", SHOWCASE, "--format", "html", "-o", str(tmp_path / "id.html")]) == 0
    assert main(["check", SHOWCASE, "--format", "html", "--lang", "en",
                 "-o", str(tmp_path / "en.html")]) == 0
    rep = json.loads((tmp_path / "r.json").read_text("utf-8"))
    text_id = (tmp_path / "id.html").read_text("utf-8")
    text_en = (tmp_path / "en.html").read_text("utf-8")
    assert text_id == render_html(rep, "id")
    assert text_en == render_html(rep, "en")
    assert '<html lang="id">' in text_id and '<html lang="en">' in text_en
    assert "Pelayanan Prima" in text_id and "Excellent service" in text_en
    assert "Rencana perbaikan" in text_id and "Improvement plan" in text_en
    assert rep["results"][1]["unmet"][0]["message"]["en"].split(":")[0] in text_en


def test_estimate_banner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from patuh.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "est.html"
    assert main(["check", "examples/disdukcapil-kota-harapan-2021/manifest.yaml", "--ruleset",
                 "pekppp", "--edition", "2022", "--format", "html", "-o", str(out)]) == 0
    page = Page(out.read_text("utf-8"))
    assert len(page.by_class["estimate"]) == 1
    assert "PERKIRAAN" in page.by_class["estimate"][0]
    assert "estimate" not in Page(render_html(report("dpmptsp-kota-harapan.pekppp"))).by_class


def test_no_score() -> None:
    rep = report("disdukcapil-kota-harapan-2021.skm")
    assert rep["predicate"] is None
    page = Page(render_html(rep, "en"))
    assert page.by_class["predicate-badge"] == ["—"]
    assert any("No score" in t for t in page.by_class["noscore"])


def test_everything_from_the_report_is_escaped() -> None:
    evil = '<script>alert("x")</script><img src=https://evil.invalid/a.png onerror=alert(1)>'
    rep = report("kecamatan-lembah-hijau.pekppp")
    rep["unit"]["nama"] = "Unit " + evil
    rep["unit"]["instansi"] = evil
    rep["aspects"][0]["title"]["id"] = evil
    rep["results"][0]["title"]["id"] = evil
    rep["results"][0]["evidence"].append({"ref": evil, "kind": "url", "status": "declared",
                                          "sha256": None, "owner": "x"})
    rep["results"][1]["unmet"][0]["message"]["id"] = evil
    rep["notes"].append({"id": evil, "en": evil})
    rep["findings"].append({"kind": "evidence", "owner": "foto", "ref": evil,
                            "status": "not_found", "message": {"id": evil, "en": evil}})
    rep["predicate"]["code"] = "<b>"
    rep["bibliography"]["S-F02"] = {**rep["bibliography"]["S-F02"], "title": evil,
                                    "url": ["javascript:alert(1)", evil], "publisher": evil}
    rep["results"][0]["source"]["sources"].append(evil)
    text = render_html(rep, "id")
    assert_self_contained(text)
    assert "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    page = Page(text)
    assert page.by_class["predicate-badge"] == ["<b>"]
    assert page.count("tr", "finding") == 1
    assert any(evil in t for t in page.texts)


def test_batch_summary() -> None:
    rows = [
        {"rank": 1, "unit": "Dinas A", "kode": "dinas-a", "ruleset": "ombudsman",
         "edition": "2022", "evaluated_on": "2024-10-21", "score": 98.53, "predicate_code": "A",
         "predicate_label": "Kualitas Tertinggi", "status": "ok", "error": None},
        {"rank": 2, "unit": "Kecamatan <B>", "kode": "kec-b", "ruleset": "ombudsman",
         "edition": "2022", "evaluated_on": "2024-10-21", "score": 48.15, "predicate_code": "D",
         "predicate_label": "Kualitas Rendah", "status": "ok", "error": None},
        {"rank": 1, "unit": "Dinas A", "kode": "dinas-a", "ruleset": "pekppp",
         "edition": "2022", "evaluated_on": "2024-10-21", "score": 4.67, "predicate_code": "A",
         "predicate_label": "Pelayanan Prima", "status": "ok", "error": None},
        {"rank": None, "unit": "Rusak", "kode": "rusak", "ruleset": "pekppp", "edition": None,
         "evaluated_on": None, "score": None, "predicate_code": None, "predicate_label": None,
         "status": "error", "error": "manifest.yaml:3: <tanggal> bukan tanggal"},
    ]
    text = render_batch_summary(rows, "id")
    assert text == render_batch_summary(copy.deepcopy(rows), "id")
    assert_self_contained(text)
    page = Page(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="id">')
    assert page.count("tr", "batch-row") == 4
    assert page.count("svg", "batch-chart") == 2  # one chart per ruleset
    assert page.count("rect", "bar") == 3  # the unit in error has no bar
    assert "Kecamatan &lt;B&gt;" in text and "&lt;tanggal&gt;" in text
    assert "98,53" in text and "4,67" in text  # Indonesian numbers
    assert "98.53" in render_batch_summary(rows, "en")
    assert re.search(r"@page\s*\{\s*size:\s*A4", page.style)
    assert '<html lang="en">' in render_batch_summary(rows, "en")
    assert "<svg" not in render_batch_summary([], "en")


def test_batch_chart_scale() -> None:
    """Bars start at 0 and end at the top of the ruleset's range when a row gives it: 4.67 of 5
    fills 93% of the track, 88.62 of 100 89%."""
    rows = [{"rank": 1, "unit": "u", "ruleset": "pekppp", "score": 4.67, "range": [0, 5]},
            {"rank": 1, "unit": "u", "ruleset": "skm", "score": 88.62, "range": [25, 100]}]
    page = Page(render_batch_summary(rows, "en"))
    tracks = [float(a["width"]) for t, a in page.tags if t == "rect" and a.get("class") == "track"]
    bars = [float(a["width"]) for t, a in page.tags if t == "rect" and a.get("class") == "bar"]
    assert [round(b / t, 3) for b, t in zip(bars, tracks, strict=True)] == [0.934, 0.886]


# --- in a real browser ---------------------------------------------------------------------

need_browser = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="/usr/bin/chromium is not installed (Debian package `chromium`; .ci/run installs it)")


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing on CI: .ci/run should have installed it")
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)


def console_lines(stderr: str, url: str) -> list[str]:
    """Console messages (logs, errors, uncaught exceptions) whose source is the page ``url``;
    Chromium's own noise (D-Bus, GPU) names no source."""
    return [line for line in stderr.splitlines()
            if ("CONSOLE" in line or "Uncaught" in line) and f"source: {url}" in line]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    rep = report("puskesmas-sukamaju.pekppp")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(rep, "id"), "utf-8")
    return path, rep


@need_browser
def test_browser_dom_and_console(page_file: tuple[Path, dict[str, Any]],
                                 tmp_path: Path) -> None:
    path, rep = page_file
    done = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom",
                    path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    page = Page(done.stdout)
    assert page.by_class["predicate-badge"] == [rep["predicate"]["code"]]
    assert page.count("tr", "result") == len(rep["results"])
    assert page.count("rect", "bar") == len(rep["aspects"])
    assert console_lines(done.stderr, path.as_uri()) == []


@need_browser
def test_the_console_check_sees_errors(tmp_path: Path) -> None:
    """The check above would see an error on the page (so its silence means something)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><title>t</title><script>missing();</script>", "utf-8")
    done = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom",
                    bad.as_uri())
    assert any("Uncaught" in line for line in console_lines(done.stderr, bad.as_uri()))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@need_browser
def test_browser_screenshot(page_file: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = page_file
    png = tmp_path / "page.png"
    done = chromium(tmp_path / "profile", f"--screenshot={png}", "--window-size=1240,1754",
                    path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert png_size(data) == (1240, 1754)
    assert len(data) > 50_000  # a page with text, badge and chart; a blank page is ~10 kB


@need_browser
def test_browser_prints_a4(page_file: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = page_file
    pdf = tmp_path / "page.pdf"
    started = time.monotonic()
    done = chromium(tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.monotonic() - started < 60
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) >= 2  # the report runs over several pages
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        assert abs((x1 - x0) - 595) < 2 and abs((y1 - y0) - 842) < 2, box
