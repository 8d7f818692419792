"""The admin assigns units to evaluators (and operators) on /kelola/pengguna/, and takes them
back: each change recorded in the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from patuh.plugins.web import audit
from patuh.plugins.web.admin_views import admin_only
from patuh.plugins.web.models import EVALUATOR
from patuh.plugins.web.models import OPERATOR
from patuh.plugins.web.models import Unit


@admin_only
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    """``username``, ``unit`` (its id), ``action`` = assign | unassign."""
    person = (User.objects.select_related("profile")
              .filter(username=request.POST.get("username", "")).first())
    unit = Unit.objects.select_related("round").filter(
        pk=request.POST.get("unit", "") if request.POST.get("unit", "").isdigit() else None
    ).first()
    profile = getattr(person, "profile", None)
    if person is None or unit is None or profile is None:
        raise Http404
    if profile.role not in (EVALUATOR, OPERATOR):
        messages.error(request, _("Hanya operator dan evaluator yang diberi unit."))
        return redirect("kelola-people")
    label = f"{unit.round.slug}/{unit.kode}"
    if request.POST.get("action") == "unassign":
        profile.units.remove(unit)
        audit.record(request.user, "user.unassign", unit=unit, username=person.username)
        messages.success(request, _("%(unit)s dilepas dari %(name)s.")
                         % {"unit": label, "name": person.username})
    else:
        profile.units.add(unit)
        audit.record(request.user, "user.assign", unit=unit, username=person.username)
        messages.success(request, _("%(unit)s ditugaskan ke %(name)s.")
                         % {"unit": label, "name": person.username})
    return redirect("kelola-people")
