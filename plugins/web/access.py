"""Who may see and change what — one place, used by every page, file and API call.

A unit someone may not see is a 404 (its existence is not revealed); a unit they may see but
not change is a 403 on a change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from patuh.plugins.web.models import ADMIN
from patuh.plugins.web.models import DRAFT
from patuh.plugins.web.models import EVALUATOR
from patuh.plugins.web.models import FINAL
from patuh.plugins.web.models import IN_VERIFICATION
from patuh.plugins.web.models import PIMPINAN
from patuh.plugins.web.models import REVISION
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import Unit


def role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def visible_units(user: Any):
    if role(user) in (ADMIN, PIMPINAN):
        return Unit.objects.all()
    if role(user) is None:
        return Unit.objects.none()
    return user.profile.units.all()


def can_see(user: Any, unit: Unit) -> bool:
    return visible_units(user).filter(pk=unit.pk).exists()


def can_edit(user: Any, unit: Unit) -> bool:
    """Admins, and the unit's operators while it is a draft or sent back for revision, and
    its round is open."""
    if role(user) == ADMIN:
        return not unit.round.locked
    return (role(user) == "operator" and unit.status in (DRAFT, REVISION)
            and not unit.round.locked
            and user.profile.units.filter(pk=unit.pk).exists())


def can_verify(user: Any, unit: Unit) -> bool:
    """Who opens the evaluator's page of a unit: admins, and evaluators assigned to it."""
    if role(user) == ADMIN:
        return True
    return role(user) == EVALUATOR and user.profile.units.filter(pk=unit.pk).exists()


def can_record_verification(user: Any, unit: Unit) -> bool:
    """Verified levels are written while the unit is in verification and the round open."""
    return (can_verify(user, unit) and unit.status == IN_VERIFICATION
            and not unit.round.locked)


def can_waive(user: Any, unit: Unit) -> bool:
    """Waivers are recorded by the unit's evaluator or an admin until the round is locked."""
    return can_verify(user, unit) and not unit.round.locked and unit.status != FINAL


def require_verifier(user: Any, unit: Unit) -> None:
    """The evaluator's pages: 404 for a unit not visible, 403 for one visible to someone who
    is not its evaluator."""
    if not can_verify(user, unit):
        raise PermissionDenied


def unit_or_404(user: Any, round_slug: str, kode: str) -> Unit:
    unit = (visible_units(user).select_related("round")
            .filter(round__slug=round_slug, kode=kode).first())
    if unit is None:
        raise Http404
    return unit


def round_or_404(user: Any, slug: str) -> Round:
    found = Round.objects.filter(slug=slug).first()
    if found is None or (role(user) not in (ADMIN, PIMPINAN)
                         and not visible_units(user).filter(round=found).exists()):
        raise Http404
    return found


def require_edit(user: Any, unit: Unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied
