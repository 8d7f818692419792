"""The admin's pages (Bagian Organisasi): rounds, units, people, the audit log.

Only the admin role: anyone else signed in gets 404 for these pages (they are not revealed)
and 403 for their POSTs; someone not signed in is sent to the sign-in page."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST

from patuh.errors import InputError
from patuh.plugins.web import access
from patuh.plugins.web import audit_view
from patuh.plugins.web import services
from patuh.plugins.web import stages
from patuh.plugins.web.admin_forms import ImportForm
from patuh.plugins.web.admin_forms import PersonForm
from patuh.plugins.web.admin_forms import RoundForm
from patuh.plugins.web.admin_forms import UnitForm
from patuh.plugins.web.answers import CONTENT_TYPES
from patuh.plugins.web.models import ADMIN
from patuh.plugins.web.models import AuditEvent
from patuh.plugins.web.models import Evidence
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import Unit
from patuh.plugins.web.store import UnitFolder

AUDIT_PAGE = 100


def admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if access.role(request.user) != ADMIN:
            if request.method == "POST":
                raise PermissionDenied
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _message(exc: InputError) -> str:
    return exc.render(_lang())


@admin_only
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ruleset, edition = form.ruleset_edition()
            try:
                made = services.add_round(form.cleaned_data["name"], ruleset, edition,
                                          form.cleaned_data["year"], user=request.user,
                                          slug=form.cleaned_data["slug"] or None)
            except InputError as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, _("Putaran dibuat."))
                return redirect("round", made.slug)
        status = 400
    listed = Round.objects.all()
    counts = {r.pk: r.units.count() for r in listed}
    return render(request, "patuh_web/kelola.html",
                  {"rounds": [(r, counts[r.pk]) for r in listed], "form": form},
                  status=status)


def _round_for_admin(slug: str) -> Round:
    return get_object_or_404(Round, slug=slug)


def _round_page(request: HttpRequest, found: Round, status: int = 200,
                **forms: Any) -> HttpResponse:
    from patuh.plugins.web.views import round_page_context

    context = round_page_context(request, found)
    context.update(forms)
    return render(request, "patuh_web/round.html", context, status=status)


@admin_only
@require_POST
def unit_add(request: HttpRequest, round_slug: str) -> HttpResponse:
    found = _round_for_admin(round_slug)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.add_unit(found, form.cleaned_data["kode"], form.cleaned_data["nama"],
                                     user=request.user)
        except InputError as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, _("Unit %(kode)s ditambahkan.") % {"kode": unit.kode})
            return redirect("round", found.slug)
    return _round_page(request, found, 400, unit_form=form)


@admin_only
@require_POST
def unit_import(request: HttpRequest, round_slug: str) -> HttpResponse:
    found = _round_for_admin(round_slug)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["archive"]
        name = Path(upload.name or "").stem[:80]
        try:
            with tempfile.TemporaryDirectory(prefix="patuh-import-") as tmp:
                folder = services.extract_zip(upload, Path(tmp))
                unit = services.import_unit(found, folder, user=request.user,
                                            name=name if folder == Path(tmp).resolve()
                                            else folder.name)
        except InputError as exc:
            form.add_error("archive", _message(exc).replace(str(Path(tempfile.gettempdir())),
                                                            "…"))
        else:
            messages.success(request, _("Unit %(kode)s diimpor.") % {"kode": unit.kode})
            return redirect("round", found.slug)
    return _round_page(request, found, 400, import_form=form)


@admin_only
@require_POST
def round_lock(request: HttpRequest, round_slug: str) -> HttpResponse:
    found = _round_for_admin(round_slug)
    locked = request.POST.get("locked") == "1"
    stages.set_round_locked(found, locked, user=request.user)  # verified units become final
    messages.success(request, _("Putaran dikunci.") if locked else _("Putaran dibuka."))
    return redirect("round", found.slug)


@admin_only
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    chosen_round = Round.objects.filter(slug=request.GET.get("putaran", "")).first()
    units = Unit.objects.select_related("round")
    if chosen_round is not None:
        units = units.filter(round=chosen_round)
    form = PersonForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    person = services.add_person(data["username"], data["role"],
                                                 data["units"], data["password1"],
                                                 user=request.user)
            except InputError as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, _("Pengguna %(name)s ditambahkan.")
                                 % {"name": person.username})
                return redirect(request.get_full_path())
        status = 400
    listed = (User.objects.select_related("profile").prefetch_related("profile__units__round")
              .order_by("username"))
    return render(request, "patuh_web/pengguna.html",
                  {"people": listed, "form": form, "rounds": Round.objects.all(),
                   "chosen_round": chosen_round, "all_units": units}, status=status)


@admin_only
@require_http_methods(["GET"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every change, latest first, filterable by unit (``unit=<round>/<kode>``), by person
    (``pengguna=<username>``) and by action (``tindakan=``), a page at a time; with a unit
    chosen, also the earlier versions of its evidence."""
    events = AuditEvent.objects.select_related("round", "unit", "unit__round")
    chosen_unit = _unit_param(request.GET.get("unit", ""))
    username = request.GET.get("pengguna", "").strip()[:150]
    action = request.GET.get("tindakan", "").strip()[:60]
    if request.GET.get("unit") and chosen_unit is None:
        events = events.none()  # an unknown unit shows nothing, not everything
    elif chosen_unit is not None:
        events = events.filter(unit=chosen_unit)
    if username:
        events = events.filter(username=username)
    if action:
        events = events.filter(action=action)
    page = Paginator(events, AUDIT_PAGE).get_page(request.GET.get("halaman"))
    kept = {k: v for k, v in (("unit", request.GET.get("unit", "")), ("pengguna", username),
                              ("tindakan", action)) if v}
    versions = []
    if chosen_unit is not None:
        versions = list(Evidence.objects.filter(unit=chosen_unit, detached_at__isnull=False)
                        .select_related("uploaded_by", "detached_by")
                        .order_by("-detached_at", "-id"))
    return render(request, "patuh_web/audit.html", {
        "page": page, "rows": [audit_view.row(event, _lang()) for event in page],
        "units": Unit.objects.select_related("round").order_by("round__slug", "kode"),
        "usernames": (AuditEvent.objects.exclude(username="").order_by("username")
                      .values_list("username", flat=True).distinct()),
        "actions": (AuditEvent.objects.order_by("action").values_list("action", flat=True)
                    .distinct()),
        "chosen_unit": chosen_unit, "chosen_user": username, "chosen_action": action,
        "query": urlencode(kept), "versions": versions, "per_page": AUDIT_PAGE})


def _unit_param(value: str) -> Unit | None:
    round_slug, _sep, kode = value.partition("/")
    if not round_slug or not kode:
        return None
    return Unit.objects.select_related("round").filter(round__slug=round_slug,
                                                       kode=kode).first()


@admin_only
@require_http_methods(["GET"])
def audit_evidence(request: HttpRequest, unit_id: int, sha256: str) -> FileResponse:
    """A unit's stored file by its digest — also an earlier version, detached from its slot
    and outside the unit's export (the admin, from the audit log)."""
    unit = get_object_or_404(Unit.objects.select_related("round"), pk=unit_id)
    path = UnitFolder(unit.folder).evidence_file(sha256)
    if path is None:
        raise Http404
    row = Evidence.objects.filter(unit=unit, sha256=sha256).order_by("-id").first()
    name = row.original_name if row and row.original_name else path.name
    if not name.lower().endswith(path.suffix.lower()):
        name += path.suffix
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name,
                            content_type=CONTENT_TYPES.get(path.suffix.lstrip("."),
                                                           "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
