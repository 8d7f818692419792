"""Backup and restore of the platform: `patuh web backup` and `patuh web restore`.

A backup is one zip:

- ``patuh-backup.json`` — what it is (``{"patuh_backup": FORMAT, "created": …, "patuh": …}``);
- ``database.json`` — every row of the database as Django's portable serialisation
  (``dumpdata`` with natural keys; no sessions, content types or permissions, which ``migrate``
  makes again), so a backup of SQLite restores into PostgreSQL and back;
- ``secret_key`` — the data folder's key (the restored server keeps signing as before);
- ``units/<round>/<kode>/…`` — every unit folder as it is on disk (manifest, evidence with its
  earlier versions, verification and waivers).

**Consistent while the server runs.** The database is read in one transaction (SQLite: a
read transaction on the WAL, which does not block the server's writers; PostgreSQL: REPEATABLE
READ), so the rows agree with each other. The unit folders are read after it, one unit at a
time, and each unit's **manifest is copied first, then its other files**. That order is enough
for the manifest to be complete because the platform replaces every file atomically (temporary
file + rename: a reader sees the old or the new file, never half of one) and never deletes
evidence (a detached or replaced file stays in ``bukti/`` as an earlier version): an evidence
file is written before the manifest that references it, and is still there when the backup
copies the folder after the manifest. So every file a manifest in the backup references is in
the backup. A save after the database snapshot can make a unit's folder newer than its rows
(an audit event of that save missing): the folder, the truth, is the newer one.

The zip is written to a temporary file beside OUT and renamed over it at the end: OUT is
never half-written. A backup is refused into the data folder or over an input.

Restore goes only into an empty data folder and an empty database; the zip is checked as an
import is (no absolute paths, no ``..``, no links, size limits counted while unpacking), then
the database is migrated and the rows loaded in one transaction.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from datetime import time
from datetime import timezone
from pathlib import Path
from pathlib import PurePosixPath
from typing import IO

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.limits import Limit

FORMAT = 1
MARKER = "patuh-backup.json"
DATABASE = "database.json"
SECRET = "secret_key"
UNITS = "units"
MANIFEST = "manifest.yaml"
CHUNK = 1 << 16
_TEMP_PREFIX = ".patuh-"
# what migrate makes again, and what is not worth keeping (sessions: people sign in again)
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
# the tables whose rows make a database "not empty" for a restore
_CHECKED = ("auth.User", "patuh_web.Round", "patuh_web.Unit", "patuh_web.AuditEvent",
            "patuh_web.ApiToken")

MAX_RESTORE_FILES = Limit("PATUH_WEB_MAX_RESTORE_FILES", 1_000_000, Text("berkas", "files"))
MAX_RESTORE_BYTES = Limit("PATUH_WEB_MAX_RESTORE_BYTES", 100 * 1024 ** 3, Text("bita", "bytes"))


@dataclass(frozen=True)
class Written:
    units: int
    files: int
    rows: int


# --- backup --------------------------------------------------------------------------------------

def check_backup_target(data: Path, out: Path) -> Path:
    """OUT resolved, refused inside the data folder (an input) or as a folder."""
    if not (data / SECRET).is_file():
        raise InputError(Text("bukan folder data platform (tidak ada secret_key)",
                              "not a platform data folder (no secret_key)"), file=data,
                         hint=Text("beri --data folder yang dipakai patuh serve",
                                   "give --data the folder patuh serve uses"))
    target = out.expanduser().resolve()
    root = data.resolve()
    if target == root or root in target.parents:
        raise InputError(Text("cadangan tidak boleh ditulis di dalam folder data",
                              "the backup must not be written inside the data folder"),
                         file=out, hint=Text("tulis ke folder lain, mis. ../cadangan.zip",
                                             "write it elsewhere, e.g. ../backup.zip"))
    if target.is_dir():
        raise InputError(Text("ini folder; beri nama berkas .zip", "this is a folder; give a "
                              ".zip file name"), file=out)
    if not target.parent.is_dir():
        raise InputError(Text("folder tujuan tidak ada", "the target folder does not exist"),
                         file=out)
    return target


def write_backup(data: Path, out: Path) -> Written:
    """Write the backup of ``data`` (and the configured database) to ``out`` atomically.
    Django must be set up on that data folder."""
    target = check_backup_target(data, out)
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX + "backup-", suffix=".zip",
                                dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            written = _write(data, handle, temp.parent)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return written


def _write(data: Path, handle: IO[bytes], scratch: Path) -> Written:
    from patuh import __version__

    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                         allowZip64=True) as archive:
        marker = {"patuh_backup": FORMAT, "patuh": __version__,
                  "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        _add_bytes(archive, MARKER, json.dumps(marker, indent=2).encode("utf-8"))
        _add_bytes(archive, SECRET, (data / SECRET).read_bytes())
        rows = _dump_database(archive, scratch)
        units = files = 0
        for unit in _unit_folders(data / UNITS):
            added = _add_unit(archive, data, unit)
            if added:
                units += 1
                files += added
    return Written(units, files, rows)


def _dump_database(archive: zipfile.ZipFile, scratch: Path) -> int:
    """The whole database, read in one transaction, into ``database.json``."""
    from django.db import connection
    from django.db import transaction

    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX + "dump-", suffix=".json", dir=scratch)
    os.close(fd)
    dump = Path(name)
    try:
        outermost = not connection.in_atomic_block
        if outermost and connection.vendor == "sqlite":
            # a read transaction sees one snapshot of the WAL without blocking the server's
            # writers (the platform's own connections begin IMMEDIATE, to write)
            connection.ensure_connection()
            connection.transaction_mode = "DEFERRED"
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with dump.open("w", encoding="utf-8") as out:
                rows = _serialise(out)
        with dump.open("rb") as source:
            info = zipfile.ZipInfo(DATABASE, date_time=_stamp(datetime.now(timezone.utc)
                                                              .timestamp()))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100600 << 16
            with archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, CHUNK)
    finally:
        dump.unlink(missing_ok=True)
    return rows


def _serialise(out: IO[str]) -> int:
    """What ``dumpdata --natural-foreign --natural-primary`` writes (models in dependency
    order), but with times to the microsecond (dumpdata keeps milliseconds: the restored audit
    log would not be the same)."""
    from django.apps import apps
    from django.core import serializers
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import router

    class Precise(DjangoJSONEncoder):
        def default(self, o: object) -> object:
            if isinstance(o, (datetime, time)):
                return o.isoformat()
            return super().default(o)

    chosen = {}
    for config in apps.get_app_configs():
        if config.models_module is None or config.label in EXCLUDED:
            continue
        models = [m for m in config.get_models()
                  if f"{config.label}.{m._meta.object_name.lower()}" not in EXCLUDED
                  and not m._meta.proxy and router.allow_migrate_model("default", m)]
        chosen[config] = models
    count = 0

    def rows():
        nonlocal count
        for model in serializers.sort_dependencies(chosen.items(), allow_cycles=True):
            for row in model._base_manager.order_by(model._meta.pk.name).iterator(2000):
                count += 1
                yield row

    serializers.serialize("json", rows(), stream=out, cls=Precise,
                          use_natural_foreign_keys=True, use_natural_primary_keys=True)
    return count


def _count_rows(dump: Path) -> int:
    with dump.open("rb") as handle:
        loaded = json.load(handle)
    return len(loaded) if isinstance(loaded, list) else 0


def _unit_folders(units: Path) -> list[Path]:
    if not units.is_dir():
        return []
    found = []
    for round_dir in sorted(units.iterdir()):
        if round_dir.is_dir() and not round_dir.is_symlink():
            found += [u for u in sorted(round_dir.iterdir())
                      if u.is_dir() and not u.is_symlink()]
    return found


def _add_unit(archive: zipfile.ZipFile, data: Path, unit: Path) -> int:
    """The unit's manifest first, then every other file of its folder (see the module's
    docstring: this order keeps every reference of the copied manifest in the backup)."""
    base = PurePosixPath(UNITS, unit.parent.name, unit.name)
    try:
        manifest = (unit / MANIFEST).read_bytes()
    except FileNotFoundError:
        return 0  # a unit folder being created (or removed by a failed import)
    _add_bytes(archive, str(base / MANIFEST), manifest)
    added = 1
    for path in sorted(unit.rglob("*")):
        relative = path.relative_to(unit)
        if relative.as_posix() == MANIFEST \
                or any(part.startswith(_TEMP_PREFIX) for part in relative.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        try:
            source = path.open("rb")
        except FileNotFoundError:
            continue  # gone since the listing (not evidence: evidence is never deleted)
        with source:
            info = zipfile.ZipInfo(str(base / relative.as_posix()),
                                   date_time=_stamp(os.fstat(source.fileno()).st_mtime))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100600 << 16
            with archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, CHUNK)
        added += 1
    return added


def _stamp(mtime: float) -> tuple[int, int, int, int, int, int]:
    moment = datetime.fromtimestamp(max(mtime, 315532800), timezone.utc)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _add_bytes(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_stamp(datetime.now(timezone.utc).timestamp()))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100600 << 16
    archive.writestr(info, content)


# --- restore -------------------------------------------------------------------------------------

def _bad(message: Text, backup: Path, hint: Text | None = None) -> InputError:
    return InputError(message, file=backup, hint=hint or Text(
        "beri berkas yang dibuat oleh: patuh web backup --data FOLDER CADANGAN.zip",
        "give a file made by: patuh web backup --data FOLDER BACKUP.zip"))


def open_backup(backup: Path) -> zipfile.ZipFile:
    """The backup opened and checked (a zip, a patuh backup of a format this patuh reads);
    InputError otherwise. Nothing is written; :func:`check_entries` checks the names."""
    if not backup.is_file():
        raise _bad(Text("berkas cadangan tidak ada", "the backup file does not exist"), backup)
    try:
        archive = zipfile.ZipFile(backup)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _bad(Text("bukan berkas zip", "not a zip file"), backup) from None
    try:
        names = set(archive.namelist())
        if MARKER not in names or DATABASE not in names or SECRET not in names:
            raise _bad(Text("bukan cadangan patuh (tidak ada patuh-backup.json, database.json "
                            "dan secret_key)", "not a patuh backup (no patuh-backup.json, "
                            "database.json and secret_key)"), backup)
        if archive.getinfo(MARKER).file_size > 65536:
            raise _bad(Text("patuh-backup.json terlalu besar", "patuh-backup.json is too "
                            "large"), backup)
        try:
            marker = json.loads(archive.read(MARKER))
        except (ValueError, zipfile.BadZipFile) as exc:
            raise _bad(Text(f"patuh-backup.json tidak terbaca: {exc}",
                            f"patuh-backup.json cannot be read: {exc}"), backup) from None
        version = marker.get("patuh_backup") if isinstance(marker, dict) else None
        if not isinstance(version, int) or isinstance(version, bool):
            raise _bad(Text("bukan cadangan patuh (patuh-backup.json tanpa nomor format)",
                            "not a patuh backup (patuh-backup.json has no format number)"),
                       backup)
        if version > FORMAT:
            made_by = marker.get("patuh", "?")
            raise InputError(Text(f"cadangan ini berformat {version}, dibuat patuh {made_by}; "
                                  f"patuh ini membaca format sampai {FORMAT}",
                                  f"this backup has format {version}, made by patuh "
                                  f"{made_by}; this patuh reads formats up to {FORMAT}"),
                             file=backup, hint=Text("pulihkan dengan patuh versi yang sama "
                                                    "atau lebih baru", "restore it with the "
                                                    "same or a newer patuh"))
    except BaseException:
        archive.close()
        raise
    return archive


def _safe(info: zipfile.ZipInfo, backup: Path) -> PurePosixPath | None:
    """The import's checks of a zip entry (no absolute path, no ``..``, no link or special
    file), with the backup's own hint."""
    from patuh.plugins.web.services import _safe_name

    try:
        return _safe_name(info)
    except InputError as exc:
        raise _bad(Text.of(exc.message), backup) from None


def check_entries(archive: zipfile.ZipFile, backup: Path) -> None:
    """Every entry safe and known, the whole within the limits (Django set up)."""
    entries = [info for info in archive.infolist() if _safe(info, backup) is not None]
    if len(entries) > MAX_RESTORE_FILES.value():
        raise _bad(Text(f"cadangan memuat {len(entries)} berkas; batas "
                        f"{MAX_RESTORE_FILES.value()} (PATUH_WEB_MAX_RESTORE_FILES)",
                        f"the backup holds {len(entries)} files; the limit is "
                        f"{MAX_RESTORE_FILES.value()} (PATUH_WEB_MAX_RESTORE_FILES)"), backup)
    if sum(info.file_size for info in entries) > MAX_RESTORE_BYTES.value():
        raise _bad(_too_big(), backup)
    for info in entries:
        name = _safe(info, backup)
        assert name is not None
        if str(name) not in (MARKER, DATABASE, SECRET) and \
                (len(name.parts) < 4 or name.parts[0] != UNITS):
            raise _bad(Text(f"berkas tak dikenal dalam cadangan: {info.filename}",
                            f"an unknown file in the backup: {info.filename}"), backup)


def _too_big() -> Text:
    limit = MAX_RESTORE_BYTES.value()
    return Text(f"isi cadangan melebihi {limit} bita (PATUH_WEB_MAX_RESTORE_BYTES)",
                f"the backup unpacks to more than {limit} bytes (PATUH_WEB_MAX_RESTORE_BYTES)")


def check_restore_target(data: Path) -> None:
    if data.exists() and (not data.is_dir() or any(data.iterdir())):
        raise InputError(Text("folder data tujuan tidak kosong; pemulihan hanya ke folder "
                              "baru atau kosong", "the target data folder is not empty; a "
                              "restore goes only into a new or empty folder"), file=data,
                         hint=Text("beri --data folder baru", "give --data a new folder"))


def write_secret(archive: zipfile.ZipFile, data: Path) -> None:
    key = archive.read(SECRET)
    if not key.strip() or len(key) > 4096:
        raise _bad(Text("secret_key dalam cadangan tidak sah", "the backup's secret_key is "
                        "invalid"), Path(archive.filename or "?"))
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(data / SECRET, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)


def database_is_empty() -> bool:
    from django.apps import apps

    return not any(apps.get_model(label).objects.exists() for label in _CHECKED)


def unpack_units(archive: zipfile.ZipFile, data: Path) -> int:
    """Every ``units/…`` entry into ``data/units`` (names checked by :func:`open_backup`; the
    size is counted again while unpacking: a zip can lie about its sizes)."""
    from patuh.plugins.web.services import EntryRefused
    from patuh.plugins.web.services import unpack_entry

    backup = Path(archive.filename or "?")
    root = data.resolve()
    limit = MAX_RESTORE_BYTES.value()
    total = count = 0
    for info in archive.infolist():
        name = _safe(info, backup)
        if name is None or name.parts[0] != UNITS:
            continue
        try:
            total = unpack_entry(archive, info, name, root, total, limit)
        except EntryRefused as exc:
            where = Text(f"{info.filename}: ", f"{info.filename}: ")
            raise _bad(_too_big() if exc.too_big else where + exc.reason, backup) from None
        count += 1
    return count


def load_database(archive: zipfile.ZipFile, data: Path) -> int:
    """The backup's rows into the (migrated, empty) database, in one transaction."""
    from django.core.management import call_command
    from django.core.serializers.base import DeserializationError
    from django.db import DatabaseError
    from django.db import transaction

    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX + "restore-", suffix=".json", dir=data)
    dump = Path(name)
    try:
        total = 0
        limit = MAX_RESTORE_BYTES.value()
        with os.fdopen(fd, "wb") as out, archive.open(DATABASE) as source:
            while chunk := source.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise _bad(_too_big(), Path(archive.filename or "?"))
                out.write(chunk)
        rows = _count_rows(dump)
        with transaction.atomic():
            call_command("loaddata", str(dump), verbosity=0)
    except (DeserializationError, DatabaseError, ValueError) as exc:
        raise _bad(Text(f"database.json tidak dapat dimuat: {exc}",
                        f"database.json cannot be loaded: {exc}"),
                   Path(archive.filename or "?")) from None
    finally:
        dump.unlink(missing_ok=True)
    return rows
