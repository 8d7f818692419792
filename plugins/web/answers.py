"""The operator's changes to a unit, over the store: each one under the unit's row lock, written
to the manifest folder (the truth), mirrored in the ``Evidence`` index and recorded in the audit
log. The views call these; nothing here reads a request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import IO
from typing import Any

from django.db import transaction
from django.utils import timezone

from patuh.plugins.web import audit
from patuh.plugins.web.models import SUBMITTED
from patuh.plugins.web.models import Evidence
from patuh.plugins.web.models import Unit
from patuh.plugins.web.store import EVIDENCE_DIR
from patuh.plugins.web.store import TYPES
from patuh.plugins.web.store import EvidenceResult
from patuh.plugins.web.store import SaveResult
from patuh.plugins.web.store import UnitFolder
from patuh.plugins.web.store import _attachments
from patuh.plugins.web.store import file_digest
from patuh.plugins.web.store import questionnaire
from patuh.questionnaire import DATA_FILE_KEY

CONTENT_TYPES = {ext: content_type for ext, content_type in TYPES.values()}


def model_of(unit: Unit):
    """The unit's questionnaire: its round's ruleset edition, rules as in force at the end of
    the round's year."""
    round_ = unit.round
    return questionnaire(((round_.ruleset, round_.edition),), date(round_.year, 12, 31))


def folder_of(unit: Unit) -> UnitFolder:
    """The unit's manifest folder, made (identity and period only) the first time it is
    needed — a unit created in the admin pages has no folder yet."""
    folder = UnitFolder(unit.folder)
    if not folder.manifest_path.exists():
        with transaction.atomic():  # two first visits at once: one creates, under the lock
            locked = _locked(unit)
            if not folder.manifest_path.exists():
                folder.create({"nama": locked.nama, "kode": locked.kode},
                              {"tahun": locked.round.year}, model=model_of(locked))
    return folder


def _locked(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)


def save(user: Any, unit: Unit, values: Mapping[str, Any]) -> SaveResult:
    """Save one or several answers together (all or none)."""
    with transaction.atomic():
        locked = _locked(unit)
        result = folder_of(locked).save_answers(values, model_of(locked))
        if result.ok:  # before/after: what the store read and wrote, no second parse
            audit.record(user, "answer.save", unit=locked,
                         values={k: _loggable(v) for k, v in values.items()},
                         before={k: _loggable(v) for k, v in result.before.items()},
                         after={k: _loggable(v) for k, v in result.after.items()})
    return result


def remove_item(user: Any, unit: Unit, group: str, index: int) -> SaveResult:
    with transaction.atomic():
        locked = _locked(unit)
        result = folder_of(locked).remove_item(group, index, model_of(locked))
        if result.ok:
            sync_evidence(locked, detached_by=user)
            audit.record(user, "answer.remove_item", unit=locked, group=group, index=index,
                         before={k: _loggable(v) for k, v in result.before.items()})
    return result


def upload(user: Any, unit: Unit, slot: str, name: str | None,
           data: bytes | IO[bytes]) -> EvidenceResult:
    with transaction.atomic():
        locked = _locked(unit)
        result = folder_of(locked).add_evidence(slot, name, data, model_of(locked))
        if result.ok:
            sync_evidence(locked, uploaded_by=user, detached_by=user,
                          names={str(result.sha256): result.original_name or ""})
            extra = {"replaced": result.replaced} if result.replaced else {}
            audit.record(user, "evidence.add", unit=locked, slot=slot, sha256=result.sha256,
                         name=result.original_name, size=result.size,
                         already=result.already, stored=result.stored_name, **extra)
    return result


def remove_evidence(user: Any, unit: Unit, slot: str, sha256: str) -> None:
    """Detach a file from its slot; the stored file stays as an earlier version."""
    with transaction.atomic():
        locked = _locked(unit)
        row = Evidence.objects.filter(unit=locked, slot=slot, sha256=sha256,
                                      detached_at__isnull=True).first()
        removed = folder_of(locked).remove_evidence(slot, sha256, model_of(locked))
        sync_evidence(locked, detached_by=user)
        if removed is not None:
            audit.record(user, "evidence.remove", unit=locked, slot=slot, sha256=sha256,
                         name=str(removed.get("keterangan") or (row.original_name if row
                                                                else "")),
                         stored=str(removed.get("berkas") or ""))


def submit(user: Any, unit: Unit) -> Unit:
    """The operator hands the unit in (from draft, or again after a revision request)."""
    from patuh.plugins.web import stages

    with transaction.atomic():
        moved = stages.move(unit, SUBMITTED, user)
        audit.record(user, "unit.submit", unit=moved)
    return moved


def attachments(answers: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(slot, sha256) -> the manifest's entry ({berkas, sha256, keterangan})."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for digest, slot in _attachments(answers):
        found[(slot, digest)] = {}
    _entries(answers, (), found)
    return found


def _entries(node: Any, keys: tuple[Any, ...], found: dict[tuple[str, str], dict[str, Any]]
             ) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "bukti" and isinstance(value, list):
                slot = _slot((*keys, key))
                for item in value:
                    if isinstance(item, Mapping) and (slot, item.get("sha256")) in found:
                        found[(slot, str(item["sha256"]))] = dict(item)
            else:
                _entries(value, (*keys, key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _entries(value, (*keys, index), found)


def _slot(keys: tuple[Any, ...]) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def held_evidence(folder: UnitFolder, names: Mapping[str, str] | None = None
                  ) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(slot, sha256) -> entry of every file the unit's manifest holds now: its evidence lists
    and the data files the platform stored."""
    answers = folder.answers_shared()
    held = attachments(answers)
    for slot, stored in _data_files(answers, ()):
        path = folder.root / stored
        if path.is_file() and not path.is_symlink():
            digest = file_digest(path)
            held.setdefault((slot, digest), {"berkas": stored,
                                             "keterangan": (names or {}).get(digest)})
    return held


def sync_evidence(unit: Unit, *, uploaded_by: Any = None, detached_by: Any = None,
                  names: Mapping[str, str] | None = None) -> None:
    """Make the current ``Evidence`` rows of the unit list exactly what its manifest holds
    (evidence lists and stored data files); a row whose file was detached or replaced stays,
    marked with when and by whom (an earlier version). ``names``: sha256 -> the original file
    name of an upload (a data file's reference does not keep it)."""
    folder = UnitFolder(unit.folder)
    held = held_evidence(folder, names)
    rows = {(e.slot, e.sha256): e
            for e in Evidence.objects.filter(unit=unit, detached_at__isnull=True)}
    gone = [row.pk for key, row in rows.items() if key not in held]
    if gone:
        Evidence.objects.filter(pk__in=gone).update(
            detached_at=timezone.now(),
            detached_by=detached_by if getattr(detached_by, "is_authenticated", False)
            else None)
    real = uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None
    for (slot, digest), entry in held.items():
        if (slot, digest) in rows:
            continue
        stored = str(entry.get("berkas") or "")
        path = folder.root / stored if stored else None
        size = path.stat().st_size if path is not None and path.is_file() else 0
        Evidence.objects.create(
            unit=unit, slot=slot, sha256=digest, stored_name=stored[:120],
            original_name=str(entry.get("keterangan") or Path(stored).name)[:255], size=size,
            content_type=CONTENT_TYPES.get(Path(stored).suffix.lstrip("."),
                                           "application/octet-stream"),
            uploaded_by=real)


def _data_files(node: Any, keys: tuple[Any, ...]) -> list[tuple[str, str]]:
    """(slot, stored name) of each data file (``berkas``) the platform stored in ``bukti/``."""
    found: list[tuple[str, str]] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == DATA_FILE_KEY and isinstance(value, str) \
                    and value.startswith(EVIDENCE_DIR + "/"):
                found.append((_slot((*keys, key)), value))
            elif key != "bukti":
                found += _data_files(value, (*keys, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _data_files(value, (*keys, index))
    return found


def _loggable(value: Any) -> Any:
    if isinstance(value, str):
        return value[:500]
    if isinstance(value, (list, tuple)):
        return [_loggable(v) for v in value[:50]]
    if isinstance(value, Mapping):  # a list item removed, an evidence entry
        return {str(k): _loggable(v) for k, v in list(value.items())[:50]}
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)
