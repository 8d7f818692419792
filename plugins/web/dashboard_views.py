"""The leadership dashboard of a round (admin and pimpinan) and its downloads.

``/r/<round>/dasbor/`` and ``/r/<round>/dasbor.xlsx|.csv|.html|.json``. A round the person
cannot see is a 404; a person who sees the round but is neither admin nor pimpinan (an
operator, an evaluator) gets a 403. The figures come from ``dashboard.build`` over the reports
the round summary's cache holds."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_GET

from patuh.errors import InputError
from patuh.plugins.web import access
from patuh.plugins.web import dashboard
from patuh.plugins.web import dashboard_files
from patuh.plugins.web import summary
from patuh.plugins.web.models import ADMIN
from patuh.plugins.web.models import PIMPINAN
from patuh.plugins.web.models import STAGES
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import Unit

MISSED_SHOWN = 10  # the page's first table of missed indicators; the rest behind "more"


def round_info(found: Round) -> dict[str, Any]:
    return {"slug": found.slug, "name": found.name, "ruleset": found.ruleset,
            "edition": found.edition, "year": found.year, "locked": found.locked}


def previous_round(found: Round) -> Round | None:
    """The latest other round with the same ruleset and an earlier year (ties: the one
    created earlier)."""
    return (Round.objects.filter(ruleset=found.ruleset, year__lt=found.year)
            .exclude(pk=found.pk).order_by("-year", "created_at", "pk").first())


def _bands(found: Round) -> list[dict[str, Any]]:
    from patuh.rulebook import load_ruleset

    try:
        edition = load_ruleset(found.ruleset).edition_named(found.edition)
    except InputError:
        return []
    return dashboard.band_list(edition) if edition is not None else []


def _inputs(found: Round, report_url: Any = None) -> list[dashboard.UnitInput]:
    units = Unit.objects.filter(round=found).select_related("round").order_by("kode")
    out = []
    for unit in units:
        report, error = summary.unit_report(unit.folder, found.ruleset, found.edition)
        url = report_url(unit) if report_url is not None else None
        out.append(dashboard.UnitInput(unit.kode, unit.nama, unit.status, report, error, url))
    return out


def round_dashboard(found: Round, report_url: Any = None) -> dict[str, Any]:
    """The dashboard dict of a round (every unit of it: for admin and pimpinan only)."""
    before = previous_round(found)
    return dashboard.build(round_info(found), _inputs(found, report_url), _bands(found),
                           round_info(before) if before is not None else None,
                           _inputs(before) if before is not None else ())


def _allowed_round(request: HttpRequest, round_slug: str) -> Round:
    found = access.round_or_404(request.user, round_slug)
    if access.role(request.user) not in (ADMIN, PIMPINAN):
        raise PermissionDenied
    return found


def _lang() -> str:
    return "en" if translation.get_language() == "en" else "id"


def _absolute_report_url(request: HttpRequest) -> Any:
    return lambda unit: request.build_absolute_uri(f"/r/{unit.round.slug}/u/{unit.kode}/report")


@login_required
@require_GET
def page(request: HttpRequest, round_slug: str) -> HttpResponse:
    found = _allowed_round(request, round_slug)
    dash = round_dashboard(found, lambda unit: f"/r/{unit.round.slug}/u/{unit.kode}/")
    lang = _lang()
    labels = dict(STAGES)
    stages = [{"code": code, "label": labels.get(code, code), "count": count}
              for code, count in dash["progress"]["stages"].items()]
    scale = dash["scale_max"] or 1.0
    bars = []
    for index, line in enumerate(line for line in dash["ranking"] if line["score"] is not None):
        width = round(280 * max(line["score"], 0) / scale, 1)  # SVG numbers: not localised
        bars.append({**line, "width": str(width), "text_x": str(round(width + 196, 1)),
                     "y": str(28 * index)})
    most = max((band["count"] for band in dash["distribution"]), default=0) or 1
    distribution = [{**band, "width": round(100 * band["count"] / most)}
                    for band in dash["distribution"]]
    rows = []
    for line in dash["ranking"]:
        if line["error"] is None:
            cells = [{"id": a["id"], "value": line["aspects"].get(a["id"]),
                      "heat": line["aspect_heat"].get(a["id"], "heat-none")}
                     for a in dash["aspects"]]
            rows.append({"line": line, "cells": cells})
    history = {item["kode"]: item for item in dash["history"]["units"]}
    return render(request, "patuh_web/dashboard.html", {
        "round": found, "dash": dash, "lang": lang, "stages": stages, "bars": bars,
        "chart_height": 28 * len(bars) + 10, "distribution": distribution, "heat_rows": rows,
        "table": [{"line": line, "history": history.get(line["kode"])}
                  for line in dash["ranking"]],
        "missed_top": dash["missed"][:MISSED_SHOWN], "missed_rest": dash["missed"][MISSED_SHOWN:],
        "is_admin": access.role(request.user) == ADMIN})


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def download(request: HttpRequest, round_slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv", "html", "json"):
        raise Http404
    found = _allowed_round(request, round_slug)
    dash = round_dashboard(found, _absolute_report_url(request))
    lang = _lang()
    stem = f"dasbor-{found.slug}"
    if fmt == "xlsx":
        return _attachment(dashboard_files.xlsx(dash, lang),
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           f"{stem}.xlsx")
    if fmt == "csv":
        return _attachment(dashboard_files.csv_bytes(dash), "text/csv; charset=utf-8",
                           f"{stem}.csv")
    if fmt == "json":
        return _attachment(dashboard_files.json_bytes(dash), "application/json",
                           f"{stem}.json")
    from patuh.plugins.web.unit_views import report_policy

    page_html = dashboard_files.html(dash, lang)
    response = HttpResponse(page_html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{stem}.html"'
    response["Content-Security-Policy"] = report_policy(page_html)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("dasbor/", page, name="dashboard"),
    path("dasbor.<str:fmt>", download, name="dashboard-download"),
]
