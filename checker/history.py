"""Evaluation history in a SQLite file: store reports, show a unit's trend across periods, and
compare two periods indicator by indicator.

One row per evaluation, keyed on (unit, ruleset, edition, evaluation date, manifest digest,
basis): storing the same report again changes nothing; storing it again after the rules, the
waivers or the verification changed replaces the row (``store`` says which). ``basis`` is
``self`` for a unit's own claim and ``verified`` when the report carries an evaluator's
verification, so a verified evaluation does not overwrite the self-assessment it checked.

Results made under different editions, or under rule files with another digest, are never
mixed silently: ``compare`` says ``comparable: false`` with the reason, and the trend marks
the row where the edition or the rules changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.i18n import number
from patuh.i18n import render
from patuh.safetext import json_safe
from patuh.safetext import visible

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS evaluations (
    id INTEGER PRIMARY KEY,
    unit_key TEXT NOT NULL,            -- unit.kode, or unit.nama when there is no kode
    unit_kode TEXT,
    unit_nama TEXT NOT NULL,
    unit_instansi TEXT,
    period INTEGER NOT NULL,           -- periode.tahun
    evaluated_on TEXT NOT NULL,        -- ISO date
    ruleset TEXT NOT NULL,
    edition TEXT NOT NULL,
    basis TEXT NOT NULL,               -- self | verified
    final REAL,
    unrounded REAL,
    places INTEGER,
    predicate_code TEXT,
    predicate_label TEXT,
    predicate_label_en TEXT,
    claimed_final REAL,                -- verified evaluations: the unit's own claim
    claimed_predicate_code TEXT,
    waivers INTEGER NOT NULL DEFAULT 0,
    rules_digest TEXT NOT NULL,
    manifest_digest TEXT NOT NULL,
    tool_version TEXT,
    content_digest TEXT NOT NULL,      -- what was stored, to tell "unchanged" from "replaced"
    UNIQUE (unit_key, ruleset, edition, evaluated_on, manifest_digest, basis)
);
CREATE INDEX IF NOT EXISTS evaluations_kode ON evaluations (unit_kode);
CREATE INDEX IF NOT EXISTS evaluations_nama ON evaluations (unit_nama);
CREATE TABLE IF NOT EXISTS results (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
    rule_id TEXT NOT NULL,
    aspect TEXT,
    level INTEGER,                     -- NULL for a measured rule
    max_level INTEGER,
    score REAL,                        -- 0..100, NULL when there was no data
    status TEXT NOT NULL,
    PRIMARY KEY (evaluation_id, rule_id)
);
"""

_EVALUATION_COLUMNS = (
    "unit_key", "unit_kode", "unit_nama", "unit_instansi", "period", "evaluated_on", "ruleset",
    "edition", "basis", "final", "unrounded", "places", "predicate_code", "predicate_label",
    "predicate_label_en", "claimed_final", "claimed_predicate_code", "waivers", "rules_digest",
    "manifest_digest", "tool_version")


@contextmanager
def _connect(db_path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    db_path = Path(db_path)
    try:
        exists = db_path.exists()
    except (OSError, ValueError):  # a name too long: opening it says so below
        exists = create
    if not create and not exists:
        raise InputError(Text("berkas riwayat tidak ditemukan", "history file not found"),
                         file=db_path,
                         hint=Text("simpan evaluasi dulu: patuh check MANIFEST --store BERKAS",
                                   "store an evaluation first: patuh check MANIFEST --store "
                                   "FILE"))
    if create:
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(Text(f"folder tidak dapat dibuat: {exc.strerror}",
                                  f"cannot create the folder: {exc.strerror}"),
                             file=db_path.parent) from None
    timeout = min(_BUSY_TIMEOUT, max(LOCK_WAIT, 0.01))
    try:
        if create:
            conn = sqlite3.connect(db_path, timeout=timeout)
        else:  # reading never changes the file: no tables created, nothing written
            uri = "file:" + urllib.parse.quote(str(db_path.absolute())) + "?mode=ro"
            conn = sqlite3.connect(uri, timeout=timeout, uri=True)
    except sqlite3.Error as exc:
        raise InputError(Text(f"basis data riwayat tidak dapat dibuka: {exc}",
                              f"cannot open the history database: {exc}"),
                         file=db_path) from None
    try:
        conn.row_factory = sqlite3.Row
        _prepare(conn, db_path, create)
        yield conn
    except sqlite3.OperationalError as exc:
        if _is_locked(exc):
            raise Locked(Text("riwayat sedang dikunci oleh program lain",
                              "the history is locked by another program"), file=db_path,
                         hint=Text("tunggu program itu selesai, lalu ulangi",
                                   "wait for that program to finish, then retry")) from None
        raise InputError(Text(f"bukan basis data riwayat patuh yang dapat dipakai: {exc}",
                              f"not a usable patuh history database: {exc}"),
                         file=db_path) from None
    except sqlite3.DatabaseError as exc:
        raise InputError(Text(f"bukan basis data riwayat patuh yang dapat dipakai: {exc}",
                              f"not a usable patuh history database: {exc}"),
                         file=db_path) from None
    finally:
        conn.close()


def _prepare(conn: sqlite3.Connection, db_path: Path, create: bool = True) -> None:
    """Create the tables on first use (``create``; a reader only checks them); refuse a file
    written by a newer patuh."""
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" in tables:
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        version = row[0] if row else None
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise InputError(Text(f"schema_version riwayat berisi {version!r}, bukan bilangan "
                                  "bulat", f"the history's schema_version holds {version!r}, "
                                  "not a whole number"), file=db_path, hint=_CHANGED_OUTSIDE)
        if version is not None and version > SCHEMA_VERSION:
            raise InputError(
                Text(f"riwayat ditulis oleh patuh yang lebih baru (skema {version}; versi ini "
                     f"mengenal {SCHEMA_VERSION})",
                     f"the history was written by a newer patuh (schema {version}; this "
                     f"version knows {SCHEMA_VERSION})"), file=db_path,
                hint=Text("perbarui patuh", "upgrade patuh"))
        if version == SCHEMA_VERSION:
            return
    elif tables:
        raise InputError(Text("berkas ini basis data SQLite lain, bukan riwayat patuh",
                              "this is another SQLite database, not a patuh history"),
                         file=db_path, hint=Text("pilih berkas lain untuk --store",
                                                 "choose another file for --store"))
    if not create:
        raise InputError(Text("berkas ini belum berisi riwayat patuh (tabelnya tidak ada)",
                              "this file holds no patuh history yet (its tables are missing)"),
                         file=db_path,
                         hint=Text("simpan evaluasi dulu: patuh check MANIFEST --store BERKAS",
                                   "store an evaluation first: patuh check MANIFEST --store "
                                   "FILE"))
    with conn:
        conn.executescript(_DDL)
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))


# --- storing ---------------------------------------------------------------------------------

def _require(report: Mapping[str, Any], *keys: str) -> None:
    missing = [k for k in keys if k not in report]
    if missing:
        raise InputError(Text(f"bukan laporan patuh: kunci {', '.join(missing)} tidak ada",
                              f"not a patuh report: missing {', '.join(missing)}"))


def _row(report: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    _require(report, "unit", "period", "evaluated_on", "ruleset", "score", "predicate",
             "results", "digests")
    unit, score = report["unit"], report["score"]
    predicate = report.get("predicate") or {}
    verification = report.get("verification") or None
    claimed = ((verification or {}).get("effect") or {}).get("claimed") or {}
    waivers = report.get("waivers") or {}
    row = {
        "unit_key": unit.get("kode") or unit["nama"],
        "unit_kode": unit.get("kode"), "unit_nama": unit["nama"],
        "unit_instansi": unit.get("instansi"),
        "period": int(report["period"]["tahun"]), "evaluated_on": report["evaluated_on"],
        "ruleset": report["ruleset"]["id"], "edition": report["ruleset"]["edition"],
        "basis": "verified" if verification else "self",
        "final": score.get("final"), "unrounded": score.get("unrounded"),
        "places": (score.get("rounding") or {}).get("places"),
        "predicate_code": predicate.get("code"), "predicate_label": predicate.get("label"),
        "predicate_label_en": predicate.get("label_en"),
        "claimed_final": claimed.get("final"),
        "claimed_predicate_code": (claimed.get("predicate") or {}).get("code"),
        "waivers": len(waivers.get("applied", [])),
        "rules_digest": report["digests"]["rules"],
        "manifest_digest": report["digests"]["manifest"],
        "tool_version": (report.get("tool") or {}).get("version"),
    }
    results = [{"rule_id": r["rule_id"], "aspect": r.get("aspect"), "level": r.get("level"),
                "max_level": r.get("max_level"), "score": r.get("score"),
                "status": r["status"]} for r in report["results"]]
    return row, results


class Locked(InputError):
    """The history file stayed locked by another writer longer than :data:`LOCK_WAIT`."""


LOCK_WAIT = 60.0  # seconds a store waits in all for another writer's lock, then gives up
_BUSY_TIMEOUT = 10.0  # SQLite's own wait per attempt


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def store(db_path: Path, report: Mapping[str, Any]) -> str:
    """Save one report's evaluation. Returns ``added``, ``unchanged`` (the same evaluation was
    already stored) or ``replaced`` (same key, other content: newer rules, waivers or
    verification). A ``{"reports": [...]}`` bundle is not accepted: store each report.

    Behind another writer's lock it waits and retries, :data:`LOCK_WAIT` seconds in all, then
    raises :class:`Locked` (nothing of this report is stored)."""
    deadline = time.monotonic() + LOCK_WAIT
    pause = 0.05
    while True:
        try:
            return _store_once(db_path, report)
        except Locked as exc:
            left = deadline - time.monotonic()
            if left <= 0:
                exc.message = exc.message + Text(f" (lebih dari {LOCK_WAIT:g} detik)",
                                                  f" (for more than {LOCK_WAIT:g} seconds)")
                raise
            time.sleep(min(pause, left))
            pause = min(pause * 2, 1.0)


def _store_once(db_path: Path, report: Mapping[str, Any]) -> str:
    row, results = _row(report)
    content = hashlib.sha256(json.dumps([row, results], sort_keys=True).encode()).hexdigest()
    with _connect(db_path, create=True) as conn, conn:
        found = conn.execute(
            "SELECT id, content_digest FROM evaluations WHERE unit_key = ? AND ruleset = ? "
            "AND edition = ? AND evaluated_on = ? AND manifest_digest = ? AND basis = ?",
            (row["unit_key"], row["ruleset"], row["edition"], row["evaluated_on"],
             row["manifest_digest"], row["basis"])).fetchone()
        if found is not None and found["content_digest"] == content:
            return "unchanged"
        if found is not None:
            conn.execute("DELETE FROM results WHERE evaluation_id = ?", (found["id"],))
            conn.execute("DELETE FROM evaluations WHERE id = ?", (found["id"],))
        columns = (*_EVALUATION_COLUMNS, "content_digest")
        cursor = conn.execute(
            f"INSERT INTO evaluations ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            (*(row[c] for c in _EVALUATION_COLUMNS), content))
        conn.executemany(
            "INSERT INTO results (evaluation_id, rule_id, aspect, level, max_level, score, "
            "status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(cursor.lastrowid, r["rule_id"], r["aspect"], r["level"], r["max_level"],
              r["score"], r["status"]) for r in results])
    return "added" if found is None else "replaced"


# --- reading ---------------------------------------------------------------------------------

_CHANGED_OUTSIDE = Text("berkas riwayat diubah di luar patuh; pulihkan salinannya atau mulai "
                        "berkas baru", "the history file was changed outside patuh; restore a "
                        "copy or start a new file")
_WHOLE = {"id", "evaluation_id", "period", "places", "waivers", "level", "max_level", "count"}
_REAL = {"final", "unrounded", "claimed_final", "score"}
MAX_PLACES = 10


def _checked(row: sqlite3.Row, db_path: Path) -> sqlite3.Row:
    """A row whose every value has its column's type (a file edited by hand can hold text in
    a number column, or the reverse): anything else is a clear error, not a crash later."""
    for key in row.keys():  # noqa: SIM118 - a Row iterates over its values
        value = row[key]
        if value is None:
            continue
        if key in _WHOLE:
            ok = isinstance(value, int) and not isinstance(value, bool)
            ok = ok and (key != "places" or 0 <= value <= MAX_PLACES)
            expected = Text("bilangan bulat", "a whole number")
        elif key in _REAL:
            ok = isinstance(value, (int, float)) and math.isfinite(value)
            expected = Text("angka", "a number")
        elif key == "basis":
            ok = value in ("self", "verified")
            expected = Text("self atau verified", "self or verified")
        else:
            ok = isinstance(value, str)
            expected = Text("teks", "text")
        if not ok:
            shown = repr(value)[:60]
            raise InputError(Text(f"kolom {key} berisi {shown}, bukan {expected.id}",
                                  f"column {key} holds {shown}, not {expected.en}"),
                             file=db_path, hint=_CHANGED_OUTSIDE)
    return row

def _evaluation(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "unit": {"kode": row["unit_kode"], "nama": row["unit_nama"],
                 "instansi": row["unit_instansi"]},
        "period": row["period"], "evaluated_on": row["evaluated_on"],
        "ruleset": row["ruleset"], "edition": row["edition"], "basis": row["basis"],
        "final": row["final"], "unrounded": row["unrounded"], "places": row["places"],
        "predicate": None if row["predicate_code"] is None else {
            "code": row["predicate_code"], "label": row["predicate_label"],
            "label_en": row["predicate_label_en"]},
        "claimed": None if row["basis"] != "verified" else {
            "final": row["claimed_final"], "predicate_code": row["claimed_predicate_code"]},
        "waivers": row["waivers"],
        "digests": {"rules": row["rules_digest"], "manifest": row["manifest_digest"]},
        "tool_version": row["tool_version"],
    }


def _unit_rows(conn: sqlite3.Connection, db_path: Path, unit: str,
               ruleset: str | None = None) -> list[sqlite3.Row]:
    sql = "SELECT * FROM evaluations WHERE (unit_kode = ? OR unit_nama = ?)"
    args: list[Any] = [unit, unit]
    if ruleset is not None:
        sql += " AND ruleset = ?"
        args.append(ruleset)
    rows = conn.execute(sql + " ORDER BY period, evaluated_on, ruleset, basis, id",
                        args).fetchall()
    if rows:
        return [_checked(row, db_path) for row in rows]
    known = [r[0] for r in conn.execute(
        "SELECT DISTINCT unit_key FROM evaluations ORDER BY unit_key LIMIT 11")]
    if ruleset is not None and conn.execute(
            "SELECT 1 FROM evaluations WHERE unit_kode = ? OR unit_nama = ?",
            (unit, unit)).fetchone():
        rulesets = ", ".join(r[0] for r in conn.execute(
            "SELECT DISTINCT ruleset FROM evaluations WHERE unit_kode = ? OR unit_nama = ? "
            "ORDER BY ruleset", (unit, unit)))
        raise InputError(Text(f"riwayat {unit} tidak memuat ruleset {ruleset}",
                              f"the history of {unit} has no ruleset {ruleset}"),
                         file=db_path, hint=Text(f"ruleset tersimpan: {rulesets}",
                                                 f"stored rulesets: {rulesets}"))
    listed = ", ".join(known[:10]) + (", …" if len(known) > 10 else "") or "-"
    raise InputError(Text(f"tidak ada evaluasi tersimpan untuk unit {unit!r}",
                          f"no stored evaluation for unit {unit!r}"), file=db_path,
                     hint=Text(f"unit tersimpan (kode atau nama): {listed}",
                               f"stored units (code or name): {listed}"))


def _counts(conn: sqlite3.Connection, evaluation_id: int, db_path: Path) -> dict[str, int]:
    return {row[0]: row[1] for row in (_checked(r, db_path) for r in conn.execute(
        "SELECT status, COUNT(*) AS count FROM results WHERE evaluation_id = ? GROUP BY status "
        "ORDER BY status", (evaluation_id,)))}


def history(db_path: Path, unit: str, ruleset: str | None = None) -> list[dict[str, Any]]:
    """A unit's evaluations (by ``kode`` or ``nama``), oldest first, for every ruleset (or
    one). Each row has ``delta`` (score change since the previous row of the same ruleset
    and basis) and ``edition_changed`` / ``rules_changed`` flags against that row; a delta
    across editions is not computed (None)."""
    with _connect(db_path, create=False) as conn:
        rows = _unit_rows(conn, Path(db_path), unit, ruleset)
        out = []
        previous: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            item = _evaluation(row)
            item["counts"] = _counts(conn, row["id"], Path(db_path))
            before = previous.get((item["ruleset"], item["basis"]))
            item["edition_changed"] = before is not None and before["edition"] != item["edition"]
            item["rules_changed"] = before is not None and not item["edition_changed"] and \
                before["digests"]["rules"] != item["digests"]["rules"]
            item["delta"] = None
            if before is not None and not item["edition_changed"] and \
                    None not in (before["final"], item["final"]):
                item["delta"] = round(item["final"] - before["final"], item["places"] or 4)
            previous[(item["ruleset"], item["basis"])] = item
            out.append(item)
        return out


def _pick(conn: sqlite3.Connection, db_path: Path, unit: str, ruleset: str,
          period: int) -> tuple[sqlite3.Row, list[Text]]:
    """The evaluation that stands for a period: a verified one before the unit's own claim,
    then the latest evaluation date."""
    rows = _unit_rows(conn, db_path, unit, ruleset)
    mine = [r for r in rows if r["period"] == int(period)]
    if not mine:
        periods = ", ".join(str(p) for p in sorted({r["period"] for r in rows}))
        raise InputError(Text(f"tidak ada evaluasi {ruleset} untuk {unit} pada periode {period}",
                              f"no {ruleset} evaluation of {unit} in period {period}"),
                         file=db_path, hint=Text(f"periode tersimpan: {periods}",
                                                 f"stored periods: {periods}"))
    chosen = sorted(mine, key=lambda r: (r["basis"] == "verified", r["evaluated_on"],
                                         r["id"]))[-1]
    notes = []
    if len(mine) > 1:
        notes.append(Text(
            f"periode {period}: {len(mine)} evaluasi tersimpan; dipakai "
            f"{chosen['evaluated_on']} ({BASIS[chosen['basis']].id})",
            f"period {period}: {len(mine)} evaluations stored; using "
            f"{chosen['evaluated_on']} ({chosen['basis']})"))
    return chosen, notes


def _results(conn: sqlite3.Connection, evaluation_id: int,
             db_path: Path) -> dict[str, dict[str, Any]]:
    return {row["rule_id"]: {"aspect": row["aspect"], "level": row["level"],
                             "max_level": row["max_level"], "score": row["score"],
                             "status": row["status"]}
            for row in (_checked(r, db_path) for r in conn.execute(
                "SELECT * FROM results WHERE evaluation_id = ? ORDER BY rowid",
                (evaluation_id,)))}


def compare(db_path: Path, unit: str, ruleset: str, period_a: int | str,
            period_b: int | str) -> dict[str, Any]:
    """Two periods of one unit and ruleset, indicator by indicator: ``rose``, ``fell``,
    ``appeared``, ``disappeared``, ``waived`` (waived in either period, so not compared),
    ``unchanged`` (a count). ``comparable`` is False, with ``reasons``, when the two were
    evaluated under different editions or rule files (the lists are still given, but a
    change may come from the rules rather than from the unit)."""
    db_path = Path(db_path)
    with _connect(db_path, create=False) as conn:
        row_a, notes_a = _pick(conn, db_path, unit, ruleset, int(period_a))
        row_b, notes_b = _pick(conn, db_path, unit, ruleset, int(period_b))
        a, b = _evaluation(row_a), _evaluation(row_b)
        res_a, res_b = _results(conn, row_a["id"], db_path), _results(conn, row_b["id"], db_path)
    reasons: list[Text] = []
    if a["edition"] != b["edition"]:
        reasons.append(Text(
            f"edisi berbeda: {a['edition']} (periode {a['period']}) dan {b['edition']} "
            f"(periode {b['period']}); indikator, bobot dan pita dapat berbeda",
            f"different editions: {a['edition']} (period {a['period']}) and {b['edition']} "
            f"(period {b['period']}); indicators, weights and bands may differ"))
    elif a["digests"]["rules"] != b["digests"]["rules"]:
        reasons.append(Text(
            f"berkas aturan edisi {a['edition']} berubah di antara kedua evaluasi (sha256 "
            f"{a['digests']['rules'][:12]}… lalu {b['digests']['rules'][:12]}…); perubahan "
            "bisa berasal dari aturan, bukan dari unit",
            f"the rule files of edition {a['edition']} changed between the two evaluations "
            f"(sha256 {a['digests']['rules'][:12]}… then {b['digests']['rules'][:12]}…); a "
            "change may come from the rules, not from the unit"))
    notes = [*notes_a, *notes_b]
    if a["basis"] != b["basis"]:
        notes.append(Text(
            f"periode {a['period']} berbasis {BASIS[a['basis']].id}, periode {b['period']} "
            f"berbasis {BASIS[b['basis']].id} (klaim unit, atau terverifikasi oleh evaluator)",
            f"period {a['period']} is {a['basis']}, period {b['period']} is {b['basis']} "
            "(self = the unit's claim, verified = checked by an evaluator)"))
    if a["waivers"] or b["waivers"]:
        notes.append(Text(
            f"pengecualian berlaku: {a['waivers']} (periode {a['period']}), {b['waivers']} "
            f"(periode {b['period']})",
            f"waivers applied: {a['waivers']} (period {a['period']}), {b['waivers']} "
            f"(period {b['period']})"))
    rose, fell, waived = [], [], []
    unchanged = 0
    for rule_id, now in res_b.items():
        then = res_a.get(rule_id)
        if then is None:
            continue
        entry = {"rule_id": rule_id, "from": then, "to": now}
        if "waived" in (then["status"], now["status"]):
            waived.append(entry)
            continue
        before, after = then["score"] or 0.0, now["score"] or 0.0
        if after > before:
            rose.append({**entry, "delta": round(after - before, 2)})
        elif after < before:
            fell.append({**entry, "delta": round(after - before, 2)})
        else:
            unchanged += 1
    appeared = [{"rule_id": k, "to": v} for k, v in res_b.items() if k not in res_a]
    disappeared = [{"rule_id": k, "from": v} for k, v in res_a.items() if k not in res_b]
    delta = None
    if a["edition"] == b["edition"] and None not in (a["final"], b["final"]):
        delta = round(b["final"] - a["final"], b["places"] or 4)
    return {
        "unit": b["unit"], "ruleset": ruleset, "a": a, "b": b,
        "comparable": not reasons, "reasons": [r.as_dict() for r in reasons],
        "notes": [n.as_dict() for n in notes],
        "score_delta": delta,
        "rose": sorted(rose, key=lambda e: (-e["delta"], e["rule_id"])),
        "fell": sorted(fell, key=lambda e: (e["delta"], e["rule_id"])),
        "appeared": appeared, "disappeared": disappeared, "waived": waived,
        "unchanged": unchanged,
    }


# --- every unit of a store between two periods ---------------------------------------------

ORDER = ("rose", "fell", "unchanged", "not_comparable", "only_a", "only_b")


def _standing(rows: list[sqlite3.Row]) -> sqlite3.Row:
    """The evaluation that stands for a period (as :func:`_pick`): verified before the unit's
    own claim, then the latest evaluation date."""
    return sorted(rows, key=lambda r: (r["basis"] == "verified", r["evaluated_on"],
                                       r["id"]))[-1]


def _brief(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    item = _evaluation(row)
    return {k: item[k] for k in ("period", "evaluated_on", "edition", "basis", "final",
                                 "places", "predicate", "waivers")}


def compare_all(db_path: Path, period_a: int, period_b: int,
                ruleset: str | None = None) -> dict[str, Any]:
    """Every unit of the store between two periods, per ruleset: who rose, who fell, by how
    much, and whether the two scores can be compared. A unit's entry has ``change``: rose,
    fell, unchanged, not_comparable (different editions: no delta), only_a / only_b
    (evaluated in one period only); ``flags``: ``edition`` (different editions), ``rules``
    (the edition's rule files changed between the two: a change may come from the rules),
    ``basis`` (a claim against a verified score), ``waivers`` (waivers applied in either);
    ``predicate_changed``. Each ruleset ends with a summary (counts, mean and largest
    change)."""
    db_path = Path(db_path)
    a_period, b_period = int(period_a), int(period_b)
    with _connect(db_path, create=False) as conn:
        sql = "SELECT * FROM evaluations WHERE period IN (?, ?)"
        args: list[Any] = [a_period, b_period]
        if ruleset is not None:
            sql += " AND ruleset = ?"
            args.append(ruleset)
        rows = [_checked(r, db_path) for r in conn.execute(sql + " ORDER BY id", args)]
        if not rows:
            periods = ", ".join(str(r[0]) for r in conn.execute(
                "SELECT DISTINCT period FROM evaluations ORDER BY period"
                + (" LIMIT 50" if ruleset is None else ""))) or "-"
            what = f"{ruleset} " if ruleset else ""
            raise InputError(Text(f"tidak ada evaluasi {what}tersimpan pada periode "
                                  f"{a_period} atau {b_period}",
                                  f"no {what}evaluation stored for period {a_period} or "
                                  f"{b_period}"), file=db_path,
                             hint=Text(f"periode tersimpan: {periods}",
                                       f"stored periods: {periods}"))
    groups: dict[tuple[str, str], dict[int, list[sqlite3.Row]]] = {}
    for row in rows:
        groups.setdefault((row["ruleset"], row["unit_key"]), {}).setdefault(
            row["period"], []).append(row)
    by_ruleset: dict[str, list[dict[str, Any]]] = {}
    for (ruleset_id, _key), periods in sorted(groups.items()):
        row_a = _standing(periods[a_period]) if a_period in periods else None
        row_b = _standing(periods[b_period]) if b_period in periods else None
        latest = row_b if row_b is not None else row_a
        assert latest is not None
        a, b = _brief(row_a), _brief(row_b)
        entry: dict[str, Any] = {
            "unit": {"kode": latest["unit_kode"], "nama": latest["unit_nama"],
                     "instansi": latest["unit_instansi"]},
            "a": a, "b": b, "delta": None, "flags": [], "predicate_changed": None}
        if row_a is None or row_b is None:
            entry["change"] = "only_a" if row_b is None else "only_b"
        else:
            flags = entry["flags"]
            if row_a["edition"] != row_b["edition"]:
                flags.append("edition")
            elif row_a["rules_digest"] != row_b["rules_digest"]:
                flags.append("rules")
            if row_a["basis"] != row_b["basis"]:
                flags.append("basis")
            if row_a["waivers"] or row_b["waivers"]:
                flags.append("waivers")
            entry["predicate_changed"] = row_a["predicate_code"] != row_b["predicate_code"]
            if "edition" in flags or None in (row_a["final"], row_b["final"]):
                entry["change"] = "not_comparable"
            else:
                delta = round(row_b["final"] - row_a["final"], row_b["places"] or 4)
                entry["delta"] = delta
                entry["change"] = "rose" if delta > 0 else "fell" if delta < 0 else "unchanged"
        entry["comparable"] = entry["change"] in ("rose", "fell", "unchanged") and not (
            set(entry["flags"]) & {"edition", "rules"})
        by_ruleset.setdefault(ruleset_id, []).append(entry)
    out = []
    for ruleset_id, entries in by_ruleset.items():
        entries.sort(key=lambda e: (ORDER.index(e["change"]),
                                    -(e["delta"] or 0) if e["change"] == "rose"
                                    else (e["delta"] or 0), e["unit"]["nama"] or "",
                                    e["unit"]["kode"] or ""))
        deltas = [e["delta"] for e in entries if e["delta"] is not None]
        counts = {key: sum(e["change"] == key for e in entries) for key in ORDER}
        largest_rise = max((e for e in entries if e["change"] == "rose"),
                           key=lambda e: e["delta"], default=None)
        largest_fall = min((e for e in entries if e["change"] == "fell"),
                           key=lambda e: e["delta"], default=None)
        out.append({
            "ruleset": ruleset_id, "units": entries,
            "summary": {
                "units": len(entries), **counts,
                "predicate_changed": sum(bool(e["predicate_changed"]) for e in entries),
                "flagged": sum(bool(set(e["flags"]) & {"rules", "basis", "waivers"})
                               for e in entries if e["delta"] is not None),
                "mean_delta": round(sum(deltas) / len(deltas), 4) if deltas else None,
                "largest_rise": None if largest_rise is None else {
                    "unit": largest_rise["unit"], "delta": largest_rise["delta"]},
                "largest_fall": None if largest_fall is None else {
                    "unit": largest_fall["unit"], "delta": largest_fall["delta"]},
            }})
    return {"schema_version": 1, "period_a": a_period, "period_b": b_period,
            "rulesets": out}


# --- text ------------------------------------------------------------------------------------

def _num(value: float | int, lang: str, *, sign: bool = False) -> str:
    """A stored number (a score, a difference) as the language writes it, to six significant
    digits (a difference of two rounded scores carries float noise)."""
    return number(float(f"{value:.6g}"), lang, sign=sign) if isinstance(value, float) else \
        number(value, lang, sign=sign)


def _score(item: Mapping[str, Any], lang: str) -> str:
    if item["final"] is None:
        return "—"
    text = number(item["final"], lang, item["places"] or 2)
    pred = item["predicate"]
    if pred:
        text += f" {pred['code']} " + (pred["label_en"] if lang == "en" else pred["label"])
    return text


def _reached(entry: Mapping[str, Any] | None, lang: str) -> str:
    if entry is None:
        return "—"
    if entry["level"] is not None:
        return f"{entry['level']}/{entry['max_level']}"
    return "—" if entry["score"] is None else f"{_num(entry['score'], lang)}/100"


BASIS = {"self": Text("klaim", "claim"), "verified": Text("terverifikasi", "verified")}


def render_history(rows: list[dict[str, Any]], lang: str = "id") -> str:
    """The trend as text, one block per ruleset (Bahasa Indonesia by default, ``en``)."""
    en = lang == "en"
    if not rows:
        return ("no stored evaluations" if en else "belum ada evaluasi tersimpan") + "\n"
    unit = rows[-1]["unit"]
    out = [f"{'History' if en else 'Riwayat'}: {unit['nama']}"
           + (f" ({unit['kode']})" if unit["kode"] else "")]
    for ruleset in sorted({r["ruleset"] for r in rows}):
        out.append("")
        out.append(f"{ruleset}:")
        head = ("period", "date", "edition", "score", "Δ", "basis") if en else \
            ("periode", "tanggal", "edisi", "nilai", "Δ", "basis")
        table = [head]
        flags = []
        for r in (r for r in rows if r["ruleset"] == ruleset):
            delta = "" if r["delta"] is None else _num(r["delta"], lang, sign=True)
            basis = BASIS[r["basis"]].get(lang) + (
                f", {number(r['waivers'], lang)} {'waivers' if en else 'pengecualian'}"
                if r["waivers"] else "")
            table.append((str(r["period"]), r["evaluated_on"], r["edition"], _score(r, lang),
                          delta, basis))
            flag = ""
            if r["edition_changed"]:
                flag = ("! edition changed: scores are not comparable with the row above"
                        if en else "! edisi berubah: nilai tidak sebanding dengan baris di atas")
            elif r["rules_changed"]:
                flag = ("! rule files changed since the row above" if en
                        else "! berkas aturan berubah sejak baris di atas")
            flags.append(flag)
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        for index, row in enumerate(table):
            line = "  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(row))
            if index and flags[index - 1]:
                line += "  " + flags[index - 1]
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def render_compare(d: Mapping[str, Any], lang: str = "id") -> str:
    """A two-period comparison as text; a non-comparable pair is said first, loudly."""
    en = lang == "en"
    a, b = d["a"], d["b"]
    out = [f"{'Comparison' if en else 'Perbandingan'} {d['ruleset']}: {d['unit']['nama']} — "
           f"{a['period']} ({a['edition']}) → {b['period']} ({b['edition']})"]
    if not d["comparable"]:
        out.append("!! " + ("NOT COMPARABLE" if en else "TIDAK SEBANDING") + ":")
        out.extend(f"   - {render(Text.of(r), lang)}" for r in d["reasons"])
    score = f"{'Score' if en else 'Nilai'}: {_score(a, lang)} → {_score(b, lang)}"
    if d["score_delta"] is not None:
        score += f" ({_num(d['score_delta'], lang, sign=True)})"
    out.append(score)
    sections = (("rose", "Rose", "Naik"), ("fell", "Fell", "Turun"),
                ("appeared", "New indicators", "Indikator baru"),
                ("disappeared", "Indicators no longer assessed", "Indikator tidak dinilai lagi"),
                ("waived", "Waived (not compared)", "Dikecualikan (tidak dibandingkan)"))
    for key, title_en, title_id in sections:
        entries = d[key]
        if not entries:
            continue
        out.append(f"{title_en if en else title_id} ({number(len(entries), lang)}):")
        for e in entries:
            change = f"{_reached(e.get('from'), lang)} → {_reached(e.get('to'), lang)}"
            delta = ""
            if "delta" in e and e["from"]["level"] is not None and e["to"]["level"] is not None:
                delta = f"  ({e['to']['level'] - e['from']['level']:+d} level)"
            elif "delta" in e:
                delta = f"  ({_num(e['delta'], lang, sign=True)} {'points' if en else 'poin'})"
            out.append(f"  {e['rule_id']}: {change}{delta}")
    out.append(f"{'Unchanged' if en else 'Tetap'}: {number(d['unchanged'], lang)}")
    for note in d["notes"]:
        out.append(f"- {render(Text.of(note), lang)}")
    return "\n".join(out) + "\n"


FLAG_WORDS = {
    "edition": Text("edisi berbeda: tidak sebanding", "different editions: not comparable"),
    "rules": Text("berkas aturan berubah", "rule files changed"),
    "basis": Text("klaim vs terverifikasi", "claim vs verified"),
    "waivers": Text("ada pengecualian", "waivers applied"),
}
CHANGE_WORDS = {
    "rose": Text("naik", "rose"), "fell": Text("turun", "fell"),
    "unchanged": Text("tetap", "unchanged"),
    "not_comparable": Text("tidak sebanding", "not comparable"),
    "only_a": Text("hanya {a}", "only {a}"), "only_b": Text("hanya {b}", "only {b}"),
}


def _short(item: Mapping[str, Any] | None, lang: str) -> str:
    if item is None or item["final"] is None:
        return "—"
    code = (item["predicate"] or {}).get("code")
    return number(item["final"], lang, item["places"] or 2) + (f" {code}" if code else "")


def render_compare_all(d: Mapping[str, Any], lang: str = "id") -> str:
    """Every unit between two periods, one block per ruleset: a summary line, then the units
    (risers first, biggest rise first; then fallers, biggest fall first; then the rest)."""
    en = lang == "en"
    pa, pb = d["period_a"], d["period_b"]
    out = [f"{'Comparison of every unit' if en else 'Perbandingan semua unit'}: {pa} → {pb}"]
    for block in d["rulesets"]:
        s = block["summary"]
        words = {k: CHANGE_WORDS[k].format(a=pa, b=pb).get(lang) for k in ORDER}
        counts = ", ".join(f"{words[k]} {number(s[k], lang)}" for k in ORDER if s[k])
        out += ["", f"{block['ruleset']}: {number(s['units'], lang)} "
                f"{'units' if en else 'unit'} — {counts}"]
        if s["mean_delta"] is not None:
            line = (f"  {'mean change' if en else 'rata-rata selisih'} "
                    f"{_num(s['mean_delta'], lang, sign=True)}")
            for key, word in (("largest_rise", ("largest rise", "kenaikan terbesar")),
                              ("largest_fall", ("largest fall", "penurunan terbesar"))):
                if s[key]:
                    unit = s[key]["unit"]
                    line += (f"; {word[0] if en else word[1]} "
                             f"{_num(s[key]['delta'], lang, sign=True)} "
                             f"({unit['kode'] or unit['nama']})")
            out.append(line)
        if s["predicate_changed"]:
            out.append(f"  {'predicate changed' if en else 'predikat berubah'}: "
                       f"{number(s['predicate_changed'], lang)}")
        head = ("unit", "kode" if not en else "code", str(pa), str(pb), "Δ",
                "change" if en else "perubahan")
        table = [head]
        notes = []
        for e in block["units"]:
            delta = "" if e["delta"] is None else _num(e["delta"], lang, sign=True)
            table.append((e["unit"]["nama"] or "", e["unit"]["kode"] or "—",
                          _short(e["a"], lang), _short(e["b"], lang), delta,
                          words[e["change"]]))
            notes.append("; ".join(FLAG_WORDS[f].get(lang) for f in e["flags"]))
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        for index, row in enumerate(table):
            line = "  " + "  ".join(c.rjust(widths[i]) if i in (2, 3, 4) else
                                    c.ljust(widths[i]) for i, c in enumerate(row))
            if index and notes[index - 1]:
                line += "  ! " + notes[index - 1]
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


# --- the command -----------------------------------------------------------------------------

@click.command("history")
@click.argument("unit", required=False)
@click.option("--store", "db", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas riwayat (SQLite) / the history file (SQLite).")
@click.option("--ruleset", help="Hanya ruleset ini / only this ruleset.")
@click.option("--compare", "periods", nargs=2, type=int, metavar="P1 P2",
              help="Bandingkan dua periode (tahun); tanpa UNIT: semua unit dalam riwayat / "
              "compare two periods (years); without UNIT: every unit in the store.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Bahasa keluaran / output language.")
def history_command(unit: str | None, db: Path, ruleset: str | None,
                    periods: tuple[int, int] | None, fmt: str, lang: str) -> None:
    """Riwayat evaluasi satu unit / a unit's evaluation history (UNIT: kode or nama).

    Tanpa UNIT, dengan --compare P1 P2: semua unit — siapa naik, siapa turun, berapa, dan
    apakah sebanding / without UNIT, with --compare P1 P2: every unit — who rose, who fell,
    by how much, and whether the scores are comparable."""
    if unit is None:
        if not periods:
            raise InputError(Text("sebutkan UNIT (kode atau nama), atau --compare P1 P2 untuk "
                                  "semua unit", "name a UNIT (code or name), or give "
                                  "--compare P1 P2 for every unit"),
                             hint=Text("mis. patuh history --store riwayat.sqlite --compare "
                                       "2023 2024", "e.g. patuh history --store "
                                       "history.sqlite --compare 2023 2024"))
        result: Any = compare_all(db, *periods, ruleset=ruleset)
        text = render_compare_all(result, lang)
    elif periods:
        if ruleset is None:
            rows = history(db, unit)
            rulesets = sorted({r["ruleset"] for r in rows})
            if len(rulesets) > 1:
                raise InputError(Text("--compare perlu --ruleset: riwayat unit ini memuat "
                                      f"{', '.join(rulesets)}",
                                      "--compare needs --ruleset: this unit's history holds "
                                      f"{', '.join(rulesets)}"))
            ruleset = rulesets[0]
        result = compare(db, unit, ruleset, *periods)
        text = render_compare(result, lang)
    else:
        result = history(db, unit, ruleset)
        text = render_history(result, lang)
    if fmt == "json":
        text = json_safe(json.dumps(result, ensure_ascii=False, sort_keys=True, indent=2) + "\n")
    else:
        text = visible(text)
    click.echo(text, nl=False)
