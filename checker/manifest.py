"""Loading a unit's manifest: any loader plugin, then the manifest schema."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path
from typing import Any

from patuh import manager
from patuh.conditions import Evidence
from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.evidence import collect
from patuh.evidence import resolve_inside
from patuh.facts import derive
from patuh.i18n import Text
from patuh.i18n import number
from patuh.normalize import FieldReading
from patuh.normalize import Normalized
from patuh.normalize import drop_unanswered
from patuh.normalize import normalize
from patuh.validation import check
from patuh.validation import load_schema
from patuh.yamlio import Document
from patuh.yamlio import check_values
from patuh.yamlio import format_path


@dataclass(frozen=True)
class Manifest:
    file: Path
    data: dict[str, Any]
    document: Document
    readings: tuple[FieldReading, ...] = ()  # how values typed the human way were read
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def base_dir(self) -> Path:
        return self.file.parent

    def evidence(self) -> dict[str, tuple[Evidence, ...]]:
        """Its evidence, checked and hashed once however many rulesets read it."""
        if "evidence" not in self._memo:
            self._memo["evidence"] = collect(self.data, self.base_dir, self._memo.get("digests"))
        return self._memo["evidence"]

    def reuse_digests(self, digests: dict[Any, str]) -> None:
        """Let a long-running process (the web platform) share the digests of files it has
        already hashed, while each file's identity, size and times are unchanged."""
        self._memo["digests"] = digests

    def input_files(self) -> list[Path]:
        """The files a check of this manifest reads: itself and every evidence or data file
        (``bukti``, ``berkas``) inside its folder. An output must never be one of them."""
        files = [self.file]
        for items in self.evidence().values():
            for item in items:
                if item.kind == "file" and item.status in ("ok", "digest_mismatch"):
                    target, _status = resolve_inside(self.base_dir, item.ref)
                    if target is not None:
                        files.append(target)
        return files

    def facts(self, as_of: date) -> dict[str, Any]:
        """Its facts with the derived ones, computed once per evaluation date."""
        if ("facts", as_of) not in self._memo:
            self._memo["facts", as_of] = derive(self.data, self.base_dir, as_of)
        return self._memo["facts", as_of]

    def as_of(self, override: date | None) -> tuple[date, str]:
        """The evaluation date and where it came from, within the years a manifest's
        ``periode.tahun`` may name (a date like 9999-12-31 is a typo, not an evaluation)."""
        period = self.data["periode"]
        if override is not None:
            day, source = override, "argument"
        elif "tanggal_penilaian" in period:
            day, source = date.fromisoformat(period["tanggal_penilaian"]), "manifest"
        else:
            # the schema takes 2024.0 as an integer (JSON Schema does): a year is a whole number
            return date(int(period["tahun"]), 12, 31), "period_end"
        if EARLIEST_DATE <= day <= LATEST_DATE:
            return day, source
        why = Text(f"tanggal evaluasi {day.isoformat()} di luar {EARLIEST_DATE.isoformat()}–"
                   f"{LATEST_DATE.isoformat()}",
                   f"the evaluation date {day.isoformat()} is outside "
                   f"{EARLIEST_DATE.isoformat()}–{LATEST_DATE.isoformat()}")
        hint = Text("periksa tahunnya; mungkin salah ketik", "check the year; it may be a typo")
        if source == "argument":
            raise InputError(Text("--as-of: ", "--as-of: ") + why, hint=hint)
        raise self.document.error(("periode", "tanggal_penilaian"), why, hint)


EARLIEST_DATE = date(2000, 1, 1)  # the years periode.tahun may name (manifest schema)
LATEST_DATE = date(2100, 12, 31)


def load_manifest(path: Path) -> Manifest:
    hook = manager.get_plugin_manager().hook
    try:
        folder = path.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte: reading it says which
        folder = False
    if folder:
        present = [path / f"manifest.{fmt}" for fmt in ("yaml", "yml", "json",
                                                         *sorted(manager.manifest_formats()))]
        meant = next((p for p in present if p.is_file()), path / "manifest.yaml")
        raise InputError(Text("ini folder, bukan berkas manifest", "this is a folder, not a "
                              "manifest file"), file=path,
                         hint=Text(f"maksud Anda {meant}?", f"did you mean {meant}?"))
    document = hook.patuh_load_manifest(path=path)
    if document is not None and not isinstance(document, Document):
        plugin = manager.culprit(hook.patuh_load_manifest,
                                 lambda r: r is not None and not isinstance(r, Document),
                                 path=path)
        raise manager.wrong_type(plugin, "patuh_load_manifest", "a patuh.Document", document)
    if document is None:
        forms = ", ".join(f".{fmt}" for fmt in sorted(manager.manifest_formats())
                          if fmt != "yaml")
        raise InputError(Text("format manifest tidak dikenal", "unknown manifest format"),
                         file=path, hint=Text(f"pakai berkas .yaml, .yml, .json atau formulir "
                                              f"({forms or '-'}) dari `patuh init`",
                                              f"use a .yaml, .yml or .json file, or a form "
                                              f"({forms or '-'}) from `patuh init`"))
    if not isinstance(document.data, dict):
        raise document.error((), Text("manifest harus berupa pemetaan (kunci: nilai)",
                                      "a manifest must be a mapping (key: value)"),
                             Text("mulailah dari `patuh init`", "start from `patuh init`"))
    # the loader's document (and the file) stay as they were
    answered = copy.copy(document)
    answered.data = drop_unanswered(document.data)  # a blank answer is no answer
    read = normalize(answered, load_schema("manifest"))
    canonical = copy.copy(answered)
    canonical.data = read.data
    check_values(canonical)  # finite numbers, bounded nesting: whichever loader made it
    try:
        check(canonical, "manifest",
              Text("lihat templat dari `patuh init` untuk kunci dan nilai yang sah",
                   "see the `patuh init` template for valid keys and values"))
    except InputErrors as exc:
        raise with_accepted_forms(exc, read) from None
    return Manifest(path, canonical.data, canonical, (*document.readings, *read.readings))


def with_accepted_forms(errors: InputErrors, read: Normalized) -> InputErrors:
    """The schema's errors, where a value could not be read, saying which forms are
    accepted (``tulis tanggal sebagai 31/10/2025 …``); where a value was read but is still
    wrong (``120,5`` above 100), saying what was typed and how it was read."""
    forms = {format_path(path): hint for path, hint in read.unread.items()}
    typed = {format_path(r.path): r for r in read.readings}
    for error in errors.errors:
        if error.path in forms:
            error.hint = forms[error.path]
        elif error.path in typed:
            reading, value = typed[error.path].reading, typed[error.path].value
            value_id = "ya" if value is True else "tidak" if value is False \
                else number(value, "id", group=False)
            said = Text(f"tertulis {reading.raw!r}, dibaca sebagai {value_id} "
                        f"({reading.how.id})", f"written {reading.raw!r}, read as "
                        f"{reading.value} ({reading.how.en})")
            error.hint = said if error.hint is None else said + "; " + Text.of(error.hint)
    errors.hint = errors.errors[0].hint
    return errors
