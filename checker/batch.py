"""``patuh batch``: many units' manifests against one or more rulesets, in parallel, with a
ranked summary (text, CSV, JSON Lines, XLSX) and, with ``-o``, one report per unit and ruleset.

Memory stays flat in the number of units: workers are sent paths, never data, and keep their
rulesets loaded (``load_ruleset`` caches per process); results come back in input order through
a bounded window of guided chunks and each unit's reports (bytes made in the worker) are written
as soon as they arrive; of a unit's input files the parent learns only those an output could
replace; summary rows wait in a temporary file (only their small sort keys stay in memory)
until the ranking is known.

A unit that cannot be evaluated (bad YAML, schema error, missing file, no edition in force, an
internal error, even a worker process that dies, or a unit that runs past ``--timeout``) is a
summary row with its message; the others go on. Exit 0 when every unit was evaluated, 2 when any
was not or a report could not be stored (``--store``); stopped by SIGTERM or SIGHUP, the workers
end, the summary lists what finished and, as errors, what did not; exit 128 + the signal.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import dataclasses
import json
import math
import os
import re
import signal
import sys
import tempfile
import threading
import unicodedata
from collections import deque
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from patuh import manager
from patuh.errors import InputError
from patuh.errors import ensure_folder
from patuh.i18n import Text
from patuh.i18n import number as shown
from patuh.i18n import render
from patuh.inforce import not_in_force
from patuh.inforce import one_line
from patuh.inforce import reason_text
from patuh.manifest import load_manifest
from patuh.options import parse_date
from patuh.options import reporter
from patuh.options import rule_files
from patuh.outputs import InputSet
from patuh.outputs import atomic_file
from patuh.outputs import check_store
from patuh.outputs import check_target
from patuh.outputs import place_staged
from patuh.outputs import stage_bytes
from patuh.outputs import write_bytes
from patuh.outputs import write_output
from patuh.report import build_report
from patuh.report import pick_edition
from patuh.rulebook import chosen_rulesets
from patuh.rulebook import load_ruleset
from patuh.safetext import json_safe
from patuh.safetext import visible
from patuh.verification import load_verification
from patuh.waivers import Waivers
from patuh.waivers import load_waivers
from patuh.xlsxstyle import band_heat
from patuh.xlsxstyle import band_position
from patuh.xlsxstyle import clean
from patuh.xlsxstyle import fill
from patuh.xlsxstyle import ink
from patuh.xlsxstyle import sheet_title
from patuh.yamlio import require_file

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml", "manifest.json")
DEFAULT_TIMEOUT = 120.0  # seconds per unit; a real unit takes well under one
SUMMARY_STEM = "summary"
EXTENSIONS = {"json": "json", "text": "txt"}  # other (plugin) formats use their own name

# The summary rows' columns, in this order: the JSON Lines keep these stable English keys (and
# the status codes ok/error/skipped) for machines; the CSV, opened by people in a spreadsheet,
# has a header row (and status words) in the summary's language, with the same columns in the
# same order and machine numbers (a decimal point), so a program reads it by position.
COLUMNS = ("rank", "unit", "code", "manifest", "ruleset", "edition", "evaluated_on", "score",
           "predicate_code", "predicate_label", "predicate_label_en", "status", "error",
           "report", "note", "verification")

HEADERS = {
    "id": {"rank": "Peringkat", "unit": "Unit", "code": "Kode", "ruleset": "Ruleset",
           "edition": "Edisi", "evaluated_on": "Tanggal evaluasi", "score": "Nilai",
           "predicate": "Predikat", "status": "Status", "manifest": "Manifest"},
    "en": {"rank": "Rank", "unit": "Unit", "code": "Code", "ruleset": "Ruleset",
           "edition": "Edition", "evaluated_on": "Evaluated on", "score": "Score",
           "predicate": "Predicate", "status": "Status", "manifest": "Manifest"},
}
CSV_HEADERS = {
    "rank": Text("Peringkat", "Rank"), "unit": Text("Unit", "Unit"),
    "code": Text("Kode", "Code"), "manifest": Text("Manifest", "Manifest"),
    "ruleset": Text("Ruleset", "Ruleset"), "edition": Text("Edisi", "Edition"),
    "evaluated_on": Text("Tanggal evaluasi", "Evaluated on"), "score": Text("Nilai", "Score"),
    "predicate_code": Text("Predikat", "Predicate"),
    "predicate_label": Text("Arti predikat", "Predicate meaning"),
    "predicate_label_en": Text("Arti predikat (bahasa Inggris)", "Predicate meaning (English)"),
    "status": Text("Status", "Status"), "error": Text("Kesalahan", "Error"),
    "report": Text("Laporan", "Report"), "note": Text("Catatan", "Note"),
    "verification": Text("Berkas verifikasi", "Verification file"),
}
TEXT_COLUMNS = ("rank", "unit", "code", "ruleset", "edition", "evaluated_on", "score",
                "predicate", "status", "manifest")
RIGHT = {"rank", "score"}
STATUS_WORDS = {"id": {"ok": "ok", "error": "kesalahan", "skipped": "dilewati"},
                "en": {"ok": "ok", "error": "error", "skipped": "skipped"}}
NONE = "—"


# --- which manifests -----------------------------------------------------------------------

def manifest_names() -> tuple[str, ...]:
    """``manifest.yaml``, ``.yml``, ``.json``, and ``manifest.<format>`` for every manifest form
    a plugin offers (``manifest.xlsx``)."""
    forms = tuple(f"manifest.{fmt}" for fmt in sorted(manager.manifest_formats()))
    return tuple(dict.fromkeys((*MANIFEST_NAMES, *forms)))


def discover(folder: Path, exclude: Path | None = None) -> list[str]:
    """Every manifest below ``folder`` (``manifest.yaml`` or ``*.manifest.yaml``, also
    ``.yml``, ``.json`` and every plugin form such as ``.xlsx``), in path order. Hidden
    folders, symlinked folders and ``exclude`` (the output folder) are not searched. A folder
    that cannot be read is an error that names it (a unit is never left out silently); any
    depth works (no recursion). One unit written twice in one folder is refused."""
    skip = _identity(exclude) if exclude is not None else None
    names = manifest_names()
    exact, suffixes = frozenset(names), tuple(f".{n}" for n in names)
    found: list[str] = []  # strings, not Paths: a fifth of the memory for a large batch
    stack = [os.fspath(folder)]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    if _is_folder(entry):
                        if not (entry.name.startswith(".") or entry.is_symlink()) and (
                                skip is None or entry.inode() != skip[1]  # no stat: cheap
                                or _identity(entry.path) != skip):
                            stack.append(entry.path)
                    elif entry.name in exact or entry.name.endswith(suffixes):
                        found.append(entry.path)
        except OSError as exc:
            raise InputError(Text(f"folder tidak dapat dibaca: {exc.strerror}",
                                  f"cannot read the folder: {exc.strerror}"), file=root,
                             hint=Text("perbaiki izinnya, atau daftarkan manifest dalam berkas "
                                       "DAFTAR (satu jalur per baris)", "fix its permissions, "
                                       "or name the manifests in a LIST file (one path per "
                                       "line)")) from None
    _refuse_twins(found)
    return sorted(found, key=lambda p: os.path.relpath(p, folder).split(os.sep))


def _refuse_twins(found: list[str]) -> None:
    """One unit written twice in one folder (``manifest.yaml`` beside ``manifest.xlsx``, say
    after ``patuh convert``) would be scored twice, or the stale copy would win unseen."""
    units: dict[str, str] = {}
    for path in found:
        unit = path.rsplit(".", 1)[0]
        if unit in units:
            raise InputError(Text(
                f"dua manifest untuk satu unit: {units[unit]} dan {path}",
                f"two manifests for one unit: {units[unit]} and {path}"), file=path,
                hint=Text("simpan salah satunya saja (pindahkan yang lain keluar dari folder); "
                          "`patuh convert` mengubah satu bentuk ke bentuk lain",
                          "keep only one (move the other out of the folder); `patuh convert` "
                          "turns one form into the other"))
        units[unit] = path


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A real folder (a symlink to one is not searched, and not taken for a file)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def read_list(list_file: Path) -> list[str]:
    """One manifest path per line, relative to the list file's folder; blank lines and lines
    starting with ``#`` are ignored."""
    try:
        with list_file.open(encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(Text(f"bukan teks UTF-8 (bita ke-{exc.start})",
                              f"not UTF-8 text (byte {exc.start})"), file=list_file) from None
    except OSError as exc:
        raise InputError(Text(f"tidak dapat dibaca: {exc.strerror}",
                              f"cannot read: {exc.strerror}"), file=list_file) from None
    base = list_file.parent
    return [str(base / line) for line in (raw.strip() for raw in lines)
            if line and not line.startswith("#")]


def manifests_of(target: Path, exclude: Path | None = None) -> list[str]:
    """The manifests a DIR, a LIST file (or a single manifest) names, each once."""
    try:
        folder = target.is_dir()
    except (OSError, ValueError) as exc:  # a name too long for the file system
        raise InputError(Text(f"tidak dapat dibaca: {getattr(exc, 'strerror', exc)}",
                              f"cannot read: {getattr(exc, 'strerror', exc)}"),
                         file=target) from None
    if folder:
        paths = discover(target, exclude)
        where = Text("di folder ini (dicari: manifest.yaml, *.manifest.yaml, .yml, .json)",
                     "in this folder (looked for manifest.yaml, *.manifest.yaml, .yml, .json)")
    elif target.is_file():
        paths = [str(target)] if target.suffix.lower() in (".yaml", ".yml", ".json") \
            else read_list(target)
        where = Text("di daftar ini", "in this list")
    else:
        if target.exists():
            require_file(target)  # a FIFO or a device: says so
        raise InputError(Text("tidak ditemukan", "not found"), file=target,
                         hint=Text("beri folder berisi manifest, atau berkas daftar (satu jalur "
                                   "manifest per baris)", "give a folder of manifests, or a "
                                   "list file (one manifest path per line)"))
    unique = list(dict.fromkeys(paths))
    if not unique:
        raise InputError(Text("tidak ada manifest ", "no manifest ") + where, file=target)
    return unique


# --- verification files, one per unit -------------------------------------------------------

VERIFICATION_SUFFIXES = (".yaml", ".yml", ".json")


def verification_index(folder: Path) -> dict[str, str]:
    """``DIR/<kode>.yaml`` (or ``.yml``, ``.json``) for each unit, by the unit's ``unit.kode``.
    Only the folder itself is read (no subfolders; hidden files are not files of it). Two
    files for one kode (``a.yaml`` and ``a.yml``) are refused: which one counts would be a
    guess. Every file is read and checked here, so a bad one stops the batch before any unit
    runs, with its file and line."""
    if not folder.is_dir():
        raise InputError(Text("--verification memerlukan folder berisi satu berkas per unit",
                              "--verification needs a folder holding one file per unit"),
                         file=folder,
                         hint=Text("beri nama berkas dengan kode unit: FOLDER/<kode>.yaml; "
                                   "untuk satu unit pakai `patuh check --verification BERKAS`",
                                   "name each file after the unit's code: "
                                   "FOLDER/<kode>.yaml; for one unit use "
                                   "`patuh check --verification FILE`"))
    found: dict[str, list[str]] = {}
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputError(Text(f"folder tidak dapat dibaca: {exc.strerror}",
                              f"cannot read the folder: {exc.strerror}"), file=folder) from None
    for name in names:
        stem, suffix = os.path.splitext(name)
        if name.startswith(".") or suffix.lower() not in VERIFICATION_SUFFIXES:
            continue
        path = folder / name
        if path.is_file():
            found.setdefault(stem, []).append(str(path))
    twins = {kode: paths for kode, paths in found.items() if len(paths) > 1}
    if twins:
        listed = "; ".join(" + ".join(paths) for paths in twins.values())
        raise InputError(Text(f"dua berkas verifikasi untuk satu kode unit: {listed}",
                              f"two verification files for one unit code: {listed}"),
                         file=folder, hint=Text("simpan satu berkas per kode unit; hapus atau "
                                                "pindahkan yang lain", "keep one file per "
                                                "unit code; remove or move the other"))
    index = {kode: paths[0] for kode, paths in found.items()}
    for path in index.values():
        load_verification(Path(path))  # whether it names the right unit: per unit, later
    return index


# --- one unit, in a worker ------------------------------------------------------------------

@dataclass(frozen=True)
class Config:
    ruleset_ids: tuple[str, ...]
    as_of: date | None
    edition: str | None
    formats: tuple[str, ...]  # reports to render; empty without -o
    lang: str
    keep_reports: bool = False  # send each report back (for --store)
    waivers_file: Path | None = None  # one waivers file, scoped by unit inside
    timeout: float = 0.0  # seconds per unit; 0: no limit
    verification: tuple[tuple[str, str], ...] = ()  # (unit kode, its verification file)
    # The files this batch may replace (see :func:`watched_files`) and the --store file: a
    # unit reports back only those of its inputs that are one of them.
    watched: frozenset[tuple[int, int]] = frozenset()
    store: str | None = None
    # With workers and -o: where a worker writes each report file itself (the prefix of its
    # name in the output folder); the parent only moves it into place (see ``stage_prefix``).
    stage: str | None = None


@dataclass
class Outcome:
    index: int
    manifest: str
    nama: str | None = None
    kode: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    # ruleset, format, the report file's bytes (made safe and encoded in the worker: the
    # parent only writes them)
    texts: list[tuple[str, str, bytes]] = field(default_factory=list)
    # ruleset, format, the report file written by the worker (with ``Config.stage``)
    staged: list[tuple[str, str, str]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)  # only with keep_reports
    inputs: list[str] = field(default_factory=list)  # files the unit's check read


def message_of(exc: BaseException, lang: str) -> str:
    if isinstance(exc, InputError):
        return one_line(exc.render(lang))
    return one_line(render(Text(f"kesalahan internal: {type(exc).__name__}: {exc}",
                                f"internal error: {type(exc).__name__}: {exc}"), lang))


def _row(manifest: str, ruleset_id: str, nama: str | None, kode: str | None,
         report: dict[str, Any] | None = None, error: str | None = None,
         note: str | None = None) -> dict[str, Any]:
    """A summary row: evaluated (``report``), failed (``error``) or skipped (``note``: the
    ruleset is not in force for this unit's date)."""
    row: dict[str, Any] = {
        "unit": nama or "", "code": kode or "", "manifest": manifest, "ruleset": ruleset_id,
        "edition": "", "evaluated_on": "", "score": None, "score_text": "",
        "predicate_code": "", "predicate_label": "", "predicate_label_en": "",
        "predicate_text": {"id": "", "en": ""}, "status": "skipped" if note else "error",
        "error": error or "", "report": "", "note": note or "",
        "verification": "", "aspects": [], "places": 2, "heat": "heat-none"}
    if report is None:
        return row
    score = report["score"]["final"]
    places = int(report["score"]["rounding"]["places"])
    predicate = report["predicate"] or {}
    display = predicate.get("display") or {}
    code, label, label_en = (predicate.get("code", ""), predicate.get("label", ""),
                             predicate.get("label_en", ""))
    row.update({
        "edition": report["ruleset"]["edition"], "evaluated_on": report["evaluated_on"],
        "score": score, "score_text": "" if score is None else f"{score:.{places}f}",
        "predicate_code": code, "predicate_label": label, "predicate_label_en": label_en,
        "predicate_text": {"id": display.get("id") or f"{code} {label}".strip(),
                           "en": display.get("en") or f"{code} {label_en or label}".strip()},
        "status": "ok", "places": places,
        "aspects": [[a["id"], Text.of(a["title"]).id, Text.of(a["title"]).en, a["score"]]
                    for a in report.get("aspects") or ()]})
    return row


def evaluate_unit(config: Config, index: int, manifest: str) -> Outcome:
    """Every ruleset for one manifest; never raises (a failure is an error row)."""

    outcome = Outcome(index, manifest)
    try:
        loaded = load_manifest(Path(manifest))
    except (Exception, SystemExit) as exc:
        message = message_of(exc, config.lang)
        outcome.rows = [_row(manifest, r, None, None, error=message) for r in config.ruleset_ids]
        return outcome
    unit = loaded.data.get("unit") or {}
    outcome.nama, outcome.kode = unit.get("nama"), unit.get("kode")
    with contextlib.suppress(Exception):  # a bad reference is a finding in the report
        outcome.inputs = guarded_inputs(loaded, config)
    several = len(config.ruleset_ids) > 1 and config.edition is None
    verification_file = dict(config.verification).get(outcome.kode) \
        if isinstance(outcome.kode, str) else None
    verification = None
    if verification_file is not None:
        try:
            verification = load_verification(Path(verification_file))
        except (Exception, SystemExit) as exc:
            message = message_of(exc, config.lang)
            outcome.rows = [_row(manifest, r, outcome.nama, outcome.kode, error=message)
                            for r in config.ruleset_ids]
            return outcome
        outcome.inputs.append(verification_file)
    for ruleset_id in config.ruleset_ids:
        try:
            if several:  # one of several: a ruleset not in force for this unit is skipped
                reason = not_in_force(load_ruleset(ruleset_id), loaded.as_of(config.as_of)[0])
                if reason is not None:
                    outcome.rows.append(_row(manifest, ruleset_id, outcome.nama, outcome.kode,
                                             note=reason_text(reason, config.lang)))
                    continue
            report = build_report(loaded, load_ruleset(ruleset_id), as_of=config.as_of,
                                  edition_name=config.edition,
                                  waivers=_waivers(config.waivers_file),
                                  verification=verification)
            texts = [(ruleset_id, fmt, rendered(fmt, report, config.lang))
                     for fmt in config.formats]
        except (Exception, SystemExit) as exc:  # a plugin's sys.exit is that unit's error
            outcome.rows.append(_row(manifest, ruleset_id, outcome.nama, outcome.kode,
                                     error=message_of(exc, config.lang)))
            continue
        row = _row(manifest, ruleset_id, outcome.nama, outcome.kode, report)
        row["verification"] = verification_file or ""
        row["heat"] = _heat(ruleset_id, report)
        outcome.rows.append(row)
        _keep_texts(config, outcome, texts)
        if config.keep_reports:
            outcome.reports.append(report)
    return outcome


def _keep_texts(config: Config, outcome: Outcome, texts: list[tuple[str, str, bytes]]) -> None:
    """A unit's report files for the parent: written here when the batch stages them (the
    parent then only renames: its time and the pipe do not grow with the reports), else their
    bytes. A file that cannot be staged travels as bytes, and the parent says what is wrong."""
    for ruleset_id, fmt, data in texts:
        if config.stage is not None:
            name = f"{config.stage}{outcome.index}-{len(outcome.staged)}.tmp"
            with contextlib.suppress(OSError):
                outcome.staged.append((ruleset_id, fmt, stage_bytes(name, data)))
                continue
        outcome.texts.append((ruleset_id, fmt, data))


def stage_prefix(out_dir: Path) -> str:
    """Where the workers of this batch (this process's) stage report files: hidden names in
    the output folder (a rename stays on one file system), removed by ``unstage``."""
    return str(out_dir / f".patuh-batch-{os.getpid()}-")


def unstage(prefix: str) -> None:
    """Remove what workers staged and the parent did not move into place (a unit given up,
    a worker killed, the batch stopped)."""
    folder, start = os.path.split(prefix)
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(start) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def watched_files(out_dir: Path | None, store: Path | None) -> frozenset[tuple[int, int]]:
    """The identities (device, inode) of the files a batch could replace: those already in
    ``out_dir`` (reports and summaries are written there, never below it; a file the batch
    creates there has a name no other output of the run takes) and the ``--store`` file. Only
    a unit's inputs that are one of these need to be known by the parent: a batch of any size
    keeps a handful of them, not every evidence file of every unit."""
    found: set[tuple[int, int]] = set()
    if out_dir is not None:
        with contextlib.suppress(OSError), os.scandir(out_dir) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    info = entry.stat()  # follows a link: the file it would replace
                    found.add((info.st_dev, info.st_ino))
    if store is not None:
        found.update(identity for identity in (_identity(store),) if identity is not None)
    return frozenset(found)


def guarded_inputs(loaded: Any, config: Config) -> list[str]:
    """The files this unit's check read (the manifest, its evidence and data files) that an
    output of the batch could replace: one ``stat`` per distinct file, and none at all when
    the batch writes no file."""
    watched = set(config.watched)
    if config.store is not None:  # the history may have been created since the batch began
        watched.update(i for i in (_identity(config.store),) if i is not None)
    if not watched:
        return []
    files = [str(loaded.file)]
    for items in loaded.evidence().values():
        files.extend(str(loaded.base_dir / item.ref) for item in items
                     if item.kind == "file" and item.status in ("ok", "digest_mismatch"))
    return [path for path in dict.fromkeys(files) if _identity(path) in watched]


def rendered(fmt: str, report: dict[str, Any], lang: str) -> bytes:
    """A unit's report file as ``write_output`` would write it (control characters made
    harmless in text and JSON), done in the worker so that the parent only writes bytes."""
    text = reporter(fmt)(report, lang)
    if fmt == "text":
        text = visible(text)
    elif fmt == "json":
        text = json_safe(text)
    return text.encode("utf-8")


def _heat(ruleset_id: str, report: dict[str, Any]) -> str:
    """The predicate's colour class: its band's place in the edition's table."""
    with contextlib.suppress(Exception):  # a colour is never worth an error row
        edition = load_ruleset(ruleset_id).edition_named(report["ruleset"]["edition"])
        codes = [b.code for b in sorted(edition.bands, key=lambda b: b.min, reverse=True)]
        code = (report["predicate"] or {}).get("code")
        return band_heat(band_position(codes, code), len(codes))
    return "heat-none"


@cache
def _waivers(path: Path | None) -> Waivers | None:
    """The waivers file, read once per process (checked before any unit runs)."""
    return None if path is None else load_waivers(path)


def crashed(config: Config, index: int, manifest: str) -> Outcome:
    return failed(config, index, manifest, Text(
        "kesalahan internal: proses pekerja berhenti tiba-tiba saat mengevaluasi unit ini",
        "internal error: the worker process stopped unexpectedly while evaluating this unit"))


def failed(config: Config, index: int, manifest: str, message: Text) -> Outcome:
    """An outcome with one error row per ruleset."""
    text = render(message, config.lang)
    return Outcome(index, manifest, rows=[_row(manifest, r, None, None, error=text)
                                          for r in config.ruleset_ids])


def timed_out(config: Config, index: int, manifest: str) -> Outcome:
    return failed(config, index, manifest, Text(
        f"waktu habis: evaluasi unit ini melewati {config.timeout:g} detik (--timeout); "
        "unit ini dihentikan",
        f"timed out: evaluating this unit took more than {config.timeout:g} seconds "
        "(--timeout); it was stopped"))


class UnitTimeout(BaseException):
    """Raised in a worker when a unit runs past --timeout (not an Exception, so that a
    plugin's ``except Exception`` does not swallow it)."""


_ARMED = False


def _alarm(signum: int, frame: Any) -> None:
    if _ARMED:
        raise UnitTimeout


def evaluate_timed(config: Config, index: int, manifest: str) -> Outcome:
    """``evaluate_unit`` within ``config.timeout`` seconds (a worker's main thread only); a
    unit stuck where Python cannot interrupt it is stopped by the parent (see ``outcomes``)."""
    global _ARMED
    if config.timeout <= 0 or not hasattr(signal, "setitimer"):  # no alarm: the parent's kill
        return evaluate_unit(config, index, manifest)
    signal.signal(signal.SIGALRM, _alarm)
    try:
        try:
            _ARMED = True
            signal.setitimer(signal.ITIMER_REAL, config.timeout)
            outcome = evaluate_unit(config, index, manifest)
        finally:
            _ARMED = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except UnitTimeout:
        return timed_out(config, index, manifest)
    return outcome


_CONFIG: Config | None = None


def _prepare(config: Config) -> None:
    """Load what every unit needs once per process (a failure shows up per unit later): the
    parent does it before the pool starts, so forked workers share it (with another start
    method each worker loads it once)."""
    from patuh.sources import bibliography
    from patuh.validation import fast_validator

    with contextlib.suppress(Exception):
        for ruleset_id in config.ruleset_ids:
            load_ruleset(ruleset_id)
        for fmt in config.formats:
            reporter(fmt)
        fast_validator("manifest")  # jsonschema itself only for a unit that is invalid
        bibliography()  # every report resolves its citations in it


def _init_worker(config: Config) -> None:
    global _CONFIG
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for number in STOP_SIGNALS:  # not the parent's handler: a worker simply ends
        signal.signal(number, signal.SIG_DFL)
    _CONFIG = config
    _prepare(config)


def _work(tasks: list[tuple[int, str]]) -> list[Outcome]:
    assert _CONFIG is not None
    return [evaluate_timed(_CONFIG, index, manifest) for index, manifest in tasks]


# --- many units -----------------------------------------------------------------------------

Task = tuple[int, str]


MAX_CHUNK = 16  # units per hand-over without report files
MAX_CHUNK_REPORTS = 4  # with them (a JSON report is ~150 kB: the window stays small)


def _chunks(tasks: Iterable[Task], total: int, workers: int,
            largest: int) -> Iterator[list[Task]]:
    """Guided chunks: a chunk amortises the cost of a hand-over, and chunks shrink as the
    batch nears its end (a quarter of each worker's share of what is left, at most
    ``largest``) so that no worker waits idle while another finishes a long last chunk."""
    left = total
    chunk: list[Task] = []
    size = max(1, min(largest, left // (workers * 4)))
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield chunk
            left -= len(chunk)
            chunk = []
            size = max(1, min(largest, left // (workers * 4)))
    if chunk:
        yield chunk


def _pool(workers: int, config: Config) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                               initargs=(config,))


GRACE = 10.0  # seconds the parent waits past a unit's --timeout before it kills the worker


def _deadline(config: Config, units: int) -> float | None:
    """How long the parent waits for the oldest chunk in flight (it runs first: the pool takes
    chunks in order): each unit's --timeout, then a grace for the worker's own alarm."""
    return None if config.timeout <= 0 else config.timeout * units + GRACE


def _kill(executor: ProcessPoolExecutor) -> None:
    """End the pool's workers now (a stuck unit, or the batch is stopping)."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    executor.shutdown(wait=True, cancel_futures=True)


def _isolated(tasks: list[Task], config: Config) -> Iterator[Outcome]:
    """Tasks that were in flight when a worker died: one at a time, so that the unit that
    kills a worker is the only one reported as crashed."""
    executor: ProcessPoolExecutor | None = None
    try:
        for index, manifest in tasks:
            if executor is None:
                executor = _pool(1, config)
            future = executor.submit(_work, [(index, manifest)])
            try:
                done = future.result(timeout=_deadline(config, 1))
            except BrokenProcessPool:
                executor.shutdown(wait=True)
                executor = None
                yield crashed(config, index, manifest)
                continue
            except FuturesTimeout:
                _kill(executor)
                executor = None
                yield timed_out(config, index, manifest)
                continue
            yield from done
    except BaseException:
        if executor is not None:
            _kill(executor)
            executor = None
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def outcomes(paths: Sequence[str], config: Config, workers: int) -> Iterator[Outcome]:
    """One outcome per manifest, in input order. ``workers`` 1 without a timeout: in this
    process; otherwise a process pool with a bounded window of chunks in flight (with a
    timeout even for one worker: only a separate process can be stopped whatever it is
    doing)."""
    tasks = enumerate(paths)
    if workers <= 1 and config.timeout <= 0:
        for index, manifest in tasks:
            yield evaluate_unit(config, index, manifest)
        return
    # Chunks amortise the cost of a hand-over; small ones when reports travel back with them.
    # At most ``window`` chunks are in flight: what waits for the parent stays bounded.
    chunks = _chunks(tasks, len(paths), workers,
                     MAX_CHUNK_REPORTS if config.formats else MAX_CHUNK)
    window = workers * 3
    pending: deque[tuple[list[Task], Future[list[Outcome]]]] = deque()
    executor = _pool(workers, config)
    try:
        while True:
            broken = False
            while len(pending) < window and not broken:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                try:
                    pending.append((chunk, executor.submit(_work, chunk)))
                except BrokenProcessPool:
                    pending.append((chunk, Future()))
                    pending[-1][1].set_exception(BrokenProcessPool())
                    broken = True
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                done = future.result(timeout=_deadline(config, len(chunk)))
            except (BrokenProcessPool, FuturesTimeout) as exc:
                # A worker died (killed, or crashed the interpreter), or a unit is stuck where
                # its alarm cannot reach (the workers are killed): what finished is kept, what
                # was in flight is retried one unit at a time, then a new pool goes on.
                retry = list(chunk)
                if isinstance(exc, FuturesTimeout):
                    _kill(executor)
                    if len(chunk) == 1:  # that unit is the one stuck
                        yield timed_out(config, *chunk[0])
                        retry = []
                executor.shutdown(wait=True, cancel_futures=True)
                for other, other_future in pending:
                    if other_future.done() and other_future.exception() is None:
                        if retry:
                            yield from _isolated(retry, config)
                            retry = []
                        yield from other_future.result()
                    else:
                        retry.extend(other)
                pending.clear()
                yield from _isolated(retry, config)
                executor = _pool(workers, config)
                continue
            yield from done
    except BaseException:  # stopped (a signal, Ctrl-C): the workers end now, not after a unit
        _kill(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# --- writing -------------------------------------------------------------------------------

def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].rstrip("-")


class Slugs:
    """File-name stems for units: the unit's kode (else its name) as a slug; a stem already
    taken gets -2, -3, … in input order, so the same inputs give the same names."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, nama: str | None, kode: str | None) -> str:
        base = slugify(kode or "") or slugify(nama or "") or "unit"
        slug, number = base, 1
        while slug in self.taken:
            number += 1
            slug = f"{base}-{number}"
        self.taken.add(slug)
        return slug


class RowStore:
    """Summary rows in a temporary file; in memory only (sort key, offset) per row."""

    def __init__(self, ruleset_ids: tuple[str, ...], lang: str) -> None:
        self.order = {r: i for i, r in enumerate(ruleset_ids)}
        self.lang = lang
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.keys: list[tuple[int, int, str, int, float, int, int]] = []
        self.widths = {c: len(HEADERS[lang][c]) for c in TEXT_COLUMNS}
        self.errors = 0
        self.skipped = 0  # rulesets not in force for a unit (one of several asked for)
        self.predicates: dict[str, dict[str, int]] = {}  # ruleset → predicate code → rows
        self.aspect_columns: dict[str, dict[str, Text]] = {}  # ruleset → aspect → title
        self.verified: set[int] = set()  # units scored with an evaluator's verification
        self.failed_units: set[int] = set()
        self.done: set[int] = set()  # units whose every row is here
        self.stopped_by: int | None = None  # the signal that stopped the batch
        self.not_evaluated = 0  # units left when it stopped
        self.not_stored = 0  # reports that did not reach the --store history
        self.store_error: str | None = None
        self.verification: dict[str, str] = {}  # unit kode → its verification file
        self.verified_by: dict[str, str] = {}  # unit kode → the manifest that used the file

    def add(self, index: int, row: dict[str, Any]) -> None:
        offset = self.file.tell()
        self.file.write(json.dumps(row, ensure_ascii=False, sort_keys=True).encode() + b"\n")
        ok, score = row["status"] == "ok", row["score"]
        group = 0 if ok and score is not None else 1 if ok else 2
        self.keys.append((self.order[row["ruleset"]], int(not ok), row["edition"], group,
                          -score if group == 0 else 0.0, index, offset))
        if ok:
            columns = self.aspect_columns.setdefault(row["ruleset"], {})
            for aspect_id, title_id, title_en, _score in row.get("aspects") or ():
                columns.setdefault(aspect_id, Text(title_id, title_en))
            counts = self.predicates.setdefault(row["ruleset"], {})
            code = row["predicate_code"] or NONE
            counts[code] = counts.get(code, 0) + 1
            if row.get("verification"):
                self.verified.add(index)
        if row["status"] == "skipped":
            self.skipped += 1
        elif not ok:
            self.errors += 1
            self.failed_units.add(index)
        for column, cell in text_cells(row, None, self.lang).items():
            self.widths[column] = max(self.widths[column], len(cell))

    def ranked(self) -> Iterator[tuple[int | None, dict[str, Any]]]:
        """(rank, row), best first within each ruleset and edition (scores of different
        instruments are not compared); equal scores share a rank; rows with no score come
        after, then the ruleset's errors, unranked."""
        self.keys.sort()
        block: tuple[int, str] | None = None
        previous: float | None = None
        rank = position = 0
        for order, _error, edition, group, negative, _index, offset in self.keys:
            if (order, edition) != block:
                block, position, previous = (order, edition), 0, None
            self.file.seek(offset)
            row = json.loads(self.file.readline())
            if group != 0:
                yield None, row
                continue
            position += 1
            if previous != negative:
                rank, previous = position, negative
            yield rank, row

    def close(self) -> None:
        self.file.close()


def text_cells(row: dict[str, Any], rank: int | None, lang: str) -> dict[str, str]:
    cells = {"rank": "" if rank is None else str(rank), "unit": row["unit"] or NONE,
            "code": row["code"] or NONE, "ruleset": row["ruleset"],
            "edition": row["edition"] or NONE, "evaluated_on": row["evaluated_on"] or NONE,
            "score": NONE if row["score"] is None else shown(
                row["score"], lang, int(row.get("places", 2))),
            "predicate": row["predicate_text"]["en" if lang == "en" else "id"] or NONE,
            "status": STATUS_WORDS[lang][row["status"]], "manifest": row["manifest"]}
    return {column: visible(cell) for column, cell in cells.items()}


def machine_row(rank: int | None, row: dict[str, Any]) -> dict[str, Any]:
    return {"rank": rank, **{c: row[c] for c in COLUMNS if c != "rank"}}


class TextSummary:
    def __init__(self, write: Callable[[str], None], store: RowStore, lang: str,
                 units: int) -> None:
        self.write, self.lang = write, lang
        self.widths = dict(store.widths)
        self.widths["rank"] = max(self.widths["rank"], len(str(max(len(store.keys), 1))))
        evaluated = len(store.keys) - store.errors - store.skipped
        rulesets = ", ".join(store.order)
        units_, evaluated_, errors, skipped = (shown(n, lang) for n in (
            units, evaluated, store.errors, store.skipped))
        if lang == "en":
            head = (f"patuh batch — {units_} units × ruleset {rulesets}: {evaluated_} evaluated, "
                    f"{errors} failed")
            if store.skipped:
                head += f", {skipped} skipped (ruleset not in force)"
        else:
            head = (f"patuh batch — {units_} unit × ruleset {rulesets}: {evaluated_} dievaluasi, "
                    f"{errors} gagal")
            if store.skipped:
                head += f", {skipped} dilewati (ruleset tidak berlaku)"
        write(head + "\n\n")
        write(self._line(HEADERS[lang]))
        self.block: tuple[str, str] | None = None

    def _line(self, cells: dict[str, str]) -> str:
        parts = [cells[c].rjust(self.widths[c]) if c in RIGHT else cells[c].ljust(self.widths[c])
                 for c in TEXT_COLUMNS]
        return visible("  ".join(parts).rstrip() + "\n")

    def add(self, rank: int | None, row: dict[str, Any]) -> None:
        block = (row["ruleset"], row["edition"] if row["status"] == "ok" else "\0")
        if self.block is not None and block != self.block:
            self.write("\n")  # each ruleset and edition is ranked on its own
        self.block = block
        self.write(self._line(text_cells(row, rank, self.lang)))
        if row["error"]:
            self.write(visible(f"{' ' * self.widths['rank']}  ! {row['error']}\n"))
        if row.get("note"):
            self.write(visible(f"{' ' * self.widths['rank']}  · {row['note']}\n"))


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


XLSX_HEADERS = {  # the workbook is for people: their language, one sheet per ruleset
    "rank": Text("Peringkat", "Rank"), "unit": Text("Unit", "Unit"),
    "code": Text("Kode", "Code"), "edition": Text("Edisi", "Edition"),
    "evaluated_on": Text("Tanggal evaluasi", "Evaluated on"), "score": Text("Nilai", "Score"),
    "predicate_code": Text("Predikat", "Predicate"),
    "predicate_label": Text("Arti predikat", "Predicate meaning"),
    "status": Text("Status", "Status"), "notes": Text("Keterangan", "Notes"),
    "verification": Text("Berkas verifikasi", "Verification file"),
    "report": Text("Laporan", "Report"), "manifest": Text("Manifest", "Manifest"),
}
XLSX_LEFT = ("rank", "unit", "code", "edition", "evaluated_on", "score", "predicate_code",
             "predicate_label")
XLSX_RIGHT = ("status", "notes", "verification", "report", "manifest")
XLSX_WIDTHS = {"rank": 10, "unit": 40, "code": 24, "edition": 9, "evaluated_on": 12,
               "score": 9, "predicate_code": 10, "predicate_label": 24, "status": 10,
               "notes": 50, "verification": 30, "report": 34, "manifest": 40}


# Excel's locale tag for Indonesian (LCID 0x0421), put before a number format.
INDONESIAN = "[$-421]"


def number_format(places: int, lang: str) -> str:
    """A workbook's number format with ``places`` decimals. The cell stays a number (sums and
    sorting work); a format code cannot choose the decimal separator: its ``.`` stands for
    the separator of the reader's regional settings, so Excel on an Indonesian Windows shows
    ``4,67`` and on an English one ``4.67``. Text like ``"4,67"`` would show the comma
    everywhere but stop being a number, so it is not done. For Indonesian the format also
    carries Excel's Indonesian locale tag (``[$-421]``), which marks the cells as Indonesian
    for a program that honours it."""
    code = "0" if places <= 0 else "0." + "0" * places
    return code if lang == "en" else INDONESIAN + code


class XlsxSummary:
    """The formatted workbook: one sheet per ruleset (its own ranking), headers in the
    summary's language, frozen header and unit, scores as numbers with the edition's decimal
    places, one column per aspect, the predicate coloured by its band (best green … worst
    red), a link to each unit's report. The CSV and JSON Lines keep the stable English keys
    for machines."""

    def __init__(self, path: Path, store: RowStore, lang: str) -> None:
        from openpyxl import Workbook

        self.path, self.store, self.lang = path, store, lang
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, Any] = {}
        self.titles: set[str] = set()
        self.styles: dict[tuple[Any, ...], Any] = {}  # style key → its StyleArray

    def _sheet(self, ruleset: str) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        if ruleset in self.sheets:
            return self.sheets[ruleset]
        sheet = self.book.create_sheet(sheet_title(ruleset, self.titles))
        aspects = self.store.aspect_columns.get(ruleset, {})
        header = [XLSX_HEADERS[c].get(self.lang) for c in XLSX_LEFT]
        header += [f"{'Aspect' if self.lang == 'en' else 'Aspek'} {aspect_id}: "
                   f"{title.get(self.lang)}" for aspect_id, title in aspects.items()]
        header += [XLSX_HEADERS[c].get(self.lang) for c in XLSX_RIGHT]
        widths = [XLSX_WIDTHS[c] for c in XLSX_LEFT] + [14] * len(aspects) + [
            XLSX_WIDTHS[c] for c in XLSX_RIGHT]
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "C2"  # the header, the rank and the unit stay in view
        bold = Font(bold=True)
        top = Alignment(wrap_text=True, vertical="top")
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=clean(text))
            cell.font, cell.alignment = bold, top
            cells.append(cell)
        sheet.append(cells)
        self.sheets[ruleset] = sheet
        return sheet

    def _cell(self, sheet: Any, value: Any, style: tuple[Any, ...] = ()) -> Any:
        """A cell with a style: the style is built once per workbook and copied after that
        (openpyxl otherwise hashes every font and fill of every cell to find its index)."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        if not style:
            return cell
        known = self.styles.get(style)
        if known is not None:
            cell._style = copy.copy(known)
            return cell
        kind, *args = style
        if kind == "number":
            cell.number_format = number_format(args[0], self.lang)
        elif kind == "heat":
            cell.fill, cell.font = fill(args[0]), ink(args[0], bold=args[1])
        else:
            from openpyxl.styles import Font

            cell.font = Font(color="B42318", bold=True) if kind == "error" else Font(
                color="0563C1", underline="single")
        self.styles[style] = copy.copy(cell._style)
        return cell

    def add(self, rank: int | None, row: dict[str, Any]) -> None:
        sheet = self._sheet(row["ruleset"])

        def text(value: str, style: tuple[Any, ...] = ()) -> Any:
            if not value:
                return None
            cell = self._cell(sheet, clean(value), style)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            return cell

        def number(value: Any, places: int) -> Any:
            if value is None:
                return None
            return self._cell(sheet, value, ("number", places))  # lang: one per book

        en = self.lang == "en"
        heat = row.get("heat") or "heat-none"
        coloured = [text(value, ("heat", heat, first) if heat != "heat-none" else ())
                    for first, value in ((True, row["predicate_code"]),
                                         (False, row["predicate_label_en"]
                                          or row["predicate_label"] if en
                                          else row["predicate_label"]))]
        scores = {a[0]: a[3] for a in row.get("aspects") or ()}
        status = text(STATUS_WORDS[self.lang][row["status"]],
                      ("error",) if row["status"] == "error" else ())
        report = text(row["report"], ("link",))
        if report is not None:
            report.hyperlink = quote(row["report"])  # next to the summary, as written
        sheet.append([
            rank, text(row["unit"]), text(row["code"]), text(row["edition"]),
            text(row["evaluated_on"]), number(row["score"], int(row.get("places", 2))),
            *coloured,
            *(number(scores.get(a), 2) for a in self.store.aspect_columns.get(row["ruleset"],
                                                                              {})),
            status, text(row["error"] or row.get("note") or ""),
            text(row.get("verification") or ""), report, text(row["manifest"])])

    def save(self, inputs: InputSet) -> None:
        if not self.sheets:  # no rows at all: still a workbook with its header
            for ruleset in self.store.order:
                self._sheet(ruleset)
        with atomic_file(self.path, binary=True, inputs=inputs) as handle:
            handle.write(deterministic_xlsx(self.book))


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIXED_TIME = "1980-01-01T00:00:00Z"
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def deterministic_xlsx(book: Any) -> bytes:
    """The workbook's bytes with no time in them (openpyxl stamps the document properties with
    the time of saving, and each zip entry with the time it was written), so identical runs
    give identical files."""
    import io
    import zipfile

    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
    return out.getvalue()


def summary_names(formats: Sequence[str]) -> list[str]:
    return [f"{SUMMARY_STEM}.{ext}" for ext in ("txt", "csv", "jsonl", "xlsx",
                                                 *(f for f in formats if f not in EXTENSIONS))]


def write_summaries(store: RowStore, out_dir: Path | None, lang: str, units: int,
                    formats: Sequence[str] = (), inputs: InputSet | None = None) -> None:
    if out_dir is None:
        text = TextSummary(lambda s: click.echo(s, nl=False), store, lang, units)
        for rank, row in store.ranked():
            text.add(rank, row)
        return
    inputs = inputs or InputSet()
    with contextlib.ExitStack() as stack:
        text_file = stack.enter_context(atomic_file(out_dir / f"{SUMMARY_STEM}.txt",
                                                    inputs=inputs))
        csv_file = stack.enter_context(atomic_file(out_dir / f"{SUMMARY_STEM}.csv",
                                                   inputs=inputs))
        jsonl_file = stack.enter_context(atomic_file(out_dir / f"{SUMMARY_STEM}.jsonl",
                                                     inputs=inputs))
        text = TextSummary(text_file.write, store, lang, units)
        table = csv.writer(csv_file)
        table.writerow([CSV_HEADERS[c].get(lang) for c in COLUMNS])
        book = XlsxSummary(out_dir / f"{SUMMARY_STEM}.xlsx", store, lang)
        for rank, row in store.ranked():
            text.add(rank, row)
            values = machine_row(rank, row)
            table.writerow([_csv_safe(row["score_text"] if c == "score"
                                      else STATUS_WORDS[lang][row["status"]] if c == "status"
                                      else values[c]) for c in COLUMNS])
            jsonl_file.write(json_safe(json.dumps(values, ensure_ascii=False, sort_keys=True))
                             + "\n")
            book.add(rank, row)
        book.save(inputs)
    write_page_summaries(store, out_dir, lang, formats, inputs)


def report_link(first: str, fmt: str) -> str:
    """The unit's report in ``fmt`` next to the summary: every format of a unit's report
    shares its name but for the extension (``first`` is the first format's file)."""
    if not first:
        return ""
    stem = first.rsplit(".", 1)[0]
    return quote(f"{stem}.{EXTENSIONS.get(fmt, fmt)}")


def write_page_summaries(store: RowStore, out_dir: Path, lang: str,
                         formats: Sequence[str], inputs: InputSet) -> None:
    """A summary page in every report format whose renderer offers one (a reporter may
    carry ``.summary(rows, lang)``, e.g. the HTML reporter)."""
    for fmt in formats:
        summary = getattr(manager.reporters().get(fmt), "summary", None)
        if summary is None:
            continue
        rows = [{**machine_row(rank, row), "kode": row["code"],
                 "link": report_link(row["report"], fmt)} for rank, row in store.ranked()]
        write_output(summary(rows, lang), out_dir / f"{SUMMARY_STEM}.{fmt}", protect=inputs)


class Progress:
    """A progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, lang: str) -> None:
        self.bar: Any = None
        stream = sys.stderr
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError):
            terminal = False
        if terminal:
            self.bar = click.progressbar(length=total, file=stream,
                                         label="patuh batch", show_pos=True)
            self.bar.__enter__()

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def report_name(slug: str, ruleset_id: str, fmt: str) -> str:
    return f"{slug}.{ruleset_id}.{EXTENSIONS.get(fmt, fmt)}"


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class Stopped(BaseException):
    """SIGTERM or SIGHUP reached the batch: finish what is safe, then exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: Any) -> None:
    for number in STOP_SIGNALS:  # once is enough: the summary is written undisturbed
        signal.signal(number, signal.SIG_IGN)
    raise Stopped(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the batch runs, SIGTERM/SIGHUP raise :class:`Stopped` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def _atomic_step() -> Iterator[None]:
    """A unit's reports, rows and history are handled whole: a stop signal waits until then
    (it is delivered while the batch waits for the next unit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def run_batch(paths: Sequence[str], config: Config, workers: int, out_dir: Path | None,
              on_unit: Callable[[], None] = lambda: None, history_db: Path | None = None,
              inputs: InputSet | None = None) -> RowStore:
    """Evaluate every manifest; write each unit's reports (and history) as they arrive; return
    the rows. Only this process writes, so the SQLite history sees one writer.

    Stopped by a signal (see :func:`stop_on_signals`), the units not evaluated yet become
    error rows saying so and ``stopped_by`` tells the signal. A report the history cannot
    take (locked past its wait, not a history file) stops storing; ``not_stored`` counts the
    reports that were not stored."""
    store = RowStore(config.ruleset_ids, config.lang)
    store.verification = dict(config.verification)
    slugs = Slugs()
    inputs = inputs if inputs is not None else InputSet(paths)
    try:
        try:
            pooled = workers > 1 or config.timeout > 0  # as in outcomes()
            for outcome in outcomes(paths, config, workers):
                with _atomic_step():
                    _take(outcome, store, slugs, out_dir, history_db, config.lang, inputs)
                on_unit()
                if pooled and out_dir is not None and outcome.index == 0:
                    _warm_summaries()
        except Stopped as exc:
            store.stopped_by = exc.signum
            name = signal.Signals(exc.signum).name
            note = Text(f"tidak dievaluasi: batch dihentikan oleh {name}",
                        f"not evaluated: the batch was stopped by {name}")
            for index, manifest in enumerate(paths):
                if index not in store.done:
                    store.not_evaluated += 1
                    for row in failed(config, index, manifest, note).rows:
                        store.add(index, row)
    except BaseException:
        store.close()
        raise
    finally:
        if config.stage is not None:
            unstage(config.stage)
    return store


def _warm_summaries() -> None:
    """Import the workbook writer while the workers run (the parent would only wait), not
    after the last unit, when the summaries are written."""
    with contextlib.suppress(Exception):  # writing the summary will say what is wrong
        import openpyxl  # noqa: F401


def _take(outcome: Outcome, store: RowStore, slugs: Slugs, out_dir: Path | None,
          history_db: Path | None, lang: str, inputs: InputSet) -> None:
    """One unit's result: its reports written, its rows kept, its reports stored. No report
    and no store may replace a file any unit so far has read (``inputs``)."""
    from patuh import history

    for path in outcome.inputs:
        inputs.add(path)
    _one_unit_per_file(outcome, store, lang)
    names: dict[str, str] = {}
    if out_dir is not None and (outcome.texts or outcome.staged):
        slug = slugs.claim(outcome.nama, outcome.kode)
        for ruleset_id, fmt, data in outcome.texts:
            name = report_name(slug, ruleset_id, fmt)
            names.setdefault(ruleset_id, name)  # the first format's file
            write_bytes(out_dir / name, data, inputs=inputs)
        for position, (ruleset_id, fmt, staged) in enumerate(outcome.staged):
            name = report_name(slug, ruleset_id, fmt)
            names.setdefault(ruleset_id, name)
            try:
                place_staged(staged, out_dir / name, inputs=inputs)
            except BaseException:
                for _ruleset, _fmt, left in outcome.staged[position + 1:]:
                    Path(left).unlink(missing_ok=True)
                raise
    for row in outcome.rows:
        row["report"] = names.get(row["ruleset"], "") if row["status"] == "ok" else ""
        store.add(outcome.index, row)
    store.done.add(outcome.index)
    if history_db is None:
        return
    check_store(history_db, outcome.inputs)  # not a file this unit read (the store is in inputs)
    for position, report in enumerate(outcome.reports):
        if store.store_error is not None:
            store.not_stored += len(outcome.reports) - position
            return
        try:
            history.store(history_db, report)
        except InputError as exc:
            store.store_error = one_line(exc.render(lang))
            store.not_stored += 1


def _one_unit_per_file(outcome: Outcome, store: RowStore, lang: str) -> None:
    """A verification file is for one unit: a second manifest with the same ``unit.kode``
    gets error rows (no reports) instead of a verification meant for another unit."""
    kode = outcome.kode
    if not isinstance(kode, str) or kode not in store.verification:
        return
    first = store.verified_by.setdefault(kode, outcome.manifest)
    if first == outcome.manifest:
        return
    message = one_line(render(Text(
        f"kode unit {kode!r} juga dipakai {first}; berkas verifikasi "
        f"{store.verification[kode]} hanya dipakai untuk unit itu — beri setiap unit kode "
        "sendiri",
        f"unit code {kode!r} is also used by {first}; the verification file "
        f"{store.verification[kode]} is applied to that unit only — give each unit its own "
        "code"), lang))
    outcome.rows = [_row(outcome.manifest, row["ruleset"], outcome.nama, kode, error=message)
                    for row in outcome.rows]
    for _ruleset, _fmt, staged in outcome.staged:
        Path(staged).unlink(missing_ok=True)
    outcome.texts, outcome.staged, outcome.reports = [], [], []


def success_line(store: RowStore, units: int, out_dir: Path | None, lang: str) -> str:
    """One line for stderr: units, predicates per ruleset (best band first, as ranked), and
    where the summaries went."""
    en = lang == "en"
    parts = []
    for ruleset in store.order:
        counts = store.predicates.get(ruleset)
        if counts:
            parts.append(f"{ruleset} " + ", ".join(f"{code} {shown(n, lang)}" for code, n in
                                                   sorted(counts.items())))
    head = f"patuh batch: {shown(units, lang)} {'units' if en else 'unit'}"
    extra = []
    if store.skipped:
        skipped = shown(store.skipped, lang)
        extra.append(f"{skipped} skipped" if en else f"{skipped} dilewati")
    if store.verified:
        verified = shown(len(store.verified), lang)
        extra.append(f"{verified} verified" if en else f"{verified} terverifikasi")
    where = ("summary on stdout" if en else "ringkasan di stdout") if out_dir is None else (
        f"written to {out_dir}{os.sep}" if en else f"ditulis ke {out_dir}{os.sep}")
    body = "; ".join(parts) or NONE
    return visible(f"{head} — {body}" + (f" ({', '.join(extra)})" if extra else "")
                   + f" — {where}")


def _finite(param: click.Parameter, value: float) -> float:
    """click's FloatRange lets 'nan' through (every comparison with NaN is false)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value}: bukan jumlah detik / not a number of seconds",
                                 param=param)
    return value


# --- the command ---------------------------------------------------------------------------

def usable_cpus() -> int:
    """The CPUs this process may run on (a container or ``taskset`` may allow fewer than the
    machine has): the default number of workers."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on every system
        return os.cpu_count() or 1


@click.command("batch")
@click.argument("target", metavar="DIR|LIST", type=click.Path(path_type=Path))
@click.option("--ruleset", "ruleset_ids", multiple=True,
              help="Ruleset yang diperiksa (boleh berulang; `all`: semua; bawaan: yang ditandai "
              "default) / ruleset to check (repeatable; `all`: every one; default: those "
              "marked default).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Jumlah proses pekerja (bawaan: jumlah CPU; 1: dalam proses ini) / worker "
              "processes (default: the CPU count; 1: in this process).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder laporan per unit dan ringkasan (summary.txt/.csv/.jsonl/.xlsx); "
              "tanpa -o ringkasan teks ke stdout / folder for per-unit reports and the "
              "summaries; without -o the text summary goes to stdout.")
@click.option("--format", "formats", multiple=True,
              help="Format laporan per unit dengan -o (boleh berulang; bawaan json) / per-unit "
              "report format with -o (repeatable; default json): text, json, or a plugin's.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Bahasa keluaran / output language.")
@click.option("--as-of", help="Tanggal evaluasi / evaluation date (YYYY-MM-DD).")
@click.option("--edition", help="Sematkan edisi / pin an edition.")
@click.option("--waivers", "waivers_file", type=click.Path(path_type=Path),
              help="Berkas pengecualian untuk semua unit / a waivers file for every unit.")
@click.option("--verification", "verification_dir",
              type=click.Path(path_type=Path),
              help="Folder verifikasi evaluator: satu berkas per unit, FOLDER/<kode unit>.yaml "
              "(atau .yml, .json); unit tanpa berkas dinilai dari klaimnya / evaluator's "
              "verification folder: one file per unit, named after its unit.kode; a unit with "
              "no file is scored on its claim.")
@click.option("--store", "store_db", type=click.Path(dir_okay=False, path_type=Path),
              help="Simpan setiap hasil ke riwayat SQLite / keep every result in a SQLite "
              "history.")
@click.option("--timeout", type=click.FloatRange(min=0, max=86400), default=DEFAULT_TIMEOUT,
              show_default=True, callback=lambda _ctx, param, value: _finite(param, value),
              help="Batas waktu per unit dalam detik; unit yang melewatinya dihentikan dan "
              "menjadi baris kesalahan (0: tanpa batas) / seconds per unit; a unit past it is "
              "stopped and becomes an error row (0: no limit).")
def batch_command(target: Path, ruleset_ids: tuple[str, ...], workers: int | None,
                  out_dir: Path | None, formats: tuple[str, ...], lang: str, as_of: str | None,
                  edition: str | None, store_db: Path | None,
                  waivers_file: Path | None, timeout: float,
                  verification_dir: Path | None = None) -> None:
    """Periksa banyak unit sekaligus / check many units (a folder or a list of manifests).

    DIR: every manifest.yaml or *.manifest.yaml (also .yml, .json) below it. LIST: a text file
    with one manifest path per line, relative to the list file (# comments). Exit 0 when every
    unit was evaluated, 2 when any was not (each one is in the summary with its message) or a
    report could not be stored; stopped by SIGTERM/SIGHUP: the summary of what finished (the
    rest listed as not evaluated) and exit 128 + the signal number (143, 129).
    """

    as_of_date = parse_date(as_of, "--as-of")
    rulesets = chosen_rulesets(ruleset_ids)
    for ruleset_id in rulesets:  # unknown ids and editions are usage errors, before any unit;
        # loaded here once, forked workers inherit them (others load them once each)
        ruleset = load_ruleset(ruleset_id)
        if edition is not None:
            pick_edition(ruleset, as_of_date or date.today(), edition)
    wanted = tuple(dict.fromkeys(formats or ("json",))) if out_dir is not None else ()
    for fmt in wanted:
        reporter(fmt)
    if out_dir is not None:
        ensure_folder(out_dir)
    paths = manifests_of(target, exclude=out_dir)
    verification = verification_index(verification_dir) if verification_dir else {}
    watched = watched_files(out_dir, store_db)
    inputs = InputSet([*(p for p in paths if watched and _identity(p) in watched), waivers_file,
                       *rule_files(), *verification.values()])
    if store_db is not None:
        check_store(store_db, inputs)
    inputs.add(store_db)
    if out_dir is not None:  # a summary that cannot be written is known before any unit runs
        for name in summary_names(wanted):
            check_target(out_dir / name, inputs)
    _waivers(waivers_file)  # a bad waivers file stops the batch before any unit runs
    config = Config(rulesets, as_of_date, edition, wanted, lang,
                    keep_reports=store_db is not None, waivers_file=waivers_file,
                    timeout=timeout, verification=tuple(sorted(verification.items())),
                    watched=watched, store=None if store_db is None else str(store_db))
    count = min(workers or usable_cpus(), len(paths))
    if out_dir is not None and (count > 1 or timeout > 0):  # workers: they write the reports
        config = dataclasses.replace(config, stage=stage_prefix(out_dir))
    _prepare(config)  # forked workers inherit what every unit needs
    with stop_on_signals():
        try:
            progress = Progress(len(paths), lang)
            try:
                store = run_batch(paths, config, count, out_dir, progress.step,
                                  history_db=store_db, inputs=inputs)
            finally:
                progress.close()
        except Stopped as exc:  # between units and the summary: nothing to summarise safely
            click.echo(render(Text(
                f"patuh: dihentikan oleh {signal.Signals(exc.signum).name}; tanpa ringkasan",
                f"patuh: stopped by {signal.Signals(exc.signum).name}; no summary"), lang),
                err=True)
            sys.exit(128 + exc.signum)
        try:
            write_summaries(store, out_dir, lang, len(paths), wanted, inputs)
        except Stopped as exc:  # before any unit's summary row was written: say so
            store.stopped_by = store.stopped_by or exc.signum
            click.echo(render(Text("patuh: dihentikan saat menulis ringkasan; ringkasan tidak "
                                   "lengkap", "patuh: stopped while writing the summary; it "
                                   "is incomplete"), lang), err=True)
        finally:
            store.close()
    failed, total, bad_units = store.errors, len(store.keys), len(store.failed_units)
    if store.stopped_by is None and not store.errors:  # a failure has its own line below
        click.echo(success_line(store, len(paths), out_dir, lang), err=True)
    unused = sorted(set(verification) - set(store.verified_by))
    if unused and store.stopped_by is None:  # a file no unit took: a typo in a name or a kode
        listed = ", ".join(verification[k] for k in unused)
        click.echo(visible(render(Text(
            f"patuh: {shown(len(unused), lang)} berkas verifikasi tidak cocok dengan kode unit "
            f"mana pun (tidak dipakai): {listed}",
            f"patuh: {shown(len(unused), lang)} verification files match no unit's code "
            f"(not used): {listed}"), lang)), err=True)
    if store.not_stored:
        click.echo(render(Text(
            f"patuh: {shown(store.not_stored, lang)} laporan TIDAK disimpan ke {store_db}: "
            f"{store.store_error}",
            f"patuh: {shown(store.not_stored, lang)} reports were NOT stored in {store_db}: "
            f"{store.store_error}"), lang), err=True)
    if store.stopped_by is not None:
        name = signal.Signals(store.stopped_by).name
        click.echo(render(Text(
            f"patuh: dihentikan oleh {name}: {shown(store.not_evaluated, lang)} dari "
            f"{shown(len(paths), lang)} unit tidak dievaluasi (tercantum di ringkasan)",
            f"patuh: stopped by {name}: {shown(store.not_evaluated, lang)} of "
            f"{shown(len(paths), lang)} units were "
            "not evaluated (listed in the summary)"), lang), err=True)
        sys.exit(128 + store.stopped_by)
    if store.not_stored and not failed:
        sys.exit(2)
    if failed:
        failed_, total_, bad_, units_ = (shown(n, lang) for n in (failed, total, bad_units,
                                                                  len(paths)))
        click.echo(render(Text(
            f"patuh: {failed_} dari {total_} evaluasi gagal ({bad_} dari {units_} unit); "
            "lihat ringkasan",
            f"patuh: {failed_} of {total_} evaluations failed ({bad_} of {units_} "
            "units); see the summary"), lang), err=True)
        sys.exit(2)
