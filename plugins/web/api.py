"""The HTTP API for integration: ``Authorization: Bearer <token>`` (``patuh web token``).

A token call needs no session and no CSRF token. Without a token, or with one that is not
known: 401 with ``WWW-Authenticate: Bearer``. A round or unit that does not exist: 404; one
that exists but is outside the token owner's units: 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.plugins.web import access
from patuh.plugins.web import summary
from patuh.plugins.web.models import ADMIN
from patuh.plugins.web.models import PIMPINAN
from patuh.plugins.web.models import ApiToken
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import Unit

REALM = 'Bearer realm="patuh"'


def _problem(status: int, message_id: str, message_en: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message_id, "error_en": message_en}, status=status)
    for name, value in headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _token_user(request: HttpRequest) -> Any:
    """The active user a valid bearer token belongs to, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    found = (ApiToken.objects.select_related("user", "user__profile")
             .filter(key_hash=ApiToken.digest(token)).first())
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


def token_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.META.get("HTTP_AUTHORIZATION"):
            return _problem(401, "perlu token API (Authorization: Bearer <token>)",
                            "an API token is required (Authorization: Bearer <token>)",
                            **{"WWW-Authenticate": REALM})
        user = _token_user(request)
        if user is None:
            return _problem(401, "token API tidak dikenal atau sudah dicabut",
                            "unknown or revoked API token",
                            **{"WWW-Authenticate": REALM + ', error="invalid_token"'})
        request.user = user  # the token's owner, for this call only (no session)
        return view(request, *args, **kwargs)

    return csrf_exempt(require_GET(wrapped))


def _round(slug: str) -> Round | None:
    return Round.objects.filter(slug=slug).first()


@token_required
def unit_report(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """The unit's JSON report, byte for byte ``patuh check … --format json``."""
    found = _round(round_slug)
    unit = (Unit.objects.select_related("round").filter(round=found, kode=kode).first()
            if found is not None else None)
    if unit is None:
        return _problem(404, "putaran atau unit tidak dikenal", "unknown round or unit")
    if not access.can_see(request.user, unit):
        return _problem(403, "unit ini di luar unit Anda", "this unit is not one of yours")
    try:
        body = summary.report_json(unit.folder, found.ruleset, found.edition)
    except InputError as exc:
        message = Text.of(exc.message)
        return _problem(409, f"manifest unit ini belum dapat diperiksa: {message.id}",
                        f"this unit's manifest does not check yet: {message.en}")
    response = HttpResponse(body.encode("utf-8"), content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@token_required
def round_summary(request: HttpRequest, round_slug: str) -> HttpResponse:
    """Every unit of the round the token's owner can see: score, predicate, stage; for admin
    and pimpinan also the leadership dashboard's figures (progress, ranking, distribution,
    heat map, missed indicators, history)."""
    found = _round(round_slug)
    if found is None:
        return _problem(404, "putaran tidak dikenal", "unknown round")
    units = access.visible_units(request.user).filter(round=found).select_related("round")
    if access.role(request.user) not in (ADMIN, PIMPINAN) and not units.exists():
        return _problem(403, "putaran ini tidak memuat unit Anda",
                        "this round holds none of your units")
    lines = summary.round_summary(units.order_by("kode"))
    body: dict[str, Any] = {
        "round": {"slug": found.slug, "name": found.name, "ruleset": found.ruleset,
                  "edition": found.edition, "year": found.year, "locked": found.locked},
        "units": [line.as_json() for line in lines],
    }
    if access.role(request.user) in (ADMIN, PIMPINAN):
        # the leadership dashboard's figures (the same dict as /r/<round>/dasbor.json)
        from patuh.plugins.web.dashboard_views import round_dashboard

        dash = round_dashboard(found, lambda unit: request.build_absolute_uri(
            f"/r/{unit.round.slug}/u/{unit.kode}/report"))
        for key in ("progress", "ranking", "bands", "distribution", "aspects", "heatmap",
                    "missed", "missed_definition", "history"):
            body[key] = dash[key]
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Cache-Control"] = "no-store"
    return response
