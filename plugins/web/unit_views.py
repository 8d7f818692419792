"""The operator's side of a unit: its overview (score, predicate, plan, progress), one page per
questionnaire section (the instrument's wording, the ladder, the questions saved as they are
entered), evidence uploads and downloads, submission, the HTML report and the export.

Every view starts with ``access.unit_or_404`` (a unit outside one's own is a 404) and every
change with ``access.require_edit`` (403)."""

from __future__ import annotations

import base64
import hashlib
import re
import tempfile
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from functools import wraps
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler
from django.core.files.uploadhandler import StopUpload
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.i18n import number
from patuh.plugins.web import access
from patuh.plugins.web import answers as service
from patuh.plugins.web import security
from patuh.plugins.web import stages
from patuh.plugins.web import summary
from patuh.plugins.web.models import IN_VERIFICATION
from patuh.plugins.web.models import REVISION
from patuh.plugins.web.models import SUBMITTED
from patuh.plugins.web.models import VERIFIED
from patuh.plugins.web.models import Evidence
from patuh.plugins.web.models import Unit
from patuh.plugins.web.store import EVIDENCE_DIR
from patuh.plugins.web.store import MAX_UPLOAD_BYTES
from patuh.plugins.web.store import _get
from patuh.plugins.web.store import _locate
from patuh.plugins.web.store import file_digest
from patuh.questionnaire import CHOICES
from patuh.questionnaire import DATE
from patuh.questionnaire import FILE
from patuh.questionnaire import FILES
from patuh.questionnaire import TEXTS
from patuh.questionnaire import YES_NO
from patuh.questionnaire import Questionnaire
from patuh.questionnaire import list_keys

PLAN_ITEMS = 8
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")
_INDEX = re.compile(r"\[[0-9]*\]")


def _lang() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def _t(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("id") or "")
    return Text.of(value).get(lang)


def _dom_id(path: str) -> str:
    return "f-" + re.sub(r"[^a-zA-Z0-9_-]", "-", path)


def _group_id(group: str) -> str:
    return "group-" + re.sub(r"[^a-zA-Z0-9_-]", "-", group)


def _status_label(status: str | None) -> str:
    labels = {"pass": _("terpenuhi"), "partial": _("sebagian"), "fail": _("belum terpenuhi"),
              "missing": _("belum ada data")}
    return labels.get(status or "", status or "")


def _rule_anchor(rule: str) -> str:
    return slugify(rule)  # the indicator's card on its section page


def _ladder_id(rule: str) -> str:
    return "ladder-" + re.sub(r"[^a-zA-Z0-9_-]", "-", rule)


def _points(gain: Any, lang: str = "id") -> str:
    """A gain in points of the final score, as people of the language write it (+0,037)."""
    if isinstance(gain, bool) or not isinstance(gain, (int, float)):
        return ""
    if not gain:
        return "+0"
    text = number(gain, lang, 3, sign=True)
    return text.rstrip("0").rstrip("." if lang == "en" else ",")


# --- the unit's state ---------------------------------------------------------------------------

class State:
    """What the pages show of one unit: its answers, its report (None when the manifest does
    not load, with the reason) and the questionnaire."""

    def __init__(self, unit: Unit, user: Any) -> None:
        self.unit = unit
        self.folder = service.folder_of(unit)
        self.model: Questionnaire = service.model_of(unit)
        self.answers = self.folder.answers_shared()  # read only
        self.can_edit = access.can_edit(user, unit)
        self.lang = _lang()
        self.report: dict[str, Any] | None = None
        self.report_error = ""
        # through the round's report cache: the report a save computes here is the one the
        # round page and the API then reuse (shared: read only)
        self.report, _error = summary.unit_report(unit.folder, unit.round.ruleset,
                                                  unit.round.edition)
        if self.report is None:
            try:
                self.report = self.folder.report(unit.round.ruleset, unit.round.edition)
            except InputError as exc:
                self.report_error = Text.of(exc.message).get(self.lang)
        self.results = {r["rule_id"]: r for r in (self.report or {}).get("results", [])}
        self._reuse: dict[str, list[str]] | None = None
        self.comments = stages.revision_comments(unit)

    def comment_list(self) -> list[dict[str, Any]]:
        """The evaluator's revision comments, each with its indicator and section page."""
        out = []
        for rule, items in self.comments.items():
            home = next(((s, i) for s in self.model.sections for i in s.indicators
                         if i.rule == rule), None)
            out.append({"rule": rule, "texts": [c.text for c in items],
                        "title": home[1].title.get(self.lang) if home else "",
                        "url": (_section_url(self.unit, home[0].code, _rule_anchor(rule))
                                if home else None)})
        return out

    @property
    def reuse(self) -> dict[str, list[str]]:
        if self._reuse is None:
            self._reuse = self.folder.evidence_reuse()
        return self._reuse

    # -- the score panel --------------------------------------------------------------------------

    def score(self) -> dict[str, Any]:
        report, lang = self.report or {}, self.lang
        predicate = report.get("predicate") or {}
        band = report.get("next_band") or {}
        plan = []
        for item in (report.get("improvement_plan") or [])[:PLAN_ITEMS]:
            result = self.results.get(item["rule_id"], {})
            code = f"{self.unit.round.ruleset}.{result.get('aspect')}" if result else None
            plan.append({"rule": item["rule_id"], "title": _t(item.get("title"), lang),
                         "from": item.get("from_level"), "to": item.get("to_level"),
                         "next": _t(item.get("next_title"), lang),
                         "gain": _points(item.get("gain"), lang),
                         "section": code if self._has_section(code) else None})
        score = report.get("score") or {}
        effect = (report.get("verification") or {}).get("effect") or {}
        claimed = (effect.get("claimed") or {}) if effect else {}
        return {"error": self.report_error, "final": score.get("final"),
                "claimed": claimed.get("final") if effect else None,
                "claimed_predicate": (claimed.get("predicate") or {}).get("code"),
                "predicate": predicate.get("code"),
                "predicate_label": predicate.get("label_en" if lang == "en" else "label"),
                "next_code": band.get("code"),
                "next_label": band.get("label_en" if lang == "en" else "label"),
                "gap": band.get("gap"), "plan": plan}

    def slot_label(self, slot: str) -> str:
        """An evidence slot as people read it: its question's label (the item's number for
        a slot inside a list), the path when the questionnaire does not know it."""
        question = self.model.questions.get(_INDEX.sub("[]", slot))
        if question is None:
            return slot
        label = question.label.get(self.lang)
        numbers = [int(n) + 1 for n in re.findall(r"\[([0-9]+)\]", slot)]
        return label + "".join(f" #{n}" for n in numbers)

    def _has_section(self, code: str | None) -> bool:
        return any(s.code == code for s in self.model.sections)

    # -- sections ---------------------------------------------------------------------------------

    def progress(self) -> list[dict[str, Any]]:
        rows = []
        for section in self.model.sections:
            paths = [*section.questions, *(p for i in section.indicators for p in i.questions)]
            asked = answered = 0
            seen_groups: set[str] = set()
            for path in paths:
                question = self.model.questions[path]
                if question.group:
                    group = question.group.removesuffix("[]")
                    if group in seen_groups:
                        continue
                    seen_groups.add(group)
                    asked += 1
                    items = _get(self.answers, list(list_keys(self.model.questions, group)))
                    answered += bool(items)
                    continue
                asked += 1
                answered += _get(self.answers, list(question.keys)) not in (None, "", [])
            rows.append({"code": section.code, "title": section.title.get(self.lang),
                         "asked": asked, "answered": answered,
                         "indicators": len(section.indicators)})
        return rows

    def ladder(self, indicator: Any) -> dict[str, Any]:
        lang = self.lang
        result = self.results.get(indicator.rule, {})
        reached = result.get("level") or 0
        next_level = result.get("next_level") or {}
        return {
            "rule": indicator.rule, "id": _ladder_id(indicator.rule),
            "levels": [{"level": n, "text": t.get(lang), "reached": n <= reached,
                        "next": n == next_level.get("level")} for n, t in indicator.levels],
            "level": reached, "max": result.get("max_level"),
            "status": result.get("status"), "score": result.get("score"),
            "status_label": _status_label(result.get("status")),
            "next": _t(next_level.get("title"), lang), "next_level": next_level.get("level"),
            "unmet": [_t(u.get("message"), lang) for u in result.get("unmet") or []],
            "gain": _points(result.get("gain"), lang),
        }

    def indicator(self, indicator: Any, groups: set[str] | None = None) -> dict[str, Any]:
        lang = self.lang
        return {"rule": indicator.rule, "title": indicator.title.get(lang),
                "comments": [c.text for c in self.comments.get(indicator.rule, [])],
                "guidance": indicator.guidance.get(lang),
                "evidence": indicator.evidence.get(lang), "weight": indicator.weight,
                "ladder": self.ladder(indicator),
                "blocks": self.blocks(indicator.questions, groups)}

    def blocks(self, paths: tuple[str, ...], groups: set[str] | None = None
               ) -> list[dict[str, Any]]:
        """Fields and lists of objects, in the questionnaire's order. A list of objects whose
        questions are asked under several indicators is shown once per page (``groups``: the
        lists already shown), then referred to."""
        out: list[dict[str, Any]] = []
        here: set[str] = set()
        groups = set() if groups is None else groups
        for path in paths:
            question = self.model.questions[path]
            if question.group:
                group = question.group.removesuffix("[]")
                if group in here:
                    continue
                here.add(group)
                if group in groups:
                    out.append({"type": "ref", "id": _group_id(group),
                                "label": self.model.groups[group].label.get(self.lang)})
                else:
                    groups.add(group)
                    out.append(self.group(group))
                continue
            out.append(self.field(path))
        return out

    def group(self, group: str) -> dict[str, Any]:
        spec = self.model.groups[group]
        items = _get(self.answers, list(list_keys(self.model.questions, group)))
        count = len(items) if isinstance(items, list) else 0
        rows = []
        for index in range(count):
            fields = []
            for generic in spec.questions:
                concrete = generic.replace("[]", f"[{index}]", 1)
                fields.append(self.field(concrete))
            rows.append({"index": index, "fields": fields})
        new = [{"name": "q:" + generic, "label": self.model.questions[generic].label.get(
                    self.lang), "required": self.model.questions[generic].required,
                "kind": self.model.questions[generic].kind,
                "choices": [(c.code, c.label.get(self.lang))
                            for c in self.model.questions[generic].choices]}
               for generic in spec.questions
               if self.model.questions[generic].kind not in (FILE, FILES, CHOICES, TEXTS)
               and "[]" not in generic.split("[]", 1)[1]]
        return {"type": "group", "path": group, "label": spec.label.get(self.lang),
                "help": spec.help.get(self.lang) if spec.help else "", "items": rows,
                "new": new, "id": _group_id(group)}

    def field(self, path: str, *, error: str = "", reading: str = "") -> dict[str, Any]:
        question, keys = _locate(self.model, path)
        value = _get(self.answers, keys)
        lang = self.lang
        field: dict[str, Any] = {
            "type": "field", "path": path, "kind": question.kind, "id": _dom_id(path),
            "label": question.label.get(lang),
            "help": question.help.get(lang) if question.help else "",
            "required": question.required, "error": error, "reading": reading,
            "disabled": not self.can_edit, "text": _display(question.kind, value),
            "checked": [str(v) for v in value] if isinstance(value, list) else [str(value)],
            "choices": [(c.code, c.label.get(lang)) for c in question.choices],
            "minimum": question.minimum, "maximum": question.maximum,
        }
        if question.kind in (FILE, FILES):
            field["files"] = self.files(path, question.kind, value)
        return field

    def files(self, slot: str, kind: str, value: Any) -> list[dict[str, Any]]:
        entries = value if isinstance(value, list) else ([value] if value else [])
        out = []
        for entry in entries:
            address = entry.get("url") if isinstance(entry, Mapping) else None
            if isinstance(entry, str) and entry.startswith(("http://", "https://")):
                address = entry
            if isinstance(address, str):  # a web address given as evidence: shown as text
                out.append({"name": address, "stored": "", "sha256": None, "size": None,
                            "reuse": 0, "url": None, "address": True})
                continue
            if isinstance(entry, Mapping):
                stored, digest = str(entry.get("berkas") or ""), entry.get("sha256")
                name = str(entry.get("keterangan") or stored)
            else:
                stored, digest, name = str(entry), None, str(entry)
            path = self.folder.root / stored if stored else None
            exists = path is not None and path.is_file() and not stored.startswith(("http:",
                                                                                    "https:"))
            if exists and kind == FILE and not digest:
                digest = file_digest(path)
            out.append({"name": name, "stored": stored, "sha256": digest if exists else None,
                        "size": path.stat().st_size if exists else None,
                        "reuse": len(self.reuse.get(digest or "", [])),
                        "url": reverse("evidence_file", args=[self.unit.round.slug,
                                                              self.unit.kode, digest])
                        if exists and digest and stored.startswith(EVIDENCE_DIR + "/")
                        else None})
            if out[-1]["url"]:
                suffix = Path(stored).suffix.lower().lstrip(".")
                out[-1]["inline"] = reverse("evidence_inline", args=[
                    self.unit.round.slug, self.unit.kode, digest])
                out[-1]["view"] = ("image" if suffix in ("jpg", "jpeg", "png")
                                   else "pdf" if suffix == "pdf" else "")
        return out


def _display(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == YES_NO:
        return {True: "ya", False: "tidak"}.get(value, str(value))
    if kind == DATE:
        if isinstance(value, (date, datetime)):
            return value.strftime("%d/%m/%Y")
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
        return f"{match[3]}/{match[2]}/{match[1]}" if match else str(value)
    if kind == TEXTS and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, (list, dict)):
        return ""
    if isinstance(value, float):  # as the answer is typed (read back with either separator)
        return number(int(value) if value.is_integer() else value, "id", group=False)
    return str(value)


def _unit(request: HttpRequest, round_slug: str, kode: str) -> Unit:
    return access.unit_or_404(request.user, round_slug, kode)


def _section_of(model: Questionnaire, path: str) -> str:
    generic = _INDEX.sub("[]", path)
    try:
        return model.home(generic)[0].code
    except KeyError:
        return model.sections[0].code


def _section_url(unit: Unit, code: str, anchor: str = "") -> str:
    url = reverse("section", args=[unit.round.slug, unit.kode, code])
    return f"{url}#{anchor}" if anchor else url


# --- pages --------------------------------------------------------------------------------------

@login_required
@require_GET
def overview(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    state = State(unit, request.user)
    reuse = [{"count": len(slots), "slots": [state.slot_label(s) for s in slots]}
             for slots in state.reuse.values()]
    allowed = stages.moves(request.user, unit)
    return render(request, "patuh_web/unit.html", {
        "unit": unit, "score": state.score(), "sections": state.progress(), "reuse": reuse,
        "can_edit": state.can_edit, "can_submit": SUBMITTED in allowed,
        "moves": [(to, stages.stage_label(to)) for to in allowed
                  if to in (IN_VERIFICATION, VERIFIED)],
        "can_verify": access.can_verify(request.user, unit),
        "timeline": stages.timeline(unit), "comments": state.comment_list()})


@login_required
@require_GET
def section(request: HttpRequest, round_slug: str, kode: str, code: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    state = State(unit, request.user)
    found = next((s for s in state.model.sections if s.code == code), None)
    if found is None:
        raise Http404
    codes = [s.code for s in state.model.sections]
    position = codes.index(code)
    shown: set[str] = set()  # lists of objects already on the page
    return render(request, "patuh_web/section.html", {
        "unit": unit, "section": {"code": code, "title": found.title.get(state.lang)},
        "blocks": state.blocks(found.questions, shown),
        "indicators": [state.indicator(i, shown) for i in found.indicators],
        "score": state.score(), "can_edit": state.can_edit,
        "sections": state.progress(),
        "previous": codes[position - 1] if position else None,
        "next": codes[position + 1] if position + 1 < len(codes) else None,
        "max_upload": _size(MAX_UPLOAD_BYTES.value())})


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB".replace(".0 ", " ")
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} B"


# --- changes ------------------------------------------------------------------------------------

def _signed_in(view: Any) -> Any:
    """``login_required`` that tells htmx where to go: a save whose session has ended gets
    ``HX-Redirect`` to the sign-in page (a 302 would be followed inside the request, and the
    sign-in page swapped in place of the field)."""
    plain = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.headers.get("HX-Request") and not request.user.is_authenticated:
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            target = current.path if current.path.startswith("/r/") else "/"
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{reverse('login')}?{urlencode({'next': target})}"
            return response
        return plain(request, *args, **kwargs)

    return wrapper


@_signed_in
@require_POST
def answer(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """Save one answer (htmx: the field again, with the error or how the value was read, and
    the score panel and the ladders of its section out of band)."""
    unit = _unit(request, round_slug, kode)
    access.require_edit(request.user, unit)
    path = request.POST.get("path", "")
    model = service.model_of(unit)
    try:
        question, _keys = _locate(model, path)
    except InputError:
        return HttpResponse(_("Pertanyaan tidak dikenal."), status=400,
                            content_type="text/plain; charset=utf-8")
    if question.kind in (FILE, FILES):
        return HttpResponse(_("Berkas diunggah, bukan diketik."), status=400,
                            content_type="text/plain; charset=utf-8")
    value: Any = (request.POST.getlist("value") if question.kind == CHOICES
                  else request.POST.get("value", ""))
    result = service.save(request.user, unit, {path: value})
    lang = _lang()
    error = result.error.get(lang) if result.error else ""
    reading = "; ".join(r.reading.describe().get(lang) for r in result.readings
                        if r.reading.raw != r.reading.value)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Tersimpan."))
        return redirect(_section_url(unit, _section_of(model, path), _dom_id(path)))
    state = State(unit, request.user)
    code = _section_of(model, path)
    found = next(s for s in state.model.sections if s.code == code)
    field = state.field(path, error=error, reading=reading)
    if error:  # the typed value stays in the box, to be corrected
        field["text"] = value if isinstance(value, str) else field["text"]
        if isinstance(value, list):
            field["checked"] = value
    return render(request, "patuh_web/_answer.html", {
        "field": field, "score": state.score(), "unit": unit,
        "ladders": [state.ladder(i) for i in found.indicators], "saved": not error})


@login_required
@require_POST
def item_add(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """A new item of a list of objects, its required answers saved together."""
    unit = _unit(request, round_slug, kode)
    access.require_edit(request.user, unit)
    model = service.model_of(unit)
    group = request.POST.get("group", "")
    spec = model.groups.get(group)
    if spec is None:
        raise Http404
    state = State(unit, request.user)
    items = _get(state.answers, list(list_keys(state.model.questions, group)))
    index = len(items) if isinstance(items, list) else 0
    values = {}
    for generic in spec.questions:
        raw = request.POST.get("q:" + generic, "")
        if raw.strip():
            values[generic.replace("[]", f"[{index}]", 1)] = raw
    code = _section_of(model, spec.questions[0])
    if not values:
        messages.error(request, _("Isi dulu kolom butir baru."))
        return redirect(_section_url(unit, code, _group_id(group)))
    result = service.save(request.user, unit, values)
    if result.ok:
        messages.success(request, _("Butir ditambahkan."))
    else:
        message = result.error.get(_lang()) if result.error else ""
        if result.needs:
            message += " — " + _("wajib diisi juga: ") + ", ".join(result.needs)
        messages.error(request, message)
    return redirect(_section_url(unit, code, _group_id(group)))


@login_required
@require_POST
def item_remove(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    access.require_edit(request.user, unit)
    model = service.model_of(unit)
    group = request.POST.get("group", "")
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        return HttpResponse(_("Nomor butir tidak sah."), status=400,
                            content_type="text/plain; charset=utf-8")
    if group not in model.groups:
        raise Http404
    result = service.remove_item(request.user, unit, group, index)
    if result.ok:
        messages.success(request, _("Butir dihapus."))
    else:
        messages.error(request, result.error.get(_lang()) if result.error else "")
    code = _section_of(model, model.groups[group].questions[0])
    return redirect(_section_url(unit, code, _group_id(group)))


class _SizeLimit(FileUploadHandler):
    """Stops reading an uploaded file past the size limit: the rest of the request is read and
    thrown away (nothing of it is kept, in memory or on disk) and the view answers 413."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # checked below, once the size limit is in place (Django's documented pattern)
@login_required
@require_POST
def evidence_upload(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    access.require_edit(request.user, unit)  # refused before a byte of the file is read
    limit = MAX_UPLOAD_BYTES.value()
    guard = _SizeLimit(request, limit)
    request.upload_handlers.insert(0, guard)
    return _evidence_upload(request, unit, guard)


@csrf_protect
def _evidence_upload(request: HttpRequest, unit: Unit, guard: _SizeLimit) -> HttpResponse:
    model = service.model_of(unit)
    slot = request.POST.get("slot", "")
    upload = request.FILES.get("file")
    back = _section_url(unit, _section_of(model, slot), _dom_id(slot))
    if guard.exceeded:
        return _refusal(request, unit, back, _(
            "Berkas terlalu besar: lebih dari %(limit)s per berkas.")
            % {"limit": _size(guard.limit)}, 413)
    if upload is None:
        return _refusal(request, unit, back, _("Pilih berkas yang akan diunggah."), 400)
    result = service.upload(request.user, unit, slot, upload.name, upload.file)
    if not result.ok:
        text = result.error.get(_lang()) if result.error else ""
        status = 413 if "PATUH_WEB_MAX_UPLOAD_BYTES" in text else 400
        return _refusal(request, unit, back, text, status)
    if result.already:
        messages.info(request, _("Berkas ini sudah terlampir di sini."))
    else:
        messages.success(request, _("Berkas %(name)s diunggah.") % {"name": result.original_name})
    if result.reused:
        messages.warning(request, _(
            "Berkas yang sama juga dilampirkan di %(count)d tempat lain: %(slots)s.")
            % {"count": len(result.reused), "slots": ", ".join(result.reused)})
    return redirect(back)


def _refusal(request: HttpRequest, unit: Unit, back: str, message: str,
             status: int) -> HttpResponse:
    return render(request, "patuh_web/unit_refused.html",
                  {"unit": unit, "message": message, "back": back}, status=status)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, round_slug: str, kode: str,
                    sha256: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    access.require_edit(request.user, unit)
    model = service.model_of(unit)
    slot = request.POST.get("slot", "")
    try:
        _locate(model, slot)
        service.remove_evidence(request.user, unit, slot, sha256)
    except InputError as exc:
        messages.error(request, Text.of(exc.message).get(_lang()))
    else:
        messages.success(request, _("Berkas dilepas."))
    return redirect(_section_url(unit, _section_of(model, slot), _dom_id(slot)))


@login_required
@require_GET
@xframe_options_sameorigin
def evidence_inline(request: HttpRequest, round_slug: str, kode: str,
                    sha256: str) -> FileResponse:
    """An evidence file to be viewed in the browser (PDF, images): ``inline``, nosniff, and
    framed by the platform's own pages only (the evaluator's page shows it in a frame)."""
    response = _evidence_response(request, round_slug, kode, sha256, inline=True)
    response["Content-Security-Policy"] = security.CSP.format(styles="").replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'")
    return response


@login_required
@require_GET
def evidence_file(request: HttpRequest, round_slug: str, kode: str,
                  sha256: str) -> FileResponse:
    return _evidence_response(request, round_slug, kode, sha256)


def _evidence_response(request: HttpRequest, round_slug: str, kode: str, sha256: str, *,
                       inline: bool = False) -> FileResponse:
    unit = _unit(request, round_slug, kode)
    folder = service.folder_of(unit)
    path = folder.evidence_file(sha256)
    if path is None:
        raise Http404
    held = service.attachments(folder.answers_shared())
    name = next((str(e.get("keterangan")) for (_s, d), e in held.items()
                 if d == sha256 and e.get("keterangan")), None)
    if name is None:
        row = Evidence.objects.filter(unit=unit, sha256=sha256).first()
        name = row.original_name if row else path.name
    if not name.lower().endswith(path.suffix.lower()):
        name += path.suffix
    content_type = service.CONTENT_TYPES.get(path.suffix.lstrip("."), "application/octet-stream")
    if inline and content_type not in INLINE_TYPES:
        inline = False  # only PDF and images are shown in the browser
    response = FileResponse(path.open("rb"), as_attachment=not inline, filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def submit(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    unit = _unit(request, round_slug, kode)
    access.require_edit(request.user, unit)
    try:
        service.submit(request.user, unit)
    except stages.StageError as exc:
        return stage_refusal(request, unit, exc)
    messages.success(request, _("Unit diserahkan; jawaban operator kini terkunci."))
    return redirect("unit", round_slug=unit.round.slug, kode=unit.kode)


def stage_refusal(request: HttpRequest, unit: Unit, exc: InputError) -> HttpResponse:
    """A move the stage does not allow now: 409 with the reason, and the way back."""
    return _refusal(request, unit, reverse("unit", args=[unit.round.slug, unit.kode]),
                    Text.of(exc.message).get(_lang()), 409)


@login_required
@require_POST
def stage(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """Start verification, verify, reopen (evaluator/admin); submit (operator)."""
    unit = _unit(request, round_slug, kode)
    to = request.POST.get("to", "")
    if to == REVISION:  # needs the comments: the evaluator's page sends them
        return redirect("verify", round_slug=unit.round.slug, kode=unit.kode)
    try:
        stages.move(unit, to, request.user, comment=request.POST.get("comment", "")[:2000])
    except stages.StageError as exc:
        return stage_refusal(request, unit, exc)
    messages.success(request, _("Tahap unit kini: %(stage)s.") % {"stage": stages.stage_label(to)})
    if to == IN_VERIFICATION:
        return redirect("verify", round_slug=unit.round.slug, kode=unit.kode)
    return redirect("unit", round_slug=unit.round.slug, kode=unit.kode)


STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""")


def _hash(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def report_policy(html: str) -> str:
    """The Content Security Policy of the HTML report: the platform's own, allowing exactly
    the report's style block and style attributes by their hashes (CSP level 3
    'unsafe-hashes' names attribute values, no others); scripts stay forbidden."""
    blocks = {_hash(block) for block in STYLE.findall(html)}
    attributes = {_hash(unescape(a or b)) for a, b in STYLE_ATTRIBUTE.findall(html)}
    styles = "".join(f" 'sha256-{h}'" for h in sorted(blocks | attributes))
    if attributes:
        styles = " 'unsafe-hashes'" + styles
    return security.CSP.format(styles=styles)


@login_required
@require_GET
def report(request: HttpRequest, round_slug: str, kode: str) -> HttpResponse:
    """The HTML report exactly as ``patuh check --format html`` writes it."""
    unit = _unit(request, round_slug, kode)
    folder = service.folder_of(unit)
    try:
        html = folder.report_html(unit.round.ruleset, unit.round.edition, _lang())
    except InputError as exc:
        return _refusal(request, unit, reverse("unit", args=[unit.round.slug, unit.kode]),
                        Text.of(exc.message).get(_lang()), 409)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = report_policy(html)
    return response


@login_required
@require_GET
def export(request: HttpRequest, round_slug: str, kode: str) -> FileResponse:
    """The unit's manifest folder as a zip, spooled through a temporary file."""
    unit = _unit(request, round_slug, kode)
    folder = service.folder_of(unit)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it once sent
    folder.write_zip(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{unit.kode}.zip",
                        content_type="application/zip")
