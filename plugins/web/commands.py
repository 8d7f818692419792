"""What `patuh serve` and `patuh web …` do (imported only when they run: it loads Django)."""

from __future__ import annotations

import gc
import getpass
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from patuh.errors import InputError
from patuh.errors import ensure_folder
from patuh.i18n import Text
from patuh.i18n import number

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def setup(data: Path, database_url: str | None = None, *, hosts: Iterable[str] = (),
          secure_cookies: bool = True, migrate: bool = True) -> None:
    """Point Django at the data folder (made on first use) and bring its database up to date.
    Everything the platform writes there (database, evidence, key) is its owner's alone."""
    os.umask(0o077)
    ensure_folder(data)
    os.environ["PATUH_WEB_DATA"] = str(data.resolve())
    if database_url:
        os.environ["PATUH_WEB_DATABASE_URL"] = database_url
    else:  # the data folder's SQLite: never a database left in the environment by accident
        os.environ.pop("PATUH_WEB_DATABASE_URL", None)
    os.environ["PATUH_WEB_HOSTS"] = ",".join(hosts)
    os.environ["PATUH_WEB_SECURE_COOKIES"] = "1" if secure_cookies else "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patuh.plugins.web.settings")
    try:
        import django
    except ImportError:
        raise InputError(Text("platform web belum terpasang", "the web platform is not "
                              "installed"),
                         hint=Text("pasang dengan: pip install 'patuh[web]'",
                                   "install it with: pip install 'patuh[web]'")) from None
    try:
        django.setup()
    except ValueError as exc:  # an unsupported --database URL
        raise InputError(Text(f"--database: {exc}", f"--database: {exc}"),
                         hint=Text("pakai postgresql://pengguna:sandi@host:5432/nama",
                                   "use postgresql://user:password@host:5432/name")) from None
    if migrate:
        from django.core.management import call_command
        from django.db.utils import OperationalError

        try:
            call_command("migrate", interactive=False, verbosity=0)
        except OperationalError as exc:
            raise InputError(Text(f"basis data tidak dapat dipakai: {exc}",
                                  f"the database cannot be used: {exc}"),
                             hint=Text("periksa --data atau --database",
                                       "check --data or --database")) from None


def serve(data: Path, host: str, port: int, database_url: str | None, threads: int,
          insecure_cookies: bool) -> None:
    secure = not insecure_cookies
    setup(data, database_url, hosts=[host] if host not in ("0.0.0.0", "::") else ["*"],
          secure_cookies=secure)
    import waitress

    from patuh.plugins.web.store import sweep_temporary
    from patuh.plugins.web.wsgi import application

    lang = _lang()
    swept = sweep_temporary(data)
    if swept:
        count = number(len(swept), lang)
        click.echo(Text(f"{count} berkas sementara dari penulisan yang terputus dihapus",
                        f"{count} temporary file(s) of interrupted writes removed")
                   .get(lang), err=True)
    repaired = reconcile_evidence()
    if repaired:
        count = number(repaired, lang)
        click.echo(Text(f"indeks bukti {count} unit diselaraskan dengan manifestnya",
                        f"the evidence index of {count} unit(s) matched to their manifest")
                   .get(lang), err=True)

    shown = f"[{host}]" if ":" in host else host
    click.echo(f"patuh serve: http://{shown}:{port}/  (data: {data})", err=True)
    from django.contrib.auth.models import User

    if not User.objects.exists():
        click.echo(Text(
            "Belum ada pengguna. Buat admin dulu: patuh web user add admin --role admin "
            f"--data {data}", "No users yet. Create an admin first: patuh web user add admin "
            f"--role admin --data {data}").get(_lang()), err=True)
    if secure and host not in LOOPBACK:
        click.echo(Text(
            "Cookie bertanda Secure: buka lewat HTTPS (proksi TLS), atau pakai "
            "--insecure-cookies untuk HTTP polos di intranet.",
            "Cookies are marked Secure: serve through HTTPS (a TLS proxy), or use "
            "--insecure-cookies for plain HTTP on an intranet.").get(_lang()), err=True)
    # everything loaded so far (Django, the app, the start-up's objects) lives as long as the
    # server: out of the collector's sight, a request's full collection has less to walk
    # (a save's p95 CPU time, benchmarks/bench_web.py)
    gc.freeze()
    waitress.serve(application, host=host, port=port, threads=threads, ident="patuh",
                   max_request_body_size=64 * 1024 * 1024, clear_untrusted_proxy_headers=True)


RECONCILE_FILE = "indeks-bukti.json"  # in the data folder: what the last start-up matched
RECONCILE_FORMAT = "patuh-evidence-reconcile/1"


@dataclass
class Reconciled:
    """What one start-up match did: units whose manifest was read, skipped (unchanged since
    the last match), repaired."""

    read: int = 0
    skipped: int = 0
    repaired: int = 0


def reconcile_evidence() -> int:
    """Make each unit's evidence index (the ``Evidence`` rows) list what its manifest holds —
    the manifest is the truth, and a server killed between writing it and committing the
    index leaves them apart. At start-up, before the server answers; the units repaired."""
    return reconcile().repaired


def reconcile(data: Path | None = None) -> Reconciled:
    """:func:`reconcile_evidence`, reading only the units changed since the last start-up.

    A unit whose manifest was matched then is skipped while nothing the match read has changed:
    the manifest's and its stored data files' stamps (device, inode, size, mtime, ctime: a
    save, an upload, a hand edit or a restore changes them) and its current index rows (their
    number and highest id: a lost or added row changes them). Those are kept in
    ``indeks-bukti.json`` in the data folder (plain JSON, for this database only); a file that
    is missing, damaged or of another database is ignored, and every unit is read."""
    from django.conf import settings
    from django.db import transaction
    from django.db.models import Count
    from django.db.models import Max

    from patuh.plugins.web.answers import _data_files
    from patuh.plugins.web.answers import held_evidence
    from patuh.plugins.web.answers import sync_evidence
    from patuh.plugins.web.models import Evidence
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    data = Path(data or settings.DATA)
    database = _database_id(settings.DATABASES["default"])
    known = _read_reconciled(data / RECONCILE_FILE, database)

    def index_rows(unit_ids: list[int] | None = None) -> dict[int, list[int]]:
        rows = Evidence.objects.filter(detached_at__isnull=True)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        return {row["unit"]: [row["n"], row["top"]] for row in
                rows.values("unit").annotate(n=Count("pk"), top=Max("pk")).order_by()}

    indexed = index_rows()  # one query for every unit
    done = Reconciled()
    matched: dict[str, dict[str, Any]] = {}
    for unit in Unit.objects.select_related("round").order_by("pk").iterator():
        folder = UnitFolder(unit.folder)
        last = known.get(str(unit.pk))
        if isinstance(last, dict) and last.get("folder") == str(folder.root) \
                and isinstance(last.get("files"), list) \
                and last.get("key") == _reconcile_key(folder, last["files"],
                                                      indexed.get(unit.pk, [0, None])):
            matched[str(unit.pk)] = last
            done.skipped += 1
            continue
        if not folder.manifest_path.is_file():
            continue
        before = _stamp(folder.manifest_path)
        done.read += 1
        try:
            answers = folder.answers_shared()
            held = set(held_evidence(folder))
            rows = set(Evidence.objects.filter(unit=unit, detached_at__isnull=True)
                       .values_list("slot", "sha256"))
            if held != rows:
                with transaction.atomic():
                    locked = Unit.objects.select_for_update().select_related("round").get(
                        pk=unit.pk)
                    sync_evidence(locked)
                done.repaired += 1
        except InputError:  # a manifest that is not even YAML: its pages say so; serve on
            continue
        if _stamp(folder.manifest_path) != before:
            continue  # changed while read: read again next time
        files = sorted({stored for _slot, stored in _data_files(answers, ())})
        now = index_rows([unit.pk]).get(unit.pk, [0, None])
        matched[str(unit.pk)] = {"folder": str(folder.root), "files": files,
                                 "key": _reconcile_key(folder, files, now)}
    _write_reconciled(data / RECONCILE_FILE, database, matched)
    return done


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _reconcile_key(folder: Any, files: list[Any], rows: list[Any]) -> str:
    """What a unit's match depends on, as a digest: its manifest's and stored data files'
    stamps and its index rows (count, highest id)."""
    stamps = [_stamp(folder.manifest_path),
              *([str(name), _stamp(folder.root / str(name))] for name in files), rows]
    return hashlib.sha256(json.dumps(stamps).encode()).hexdigest()


def _database_id(settings: dict[str, Any]) -> str:
    return "|".join(str(settings.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))


def _read_reconciled(path: Path, database: str) -> dict[str, Any]:
    try:
        if path.stat().st_size > 256 * 1024 * 1024:  # bounded: a foreign file is not read
            return {}
        held = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(held, dict) or held.get("format") != RECONCILE_FORMAT \
            or held.get("database") != database or not isinstance(held.get("units"), dict):
        return {}
    return held["units"]


def _write_reconciled(path: Path, database: str, units: dict[str, Any]) -> None:
    """Atomically (temporary file + rename); a data folder that cannot be written: not kept
    (the next start-up reads every unit, as before)."""
    text = json.dumps({"format": RECONCILE_FORMAT, "database": database, "units": units},
                      separators=(",", ":"))
    try:
        fd, name = tempfile.mkstemp(prefix=".patuh-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(name, path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def _lang() -> str:
    return "en" if os.environ.get("PATUH_LANG") == "en" else "id"


def round_add(data: Path, database_url: str | None, name: str, ruleset: str, edition: str,
              year: int, slug: str | None) -> None:
    from patuh.rulebook import load_ruleset

    load_ruleset(ruleset).require_edition(edition)  # an unknown one: exit 2, listing them
    setup(data, database_url)
    from patuh.plugins.web.services import add_round

    created = add_round(name, ruleset, edition, year, user=None, slug=slug, via="cli")
    click.echo(created.slug)


def unit_import(data: Path, database_url: str | None, round_slug: str,
                folders: tuple[Path, ...]) -> None:
    setup(data, database_url)
    from patuh.plugins.web.services import import_unit

    found = _round(round_slug)
    for folder in folders:
        unit = import_unit(found, folder, user=None)
        click.echo(f"{found.slug}/{unit.kode}")


def _round(slug: str):
    from patuh.plugins.web.models import Round

    found = Round.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Round.objects.values_list("slug", flat=True)) or "-"
        raise InputError(Text(f"putaran tidak dikenal {slug!r}", f"unknown round {slug!r}"),
                         hint=Text(f"yang ada: {known}", f"rounds: {known}"))
    return found


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Kata sandi / password: ")
        if first != getpass.getpass("Ulangi / repeat: "):
            raise InputError(Text("kata sandi tidak sama", "the passwords differ"))
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def user_add(data: Path, database_url: str | None, username: str, role: str,
             units: tuple[str, ...], round_slug: str | None) -> None:
    setup(data, database_url)
    from django.contrib.auth.models import User

    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.services import add_person

    if User.objects.filter(username=username).exists():
        raise InputError(Text(f"pengguna {username!r} sudah ada",
                              f"user {username!r} already exists"))
    chosen = []
    for kode in units:
        matches = Unit.objects.filter(kode=kode)
        if round_slug:
            matches = matches.filter(round__slug=round_slug)
        found = list(matches[:2])
        if not found:
            raise InputError(Text(f"unit tidak dikenal {kode!r}", f"unknown unit {kode!r}"),
                             hint=Text("impor dulu: patuh web unit import ROUND FOLDER",
                                       "import it first: patuh web unit import ROUND FOLDER"))
        if len(found) > 1:
            raise InputError(Text(f"unit {kode!r} ada di beberapa putaran; beri --round",
                                  f"unit {kode!r} is in several rounds; give --round"))
        chosen.append(found[0])
    if role == "operator" and not chosen:
        raise InputError(Text("operator perlu minimal satu --unit",
                              "an operator needs at least one --unit"))
    password = _password()
    add_person(username, role, chosen, password, user=None, via="cli")
    click.echo(username)


def token(data: Path, database_url: str | None, username: str) -> None:
    setup(data, database_url)
    from django.contrib.auth.models import User

    from patuh.plugins.web.audit import record
    from patuh.plugins.web.models import ApiToken

    user = User.objects.filter(username=username).first()
    if user is None:
        raise InputError(Text(f"pengguna tidak dikenal {username!r}",
                              f"unknown user {username!r}"))
    issued = ApiToken.issue(user)
    record(None, "token.issue", for_user=username, via="cli")
    click.echo(issued)


def backup(data: Path, database_url: str | None, out: Path) -> None:
    """A backup of the data folder and its database, while the server may be running."""
    from patuh.plugins.web import backup as backups

    if not data.is_dir():
        raise InputError(Text("folder data tidak ada", "the data folder does not exist"),
                         file=data)
    backups.check_backup_target(data, out)  # before Django, which would make a secret_key
    if not database_url and not (data / "db.sqlite3").is_file():
        raise InputError(Text("folder data ini tidak memuat basis data (db.sqlite3)",
                              "this data folder holds no database (db.sqlite3)"), file=data,
                         hint=Text("beri --database bila server memakai PostgreSQL",
                                   "give --database when the server uses PostgreSQL"))
    setup(data, database_url, migrate=False)
    from django.db import DatabaseError

    try:
        written = backups.write_backup(data, out)
    except DatabaseError as exc:
        raise InputError(Text(f"basis data tidak dapat dibaca: {exc}",
                              f"the database cannot be read: {exc}"), file=data,
                         hint=Text("periksa --data atau --database; berkas tujuan tidak diubah",
                                   "check --data or --database; the output was not "
                                   "changed")) from None
    lang = _lang()
    units, files, rows = (number(n, lang) for n in (written.units, written.files, written.rows))
    click.echo(Text(f"{out}: {units} unit, {files} berkas unit, {rows} baris basis data",
                    f"{out}: {units} units, {files} unit files, {rows} database rows")
               .get(lang))


def restore(backup_file: Path, data: Path, database_url: str | None) -> None:
    """A backup into a new (empty) data folder and an empty database."""
    import shutil

    from patuh.plugins.web import backup as backups

    backups.check_restore_target(data)
    with backups.open_backup(backup_file) as archive:
        made = not data.exists()
        try:
            backups.write_secret(archive, data)
            setup(data, database_url)
            backups.check_entries(archive, backup_file)
            if not backups.database_is_empty():
                raise InputError(Text("basis data tujuan tidak kosong; pemulihan hanya ke basis "
                                      "data kosong", "the target database is not empty; a "
                                      "restore goes only into an empty database"),
                                 hint=Text("buat basis data baru dan beri --database",
                                           "create a new database and give --database"))
            files = backups.unpack_units(archive, data)
            rows = backups.load_database(archive, data)
        except BaseException:
            _empty(data, remove=made, rmtree=shutil.rmtree)
            raise
    lang = _lang()
    rows_, files_ = number(rows, lang), number(files, lang)
    click.echo(Text(f"{data}: {rows_} baris basis data, {files_} berkas unit dipulihkan",
                    f"{data}: {rows_} database rows, {files_} unit files restored").get(lang))


def _empty(data: Path, *, remove: bool, rmtree) -> None:
    """Undo a failed restore's files (the folder was new or empty before it)."""
    from django.conf import settings

    if settings.configured:  # let go of the database file before removing it
        from django.db import connections

        connections.close_all()
    if remove:
        rmtree(data, ignore_errors=True)
        return
    for child in data.iterdir() if data.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
