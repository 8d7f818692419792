"""An audit event as the audit page shows it: for an answer saved, each question with its old
and new value; for evidence, the file's name, digest and a link to the stored file (kept even
when detached); for anything else (stage changes, people, rounds), its ``detail`` as written."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from patuh.errors import InputError
from patuh.plugins.web.models import STAGES
from patuh.plugins.web.models import AuditEvent

_INDEX = re.compile(r"\[[0-9]+\]")
SHA = re.compile(r"[0-9a-f]{64}")
# the keys shown as a change (old → new) or a file, not again as plain detail
_SHOWN = {"answer.save": {"values", "before", "after"},
          "answer.remove_item": {"before", "group", "index"},
          "evidence.add": {"slot", "sha256", "name", "stored", "replaced", "size", "already"},
          "evidence.remove": {"slot", "sha256", "name", "stored"}}


def _labels() -> dict[str, str]:
    return {
        "answer.save": _("Jawaban disimpan"),
        "answer.remove_item": _("Butir daftar dihapus"),
        "evidence.add": _("Bukti diunggah"),
        "evidence.remove": _("Bukti dilepas (disimpan sebagai versi terdahulu)"),
        "unit.submit": _("Unit diserahkan"),
        "unit.add": _("Unit ditambahkan"),
        "unit.import": _("Unit diimpor"),
        "round.add": _("Putaran dibuat"),
        "round.lock": _("Putaran dikunci"),
        "round.unlock": _("Putaran dibuka"),
        "unit.stage": _("Tahap unit berubah"),
        "verification.save": _("Verifikasi disimpan"),
        "verification.remove": _("Verifikasi dihapus"),
        "waiver.add": _("Pengecualian ditambahkan"),
        "waiver.remove": _("Pengecualian dihapus"),
        "user.add": _("Pengguna ditambahkan"),
        "user.assign": _("Pengguna ditugaskan ke unit"),
        "user.unassign": _("Tugas pengguna di unit dicabut"),
        "token.issue": _("Token API dibuat"),
        "login": _("Masuk"),
        "logout": _("Keluar"),
    }


def _detail_names() -> dict[str, str]:
    """What the keys of an event's details mean (the key itself stays in the page's title)."""
    return {
        "from": _("dari"), "to": _("ke"), "comment": _("komentar"), "rule": _("indikator"),
        "level": _("level"), "score": _("nilai"), "note": _("catatan"),
        "before": _("sebelum"), "after": _("sesudah"), "values": _("nilai"),
        "group": _("daftar"), "index": _("butir"), "slot": _("pertanyaan"),
        "name": _("berkas"), "stored": _("disimpan sebagai"), "size": _("ukuran"),
        "replaced": _("menggantikan"), "username": _("pengguna"),
        "username_added": _("pengguna baru"), "role": _("peran"), "kode": _("kode"),
        "nama": _("nama"), "slug": _("pengenal"), "ruleset": _("ruleset"),
        "edition": _("edisi"), "source": _("sumber"), "waiver": _("pengecualian"),
        "for_user": _("untuk pengguna"), "via": _("lewat"),
    }


def show(value: Any) -> str:
    """A value as a person reads it: no answer is a dash, yes/no in words, lists joined."""
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("ya")
    if value is False:
        return _("tidak")
    if isinstance(value, (list, tuple)):
        return "; ".join(show(v) for v in value)
    if isinstance(value, Mapping):
        if "berkas" in value or "sha256" in value:  # an evidence entry
            return str(value.get("keterangan") or value.get("berkas") or value.get("sha256"))
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _question(event: AuditEvent, path: str, lang: str) -> str:
    """The question's label (the round's questionnaire), else the path as saved."""
    if event.unit is None:
        return path
    from patuh.plugins.web.answers import model_of

    try:
        question = model_of(event.unit).questions.get(_INDEX.sub("[]", path))
    except InputError:  # a round whose ruleset is no longer installed: the path will do
        return path
    return question.label.get(lang) if question is not None else path


def row(event: AuditEvent, lang: str) -> dict[str, Any]:
    detail = event.detail if isinstance(event.detail, Mapping) else {}
    changes: list[dict[str, str]] = []
    if event.action == "answer.save":
        after = detail.get("after")
        before = detail.get("before") if isinstance(detail.get("before"), Mapping) else None
        written = after if isinstance(after, Mapping) else detail.get("values")
        for path, new in (written or {}).items():
            changes.append({"path": path, "question": _question(event, path, lang),
                            "before": show(before.get(path)) if before is not None else "",
                            "after": show(new), "known": before is not None})
    elif event.action == "answer.remove_item":
        for path, old in (detail.get("before") or {}).items():
            changes.append({"path": path, "question": _question(event, path, lang),
                            "before": show(old), "after": "–", "known": True})
    file = None
    digest = str(detail.get("sha256") or "")
    if event.action.startswith("evidence.") and SHA.fullmatch(digest):
        file = {"name": str(detail.get("name") or detail.get("stored") or digest[:16]),
                "sha256": digest, "slot": str(detail.get("slot") or ""),
                "question": _question(event, str(detail.get("slot") or ""), lang),
                "url": reverse("kelola-audit-evidence", args=[event.unit_id, digest])
                if event.unit_id else None,
                "replaced": str(detail.get("replaced") or ""),
                "size": detail.get("size") if isinstance(detail.get("size"), int) else None,
                "already": detail.get("already") is True}
    shown = _SHOWN.get(event.action, set()) if (changes or file) else set()
    names = _detail_names()
    stages = dict(STAGES) if event.action == "unit.stage" else {}
    rest = [(key, names.get(key, key),
             str(stages[value]) if isinstance(value, str) and value in stages else show(value))
            for key, value in detail.items() if key not in shown]
    return {"event": event, "label": _labels().get(event.action, ""), "changes": changes,
            "file": file, "rest": rest}
