"""What the platform does, over the store and the models — the one place both the pages and
`patuh web` go through, so that every change is checked and recorded the same way."""

from __future__ import annotations

import re
import secrets
import shutil
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path
from pathlib import PurePosixPath
from typing import IO
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from patuh.errors import InputError
from patuh.i18n import Text
from patuh.limits import Limit
from patuh.plugins.web.audit import record
from patuh.plugins.web.models import Round
from patuh.plugins.web.models import Unit

KODE = re.compile(r"[A-Za-z0-9_-]{1,80}")
MAX_IMPORT_FILES = Limit("PATUH_WEB_MAX_IMPORT_FILES", 2000, Text("berkas", "files"))
MAX_IMPORT_BYTES = Limit("PATUH_WEB_MAX_IMPORT_BYTES", 500 * 1024 * 1024,
                         Text("bita", "bytes"))
CHUNK = 1 << 16


def unit_kode(kode: Any, fallback: str = "") -> str:
    """A unit's kode as the platform uses it in URLs and folder names: letters, digits, ``-``
    and ``_``; another kode (``1.2.3``, ``Dinas A``) is turned into one (``1-2-3``,
    ``dinas-a``)."""
    for candidate in (str(kode or "").strip(), fallback):
        if KODE.fullmatch(candidate):
            return candidate
        made = slugify(candidate)[:80].strip("-")
        if made:
            return made
    raise InputError(Text("unit tanpa kode: isi unit.kode di manifest",
                          "a unit without a kode: fill in unit.kode in the manifest"))


def _refuse_existing(round_: Round, kode: str, source: Any = None) -> None:
    if Unit.objects.filter(round=round_, kode=kode).exists():
        raise InputError(Text(f"unit {kode!r} sudah ada di putaran {round_.slug}",
                              f"unit {kode!r} is already in round {round_.slug}"),
                         file=source,
                         hint=Text("beri unit itu kode lain (unit.kode di manifest)",
                                   "give that unit another kode (unit.kode in the manifest)"))


def import_unit(round_: Round, source: Path, *, user: Any, name: str | None = None) -> Unit:
    """A manifest folder (YAML or XLSX, with its evidence) becomes a unit of the round.
    ``name`` stands for the folder's name when the manifest has no ``unit.kode`` (an upload
    extracted into a temporary folder)."""
    from patuh.plugins.web.answers import sync_evidence
    from patuh.plugins.web.store import UnitFolder

    round_.folder.mkdir(parents=True, exist_ok=True)
    # a staging folder of its own (its name can be no kode): an import that fails leaves
    # nothing behind, and two imports at once do not meet
    staging = round_.folder / f".incoming-{secrets.token_hex(8)}"
    try:
        folder = UnitFolder.import_folder(source, staging)
        identity = folder.answers().get("unit") or {}
        kode = unit_kode(identity.get("kode"), name or Path(source).resolve().name)
        nama = str(identity.get("nama") or kode)[:300]
        _refuse_existing(round_, kode, source)
        with transaction.atomic():
            unit = Unit.objects.create(round=round_, kode=kode, nama=nama)
            target = unit.folder
            if target.exists():
                raise InputError(Text(f"folder unit {kode!r} sudah ada di folder data; tidak "
                                      "ditimpa", f"the unit folder {kode!r} already exists in "
                                      "the data folder; not overwritten"), file=target)
            folder.root.rename(target)
            sync_evidence(unit)  # the imported evidence in the index, as an upload's is
            record(user, "unit.import", unit=unit, source=name or str(source))
        return unit
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def add_unit(round_: Round, kode: str, nama: str, *, user: Any) -> Unit:
    """A new, empty unit: its manifest folder (the blank form with its identity and the
    round's period) and its row."""
    from patuh.plugins.web.store import UnitFolder

    kode = kode.strip()
    if not KODE.fullmatch(kode):
        raise InputError(Text("kode unit hanya huruf, angka, - dan _ (maks. 80)",
                              "a unit kode is letters, digits, - and _ only (at most 80)"))
    nama = " ".join(nama.split())[:300]
    if not nama:
        raise InputError(Text("nama unit wajib diisi", "the unit's name is required"))
    _refuse_existing(round_, kode)
    with transaction.atomic():
        unit = Unit.objects.create(round=round_, kode=kode, nama=nama)
        UnitFolder(unit.folder).create({"nama": nama, "kode": kode}, {"tahun": round_.year})
        record(user, "unit.add", unit=unit, kode=kode, nama=nama)
    return unit


def add_round(name: str, ruleset: str, edition: str, year: int, *, user: Any,
              slug: str | None = None, via: str = "web") -> Round:
    from patuh.rulebook import load_ruleset

    load_ruleset(ruleset).require_edition(edition)  # an unknown one: refused, listing them
    name = " ".join(name.split())[:200]
    if not name:
        raise InputError(Text("nama putaran wajib diisi", "the round's name is required"))
    slug = slug or slugify(name)[:60].strip("-")
    if not slug:
        raise InputError(Text("nama putaran tidak menghasilkan pengenal URL; beri --slug",
                              "the round's name gives no URL id; give --slug"))
    if Round.objects.filter(slug=slug).exists():
        raise InputError(Text(f"putaran {slug!r} sudah ada", f"round {slug!r} already exists"),
                         hint=Text("pakai nama atau --slug lain", "use another name or --slug"))
    created = Round.objects.create(slug=slug, name=name, ruleset=ruleset, edition=edition,
                                   year=year)
    record(user, "round.add", round=created, slug=slug, ruleset=ruleset, edition=edition,
           year=year, via=via)
    return created


def set_locked(round_: Round, locked: bool, *, user: Any) -> None:
    if round_.locked == locked:
        return
    round_.locked = locked
    round_.save(update_fields=["locked"])
    record(user, "round.lock" if locked else "round.unlock", round=round_)


def add_person(username: str, role: str, units: Iterable[Unit], password: str, *,
               user: Any, via: str = "web") -> Any:
    """A person with a role (and, for operators and evaluators, their units); the password
    must pass Django's validators."""
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from patuh.plugins.web.models import OPERATOR
    from patuh.plugins.web.models import ROLES
    from patuh.plugins.web.models import Profile

    units = list(units)
    if role not in dict(ROLES):
        raise InputError(Text(f"peran tidak dikenal {role!r}", f"unknown role {role!r}"),
                         hint=Text("admin, operator, evaluator, pimpinan",
                                   "admin, operator, evaluator, pimpinan"))
    if User.objects.filter(username=username).exists():
        raise InputError(Text(f"pengguna {username!r} sudah ada",
                              f"user {username!r} already exists"))
    if role == OPERATOR and not units:
        raise InputError(Text("operator perlu minimal satu unit",
                              "an operator needs at least one unit"))
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        raise InputError(Text("kata sandi ditolak: " + " ".join(exc.messages),
                              "password refused: " + " ".join(exc.messages))) from None
    with transaction.atomic():
        person = User.objects.create_user(username=username, password=password)
        profile = Profile.objects.create(user=person, role=role)
        profile.units.set(units)
        record(user, "user.add", username_added=username, role=role,
               units=[f"{u.round.slug}/{u.kode}" for u in units], via=via)
    return person


# --- a unit uploaded as a zip --------------------------------------------------------------------

def _zip_error(message: Text, entry: str | None = None) -> InputError:
    where = f"{entry}: " if entry else ""
    return InputError(Text(where, where) + message,
                      hint=Text("unggah zip folder manifest (manifest.yaml atau manifest.xlsx "
                                "beserta bukti dukungnya), seperti hasil ekspor",
                                "upload a zip of a manifest folder (manifest.yaml or "
                                "manifest.xlsx with its evidence), as an export gives"))


def _safe_name(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """The entry's relative path, None for a folder; InputError for an unsafe entry."""
    raw = info.filename
    name = raw.replace("\\", "/")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise _zip_error(Text("tautan simbolik tidak diterima", "symbolic links are refused"),
                         raw)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise _zip_error(Text("jalur mutlak tidak diterima", "absolute paths are refused"),
                         raw)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise _zip_error(Text("jalur keluar folder (..) tidak diterima",
                              "paths leaving the folder (..) are refused"), raw)
    if any("\x00" in p or len(p) > 255 for p in parts):
        raise _zip_error(Text("nama berkas tidak sah", "invalid file name"), raw[:80])
    if info.is_dir() or not parts:
        return None
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        raise _zip_error(Text("hanya berkas biasa yang diterima", "only plain files are "
                              "accepted"), raw)
    return PurePosixPath(*parts)


class EntryRefused(Exception):
    """Why one zip entry cannot be unpacked; the caller says which zip and how to fix it."""

    def __init__(self, reason: Text | None = None, *, too_big: bool = False) -> None:
        super().__init__(reason.en if reason else "too big")
        self.reason = reason or Text("", "")
        self.too_big = too_big


def unpack_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: PurePosixPath,
                 root: Path, total: int, limit: int) -> int:
    """Write the entry (its checked relative ``name``) under ``root`` (resolved): never outside
    it, never over a file. Its bytes are counted into ``total``, which may not pass ``limit``
    (a zip can lie about its sizes). Returns the new total."""
    destination = root.joinpath(*name.parts)
    if root not in destination.resolve().parents:  # belt and braces
        raise EntryRefused(Text("jalur di luar folder", "a path outside the folder"))
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(info) as source, destination.open("xb") as out:
            while chunk := source.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise EntryRefused(too_big=True)
                out.write(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise EntryRefused(Text(f"tidak dapat dibuka: {exc}",
                                f"cannot be unpacked: {exc}")) from None
    return total


def extract_zip(upload: IO[bytes], target: Path) -> Path:
    """Unpack an uploaded zip of a manifest folder into ``target`` (an empty temporary
    folder) and return the folder holding the manifest. Refused, before anything is written:
    absolute paths, ``..``, symbolic links and other special entries, more than
    PATUH_WEB_MAX_IMPORT_FILES files or PATUH_WEB_MAX_IMPORT_BYTES unpacked (counted while
    unpacking too: a zip can lie about its sizes)."""
    max_files, max_bytes = MAX_IMPORT_FILES.value(), MAX_IMPORT_BYTES.value()
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _zip_error(Text("berkas ini bukan zip yang dapat dibuka",
                              "this file is not a zip that can be opened")) from None
    with archive:
        entries = archive.infolist()
        files = [(info, name) for info in entries if (name := _safe_name(info)) is not None]
        if len(files) > max_files:
            raise _zip_error(Text(f"zip memuat {len(files)} berkas; batas {max_files} "
                                  "(PATUH_WEB_MAX_IMPORT_FILES)",
                                  f"the zip holds {len(files)} files; the limit is "
                                  f"{max_files} (PATUH_WEB_MAX_IMPORT_FILES)"))
        declared = sum(info.file_size for info, _name in files)
        if declared > max_bytes:
            raise _zip_error(_too_big(max_bytes))
        if not any(name.name.startswith("manifest.") for _info, name in files):
            raise _zip_error(Text("zip ini tidak memuat manifest (manifest.yaml atau "
                                  "manifest.xlsx)", "this zip holds no manifest "
                                  "(manifest.yaml or manifest.xlsx)"))
        root = target.resolve()
        seen: set[str] = set()
        total = 0
        for info, name in files:
            if str(name).casefold() in seen:
                raise _zip_error(Text("nama berkas ganda", "a duplicate file name"),
                                 info.filename)
            seen.add(str(name).casefold())
            try:
                total = unpack_entry(archive, info, name, root, total, max_bytes)
            except EntryRefused as exc:
                if exc.too_big:
                    raise _zip_error(_too_big(max_bytes)) from None
                raise _zip_error(exc.reason, info.filename) from None
    return _manifest_folder(root)


def _too_big(limit: int) -> Text:
    return Text(f"isi zip melebihi {limit} bita setelah dibuka (PATUH_WEB_MAX_IMPORT_BYTES)",
                f"the zip unpacks to more than {limit} bytes (PATUH_WEB_MAX_IMPORT_BYTES)")


def _manifest_folder(root: Path) -> Path:
    """The manifest at the zip's top, or in its one top folder (a zipped folder)."""
    if any((root / f"manifest.{ext}").is_file() for ext in ("yaml", "yml", "json", "xlsx")):
        return root
    inner = [p for p in root.iterdir() if p.is_dir()]
    if len(inner) == 1 and not any(p.is_file() for p in root.iterdir()):
        return inner[0]
    raise _zip_error(Text("manifest tidak di puncak zip atau di satu folder teratasnya",
                          "the manifest is neither at the top of the zip nor in its one top "
                          "folder"))
