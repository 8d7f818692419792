"""Reporter ``html``: one self-contained HTML5 page per report (``patuh check M --format html
-o report.html``), a page summing up many units (``patuh batch -o DIR --format html``), and PDF
through headless Chromium. The pages are made by :mod:`patuh.plugins.html_report`, imported
when a page is rendered, not by every check that only registers this reporter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from patuh import hookimpl


def render_html(report: Mapping[str, Any], lang: str = "id") -> str:
    from patuh.plugins.html_report import render_html as render

    return render(report, lang)


def render_batch_summary(rows: list[dict[str, Any]], lang: str = "id") -> str:
    from patuh.plugins.html_report import render_batch_summary as render

    return render(rows, lang)


def html_to_pdf(page: str, timeout: float = 180) -> bytes:
    from patuh.plugins.html_report import html_to_pdf as to_pdf

    return to_pdf(page, timeout)


render_html.summary = render_batch_summary  # type: ignore[attr-defined]  # batch summary page


@hookimpl
def patuh_reporters() -> Mapping[str, Any]:
    return {"html": render_html}
