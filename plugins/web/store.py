"""One unit's manifest folder, as the web platform keeps it — framework-free (no Django here).

The manifest stays the truth: a unit *is* a folder ``manifest.yaml`` + ``bukti/``, and ``patuh
check`` on it gives the report the platform shows, byte for byte. Every answer saved is written
into the YAML form (:func:`patuh.template.manifest_template`) with the canonical value that
:func:`patuh.manifest.load_manifest` reads from what was typed (``ya`` → ``true``,
``31/10/2025`` → ``2025-10-31``, ``82,5`` → ``82.5``); a value the manifest schema refuses is
never written. Uploaded evidence is typed from its content (never its name), size-limited,
stored under ``bukti/<sha256[:16]>.<ext>`` and listed in the question's ``bukti`` list with its
sha256 and the original name as ``keterangan``.

Writes are atomic (temporary file + rename); the caller serialises writers of one unit (the
web views lock the unit's database row).
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import io
import os
import posixpath
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO
from typing import Any

from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.evidence import resolve_inside
from patuh.i18n import Text
from patuh.limits import Limit
from patuh.manifest import Manifest
from patuh.manifest import load_manifest
from patuh.normalize import FieldReading
from patuh.normalize import drop_unanswered
from patuh.normalize import normalize
from patuh.options import reporter
from patuh.outputs import write_text
from patuh.plugins.web.verify import VERIFICATION_FILE
from patuh.plugins.web.verify import WAIVERS_FILE
from patuh.questionnaire import CHOICES
from patuh.questionnaire import DATA_FILE_KEY
from patuh.questionnaire import EVIDENCE_KEY
from patuh.questionnaire import FILE
from patuh.questionnaire import FILES
from patuh.questionnaire import TEXTS
from patuh.questionnaire import Question
from patuh.questionnaire import Questionnaire
from patuh.report import build_report
from patuh.rulebook import load_ruleset
from patuh.safetext import json_safe
from patuh.template import manifest_template
from patuh.validation import load_schema
from patuh.verification import load_verification
from patuh.waivers import load_waivers
from patuh.yamlio import Document
from patuh.yamlio import format_path
from patuh.yamlio import load_yaml

MANIFEST_NAME = "manifest.yaml"
EVIDENCE_DIR = "bukti"
MAX_UPLOAD_BYTES = Limit("PATUH_WEB_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, Text("bita", "bytes"))
MAX_NOTE = 200  # characters of an original file name kept as ``keterangan``
CHUNK = 1 << 16
FORM_LANG = "id"  # the manifest is written in one language, whatever the person reads
_TEMP_PREFIX = ".patuh-"

ACCEPTED = "PDF, JPEG, PNG, XLSX, CSV"
# detected type -> (stored extension, content type)
TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv"),
}
# what a refused file looks like, for the message (signature -> name)
_KNOWN = (
    (b"\xff\xfe", Text("teks UTF-16 (simpan ulang sebagai CSV UTF-8)",
                       "UTF-16 text (save it again as CSV UTF-8)")),
    (b"\xfe\xff", Text("teks UTF-16 (simpan ulang sebagai CSV UTF-8)",
                       "UTF-16 text (save it again as CSV UTF-8)")),
    (b"PK\x03\x04", Text("arsip ZIP (bukan XLSX)", "a ZIP archive (not XLSX)")),
    (b"\xd0\xcf\x11\xe0", Text("dokumen Office lama (DOC/XLS)", "an old Office document "
                               "(DOC/XLS)")),
    (b"GIF8", Text("gambar GIF", "a GIF image")),
    (b"MZ", Text("program Windows (EXE)", "a Windows program (EXE)")),
    (b"\x7fELF", Text("program (ELF)", "a program (ELF)")),
    (b"Rar!", Text("arsip RAR", "a RAR archive")),
    (b"7z\xbc\xaf", Text("arsip 7z", "a 7z archive")),
    (b"\x1f\x8b", Text("arsip gzip", "a gzip archive")),
    (b"RIFF", Text("berkas RIFF (WEBP/AVI/WAV)", "a RIFF file (WEBP/AVI/WAV)")),
    (b"II*\x00", Text("gambar TIFF", "a TIFF image")),
    (b"MM\x00*", Text("gambar TIFF", "a TIFF image")),
    (b"BM", Text("gambar BMP", "a BMP image")),
)

_INDEX = re.compile(r"\[([0-9]*)\]")


@dataclass(frozen=True)
class SaveResult:
    ok: bool
    error: Text | None = None
    readings: tuple[FieldReading, ...] = ()  # how the saved value was read (``ya`` → true)
    needs: tuple[str, ...] = ()  # required answers to save together with this one
    # answer path -> value before / after the save (canonical, as the manifest holds it), for
    # the audit log: read from the answers the save loads anyway, no extra parse
    before: Mapping[str, Any] = field(default_factory=dict)
    after: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvidenceResult:
    ok: bool
    error: Text | None = None
    sha256: str | None = None
    stored_name: str | None = None  # bukti/<sha16>.<ext>, relative to the unit folder
    content_type: str | None = None
    size: int = 0
    original_name: str | None = None  # sanitised: what ``keterangan`` holds
    reused: tuple[str, ...] = ()  # the other slots this same file is attached to
    already: bool = False  # the slot already held this file: nothing changed
    replaced: str | None = None  # a data-file slot's previous file (kept as an earlier version)


# --- the questionnaire and the ruleset loads, shared by every unit -------------------------------

def questionnaire(rulesets: tuple[tuple[str, str], ...] = (), day: date | None = None
                  ) -> Questionnaire:
    """The questionnaire for ``(ruleset id, edition)`` pairs on ``day`` (default: today), built
    once per process; none: every installed ruleset in force on ``day`` (as ``patuh init``)."""
    return _questionnaire(tuple(rulesets), day or date.today())


@lru_cache(maxsize=32)
def _questionnaire(rulesets: tuple[tuple[str, str], ...], day: date) -> Questionnaire:
    from patuh.questionnaire import build
    from patuh.questionnaire import for_day

    if not rulesets:
        return for_day((), day)
    return build([(load_ruleset(r), e) for r, e in rulesets], day)


def _default_model(data: Mapping[str, Any]) -> Questionnaire:
    year = (data.get("periode") or {}).get("tahun") if isinstance(data, Mapping) else None
    day = date(int(year), 12, 31) if isinstance(year, int) and 2000 <= year <= 2100 else None
    return questionnaire((), day)


# --- paths of the questionnaire into the data ----------------------------------------------------

def _locate(model: Questionnaire, path: str) -> tuple[Question, list[str | int]]:
    """The question a path names (``inovasi.daftar[2].tahap``) and the keys into the data
    (``["inovasi", "daftar", 2, "tahap"]``)."""
    indices = [int(i) for i in _INDEX.findall(path) if i != ""]
    generic = _INDEX.sub("[]", path)
    question = model.questions.get(generic)
    if question is None or "" in _INDEX.findall(path) \
            or len(indices) != sum(k.endswith("[]") for k in question.keys):
        raise InputError(Text(f"pertanyaan tidak dikenal: {path}", f"unknown question: {path}"),
                         hint=Text("butir daftar ditulis dengan nomor urutnya, mis. "
                                   "inovasi.daftar[0].nama", "a list item is written with its "
                                   "index, e.g. inovasi.daftar[0].nama"))
    keys: list[str | int] = []
    position = iter(indices)
    for key in question.keys:
        if key.endswith("[]"):
            keys += [key.removesuffix("[]"), next(position)]
        else:
            keys.append(key)
    return question, keys


def _json_path(keys: list[str | int]) -> str:
    return format_path(tuple(keys))


def _set(data: dict[str, Any], keys: list[str | int], value: Any) -> None:
    """Put ``value`` at ``keys``, creating objects and appending a list item at index == len."""
    node: Any = data
    for position, key in enumerate(keys[:-1]):
        following = keys[position + 1]
        if isinstance(key, int):
            assert isinstance(node, list)
            if key == len(node):
                node.append({})
            elif key > len(node):
                raise InputError(Text(f"butir ke-{key + 1} belum ada; tambahkan butir "
                                      f"ke-{len(node) + 1} lebih dulu",
                                      f"item {key + 1} does not exist; add item "
                                      f"{len(node) + 1} first"), path=_json_path(keys))
            if not isinstance(node[key], dict):
                node[key] = {}
            node = node[key]
            continue
        wanted: type = list if isinstance(following, int) else dict
        if not isinstance(node.get(key), wanted):
            node[key] = wanted()
        node = node[key]
    last = keys[-1]
    if isinstance(last, int):  # not produced by _locate (a question is a key), kept total
        raise InputError(Text("jalur tidak sah", "invalid path"), path=_json_path(keys))
    node[last] = value


def _get(data: Any, keys: list[str | int]) -> Any:
    node = data
    for key in keys:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return None
        elif not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _typed(question: Question, value: Any) -> Any:
    """A form's value as the manifest holds it before reading: None for no answer."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if question.kind == CHOICES:
            return [value]
        if question.kind == TEXTS:
            lines = [line.strip() for line in value.splitlines()]
            return [line for line in lines if line] or None
        return value
    if isinstance(value, (list, tuple)):
        items = [v.strip() if isinstance(v, str) else v for v in value]
        items = [v for v in items if v is not None and v != ""]
        return items or None  # no box ticked is no answer (not "none of these")
    return value


# --- the folder ----------------------------------------------------------------------------------

def sanitise_name(name: str | None) -> str | None:
    """An uploaded file's original name as ``keterangan``: its last path part, without control
    characters, at most 200 characters; None when nothing is left."""
    if not name:
        return None
    base = re.split(r"[/\\]", str(name))[-1]
    text = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())[:MAX_NOTE].strip()
    return text or None


class UnitFolder:
    """One unit's manifest folder (``manifest.yaml`` + ``bukti/``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.manifest_path = self.root / MANIFEST_NAME

    # -- reading ----------------------------------------------------------------------------------

    def manifest(self) -> Manifest:
        """The manifest loaded (raises InputError when it does not load), reused while neither
        it nor any file it references has changed."""
        return _cached_manifest(self.manifest_path)

    def answers(self) -> dict[str, Any]:
        """The manifest data: canonical when it loads, else the YAML as written (blank
        answers left out)."""
        return copy.deepcopy(self.answers_shared())

    def answers_shared(self) -> dict[str, Any]:
        """:meth:`answers` without the copy, for pages that only read them: the loaded
        manifest's own data (shared with the report cache: do not modify)."""
        try:
            return self.manifest().data
        except InputError:
            raw = load_yaml(self.manifest_path).data
            return drop_unanswered(raw) if isinstance(raw, dict) else {}

    # -- writing answers --------------------------------------------------------------------------

    def create(self, unit: Mapping[str, Any], period: Mapping[str, Any], *, lang: str = "id",
               model: Questionnaire | None = None) -> None:
        """A new unit: the YAML form with the unit's identity and period. ``lang`` is the
        form's comment language (the platform writes Indonesian)."""
        if self.manifest_path.exists():
            raise InputError(Text("unit ini sudah ada; tidak ditimpa",
                                  "this unit already exists; not overwritten"),
                             file=self.manifest_path)
        data = {"schema_version": 1,
                "unit": {k: v for k, v in unit.items() if v not in (None, "")},
                "periode": {k: v for k, v in period.items() if v not in (None, "")}}
        self.root.mkdir(parents=True, exist_ok=True)
        model = model or _default_model(data)
        loaded = self._validate(manifest_template(model, lang, data))
        self._write(manifest_template(model, lang, loaded.data))

    def save_answer(self, path: str, value: Any, model: Questionnaire) -> SaveResult:
        """Save one answer (``value`` as typed; None or "" clears it). An answer the manifest
        refuses is not written: the file stays as it was and ``error`` says why."""
        return self.save_answers({path: value}, model)

    def save_answers(self, values: Mapping[str, Any], model: Questionnaire) -> SaveResult:
        """Save several answers at once, all or none: the keys an object requires together
        (a new innovation's ``nama`` and ``tahap``) are saved in one step. ``needs`` of a
        refusal names the required answers still missing beside the ones given."""
        data = self.answers()
        located: list[tuple[Question, list[str | int]]] = []
        before: dict[str, Any] = {}
        for path, value in values.items():
            try:
                question, keys = _locate(model, path)
                if question.kind in (FILE, FILES) and value not in (None, "", []) \
                        and not isinstance(value, (str, list)):
                    return SaveResult(False, Text("berkas diunggah, bukan diketik",
                                                  "files are uploaded, not typed"))
                before.setdefault(_slot_name(keys), copy.deepcopy(_get(data, keys)))
                _set(data, keys, _typed(question, value))
            except InputError as exc:
                return SaveResult(False, _message(exc))
            located.append((question, keys))
        result = self._commit(data, model, [keys for _q, keys in located])
        if result.ok:
            return replace(result, before=before)
        return replace(result, needs=_needs(model, data, located))

    def remove_item(self, group_path: str, index: int,
                    model: Questionnaire | None = None) -> SaveResult:
        """Remove item ``index`` (0-based) of a list of objects (``inovasi.daftar``)."""
        model = model or _default_model(self.answers())
        outer = [int(i) for i in _INDEX.findall(group_path) if i]
        generic = _INDEX.sub("[]", group_path).removesuffix("[]")
        group = model.groups.get(generic)
        if group is None or not group.questions:
            return SaveResult(False, Text(f"daftar tidak dikenal: {group_path}",
                                          f"unknown list: {group_path}"))
        list_keys: list[str | int] = []
        dotted = ""
        position = iter(outer)
        for key in model.questions[group.questions[0]].keys:
            name = key.removesuffix("[]")
            list_keys.append(name)
            dotted = f"{dotted}.{name}" if dotted else name
            if dotted == generic:
                break
            if key.endswith("[]"):
                list_keys.append(next(position, 0))
                dotted += "[]"
        data = self.answers()
        items = _get(data, list_keys)
        if not isinstance(items, list) or not 0 <= index < len(items):
            return SaveResult(False, Text(f"butir ke-{index + 1} tidak ada",
                                          f"item {index + 1} does not exist"))
        removed = items.pop(index)
        if not items:
            _set(data, list_keys, None)  # the last item gone: no answer, not "none at all"
        result = self._commit(data, model, [list_keys])
        return replace(result, before={f"{_slot_name(list_keys)}[{index}]": removed},
                       after={}) if result.ok else result

    def _commit(self, data: dict[str, Any], model: Questionnaire,
                saved: list[list[str | int]]) -> SaveResult:
        done = self._commit_canonical(data, model, saved)
        if done is not None:
            return done
        text = manifest_template(model, FORM_LANG, data)
        try:
            loaded = self._validate(text)
        except InputError as exc:
            own = _concerning(exc, saved)
            if own is not None or self._loads():
                return SaveResult(False, _message(own or _first(exc)))
            # the manifest on disk was already refused (edited by hand) for something else:
            # an answer that is fine in itself is kept, so the form can repair it
            self._write(text)
            return SaveResult(True, None, (), after=_values(data, saved))
        canonical = manifest_template(model, FORM_LANG, loaded.data)
        self._write(canonical)
        if canonical == text:  # what was validated is what is on disk now: no second parse
            _adopt(self.manifest_path, loaded)
        prefixes = [tuple(keys) for keys in saved]
        readings = tuple(r for r in loaded.readings
                         if any(r.path[:len(p)] == p for p in prefixes))
        return SaveResult(True, None, readings, after=_values(loaded.data, saved))

    def _commit_canonical(self, data: dict[str, Any], model: Questionnaire,
                          saved: list[list[str | int]]) -> SaveResult | None:
        """The save in one parse: the typed values read in memory as the loader reads them
        (the same ``normalize`` on the same answers, without the YAML round trip), the
        canonical form written and validated once, and that validated manifest kept as the
        file's (:func:`_adopt`). None, and the caller takes the long way (which words every
        refusal), when a value cannot be read or the form does not load."""
        read = normalize(Document(self.manifest_path, drop_unanswered(data), {}),
                         load_schema("manifest"))
        if read.unread:
            return None
        text = manifest_template(model, FORM_LANG, read.data)
        try:
            loaded = self._validate(text)
        except InputError:
            return None
        if loaded.data != read.data:
            return None  # not canonical after all (its form would differ): the long way
        self._write(text)
        _adopt(self.manifest_path, loaded)
        prefixes = [tuple(keys) for keys in saved]
        readings = tuple(r for r in read.readings
                         if any(r.path[:len(p)] == p for p in prefixes))
        return SaveResult(True, None, readings, after=_values(loaded.data, saved))

    def _loads(self) -> bool:
        try:
            self.manifest()
        except InputError:
            return False
        return True

    def _validate(self, text: str) -> Manifest:
        """Load ``text`` as this folder's manifest would be loaded (raises InputError)."""
        fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".yaml", dir=self.root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            return load_manifest(Path(name))
        finally:
            Path(name).unlink(missing_ok=True)

    def _write(self, text: str) -> None:
        write_text(self.manifest_path, text, option="manifest")

    # -- evidence ---------------------------------------------------------------------------------

    def add_evidence(self, slot: str, name: str | None, data: bytes | IO[bytes],
                     model: Questionnaire | None = None) -> EvidenceResult:
        """Store an uploaded file and attach it to ``slot`` (an evidence question's path,
        ``standar_pelayanan.penetapan.bukti``; a data-file question's path, ``skm.berkas``,
        takes a CSV or XLSX and points the key at it)."""
        answers = self.answers()
        model = model or _default_model(answers)
        try:
            question, keys = _locate(model, slot)
        except InputError as exc:
            return EvidenceResult(False, _message(exc))
        if question.kind not in (FILE, FILES):
            return EvidenceResult(False, Text(f"{slot} bukan tempat bukti dukung",
                                              f"{slot} is not an evidence question"))
        folder = self.root / EVIDENCE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        try:
            upload = _receive(data, folder)
        except InputError as exc:
            return EvidenceResult(False, _message(exc))
        if question.kind == FILE and upload.kind not in ("csv", "xlsx"):
            upload.discard()
            return EvidenceResult(False, Text(
                f"berkas data harus CSV atau XLSX; terdeteksi {upload.kind.upper()}",
                f"a data file must be CSV or XLSX; detected {upload.kind.upper()}"))
        ext, content_type = TYPES[upload.kind]
        stored = f"{EVIDENCE_DIR}/{upload.sha256[:16]}.{ext}"
        target = self.root / stored
        created = not target.exists()
        if created:
            os.replace(upload.path, target)
        else:  # content-addressed: the same bytes are kept once (an earlier version reused)
            upload.discard()
        note = sanitise_name(name)
        entry: dict[str, Any] = {"berkas": stored, "sha256": upload.sha256}
        if note:
            entry["keterangan"] = note
        current = _get(answers, keys)
        already = (current == stored if question.kind == FILE else isinstance(current, list)
                   and any(_sha_of(item) == upload.sha256 for item in current))
        replaced = None
        if not already:
            if question.kind == FILE:
                replaced = current if isinstance(current, str) and current else None
                _set(answers, keys, stored)
            else:
                items = current if isinstance(current, list) else []
                _set(answers, keys, [*items, entry])
            saved = self._commit(answers, model, [keys])
            if not saved.ok:
                if created and not self._referenced(upload.sha256):
                    target.unlink(missing_ok=True)  # only the file this refused upload made
                return EvidenceResult(False, saved.error)
        here = _slot_name(keys)
        reused = tuple(s for s in self.evidence_reuse().get(upload.sha256, []) if s != here)
        return EvidenceResult(True, None, upload.sha256, stored, content_type, upload.size,
                              note, reused, already, replaced)

    def remove_evidence(self, slot: str, sha256: str,
                        model: Questionnaire | None = None) -> dict[str, Any] | None:
        """Detach the file from ``slot``: the manifest's entry that was removed
        (``{berkas, sha256, keterangan}``), None when the slot did not hold it. The stored file
        is never deleted: it stays in ``bukti/`` as an earlier version (outside the export,
        see :meth:`files`), and a later upload of the same bytes reuses it."""
        answers = self.answers()
        model = model or _default_model(answers)
        question, keys = _locate(model, slot)
        current = _get(answers, keys)
        if question.kind == FILES and isinstance(current, list):
            kept = [item for item in current if _sha_of(item) != sha256]
            if len(kept) == len(current):
                return None
            removed = next(dict(item) for item in current if _sha_of(item) == sha256)
            _set(answers, keys, kept or None)
        elif question.kind == FILE and isinstance(current, str) \
                and Path(current).name.startswith(sha256[:16]):
            removed = {"berkas": current, "sha256": sha256}
            _set(answers, keys, None)
        else:
            return None
        saved = self._commit(answers, model, [keys])
        if not saved.ok:
            raise InputError(saved.error or Text("tidak tersimpan", "not saved"),
                             file=self.manifest_path)
        return removed

    def _referenced(self, sha256: str) -> bool:
        """Whether the manifest still refers to the stored file of ``sha256``."""
        answers = self.answers_shared()
        if any(digest == sha256 for digest, _slot in _attachments(answers)):
            return True
        prefix = f"{EVIDENCE_DIR}/{sha256[:16]}."
        return any(ref.startswith(prefix) for ref in references(answers))

    def evidence_reuse(self) -> dict[str, list[str]]:
        """sha256 → the slots one stored file is attached to, for files attached to more than
        one (a unit that uploads one PDF everywhere is told)."""
        slots: dict[str, list[str]] = {}
        for digest, slot in _attachments(self.answers_shared()):
            if slot not in slots.setdefault(digest, []):
                slots[digest].append(slot)
        return {d: s for d, s in slots.items() if len(s) > 1}

    def evidence_file(self, sha256: str) -> Path | None:
        """The stored file of a digest, when this unit holds one (for serving it)."""
        if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
            return None
        for stored in sorted((self.root / EVIDENCE_DIR).glob(f"{sha256[:16]}.*")):
            if stored.is_file() and not stored.is_symlink():
                return stored
        return None

    # -- reports ----------------------------------------------------------------------------------

    @property
    def verification_path(self) -> Path:
        return self.root / VERIFICATION_FILE

    @property
    def waivers_path(self) -> Path:
        return self.root / WAIVERS_FILE

    def report(self, ruleset_id: str, edition: str | None = None, *,
               verification: Path | None = None, waivers: Path | None = None
               ) -> dict[str, Any]:
        """The report dict, as ``patuh check MANIFEST --ruleset R [--edition E]
        [--verification verifikasi.yaml] [--waivers pengecualian.yaml]`` builds it: the
        evaluator's files are passed when the folder has them (``verification``/``waivers``
        name other files instead: a change checked before it is written)."""
        verification = verification or (self.verification_path
                                         if self.verification_path.is_file() else None)
        waivers = waivers or (self.waivers_path if self.waivers_path.is_file() else None)
        return build_report(self.manifest(), load_ruleset(ruleset_id), edition_name=edition,
                            verification=load_verification(verification) if verification
                            else None,
                            waivers=load_waivers(waivers) if waivers else None)

    def report_json(self, ruleset_id: str, edition: str | None = None) -> str:
        """Byte for byte ``patuh check … --format json`` (the same reporter, the same
        control-character escaping as the command's output)."""
        return json_safe(reporter("json")(self.report(ruleset_id, edition), "id"))

    def report_html(self, ruleset_id: str, edition: str | None = None, lang: str = "id") -> str:
        """Byte for byte ``patuh check … --format html [--lang en]``."""
        return reporter("html")(self.report(ruleset_id, edition), lang)

    # -- export / import --------------------------------------------------------------------------

    def files(self) -> list[str]:
        """Every file of the folder an export holds (relative, sorted): the manifest, the
        evidence and data files it references and the folder's other files (verification,
        waivers); no temporary files, no links, and no earlier versions (a file in
        ``bukti/`` the manifest no longer references)."""
        try:
            held: set[str] | None = _held(self.answers_shared())
        except InputError:  # a manifest that does not even read as YAML: every file goes
            held = None
        found = []
        for path in self.root.rglob("*"):
            relative = path.relative_to(self.root)
            if any(part.startswith(_TEMP_PREFIX) for part in relative.parts):
                continue
            if path.is_symlink() or not path.is_file():
                continue
            if held is not None and relative.parts[0] == EVIDENCE_DIR \
                    and relative.as_posix() not in held:
                continue
            found.append(relative.as_posix())
        return sorted(found)

    def earlier_versions(self) -> list[str]:
        """The stored files in ``bukti/`` the manifest no longer references (relative,
        sorted): detached or replaced evidence, kept."""
        held = _held(self.answers_shared())
        folder = self.root / EVIDENCE_DIR
        if not folder.is_dir():
            return []
        return sorted(f"{EVIDENCE_DIR}/{p.name}" for p in folder.iterdir()
                      if p.is_file() and not p.is_symlink()
                      and not p.name.startswith(_TEMP_PREFIX)
                      and f"{EVIDENCE_DIR}/{p.name}" not in held)

    def write_zip(self, handle: IO[bytes]) -> None:
        """The folder as a deterministic zip (sorted entries, fixed timestamps and modes)."""
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in self.files():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                with (self.root / name).open("rb") as source, \
                        archive.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, CHUNK)

    def export_zip(self) -> bytes:
        buffer = io.BytesIO()
        self.write_zip(buffer)
        return buffer.getvalue()

    @classmethod
    def import_folder(cls, source: Path, root: Path,
                      model: Questionnaire | None = None) -> UnitFolder:
        """A manifest folder (``manifest.yaml``/``.yml``/``.json``/``.xlsx`` + its files) as a
        new unit folder: the manifest in the YAML form; each evidence file it references
        (inside the folder) copied to ``bukti/`` under its generated name with its sha256 and
        original name; data files (``berkas``) copied to the same relative path. A reference
        that does not resolve stays as written (the report shows it as a finding)."""
        manifest_file = _find_manifest(Path(source))
        old = load_manifest(manifest_file)
        unit = cls(root)
        if unit.manifest_path.exists():
            raise InputError(Text("unit ini sudah ada; tidak ditimpa",
                                  "this unit already exists; not overwritten"),
                             file=unit.manifest_path)
        created = not unit.root.exists()
        unit.root.mkdir(parents=True, exist_ok=True)
        try:
            data = copy.deepcopy(old.data)
            _import_files(data, old.base_dir, unit.root)
            day, _how = old.as_of(None)
            model = model or questionnaire((), day)
            loaded = unit._validate(manifest_template(model, FORM_LANG, data))
            unit._write(manifest_template(model, FORM_LANG, loaded.data))
        except BaseException:
            if created:  # no half-imported unit is left behind
                shutil.rmtree(unit.root, ignore_errors=True)
            raise
        return unit


# --- start-up ------------------------------------------------------------------------------------

def sweep_temporary(data: Path) -> list[Path]:
    """Remove the temporary files a server killed mid-write left in the data folder (the
    start-up's evidence stamps being written) and in the unit folders (an upload being
    received, a manifest being validated or written: ``.patuh-*``), and the staging folders of
    imports it did not finish (``.incoming-*``); the files they would have become are whole or
    absent, since each is renamed into place only when complete. For ``patuh serve`` at
    start-up, before it answers: no write is then in progress. The removed paths."""
    removed: list[Path] = []
    if data.is_dir():
        for path in data.glob(_TEMP_PREFIX + "*"):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    units = data / "units"
    if not units.is_dir():
        return removed
    for round_dir in units.iterdir():
        if not round_dir.is_dir() or round_dir.is_symlink():
            continue
        for unit in round_dir.iterdir():
            if unit.name.startswith(".incoming-") and unit.is_dir() and not unit.is_symlink():
                shutil.rmtree(unit, ignore_errors=True)
                removed.append(unit)
                continue
            if not unit.is_dir() or unit.is_symlink():
                continue
            for folder in (unit, unit / EVIDENCE_DIR):
                if not folder.is_dir() or folder.is_symlink():
                    continue
                for path in folder.glob(_TEMP_PREFIX + "*"):
                    if path.is_file() and not path.is_symlink():
                        path.unlink(missing_ok=True)
                        removed.append(path)
    return removed


# --- helpers -------------------------------------------------------------------------------------

def _message(exc: InputError) -> Text:
    message = Text.of(exc.message)
    if exc.path:
        message = Text(f"{exc.path}: ", f"{exc.path}: ") + message
    if exc.hint:
        message = message + Text(" — ", " — ") + Text.of(exc.hint)
    return message


def _concerning(exc: InputError, saved: list[list[str | int]]) -> InputError | None:
    """Of the errors, the one about a saved answer, or about the object holding it (a key it
    requires), or with no path (the whole file); None when every error is about something
    else."""
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    for keys in saved:
        own = _json_path(keys)
        for error in errors:
            if not error.path or error.path == own \
                    or error.path.startswith((own + ".", own + "[")):
                return error
    for keys in saved:
        for depth in range(len(keys) - 1, 0, -1):
            holder = _json_path(keys[:depth])
            for error in errors:
                if error.path == holder:
                    return error
    return None


def _needs(model: Questionnaire, data: Any,
           located: list[tuple[Question, list[str | int]]]) -> tuple[str, ...]:
    """The required answers still missing in the objects that hold the saved answers."""
    out: list[str] = []
    for question, keys in located:
        indices = [k for k in keys if isinstance(k, int)]
        for other in model.questions.values():
            holder = other.keys[:-1]  # the object requiring it: the saved answer's or above
            if not other.required or not holder or question.keys[:len(holder)] != holder \
                    or len(holder) >= len(question.keys):
                continue
            position = iter(indices)
            concrete = _INDEX.sub(lambda _m, p=position: f"[{next(p, 0)}]", other.path)
            _q, other_keys = _locate(model, concrete)
            if _get(data, other_keys) in (None, "") and concrete not in out:
                out.append(concrete)
    return tuple(out)


def _held(data: Any) -> set[str]:
    """The folder-relative names of the files a manifest's data references."""
    return {posixpath.normpath(ref.replace("\\", "/")) for ref in references(data)}


def _values(data: Any, saved: list[list[str | int]]) -> dict[str, Any]:
    return {_slot_name(keys): copy.deepcopy(_get(data, keys)) for keys in saved}


def _first(exc: InputError) -> InputError:
    return exc.errors[0] if isinstance(exc, InputErrors) else exc


def _sha_of(item: Any) -> str | None:
    if isinstance(item, Mapping):
        digest = item.get("sha256")
        return digest if isinstance(digest, str) else None
    return None


def _slot_name(keys: list[str | int]) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _attachments(data: Any, keys: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
    """(sha256, slot) of every evidence entry with a sha256 (``bukti`` lists)."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            here = (*keys, key)
            if key == EVIDENCE_KEY and isinstance(value, list):
                for item in value:
                    digest = _sha_of(item)
                    if digest:
                        yield digest, _slot_name(list(here))
            else:
                yield from _attachments(value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _attachments(value, (*keys, index))


# --- uploads -------------------------------------------------------------------------------------

@dataclass
class _Upload:
    path: Path
    sha256: str
    size: int
    kind: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass
class _TextCheck:
    """Whether a stream is text (UTF-8, else Windows-1252) without binary control bytes."""

    utf8: Any = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")())
    is_utf8: bool = True
    binary: bool = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.binary:
            return
        if _BINARY.search(chunk):
            self.binary = True
            return
        if self.is_utf8:
            try:
                self.utf8.decode(chunk, final)
            except UnicodeDecodeError:
                self.is_utf8 = False
        if not self.is_utf8:
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                self.binary = True


_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f]")  # controls no text file holds


def _refused(what: Text) -> InputError:
    return InputError(Text(f"jenis berkas tidak diizinkan: terdeteksi {what.id}; yang diterima: "
                           f"{ACCEPTED}", f"file type not allowed: detected {what.en}; accepted: "
                           f"{ACCEPTED}"),
                      hint=Text("jenis berkas dikenali dari isinya, bukan dari namanya",
                                "the type is recognised from the content, not the name"))


def _receive(data: bytes | IO[bytes], folder: Path) -> _Upload:
    """Write an upload to a temporary file in ``folder`` (in chunks, stopping past the size
    limit), hashing it and telling its type from its content."""
    limit = MAX_UPLOAD_BYTES.value()
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    digest = hashlib.sha256()
    text = _TextCheck()
    head = b""
    size = 0
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".upload", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise InputError(Text(
                        f"berkas terlalu besar: lebih dari {_mb(limit)} (batas: "
                        f"PATUH_WEB_MAX_UPLOAD_BYTES)", f"the file is too large: over "
                        f"{_mb(limit)} (limit: PATUH_WEB_MAX_UPLOAD_BYTES)"),
                        hint=Text("perkecil berkasnya (mis. pindai dengan resolusi lebih "
                                  "rendah) atau pecah menjadi beberapa berkas",
                                  "make the file smaller (e.g. scan at a lower resolution) "
                                  "or split it"))
                if len(head) < 8192:
                    head += chunk[:8192 - len(head)]
                digest.update(chunk)
                text.feed(chunk)
                out.write(chunk)
        text.feed(b"", final=True)
        if size == 0:
            raise InputError(Text("berkas kosong", "the file is empty"))
        kind = _detect(head, path, text)
        return _Upload(path, digest.hexdigest(), size, kind)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit} bita"


def _detect(head: bytes, path: Path, text: _TextCheck) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        if _is_xlsx(path):
            return "xlsx"
        if _zip_has(path, "word/"):
            raise _refused(Text("dokumen Word (DOCX)", "a Word document (DOCX)"))
    for signature, what in _KNOWN:
        if head.startswith(signature):
            raise _refused(what)
    if not text.binary:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith((b"<", b"{\\rtf")):
            raise _refused(Text("HTML/XML/RTF", "HTML/XML/RTF"))
        return "csv"
    raise _refused(Text("berkas biner tak dikenal", "an unknown binary file"))


def _zip_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []


def _is_xlsx(path: Path) -> bool:
    names = _zip_names(path)
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _zip_has(path: Path, prefix: str) -> bool:
    return any(n.startswith(prefix) for n in _zip_names(path))


# --- import --------------------------------------------------------------------------------------

def _find_manifest(source: Path) -> Path:
    if not source.is_dir():
        return source
    from patuh import manager

    for name in ("yaml", "yml", "json", *sorted(manager.manifest_formats())):
        candidate = source / f"manifest.{name}"
        if candidate.is_file():
            return candidate
    raise InputError(Text("folder ini tidak memuat manifest (manifest.yaml atau manifest.xlsx)",
                          "this folder holds no manifest (manifest.yaml or manifest.xlsx)"),
                     file=source)


def _import_files(data: Any, source: Path, root: Path) -> None:
    """Copy what ``data`` references from ``source`` into the unit folder ``root``, rewriting
    evidence references to the stored names (in place)."""
    copied: dict[Path, tuple[str, str]] = {}

    def evidence(item: Any) -> Any:
        ref = item.get("berkas") if isinstance(item, Mapping) else item
        if not isinstance(ref, str) or ref.startswith(("http://", "https://")):
            return item
        target, _status = resolve_inside(source, ref)
        if target is None:
            return item  # missing or outside: stays as written, a finding as before
        if target not in copied:
            copied[target] = _store_copy(target, root)
        stored, actual = copied[target]
        entry: dict[str, Any] = {"berkas": stored}
        declared = item.get("sha256") if isinstance(item, Mapping) else None
        entry["sha256"] = declared or actual  # a declared digest that differs stays a finding
        note = item.get("keterangan") if isinstance(item, Mapping) else None
        note = note or sanitise_name(ref)
        if note:
            entry["keterangan"] = note
        return entry

    def data_file(ref: str) -> None:
        target, _status = resolve_inside(source, ref)
        if target is None:
            return
        destination = root / ref
        if destination == root / MANIFEST_NAME:
            return  # the unit's own manifest is written from the data, not copied
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, destination)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == EVIDENCE_KEY and isinstance(value, list):
                    node[key] = [evidence(item) for item in value]
                elif key == DATA_FILE_KEY and isinstance(value, str):
                    data_file(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)


def _store_copy(target: Path, root: Path) -> tuple[str, str]:
    """Copy one evidence file into ``bukti/``; its stored name and sha256."""
    digest = hashlib.sha256()
    head = b""
    text = _TextCheck()
    with target.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            if len(head) < 8192:
                head += chunk[:8192 - len(head)]
            digest.update(chunk)
            text.feed(chunk)
    text.feed(b"", final=True)
    try:
        ext = TYPES[_detect(head, target, text)][0]
    except InputError:  # not a type the platform accepts for upload: keep its own suffix
        suffix = target.suffix.lower().lstrip(".")
        ext = suffix if re.fullmatch(r"[a-z0-9]{1,8}", suffix) else "bin"
    sha = digest.hexdigest()
    stored = f"{EVIDENCE_DIR}/{sha[:16]}.{ext}"
    destination = root / stored
    if not destination.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, destination)
    return stored, sha


# --- the manifest cache --------------------------------------------------------------------------

_MANIFESTS: dict[Path, tuple[Any, Manifest]] = {}
# sha256 of evidence and data files by (path, device, inode, size, mtime, ctime): a save
# changes the manifest, not the files, so the next report hashes nothing again
_DIGESTS: dict[Any, str] = {}
MAX_DIGESTS = 100_000


def stamp(path: Path) -> Any:
    """What changes when a file is replaced or edited (inode, size, mtime); None: absent (or a
    name no file can have: a NUL byte)."""
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def file_digest(path: Path) -> str:
    """The sha256 of a stored file (a data file the index lists, shown on its page), from the
    digests this process has computed while the file's identity, size and times are unchanged
    (the same cache the reports' evidence digests use): a page or a save hashes nothing it has
    hashed before."""
    from patuh.plugins import tables

    st = path.stat()
    key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    found = _DIGESTS.get(key)
    if found is None:
        found = tables.sha256(path)
        if len(_DIGESTS) > MAX_DIGESTS:
            _DIGESTS.clear()
        _DIGESTS[key] = found
    return found


def references(data: Any) -> Iterator[str]:
    """Every file a manifest's data names: evidence (``bukti``) and data files (``berkas``)."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key == EVIDENCE_KEY and isinstance(value, list):
                for item in value:
                    ref = item.get("berkas") if isinstance(item, Mapping) else item
                    if isinstance(ref, str):
                        yield ref
            elif key == DATA_FILE_KEY and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(data, list):
        for value in data:
            yield from references(value)


def referenced_files(manifest: Manifest) -> tuple[tuple[Path, Any], ...]:
    """Each file the manifest references with its stamp, taken where the reference points
    (``stat`` follows links: the stamp is the file's the check reads; no ``resolve``, which
    costs a system call per path part). A reference to no file is stamped by where it would
    be: creating the file later changes the stamp."""
    base = manifest.base_dir
    return tuple((base / ref, stamp(base / ref)) for ref in dict.fromkeys(references(
        manifest.data)))


def unchanged(files: tuple[tuple[Path, Any], ...]) -> bool:
    return all(stamp(path) == held for path, held in files)


def _cached_manifest(path: Path) -> Manifest:
    """``load_manifest(path)``, reused (with the evidence digests and facts it has computed)
    while the manifest and every file it references are unchanged (inode, size, mtime)."""
    return cached_manifest(path)[0]


def cached_manifest(path: Path) -> tuple[Manifest, tuple[tuple[Path, Any], ...]]:
    """The manifest as :func:`_cached_manifest` gives it, with every file it references and
    that file's stamp when the manifest was loaded (before anything of it was scored)."""
    key = path.resolve() if path.exists() else path
    now = stamp(path)
    held = _MANIFESTS.get(key)
    if held is not None and now is not None and held[0][0] == now and unchanged(held[0][1]):
        return held[1], held[0][1]
    manifest = load_manifest(path)
    files = referenced_files(manifest)
    _remember(key, now, path, manifest, files)
    return manifest, files


def _remember(key: Path, now: Any, path: Path, manifest: Manifest,
              files: tuple[tuple[Path, Any], ...]) -> None:
    if len(_DIGESTS) > MAX_DIGESTS:
        _DIGESTS.clear()
    manifest.reuse_digests(_DIGESTS)
    if now is not None and now == stamp(path):
        if len(_MANIFESTS) > 256:
            _MANIFESTS.clear()
        _MANIFESTS[key] = ((now, files), manifest)


def _adopt(path: Path, validated: Manifest) -> None:
    """Keep ``validated`` (the manifest loaded from a temporary file of the same folder whose
    text was then written to ``path`` unchanged) as ``path``'s loaded manifest: loading the
    same bytes in the same folder gives the same manifest, so the save need not parse it a
    second time. Only the file's name differs (``Manifest.file`` and the document's, for the
    report and for messages); the files it references are stamped now, as a load would."""
    document = copy.copy(validated.document)
    document.file = path
    manifest = replace(validated, file=path, document=document, _memo={})
    files = referenced_files(manifest)
    _remember(path.resolve(), stamp(path), path, manifest, files)
