"""A unit's stages in an official round and who moves it from one to the next.

``draft → submitted`` (the unit's operator) ``→ in_verification`` (an evaluator assigned to the
unit, or an admin) ``→ revision_requested`` (evaluator/admin, with a comment per indicator; the
operator may edit again) ``→ submitted`` (the operator re-submits) … ``→ verified``
(evaluator/admin) ``→ final`` (the admin locks the round: its verified units become final).

A locked round allows no move at all. Locking makes the verified units final; the others keep
their stage (they are not final, and the round page says so). Unlocking turns final back into
verified. Every move is a ``StageChange`` row (who, when, from, to, comment) and an audit
event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.plugins.web import audit
from patuh.plugins.web.models import ADMIN
from patuh.plugins.web.models import DRAFT
from patuh.plugins.web.models import EVALUATOR
from patuh.plugins.web.models import FINAL
from patuh.plugins.web.models import IN_VERIFICATION
from patuh.plugins.web.models import OPERATOR
from patuh.plugins.web.models import REVISION
from patuh.plugins.web.models import SUBMITTED
from patuh.plugins.web.models import VERIFIED
from patuh.plugins.web.models import RevisionComment
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import StageChange
from patuh.plugins.web.models import Unit

# (from, to) -> the roles that may make the move (admins may make every move people make).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (DRAFT, SUBMITTED): frozenset({OPERATOR, ADMIN}),
    (REVISION, SUBMITTED): frozenset({OPERATOR, ADMIN}),
    (SUBMITTED, IN_VERIFICATION): frozenset({EVALUATOR, ADMIN}),
    (IN_VERIFICATION, REVISION): frozenset({EVALUATOR, ADMIN}),
    (IN_VERIFICATION, VERIFIED): frozenset({EVALUATOR, ADMIN}),
    (VERIFIED, IN_VERIFICATION): frozenset({EVALUATOR, ADMIN}),  # reopened before the lock
}
# final is reached only by locking the round, and left only by unlocking it


class StageError(InputError):
    """A move the unit's stage does not allow (out of order, round locked, no comment)."""


def _role(user: Any) -> str | None:
    from patuh.plugins.web.access import role

    return role(user)


def assigned(user: Any, unit: Unit) -> bool:
    return user.profile.units.filter(pk=unit.pk).exists()


def may_move(user: Any, unit: Unit, to: str) -> bool:
    """Whether ``user`` may move ``unit`` to ``to`` now (role, assignment, stage, lock)."""
    return not _refusal(user, unit, to)


def moves(user: Any, unit: Unit) -> list[str]:
    """The stages ``user`` may move ``unit`` to now."""
    return [to for (start, to) in TRANSITIONS if start == unit.status
            and may_move(user, unit, to)]


def _refusal(user: Any, unit: Unit, to: str) -> str:
    """'' when allowed, 'role' when the person may not, 'stage' when the stage does not."""
    roles = {r for (start, end), rs in TRANSITIONS.items() if end == to for r in rs}
    who = _role(user)
    if who not in roles or (who != ADMIN and not assigned(user, unit)):
        return "role"
    if unit.round.locked or (unit.status, to) not in TRANSITIONS:
        return "stage"
    if who not in TRANSITIONS[(unit.status, to)]:
        return "role"
    return ""


def stage_label(stage: str) -> str:
    from patuh.plugins.web.models import STAGES

    return str(dict(STAGES).get(stage, stage))


def move(unit: Unit, to: str, user: Any, *, comment: str = "",
         comments: Mapping[str, str] | None = None) -> Unit:
    """Move ``unit`` to stage ``to`` as ``user``; record it. ``comments`` (rule id -> text):
    the evaluator's comments per indicator, at least one for ``revision_requested``.
    Raises ``PermissionDenied`` (the person may not) or ``StageError`` (the stage does not
    allow it now)."""
    comments = {rule.strip(): text.strip() for rule, text in (comments or {}).items()
                if rule.strip() and text and text.strip()}
    with transaction.atomic():
        locked = Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)
        why = _refusal(user, locked, to)
        if why == "role":
            raise PermissionDenied
        if why:
            if locked.round.locked:
                raise StageError(Text("putaran ini sudah dikunci: tahap unit tidak dapat "
                                      "diubah", "this round is locked: no stage can change"))
            raise StageError(Text(
                f"unit ini berada pada tahap {stage_label(locked.status)}; pindah ke "
                f"{stage_label(to)} tidak diizinkan dari tahap itu",
                f"this unit is at stage {locked.status}; it cannot move to {to} from there"))
        if to == REVISION and not comments:
            raise StageError(Text("tulis sedikitnya satu catatan perbaikan pada indikator",
                                  "write at least one revision comment on an indicator"))
        _record(locked, to, user, comment=comment.strip(), comments=comments)
    for name in ("status", "submitted_at", "submitted_by_id"):  # the caller's copy too
        setattr(unit, name, getattr(locked, name))
    return locked


def _record(unit: Unit, to: str, user: Any, *, comment: str = "",
            comments: Mapping[str, str] | None = None) -> Unit:
    real = user if getattr(user, "is_authenticated", False) else None
    start = unit.status
    change = StageChange.objects.create(unit=unit, user=real,
                                        username=getattr(real, "username", "") or "",
                                        from_stage=start, to_stage=to, comment=comment)
    for rule, text in (comments or {}).items():
        RevisionComment.objects.create(change=change, rule=rule, text=text)
    unit.status = to
    fields = ["status"]
    if to == SUBMITTED:
        unit.submitted_at = timezone.now()
        unit.submitted_by = real
        fields += ["submitted_at", "submitted_by"]
    unit.save(update_fields=fields)
    audit.record(user, "unit.stage", unit=unit, **{"from": start, "to": to},
                 comment=comment, comments=dict(comments or {}))
    return unit


def set_round_locked(round_: Round, locked: bool, *, user: Any) -> list[str]:
    """Lock or unlock a round; locking makes its verified units final, unlocking turns them
    back into verified. Returns the kodes of the units moved."""
    from patuh.plugins.web import services

    moved = []
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.locked == locked:
            return moved
        start, to = (VERIFIED, FINAL) if locked else (FINAL, VERIFIED)
        for unit in (Unit.objects.select_for_update().select_related("round")
                     .filter(round=round_, status=start).order_by("kode")):
            _record(unit, to, user, comment="round.lock" if locked else "round.unlock")
            moved.append(unit.kode)
        services.set_locked(round_, locked, user=user)
    return moved


def revision_comments(unit: Unit) -> dict[str, list[RevisionComment]]:
    """The comments (rule id -> comments) of the unit's latest revision request, while the
    unit has not been verified since."""
    latest = (StageChange.objects.filter(unit=unit, to_stage=REVISION)
              .order_by("-at", "-id").first())
    if latest is None or unit.status in (VERIFIED, FINAL):
        return {}
    out: dict[str, list[RevisionComment]] = {}
    for item in latest.comments.all():
        out.setdefault(item.rule, []).append(item)
    return out


def timeline(unit: Unit) -> list[StageChange]:
    return list(StageChange.objects.filter(unit=unit).prefetch_related("comments"))
