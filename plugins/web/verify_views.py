"""The evaluator's page of a unit: per indicator the unit's claim (the level the rules give from
its answers), the answers and evidence behind it (PDF and images viewable in the page), and a
form for the verified level (or 0–100 score of a measured rule) with a note; the revision
request with a comment per indicator; the unit's waivers.

What the evaluator records is written to the unit folder (``verifikasi.yaml``,
``pengecualian.yaml``) through ``patuh.plugins.web.verify``, so the served report stays byte
for byte ``patuh check --verification verifikasi.yaml --waivers pengecualian.yaml``.

Access: a unit not visible is a 404 (``access.unit_or_404``); visible to someone who is not its
evaluator (operator, pimpinan, another evaluator cannot see it at all) a 403."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.plugins.web import access
from patuh.plugins.web import audit
from patuh.plugins.web import stages
from patuh.plugins.web import verify
from patuh.plugins.web.answers import attachments
from patuh.plugins.web.models import REVISION
from patuh.plugins.web.models import Unit
from patuh.plugins.web.unit_views import State
from patuh.plugins.web.unit_views import _lang
from patuh.plugins.web.unit_views import _refusal
from patuh.plugins.web.unit_views import _t

MAX_NOTE = 4000
TEMP = re.compile(r"\S*\.patuh-tmp-[^\s:]*\.yaml")


def _unit(request: HttpRequest, round_slug: str, kode: str) -> Unit:
    unit = access.unit_or_404(request.user, round_slug, kode)
    access.require_verifier(request.user, unit)
    return unit


def _back(unit: Unit, rule: str = "") -> str:
    url = reverse("verify", args=[unit.round.slug, unit.kode])
    return f"{url}#v-{re.sub(r'[^a-zA-Z0-9_-]', '-', rule)}" if rule else url


def _message(exc: InputError, name: str, unit: Unit) -> str:
    """The message as people read it: the file's name, not the server's folder, nor the
    temporary file a change was checked in."""
    text = TEMP.sub(name, exc.render(_lang())).strip()
    return text.replace(str(unit.folder) + "/", "")


def _evaluator(user: Any) -> str:
    return (user.get_full_name() or user.username).strip()


@login_required
@require_GET
def page(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    state = State(unit, request.user)
    lang = state.lang
    problems: list[str] = []
    try:
        verified = verify.verified_items(unit.folder)
    except InputError as exc:
        verified = {}
        problems.append(_message(exc, verify.VERIFICATION_FILE, unit))
    section = (state.report or {}).get("verification") or {}
    side = {item["rule_id"]: item for item in section.get("items", [])}
    claims = _claims(state)
    shown: set[str] = set()
    indicators = []
    for sec in state.model.sections:
        for indicator in sec.indicators:
            claim = claims.get(indicator.rule, {})
            blocks = state.blocks(indicator.questions, shown)
            indicators.append({
                "rule": indicator.rule, "anchor": "v-" + re.sub(r"[^a-zA-Z0-9_-]", "-",
                                                               indicator.rule),
                "title": indicator.title.get(lang), "section": sec.title.get(lang),
                "evidence_asked": indicator.evidence.get(lang),
                "claim": claim, "measured": claim.get("max_level") is None,
                "levels": list(range(0, (claim.get("max_level") or 0) + 1)),
                "ladder": [(n, t.get(lang)) for n, t in indicator.levels],
                "verified": verified.get(indicator.rule), "side": side.get(indicator.rule),
                "comments": [c.text for c in state.comments.get(indicator.rule, [])],
                "blocks": blocks, "section_code": sec.code,
                "previews": _previews(state, indicator.rule)})
    waivers = (state.report or {}).get("waivers") or {}
    return render(request, "patuh_web/verify.html", {
        "unit": unit, "indicators": indicators, "score": state.score(),
        "report_error": state.report_error, "verification": section,
        "waiver_section": waivers, "waivers": _waiver_rows(unit, waivers, lang, problems),
        "problems": problems,
        "can_record": access.can_record_verification(request.user, unit),
        "can_revise": stages.may_move(request.user, unit, REVISION),
        "can_waive": access.can_waive(request.user, unit),
        "moves": [(to, stages.stage_label(to)) for to in stages.moves(request.user, unit)
                  if to != REVISION],
        "today": date.today().isoformat(),
        "rules": [(i["rule"], i["title"]) for i in indicators]})


def _claims(state: State) -> dict[str, dict[str, Any]]:
    """rule id -> the unit's claim: the level (or score) the rules give from its answers,
    before the evaluator's verification replaces it."""
    report = state.report or {}
    claimed = {i["rule_id"]: i for i in (report.get("verification") or {}).get("items", [])}
    out = {}
    for rule, result in state.results.items():
        item = claimed.get(rule)
        level = item["claimed_level"] if item else result.get("level")
        score = item["claimed_score"] if item else result.get("score")
        out[rule] = {"level": level, "max_level": result.get("max_level"), "score": score,
                     "status": result.get("status"),
                     "unmet": [_t(u.get("message"), state.lang)
                               for u in result.get("unmet") or []][:6]}
    return out


def _previews(state: State, rule: str) -> list[dict[str, Any]]:
    """The files the rule read (the report's evidence of its result), PDF and images to be
    viewed in the page, the others to be downloaded."""
    names = {digest: str(entry.get("keterangan") or entry.get("berkas") or "")
             for (_slot, digest), entry in attachments(state.answers).items()}
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in state.results.get(rule, {}).get("evidence") or []:
        digest, ref = item.get("sha256"), str(item.get("ref") or "")
        if item.get("kind") != "file" or not digest or digest in seen \
                or state.folder.evidence_file(digest) is None:
            continue
        seen.add(digest)
        suffix = ref.rsplit(".", 1)[-1].lower() if "." in ref else ""
        args = [state.unit.round.slug, state.unit.kode, digest]
        found.append({"name": names.get(digest) or ref, "status": item.get("status"),
                      "view": ("image" if suffix in ("jpg", "jpeg", "png")
                               else "pdf" if suffix == "pdf" else ""),
                      "inline": reverse("evidence_inline", args=args),
                      "url": reverse("evidence_file", args=args)})
    return found


def _waiver_rows(unit: Unit, section: dict[str, Any], lang: str,
                 problems: list[str]) -> list[dict[str, Any]]:
    applied = {item["source"]: item for item in section.get("applied", [])}
    ignored = {item["source"]: item for item in section.get("ignored", [])}
    rows = []
    try:
        held = verify.read_waivers(unit.folder)
    except InputError as exc:
        held = []
        problems.append(_message(exc, verify.WAIVERS_FILE, unit))
    for index, raw in enumerate(held):
        reason = raw.get("reason")
        source_prefix = f"{verify.WAIVERS_FILE}:"
        match = next((a for s, a in applied.items() if s.startswith(source_prefix)
                      and a["rule_id"] == raw.get("rule")), None)
        skipped = next((a for s, a in ignored.items() if s.startswith(source_prefix)
                        and a["rule_id"] == raw.get("rule")), None)
        rows.append({"index": index, "rule": raw.get("rule"), "effect": raw.get("effect",
                                                                               "excluded"),
                     "reason": _t(reason, lang), "owner": raw.get("owner"),
                     "approver": raw.get("approver"), "start": raw.get("start"),
                     "expiry": raw.get("expiry"), "legal_basis": raw.get("legal_basis"),
                     "found": (match or {}).get("found"), "ignored": (skipped or {}).get("why")})
    return rows


def _check(unit: Unit, which: str):
    """A check for ``verify``: the unit's report built with the new file in place."""
    from patuh.plugins.web.answers import folder_of

    folder = folder_of(unit)

    def check(path):
        folder.report(unit.round.ruleset, unit.round.edition, **{which: path})

    return check


@login_required
@require_POST
def save(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """The verified level (ladder rule, 0..max) or score (measured rule, 0..100) of one
    indicator, with the evaluator's note."""
    unit = _unit(request, round_slug, kode)
    if not access.can_record_verification(request.user, unit):
        return _not_now(request, unit)
    rule = request.POST.get("rule", "")
    note = request.POST.get("note", "")[:MAX_NOTE]
    level = score = None
    raw = request.POST.get("level", "").strip()
    raw_score = request.POST.get("score", "").strip().replace(",", ".")
    try:
        if raw:
            level = int(raw)
        elif raw_score:
            score = Decimal(raw_score)
            if not score.is_finite() or not 0 <= score <= 100:
                raise InvalidOperation
    except (ValueError, InvalidOperation):
        return _refusal(request, unit, _back(unit, rule),
                        _("Level harus bilangan bulat; nilai harus angka 0–100."), 400)
    try:
        with transaction.atomic():
            locked = Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)
            verify.set_verified(locked.folder, rule, note=note, level=level, score=score,
                                evaluator=_evaluator(request.user), day=date.today(),
                                check=_check(locked, "verification"))
            audit.record(request.user, "verification.save", unit=locked, rule=rule,
                         level=level, score=None if score is None else str(score), note=note)
    except InputError as exc:
        return _refusal(request, unit, _back(unit, rule),
                        _message(exc, verify.VERIFICATION_FILE, unit), 400)
    messages.success(request, _("Verifikasi %(rule)s tersimpan.") % {"rule": rule})
    return redirect(_back(unit, rule))


@login_required
@require_POST
def remove(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    if not access.can_record_verification(request.user, unit):
        return _not_now(request, unit)
    rule = request.POST.get("rule", "")
    try:
        with transaction.atomic():
            locked = Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)
            before = verify.verified_items(locked.folder).get(rule)
            if verify.remove_verified(locked.folder, rule,
                                      check=_check(locked, "verification")):
                audit.record(request.user, "verification.remove", unit=locked, rule=rule,
                             before=before)
    except InputError as exc:
        return _refusal(request, unit, _back(unit, rule),
                        _message(exc, verify.VERIFICATION_FILE, unit), 400)
    messages.success(request, _("Verifikasi %(rule)s dihapus; klaim unit berlaku lagi.")
                     % {"rule": rule})
    return redirect(_back(unit, rule))


def _not_now(request: HttpRequest, unit: Unit) -> HttpResponse:
    return _refusal(request, unit, _back(unit), _(
        "Verifikasi hanya dapat dicatat selama unit dalam tahap verifikasi dan putaran belum "
        "dikunci."), 409)


@login_required
@require_POST
def request_revision(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """Send the unit back to its operator, with a comment per indicator (at least one)."""
    unit = _unit(request, round_slug, kode)
    comments = {key[len("komentar:"):]: value[:MAX_NOTE]
                for key, value in request.POST.items() if key.startswith("komentar:")}
    try:
        stages.move(unit, REVISION, request.user, comments=comments,
                    comment=request.POST.get("comment", "")[:MAX_NOTE])
    except stages.StageError as exc:
        return _refusal(request, unit, _back(unit), Text.of(exc.message).get(_lang()), 409)
    messages.success(request, _("Unit dikembalikan ke operator untuk diperbaiki."))
    return redirect("unit", round_slug=unit.round.slug, kode=unit.kode)


@login_required
@require_POST
def waiver_add(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    if not access.can_waive(request.user, unit):
        raise PermissionDenied
    post = request.POST
    reason_id, reason_en = post.get("reason", "").strip(), post.get("reason_en", "").strip()
    identity = verify.unit_identity(unit.folder) or unit.kode
    waiver = {"rule": post.get("rule", "").strip(), "unit": identity,
              "reason": {"id": reason_id, "en": reason_en} if reason_en else reason_id,
              "owner": post.get("owner", "").strip(), "approver": post.get("approver", "").strip(),
              "start": post.get("start", "").strip(), "expiry": post.get("expiry", "").strip(),
              "legal_basis": post.get("legal_basis", "").strip(),
              "effect": post.get("effect", "excluded")}
    try:
        with transaction.atomic():
            locked = Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)
            verify.add_waiver(locked.folder, waiver, check=_check(locked, "waivers"))
            audit.record(request.user, "waiver.add", unit=locked, waiver=waiver)
    except InputError as exc:
        return _refusal(request, unit, _back(unit) + "#waivers",
                        _message(exc, verify.WAIVERS_FILE, unit), 400)
    messages.success(request, _("Pengecualian %(rule)s dicatat.") % {"rule": waiver["rule"]})
    return redirect(_back(unit) + "#waivers")


@login_required
@require_POST
def waiver_remove(request: HttpRequest, round_slug: str, kode: str,
                  index: int) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    if not access.can_waive(request.user, unit):
        raise PermissionDenied
    try:
        with transaction.atomic():
            locked = Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)
            gone = verify.remove_waiver(locked.folder, index, check=_check(locked, "waivers"))
            audit.record(request.user, "waiver.remove", unit=locked, index=index, before=gone)
    except InputError as exc:
        return _refusal(request, unit, _back(unit) + "#waivers",
                        _message(exc, verify.WAIVERS_FILE, unit), 400)
    messages.success(request, _("Pengecualian %(rule)s dihapus.") % {"rule": gone.get("rule")})
    return redirect(_back(unit) + "#waivers")
