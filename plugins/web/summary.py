"""A round at a glance: each unit's score, predicate and stage, for the round page and the API.

Scoring a unit reads its manifest and hashes its evidence; a round page of a hundred units
must not do that a hundred times on every visit. Each unit's report is kept in memory, keyed by
the manifest file's ``(mtime_ns, size, inode)`` and the same stamp of every file the manifest
references (evidence, data files), the ruleset edition, the day (a report dated "today"
changes at midnight) and the stamps of the evaluator's ``verifikasi.yaml`` and
``pengecualian.yaml``. A save, an upload or a hand edit changes a stamp and the unit is scored
again; an unchanged unit costs a few ``stat`` calls (``benchmarks/bench_web_summary.py``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.options import reporter
from patuh.plugins.web.store import UnitFolder
from patuh.plugins.web.store import cached_manifest
from patuh.plugins.web.store import stamp
from patuh.plugins.web.store import unchanged
from patuh.safetext import json_safe

ERROR = "error"
MAX_CACHED = 2000  # units; a report is a few hundred kB at most


@dataclass(frozen=True)
class UnitSummary:
    """One unit's line of the round table (and of ``GET /api/v1/rounds/<round>/summary``)."""

    kode: str
    nama: str
    status: str  # the unit's stage (draft, submitted), or "error" when its manifest fails
    score: Any = None  # the final score (a number), None when there is none
    predicate: dict[str, str] | None = None  # {code, label, label_en}
    error: Text | None = None  # why the manifest does not check

    def as_json(self) -> dict[str, Any]:
        return {"kode": self.kode, "nama": self.nama, "status": self.status,
                "score": self.score, "predicate": self.predicate,
                "error": self.error.id if self.error else None,
                "error_en": self.error.en if self.error else None}


@dataclass(frozen=True)
class _Entry:
    key: tuple[Any, ...]
    files: tuple[tuple[Path, Any], ...]  # every referenced file and its stamp when scored
    report: dict[str, Any] | None
    error: Text | None


_CACHE: OrderedDict[Path, _Entry] = OrderedDict()
_LOCK = threading.Lock()
STATS = {"scored": 0, "reused": 0}  # for the benchmark and the tests


def _referenced_files(folder: UnitFolder) -> tuple[tuple[Path, Any], ...]:
    """The files the manifest references, stamped when it was loaded (the store's manifest
    cache took the stamps then: no second walk of the manifest)."""
    try:
        return cached_manifest(folder.manifest_path)[1]
    except InputError:
        return ()


def _error_text(exc: InputError, root: Path) -> Text:
    """The message as ``patuh check`` prints it, with the server's folder left out."""
    prefix = str(root) + "/"
    return Text(exc.render("id").replace(prefix, ""), exc.render("en").replace(prefix, ""))


def unit_report(root: Path, ruleset: str, edition: str | None) -> tuple[dict[str, Any] | None,
                                                                        Text | None]:
    """The report dict of the unit folder ``root`` (or why there is none), scored again only
    when the manifest or a file it references has changed. The dict is shared: do not modify."""
    folder = UnitFolder(root)
    key = (stamp(folder.manifest_path), ruleset, edition, date.today(),
           stamp(folder.verification_path), stamp(folder.waivers_path))
    with _LOCK:
        held = _CACHE.get(root)
    if held is not None and held.key == key and unchanged(held.files):
        with _LOCK:
            _CACHE.move_to_end(root)
            STATS["reused"] += 1
        return held.report, held.error
    report: dict[str, Any] | None = None
    error: Text | None = None
    # the referenced files are stamped before scoring: one changed meanwhile no longer matches
    files = _referenced_files(folder)
    if key[0] is None:
        error = Text("manifest.yaml unit ini tidak ada", "this unit's manifest.yaml is missing")
    else:
        try:
            report = folder.report(ruleset, edition)
        except InputError as exc:
            error = _error_text(exc, root)
    entry = _Entry(key, files, report, error)
    if key[0] == stamp(folder.manifest_path):
        with _LOCK:
            _CACHE[root] = entry
            _CACHE.move_to_end(root)
            while len(_CACHE) > MAX_CACHED:
                _CACHE.popitem(last=False)
    with _LOCK:
        STATS["scored"] += 1
    return report, error


def report_json(root: Path, ruleset: str, edition: str | None) -> str:
    """Byte for byte ``patuh check … --format json`` (raises InputError when it fails)."""
    report, error = unit_report(root, ruleset, edition)
    if report is None:
        raise InputError(error or Text("tidak ada laporan", "no report"))
    return json_safe(reporter("json")(report, "id"))


def summarise(unit: Any) -> UnitSummary:
    """One unit (a ``models.Unit``) as a line of the round table."""
    round_ = unit.round
    report, error = unit_report(unit.folder, round_.ruleset, round_.edition)
    if report is None:
        return UnitSummary(unit.kode, unit.nama, ERROR, error=error)
    score = report.get("score")
    final = score.get("final") if isinstance(score, dict) else None
    found = report.get("predicate")
    predicate = None
    if isinstance(found, dict):
        predicate = {"code": str(found.get("code", "")), "label": str(found.get("label", "")),
                     "label_en": str(found.get("label_en", found.get("label", "")))}
    return UnitSummary(unit.kode, unit.nama, unit.status, final, predicate)


def round_summary(units: Any) -> list[UnitSummary]:
    """Each unit of ``units`` (a queryset or list of ``models.Unit``) summarised, in order."""
    return [summarise(unit) for unit in units]


def forget(root: Path | None = None) -> None:
    """Drop one unit's cached report (or all): for tests and after a unit is removed."""
    with _LOCK:
        if root is None:
            _CACHE.clear()
        else:
            _CACHE.pop(root, None)
