"""The HTML report's layout in a real headless Chromium: no horizontal page scroll on a
390 px phone, and on A4 the first page (header and "Ringkasan untuk pimpinan" with the path to
the next predicate, at least its first three steps) is the first page, the whole report takes
few pages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_html import chromium
from test_html import need_browser

from patuh.plugins.html import render_html

from golden_cases import GOLDEN

PHONE = 390
LOW = "kecamatan-lembah-hijau.pekppp"  # a unit below the middle band: a long path


def report(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))


def scroll_width(page: str, width: int, tmp_path: Path) -> tuple[int, int]:
    """The page's scroll width and client width in a frame ``width`` px wide (headless Chromium
    will not make a window narrower than 500 px; a frame's media queries see its own width)."""
    wrapper = tmp_path / "frame.html"
    wrapper.write_text(
        '<!DOCTYPE html><body style="margin:0"><iframe id="f" style="border:0;width:'
        f'{width}px;height:1500px" srcdoc="{html.escape(page, quote=True)}"></iframe><script>'
        'document.getElementById("f").onload = function () {'
        " var d = this.contentDocument.documentElement;"
        ' document.title = "SW=" + d.scrollWidth + "/" + d.clientWidth; };</script></body>',
        "utf-8")
    done = chromium(tmp_path / "profile", "--window-size=800,900",
                    "--virtual-time-budget=5000", "--dump-dom", wrapper.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"<title>SW=(\d+)/(\d+)</title>", done.stdout)
    assert found, done.stdout[-500:]
    return int(found.group(1)), int(found.group(2))


def pdf_pages(page: str, tmp_path: Path) -> int:
    source = tmp_path / "page.html"
    source.write_text(page, "utf-8")
    pdf = tmp_path / "page.pdf"
    done = chromium(tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    source.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        assert abs((x1 - x0) - 595) < 2 and abs((y1 - y0) - 842) < 2, box  # A4
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@need_browser
def test_the_measure_sees_a_wide_page(tmp_path: Path) -> None:
    wide = '<!DOCTYPE html><meta name="viewport" content="width=device-width">' \
        '<div style="width:600px">x</div>'
    width, client = scroll_width(wide, PHONE, tmp_path)
    assert client == PHONE and width >= 600


@need_browser
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", [LOW, "dpmptsp-kota-harapan.pekppp",
                                  "puskesmas-sukamaju.ombudsman"])
def test_no_horizontal_scroll_on_a_phone(name: str, lang: str, tmp_path: Path) -> None:
    width, client = scroll_width(render_html(report(name), lang), PHONE, tmp_path)
    assert client == PHONE
    assert width <= PHONE


@need_browser
@pytest.mark.parametrize("name", [LOW, "puskesmas-sukamaju.pekppp"])
def test_first_page_holds_the_summary(name: str, tmp_path: Path) -> None:
    rep = report(name)
    assert rep["next_band"]["path"]["steps"]
    page = render_html(rep, "id")
    # the header, the gap and the path's first steps print on the first page
    first_steps = rep["next_band"]["path"]["steps"][:3]
    cut = page.index('<tr class="path-step"', page.index(
        f'data-rule="{first_steps[-1]["rule_id"]}"') + 1) if len(
        rep["next_band"]["path"]["steps"]) > 3 else page.index("</tbody>", page.index(
            'class="path"'))
    first = page[:cut] + "</tbody></table></section></main></body></html>\n"
    assert first.count('class="path-step"') == len(first_steps)
    assert pdf_pages(first, tmp_path) == 1
    # the whole report: the summary on its own page, then the details, on few pages
    assert pdf_pages(page, tmp_path) <= 10
