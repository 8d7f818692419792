"""Pages every role shares: sign-in, the language switch, the home page, a round's units."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST

from patuh.plugins.web import access
from patuh.plugins.web import security
from patuh.plugins.web.audit import record
from patuh.plugins.web.models import Round


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    address = security.client_address(request)
    username = request.POST.get("username", "")[:150]
    if request.method == "POST":
        if security.locked_out(username, address):
            form.errors.clear()
            form.add_error(None, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam "
                                   "15 menit."))
            return render(request, "patuh_web/login.html", {"form": form}, status=429)
        if form.is_valid():
            security.succeeded(username, address)
            login(request, form.get_user())
            record(request.user, "login")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
                target = "home"
            return redirect(target)
        security.failed(username, address)
    return render(request, "patuh_web/login.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request.user, "logout")
    logout(request)
    return redirect("login")


@require_POST
def language(request: HttpRequest, code: str) -> HttpResponse:
    if code not in ("id", "en"):
        code = "id"
    translation.activate(code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie("django_language", code, samesite="Lax", httponly=True,
                        secure=request.is_secure() or _secure_cookies())
    return response


def _secure_cookies() -> bool:
    from django.conf import settings

    return bool(settings.SESSION_COOKIE_SECURE)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    units = access.visible_units(request.user).select_related("round")
    rounds: dict[Any, list[Any]] = {}
    for unit in units:
        rounds.setdefault(unit.round, []).append(unit)
    if access.role(request.user) in ("admin", "pimpinan"):
        for empty in Round.objects.exclude(pk__in=[r.pk for r in rounds]):
            rounds.setdefault(empty, [])
    return render(request, "patuh_web/home.html", {"rounds": rounds,
                                                   "role": access.role(request.user)})


def round_page_context(request: HttpRequest, found: Round) -> dict[str, Any]:
    """The round page's table (each unit the person may see, with its score, predicate and
    stage) and, for the admin, the forms to add or import a unit and to lock the round."""
    from patuh.plugins.web import summary
    from patuh.plugins.web.admin_forms import ImportForm
    from patuh.plugins.web.admin_forms import UnitForm

    units = list(access.visible_units(request.user).filter(round=found)
                 .select_related("round").order_by("kode"))
    lines = summary.round_summary(units)
    is_admin = access.role(request.user) == "admin"
    return {"round": found, "units": units, "rows": list(zip(units, lines, strict=True)),
            "is_admin": is_admin, "lang": "en" if translation.get_language() == "en" else "id",
            "unit_form": UnitForm() if is_admin else None,
            "import_form": ImportForm() if is_admin else None}


@login_required
def round_page(request: HttpRequest, round_slug: str) -> HttpResponse:
    found = access.round_or_404(request.user, round_slug)
    return render(request, "patuh_web/round.html", round_page_context(request, found))


def healthz(request: HttpRequest) -> JsonResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
