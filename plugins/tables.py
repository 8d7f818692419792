"""Reading the spreadsheets units keep (CSV saved from Excel/LibreOffice/Google Sheets):
UTF-8 with or without a byte-order mark, `,` `;` or tab as delimiter. A helper for the
built-in fact derivers; not a plugin itself.

A header may sit below a report's title rows (it is looked for among the first
:data:`HEADER_SEARCH_ROWS` rows, by the column names the reader knows); a :class:`Vocabulary`
knows each column under the spellings people give it (``Jenis Layanan`` → ``layanan``) and
names the columns it does not know; :class:`Dates` reads dates as people type them (day first)
and says how, in one note per file, which the scoring models carry into the report
(:func:`data_notes`).

Every data file is read as a stream within limits (README, "Limits on data files"): its size
in bytes (for a workbook: the unpacked size of its parts), its rows and its columns, each
overridable by an environment variable. A file over a limit is an error that names the file,
the limit and how to raise it; nothing is read into memory whole."""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import itertools
import json
import math
import os
import re
import stat
import sys
import time
import unicodedata
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import IO
from typing import Any

from patuh import InputError
from patuh import Text
from patuh import resolve_inside
from patuh.facts import plain_copy
from patuh.habits import DAY_FIRST
from patuh.habits import MONTH_FIRST
from patuh.habits import MONTH_NAME
from patuh.habits import SERIAL
from patuh.habits import TIME_DROPPED
from patuh.habits import Reading
from patuh.habits import read_date
from patuh.habits import read_serial
from patuh.limits import Limit
from patuh.limits import count

CHUNK = 1 << 20
MAX_ROW_CHARS = 1 << 20  # one row (record) of a CSV, all its cells together


def _n(number: int, lang: str) -> str:
    return count(number, lang)


MAX_BYTES = Limit("PATUH_MAX_DATA_BYTES", 64 * 1024 * 1024, Text("bita", "bytes"))
MAX_ROWS = Limit("PATUH_MAX_DATA_ROWS", 20_000, Text("baris", "rows"))
MAX_COLUMNS = Limit("PATUH_MAX_DATA_COLUMNS", 100, Text("kolom", "columns"))
# A workbook's XML costs far more to parse than CSV (measured: 60 MB of cells or shared strings
# take about 20 s), so its unpacked size has a limit of its own: about 4 s at the default.
MAX_WORKBOOK_BYTES = Limit("PATUH_MAX_WORKBOOK_BYTES", 12 * 1024 * 1024, Text("bita", "bytes"))


def os_error(file: Path | str, exc: OSError | ValueError, json_path: str | None = None
             ) -> InputError:
    """A file that cannot be opened (no permission, a symlink loop, a name too long, a NUL
    byte in its name), as an error that names it."""
    if isinstance(exc, ValueError):  # Python refuses a NUL byte in a path
        why = Text("nama berkas memuat bita NUL", "the file name contains a NUL byte")
    elif exc.errno == errno.ELOOP:
        why = Text("tautan simbolik berputar (symlink loop)", "a symbolic link loop")
    elif exc.errno == errno.ENAMETOOLONG:
        why = Text("nama berkas atau jalurnya terlalu panjang",
                   "the file name or its path is too long")
    else:
        why = Text(f"{exc.strerror or exc}", f"{exc.strerror or exc}")
    shown = str(file).replace("\0", "\\0")
    if len(shown) > 300:
        shown = shown[:150] + "…" + shown[-150:]
    return InputError(Text("berkas tidak dapat dibaca: ", "the file cannot be read: ") + why,
                      file=shown, path=json_path,
                      hint=Text("periksa nama, izin baca dan tautan berkas itu",
                                "check the file's name, read permission and links"))


def locate(base_dir: Path, ref: str, json_path: str) -> Path:
    """A data file named in the manifest, which must lie inside the manifest's folder."""
    target, status = resolve_inside(base_dir, ref)
    if target is None:
        if status == "unreadable":
            raise os_error(base_dir / ref, _open_error(base_dir / ref), json_path)
        why = {"outside": Text("jalur keluar dari folder manifest",
                               "the path leaves the manifest's folder"),
               "not_found": Text("berkas tidak ditemukan", "file not found"),
               "not_a_file": Text("bukan berkas", "not a file")}[status]
        raise InputError(why, file=base_dir / ref, path=json_path,
                         hint=Text("letakkan berkas di dalam folder manifest",
                                   "put the file inside the manifest's folder"))
    return target


def _open_error(file: Path) -> OSError | ValueError:
    """Why ``file`` cannot be read (for the message), without opening it."""
    try:
        os.stat(file)
    except (OSError, ValueError) as exc:
        return exc
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def section_sources(section: str, labels: Mapping[str, Text] | None = None) -> dict[str, Any]:
    """What :func:`derive_section` derives ``{section}.hasil`` from, for
    ``patuh_fact_sources``: the data file, or its aggregates; and for each fact in ``labels``
    (its key in ``hasil`` and in ``rekap``), the name a reason gives it."""
    out: dict[str, Any] = {f"{section}.hasil": ((f"{section}.berkas",), (f"{section}.rekap",))}
    for key, label in (labels or {}).items():
        out[f"{section}.hasil.{key}"] = {
            "from": ((f"{section}.berkas",), (f"{section}.rekap.{key}",)), "label": label}
    return out


def derive_section(manifest: Mapping[str, Any], base_dir: Path | None, section: str,
                   read_file: Callable[[Path], dict[str, Any]],
                   from_rekap: Callable[[Mapping[str, Any]], dict[str, Any]]
                   ) -> dict[str, Any] | None:
    """``{section}.hasil`` from the data file a section names (``berkas``, read with
    ``read_file``; its name and digest recorded) or from its aggregates (``rekap``)."""
    data = manifest.get(section)
    if not data:
        return None
    if "berkas" in data and "rekap" in data:  # one would be ignored without a word
        raise InputError(
            Text(f"{section} memuat berkas dan rekap sekaligus; salah satunya akan diabaikan",
                 f"{section} has both berkas and rekap; one of them would be ignored"),
            path=section,
            hint=Text(f"berikan salah satu: {section}.berkas (berkas jawaban) atau "
                      f"{section}.rekap (rekapnya), bukan keduanya",
                      f"give one of them: {section}.berkas (the answers file) or "
                      f"{section}.rekap (its aggregates), not both"))
    if "berkas" in data and base_dir is not None:
        target = locate(base_dir, data["berkas"], f"{section}.berkas")
        hasil = memo_read(target, read_file)
        hasil["berkas"] = data["berkas"]
        hasil["sha256"] = file_digest(target)
        return {f"{section}.hasil": hasil}
    if "rekap" in data:
        return {f"{section}.hasil": from_rekap(data["rekap"])}
    return None


# --- what a long-running process has read already ------------------------------------------

# A file modified within this many nanoseconds of being read may change again within the same
# time-stamp tick (file systems keep times in 1 ns to 2 s steps): its result is not kept. The
# change time is in the stamp but not in this test (a copy that keeps the modification time).
RACY_NS = 2_000_000_000
MAX_MEMO = 256
_MEMO: dict[tuple[Any, ...], Any] = {}


def file_stamp(file: Path) -> tuple[int, ...] | None:
    """What tells a file's content unchanged, as git's index does: device, inode, size,
    modification and change times (ns); None when it cannot be read."""
    try:
        st = os.stat(file)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_DIGESTS: dict[tuple[str, tuple[int, ...]], str] = {}


def file_digest(file: Path) -> str:
    """:func:`sha256` of a data file, reused within one process while its stamp
    (:func:`file_stamp`) is unchanged and was not too recent to trust when it was hashed."""
    before = file_stamp(file)
    if before is None or os.environ.get("PATUH_NO_CACHE"):
        return sha256(file)
    key = (str(file), before)
    if key in _DIGESTS:
        return _DIGESTS[key]
    started = time.time_ns()
    digest = sha256(file)
    if before[3] < started - RACY_NS and file_stamp(file) == before:
        if len(_DIGESTS) >= MAX_MEMO:
            _DIGESTS.clear()
        _DIGESTS[key] = digest
    return digest


def memo_read(file: Path, read: Callable[..., Any], *args: Any) -> Any:
    """``read(file, *args)``, reused within one process (the web platform re-scores a unit
    after every save; a batch reads copies of the same answers) for a file of the same name
    and content (its :func:`file_digest`), the same reader and arguments and the same
    ``PATUH_*`` settings (limits). A file changed too recently to trust its stamp is read
    every time; a failed read is never kept; each caller gets its own copy.
    ``PATUH_NO_CACHE=1`` turns it off."""
    before = file_stamp(file)
    if os.environ.get("PATUH_NO_CACHE") or before is None or \
            before[3] >= time.time_ns() - RACY_NS:
        return read(file, *args)
    try:
        digest = file_digest(file)
    except (InputError, OSError):  # over a limit, gone: the reader says so in its words
        return read(file, *args)
    settings = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("PATUH_")))
    key = (read.__module__, read.__qualname__, file.name, digest, args, settings)
    held = _MEMO.get(key)
    if held is not None:
        return plain_copy(held)
    stored = _Stored(file, read, key) if read in _PERSISTENT else None
    value = stored.load() if stored is not None else None
    fresh = value is None
    if fresh:
        value = read(file, *args)
    if file_stamp(file) == before:  # else it may not be the content hashed
        if len(_MEMO) >= MAX_MEMO:
            _MEMO.clear()
        _MEMO[key] = plain_copy(value)
        if fresh and stored is not None:
            stored.save(value)
    return value


# --- results kept across processes ---------------------------------------------------------
# A cold `patuh check` spent ~9 ms computing facts from data files (SKM answers, a complaint
# log, survey and interview answers) whose content had not changed since the last run. A
# reader of aggregates marked @persistent has its result kept in the cache folder (as the rule
# cache: plain JSON, ``PATUH_NO_CACHE=1`` turns it off) under a key of everything it depends
# on: the reader, the file's name and content (sha256), the arguments, the ``PATUH_*``
# settings, the Python version and patuh's code (the core, the reader's module and this one).
# One entry per reader and file path, replaced when the key changes (the cache does not grow
# with every edit of a file). Values are written in a tagged form (every list in it is a tag:
# ``["D", {…}]`` a dict, ``["L", …]`` a list, ``["T", …]`` a tuple, ``["F", n, d]`` a
# Fraction, ``["X", id, en]`` a Text); a result is kept only when it reads back equal and of
# the same types, key order included. For a workbook the key also covers the installed
# distributions (the versions of python-calamine and openpyxl that read it).

DERIVED_FORMAT = "patuh-derived/1"
_PERSISTENT: set[Callable[..., Any]] = set()


def persistent(read: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``read`` as one whose result :func:`memo_read` may keep across processes: it must
    depend only on what the key covers (see above). Not for a reader that returns the rows
    themselves (a complaint log's cases, with their free text): the cache would keep a copy
    of what may be personal data, outside the unit's folder and after its file is gone."""
    _PERSISTENT.add(read)
    return read


class _NotKept(Exception):
    """A value the cache does not write, or an entry it does not read."""


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _NotKept
        return value
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise _NotKept
        return ["D", {key: _encode(item) for key, item in value.items()}]
    if kind is list:
        return ["L", *(_encode(item) for item in value)]
    if kind is tuple:
        return ["T", *(_encode(item) for item in value)]
    if kind is Fraction:
        return ["F", value.numerator, value.denominator]
    if kind is Text and type(value.id) is str and type(value.en) is str:
        return ["X", value.id, value.en]
    raise _NotKept


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is not list:
        if kind is dict or (kind is float and not math.isfinite(value)):
            raise _NotKept
        return value
    tag = value[0] if value else None
    if tag == "D" and len(value) == 2 and type(value[1]) is dict:
        return {key: _decode(item) for key, item in value[1].items()}
    if tag == "L":
        return [_decode(item) for item in value[1:]]
    if tag == "T":
        return tuple(_decode(item) for item in value[1:])
    if tag == "F" and len(value) == 3 and type(value[1]) is int and type(value[2]) is int \
            and value[2] > 0 and math.gcd(value[1], value[2]) == 1:
        return Fraction(value[1], value[2])
    if tag == "X" and len(value) == 3 and type(value[1]) is str and type(value[2]) is str:
        return Text(value[1], value[2])
    raise _NotKept


def _same(a: Any, b: Any) -> bool:
    """Equal, of the same types throughout, dict keys in the same order."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if type(a) is list or type(a) is tuple:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is Text:
        return _same(a.id, b.id) and _same(a.en, b.en)
    return bool(a == b)


@cache
def _code_digest(module: str) -> str:
    from patuh import rulecache

    digest = hashlib.sha256(rulecache.environment())  # the core's code, schemas, operators
    digest.update(sys.version.encode() + b"\0")
    for name in sorted({module, __name__}):
        source = getattr(sys.modules.get(name), "__file__", None)
        digest.update(name.encode() + b"\0")
        digest.update(Path(source).read_bytes() if source else b"?")
        digest.update(b"\0")
    return digest.hexdigest()


class _Stored:
    """The cache entry of one reader's result for one file."""

    def __init__(self, file: Path, read: Callable[..., Any], key: tuple[Any, ...]) -> None:
        from patuh import rulecache

        self.where: Path | None = None
        folder = rulecache.cache_dir()
        if folder is None:
            return
        installed = None
        if file.suffix.lower() in WORKBOOK_SUFFIXES:
            from patuh import manager

            # read by python-calamine or openpyxl: their versions are in the key (the names
            # of the installed distributions' metadata folders carry them)
            installed = manager.installed_key()
            if installed is None:
                return
        try:
            parts = json.dumps([DERIVED_FORMAT, *key, _code_digest(read.__module__), installed],
                               ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError, OSError):  # an argument that is not plain data
            return
        self.where = folder / "derived"
        self.key = hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()
        place = f"{read.__module__}.{read.__qualname__}\0{file}"
        self.name = hashlib.sha256(place.encode("utf-8", "surrogatepass")).hexdigest() + ".json"

    def load(self) -> Any:
        """The kept result, or None when there is none for this key (or it looks wrong)."""
        if self.where is None:
            return None
        from patuh import rulecache

        path = self.where / self.name
        try:
            if not path.is_file() or path.is_symlink():
                return None
            raw = path.read_bytes()
            entry = json.loads(raw)
            if (isinstance(entry, dict) and entry.get("format") == DERIVED_FORMAT
                    and entry.get("key") == self.key and entry.get("value") is not None
                    and rulecache.digest_matches(raw, entry, "value")):
                return _decode(entry["value"])
        except (OSError, ValueError, RecursionError, _NotKept):
            pass
        return None

    def save(self, value: Any) -> None:
        if self.where is None or value is None:
            return
        from patuh import rulecache

        try:
            encoded = _encode(value)
            text = json.dumps(encoded, ensure_ascii=False, allow_nan=False)
            if not _same(_decode(json.loads(text)), value):
                return
        except (_NotKept, TypeError, ValueError, RecursionError):
            return
        rulecache.write_entry(self.where, self.name, {
            "format": DERIVED_FORMAT, "key": self.key, "digest": rulecache.digest_of(encoded),
            "value": encoded}, encoded, "value")


def open_data(file: Path) -> IO[bytes]:
    """A data file opened for reading, after checking that it is a regular file within
    :data:`MAX_BYTES`."""
    try:  # non-blocking: a FIFO named as a data file must not hang the open
        handle = os.fdopen(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    except (OSError, ValueError) as exc:
        raise os_error(file, exc) from None
    try:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError(Text("bukan berkas biasa", "not a regular file"), file=file)
        if info.st_size > MAX_BYTES.value():
            raise MAX_BYTES.exceeded(file, info.st_size)
    except BaseException:
        handle.close()
        raise
    return handle


def sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open_data(file) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _not_csv(file: Path, workbooks: bool) -> InputError:
    if workbooks:
        return InputError(Text("ini bukan berkas CSV (mungkin buku kerja Excel yang diberi nama "
                               ".csv)", "this is not a CSV file (perhaps an Excel workbook "
                               "named .csv)"), file=file,
                          hint=Text("simpan sebagai CSV, atau beri akhiran .xlsx",
                                    "save it as CSV, or name it .xlsx"))
    return InputError(Text("ini buku kerja (XLSX/zip), bukan CSV; berkas data ini harus CSV",
                           "this is a workbook (XLSX/zip), not CSV; this data file must be "
                           "CSV"), file=file,
                      hint=Text("buka di Excel/LibreOffice lalu simpan sebagai CSV UTF-8, dan "
                                "sebut berkas .csv itu di manifest",
                                "open it in Excel/LibreOffice, save it as CSV UTF-8, and name "
                                "that .csv file in the manifest"))


def _utf16(file: Path) -> InputError:
    return InputError(Text("berkas ini teks UTF-16 (\"Unicode Text\" Excel), bukan UTF-8",
                           "this file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8"),
                      file=file, hint=Text("simpan ulang sebagai CSV UTF-8",
                                           "save it again as CSV UTF-8"))


def _nul(file: Path, line: int) -> InputError:
    return InputError(Text(f"bita NUL di baris {line}: ini bukan teks CSV (berkas biner, atau "
                           "karakter nyasar)", f"a NUL byte at line {line}: this is not CSV "
                           "text (a binary file, or a stray character)"), file=file, line=line,
                      hint=Text("hapus karakter itu, atau simpan ulang sebagai CSV UTF-8",
                                "remove that character, or save it again as CSV UTF-8"))


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with a NUL byte beside every character."""
    head = head[:256]
    if len(head) < 4:
        return False
    odd, even = head[1::2], head[0::2]
    return odd.count(0) >= 0.9 * len(odd) or even.count(0) >= 0.9 * len(even)


def encoding_of(file: Path, fallback: str | None = None, *, workbooks: bool = False) -> str:
    """``utf-8`` when the whole file is UTF-8 (with or without BOM), else ``fallback`` (e.g.
    ``cp1252``, what Excel's "CSV (Comma delimited)" writes on Windows). Read in chunks; a file
    with a zip signature (a workbook), UTF-16 text or a NUL byte is not a CSV, each said so
    (``workbooks``: the caller reads workbooks named .xlsx)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, offset, lines = True, 0, 0
    with open_data(file) as handle:
        while chunk := handle.read(CHUNK):
            if offset == 0:
                if chunk.startswith(b"PK\x03\x04"):
                    raise _not_csv(file, workbooks)
                if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
                        or _looks_utf16(chunk):
                    raise _utf16(file)
            if (nul := chunk.find(b"\0")) >= 0:
                raise _nul(file, lines + chunk.count(b"\n", 0, nul) + 1)
            lines += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            offset += len(chunk)
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        return "utf-8"
    if fallback is None:
        raise InputError(Text("berkas bukan teks UTF-8", "the file is not UTF-8 text"),
                         file=file, hint=Text("simpan ulang sebagai CSV UTF-8",
                                              "save it again as CSV UTF-8"))
    return fallback


class Rows(Iterator[tuple[int, dict[str, str]]]):
    """The non-empty rows of a CSV as (line number, {column: stripped cell}); empty cells are
    left out of the mapping. Stops with an error at a row over :data:`MAX_ROWS`, a row longer
    than :data:`MAX_ROW_CHARS` or a cell over the csv module's field limit. ``encoding`` tells
    how the file was read. No file stays open between rows (see :func:`_lines`), so a reader
    that stops early leaves nothing to close."""

    def __init__(self, file: Path, encoding: str,
                 header_score: Callable[[list[str]], int] | None = None) -> None:
        self.file, self.encoding = file, encoding
        self.count = 0
        self._max_rows = MAX_ROWS.value()
        max_columns = MAX_COLUMNS.value()
        self._budget = _Budget(file)
        found = None if header_score is None else _find_header(file, encoding, header_score)
        self.skip, delimiter = found or (0, None)
        self.header_line = self.skip + 1
        lines = self._budget.lines(_lines(file, encoding))
        for _ in range(self.skip):  # title rows above the header
            self._budget.start_record()
            next(lines, None)
        first = next(lines, "")
        if not first.strip():
            raise InputError(Text("berkas kosong atau tanpa baris judul",
                                  "the file is empty or has no header row"), file=file,
                             line=self.header_line)
        self.delimiter = delimiter or max(",;\t", key=first.count)
        self.reader = csv.reader(itertools.chain([first], lines), delimiter=self.delimiter)
        header = self._next() or []
        while header and not header[-1].strip():
            header.pop()  # trailing empty columns, as spreadsheets save them
        if len(header) > max_columns:
            raise MAX_COLUMNS.exceeded(file, len(header), line=self.header_line)
        self.header = [_clean(h) for h in header]
        refuse_duplicates(file, self.header, line=self.header_line)
        self.other_delimiter: tuple[int, str] | None = None  # (first line, delimiter)
        self.notes: list[Text] = []
        self.workbook = False

    @property
    def line_num(self) -> int:
        """The file's line number of the end of the record just read."""
        return self.reader.line_num + self.skip

    def _next(self) -> list[str] | None:
        self._budget.start_record()
        try:
            row = next(self.reader, None)
            if row is not None and self._budget.done and self._budget.quotes % 2:
                raise unclosed_quote(self.file, self._budget.opened)
            return row
        except csv.Error as exc:
            if self._budget.quotes % 2:  # a quoted cell ran over the limit of a cell
                raise unclosed_quote(self.file, self._budget.opened,
                                     csv.field_size_limit()) from None
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                raise InputError(Text(f"sel lebih dari {_n(limit, 'id')} karakter",
                                      f"a cell longer than {_n(limit, 'en')} characters"),
                                 file=self.file, line=self.line_num,
                                 hint=Text("periksa tanda kutip pada baris ini, atau "
                                           "persingkat selnya", "check the quotes on this "
                                           "line, or shorten the cell")) from None
            raise InputError(Text(f"CSV tidak sah: {exc}", f"invalid CSV: {exc}"),
                             file=self.file, line=self.line_num,
                             hint=Text("periksa tanda kutip pada baris ini",
                                       "check the quotes on this line")) from None

    def __next__(self) -> tuple[int, dict[str, str]]:
        header = self.header
        while (row := self._next()) is not None:
            cells = {}
            for name, cell in zip(header, row, strict=False):  # _clean, inlined; a longer
                # row: its cells past the header are not read
                if name and (value := cell.strip()):
                    cells[name] = value if "\r" not in value else \
                        value.replace("\r\n", "\n").replace("\r", "\n")
            if not cells and not any(cell.strip() for cell in row):
                continue
            if len(row) == 1 and len(header) > 1 and self.other_delimiter is None:
                other = next((d for d in ",;\t" if d != self.delimiter and d in row[0]), None)
                if other:
                    self.other_delimiter = (self.line_num, other)
            self.count += 1
            if self.count > self._max_rows:
                raise MAX_ROWS.exceeded(self.file, self.count, line=self.line_num,
                                        at_least=True)
            return self.line_num, cells
        raise StopIteration


    def why_unusable(self) -> Text:
        """A likely cause when no row gave a usable answer (for the error that says so)."""
        names = {",": "','", ";": "';'", "\t": "tab"}
        if self.other_delimiter is not None:
            line, other = self.other_delimiter
            return Text(f"baris judul dipisah {names[self.delimiter]} tetapi baris {line} "
                        f"dipisah {names[other]}: simpan ulang dengan satu pemisah",
                        f"the header row is separated by {names[self.delimiter]} but line "
                        f"{line} by {names[other]}: save it again with one delimiter")
        if self.count == 0:
            return Text("tidak ada baris berisi di bawah baris judul",
                        "no row below the header row has anything in it")
        return Text("semua sel jawaban kosong", "every answer cell is empty")


def no_usable_rows(file: Path, rows: Iterable[Any], message: Text, hint: Text) -> InputError:
    """The error for a data file with no usable row, with its likely cause when known."""
    if isinstance(rows, Rows | SheetRows):
        message = message + Text(": ", ": ") + rows.why_unusable()
    return InputError(message, file=file, hint=hint)


def refuse_duplicates(file: Path, header: list[str],
                      fold: Callable[[str], str] = lambda name: name, *, line: int = 1) -> None:
    """A column named twice in the header row (``fold`` tells which names are the same, e.g.
    ``str.lower``): reading it would keep one column's cells and lose the other's."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header, start=1):
        if name:
            positions.setdefault(fold(name), []).append(index)
    for where in positions.values():
        if len(where) > 1:
            name, cols = header[where[0] - 1], ", ".join(str(i) for i in where)
            raise InputError(
                Text(f"kolom {name!r} muncul lebih dari sekali (kolom ke-{cols}); isi salah "
                     "satunya akan hilang",
                     f"column {name!r} appears more than once (columns {cols}); one "
                     "column's cells would be lost"),
                file=file, line=line, path=f"[{name}]",
                hint=Text("gabungkan atau ganti nama kolom yang ganda sehingga tiap nama hanya "
                          "ada satu kolom", "merge or rename the duplicated columns so that "
                          "each name has one column"))


class _Budget:
    """Counts the characters of the row being read; stops a row over MAX_ROW_CHARS (an
    unclosed quote swallowing the file, or millions of empty cells) before csv builds it."""

    def __init__(self, file: Path) -> None:
        self.file, self.chars, self.line = file, 0, 0
        self.quotes, self.opened, self.done = 0, 0, False

    def start_record(self) -> None:
        self.chars, self.quotes = 0, 0

    def lines(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            self.line += 1
            self.chars += len(line)
            if quotes := line.count('"'):
                if (self.quotes + quotes) % 2 and (self.quotes % 2 == 0 or quotes > 1):
                    self.opened = self.line  # a quote left open on this line
                self.quotes += quotes
            if self.chars > MAX_ROW_CHARS:
                if self.quotes % 2:
                    raise unclosed_quote(self.file, self.opened, MAX_ROW_CHARS)
                raise _too_long(self.file, self.line)
            yield line
        self.done = True


def unclosed_quote(file: Path, line: int, within: int | None = None) -> InputError:
    """A quote opened on ``line`` and not closed: by the end of the file, or (``within``)
    within that many characters, a limit of the reader: the cell swallows the rows after it."""
    if within is None:
        where_id, where_en = "", ""
        hint = Text('tutup tanda petik (") itu atau hapus', 'close that quote (") or remove it')
    else:
        where_id = f" dalam {_n(within, 'id')} karakter"
        where_en = f" within {_n(within, 'en')} characters"
        hint = Text('tutup tanda petik (") itu atau hapus; bila selnya memang sepanjang itu, '
                    "persingkat", 'close that quote (") or remove it; if the cell really is '
                    "that long, shorten it")
    return InputError(Text(f"tanda petik tidak ditutup di baris {line}{where_id}: sel itu "
                           "menelan baris-baris sesudahnya",
                           f"an unclosed quote at line {line}{where_en}: that cell swallows "
                           "the rows after it"), file=file, line=line, hint=hint)


def _too_long(file: Path, line: int) -> InputError:
    return InputError(Text(f"baris lebih dari {_n(MAX_ROW_CHARS, 'id')} karakter",
                           f"a row longer than {_n(MAX_ROW_CHARS, 'en')} characters"),
                      file=file, line=line,
                      hint=Text("periksa tanda kutip: kutip yang tidak ditutup menelan sisa "
                                "berkas", "check the quotes: an unclosed quote swallows the "
                                "rest of the file"))


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")


def _lines(file: Path, encoding: str) -> Iterator[str]:
    """The file's lines with their ends (``\n``, ``\r\n`` or a bare ``\r`` as old Mac
    Excel writes), decoded chunk by chunk. The file is opened for each chunk and closed
    before any line is handed out."""
    utf8 = encoding == "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else encoding)(
        "strict" if utf8 else "replace")
    offset, pending, line = 0, "", 0
    while True:
        with open_data(file) as handle:
            handle.seek(offset)
            chunk = handle.read(CHUNK)
        offset += len(chunk)
        try:
            text = pending + decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:  # the file changed since its encoding was checked
            raise InputError(Text("berkas bukan teks UTF-8", "the file is not UTF-8 text"),
                             file=file) from None
        if not chunk:
            if text:
                yield text
            return
        end = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))
        pending = text[end + 1:]
        if len(pending) > MAX_ROW_CHARS:
            raise _too_long(file, line + text.count("\n", 0, end + 1) + 1)
        for found in LINE.findall(text, 0, end + 1):
            line += 1
            yield found


def _clean(cell: str) -> str:
    """A cell as read: stripped, with Windows/old-Mac line ends inside it made ``\\n``."""
    cell = cell.strip()
    return cell.replace("\r\n", "\n").replace("\r", "\n") if "\r" in cell else cell


def read_rows(file: Path, fallback: str | None = None, *, workbooks: bool = False,
              header_score: Callable[[list[str]], int] | None = None,
              sheet: str | None = None, sheet_path: str | None = None,
              header_is: Text | None = None) -> tuple[list[str], Rows | SheetRows]:
    """The header and the non-empty rows as (line number, {column: stripped cell}), streamed.
    A cell left empty is not in the row's mapping (read it with ``row.get(column, "")``).
    ``workbooks``: a file named .xlsx/.xlsm is read as a workbook (:class:`SheetRows`:
    ``sheet``, named at ``sheet_path``, or the first sheet whose first rows hold the header,
    ``header_is`` saying what that is), and a workbook named .csv is told to be renamed.
    ``header_score``: how much a row looks like the header (0: not at all); the header is then
    looked for below title rows (see :func:`_find_header`), else it is the first line."""
    if workbooks and file.suffix.lower() in WORKBOOK_SUFFIXES:
        sheet_rows = SheetRows(file, header_score, sheet, sheet_path, header_is)
        return sheet_rows.header, sheet_rows
    if sheet is not None:
        raise InputError(Text(f"lembar {sheet!r} diminta, tetapi berkas ini bukan buku kerja "
                              "(.xlsx)", f"sheet {sheet!r} asked for, but this file is not a "
                              "workbook (.xlsx)"), file=file, path=sheet_path,
                         hint=Text("lembar hanya untuk berkas .xlsx; hapus pilihan lembar",
                                   "a sheet is for .xlsx files only; drop the sheet option"))
    rows = Rows(file, encoding_of(file, fallback, workbooks=workbooks), header_score)
    return rows.header, rows


# --- workbooks -------------------------------------------------------------------------------

WORKBOOK = "xlsx"  # the "encoding" of rows read from a workbook
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def workbook_cell(value: Any) -> str:
    """A cell's value as text: a date cell as its ISO date, 4.0 as ``4``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_error(file: Path, exc: BaseException) -> InputError:
    return InputError(Text(f"berkas XLSX tidak dapat dibaca: {type(exc).__name__}: {exc}",
                           f"the XLSX file cannot be read: {type(exc).__name__}: {exc}"),
                      file=file, hint=Text("buka dan simpan ulang di Excel/LibreOffice, atau "
                                           "simpan sebagai CSV", "open and save it again in "
                                           "Excel/LibreOffice, or save it as CSV"))


def _check_zip(file: Path) -> None:
    """Refuse a workbook whose parts unpack to more than its limit (a zip bomb, or XML that
    takes long to parse), from the sizes its zip directory declares: reading never goes past
    them."""
    import zipfile

    limit = MAX_WORKBOOK_BYTES.value()
    with open_data(file) as handle:
        try:
            with zipfile.ZipFile(handle) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _xlsx_error(file, exc) from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit:
        raise MAX_WORKBOOK_BYTES.exceeded(file, unpacked, unpacked=True)


def _sheet_header(sheet: Any, width: int, score: Callable[[list[str]], int] | None
                  ) -> tuple[int, list[str]] | None:
    """(row number, header) of the first of the first rows that looks like the header."""
    if score is None:
        return None
    rows = sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=width,
                           values_only=True)
    for number, row in enumerate(rows, start=1):
        cells = [workbook_cell(v) for v in row]
        if score(cells) > 0:
            return number, cells
    return None


def _no_sheet(file: Path, name: str, sheetnames: list[str], json_path: str | None
              ) -> InputError:
    names = ", ".join(repr(n) for n in sheetnames)
    return InputError(Text(f"lembar {name!r} tidak ada di buku kerja ini; lembar yang ada: "
                           f"{names}", f"sheet {name!r} is not in this workbook; its sheets: "
                           f"{names}"), file=file, path=json_path,
                      hint=Text("sebut salah satu nama lembar itu persis",
                                "name one of those sheets exactly"))


def _no_worksheet(file: Path) -> InputError:
    return InputError(Text("buku kerja tanpa lembar kerja", "the workbook has no worksheet"),
                      file=file)


def _pick_sheet(book: Any, file: Path, name: str | None, width: int,
                score: Callable[[list[str]], int] | None, json_path: str | None
                ) -> tuple[Any, tuple[int, list[str]] | None]:
    """The worksheet to read: the one named, else the first whose first rows hold the header,
    else the first."""
    if name is not None:
        if name not in book.sheetnames:
            raise _no_sheet(file, name, book.sheetnames, json_path)
        sheet = book[name]
        if not hasattr(sheet, "reset_dimensions"):
            raise InputError(Text(f"lembar {name!r} bukan lembar kerja (mungkin grafik)",
                                  f"sheet {name!r} is not a worksheet (perhaps a chart)"),
                             file=file, path=json_path)
        sheet.reset_dimensions()
        return sheet, _sheet_header(sheet, width, score)
    if not book.worksheets:
        raise _no_worksheet(file)
    first = book.worksheets[0]
    for sheet in book.worksheets[:HEADER_SEARCH_ROWS]:
        if not hasattr(sheet, "reset_dimensions"):
            continue
        sheet.reset_dimensions()
        found = _sheet_header(sheet, width, score)
        if found is not None:
            return sheet, found
    if not hasattr(first, "reset_dimensions"):  # a chartsheet first: not a table
        raise InputError(Text("lembar pertama bukan lembar kerja (mungkin grafik)",
                              "the first sheet is not a worksheet (perhaps a chart)"),
                         file=file, hint=Text("pindahkan tabelnya ke lembar pertama",
                                              "move the table to the first sheet"))
    return first, None


# The quick reader (python-calamine, Rust) holds a sheet in memory as a dense grid: beyond this
# many cells (rows × columns, from the cell references in the file) openpyxl streams it instead.
QUICK_MAX_CELLS = 1_000_000
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"([0-9]{1,7})\"")
# what the two readers give differently: error cells (#N/A: calamine gives an empty cell),
# escaped characters (_x000D_), whole numbers beyond a float's 53 bits (openpyxl keeps an int)
_NOT_QUICK = re.compile(rb"\bt=\"e\"|_x[0-9A-Fa-f]{4}_|<(?:\w+:)?v>\s*-?[0-9]{16,}")


def _quick_readable(file: Path) -> bool:
    """Whether the quick reader gives here exactly the cells openpyxl gives: its parts hold
    no cell it reads differently, and its sheets fit :data:`QUICK_MAX_CELLS` (the parts'
    unpacked size is already within :data:`MAX_WORKBOOK_BYTES`)."""
    import zipfile

    with open_data(file) as handle:
        try:
            with zipfile.ZipFile(handle) as archive:
                for member in archive.infolist():
                    if not member.filename.lower().endswith(".xml"):
                        continue
                    xml = archive.read(member)
                    if _NOT_QUICK.search(xml):
                        return False
                    rows = max((int(m[1]) for m in _ROW_REF.finditer(xml)), default=0)
                    columns = 0
                    for match in _CELL_REF.finditer(xml):
                        rows = max(rows, int(match[2]))
                        columns = max(columns, _column_number(match[1]))
                    if rows * max(columns, 1) > QUICK_MAX_CELLS:
                        return False
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                NotImplementedError):
            return False  # openpyxl says what is wrong, as it always has
    return True


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _QuickBook:
    """A workbook read by python-calamine, as much of it as :class:`SheetRows` reads."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheetnames: list[str] = list(book.sheet_names)
        self._grids: dict[str, list[list[Any]]] = {}

    def grid(self, name: str) -> list[list[Any]]:
        """Every row of the sheet from row 1 and column A (empty cells as "")."""
        if name not in self._grids:
            self._grids[name] = self.book.get_sheet_by_name(name).to_python(
                skip_empty_area=False)
        return self._grids[name]


def _open_quick(file: Path) -> _QuickBook | None:
    """The workbook read by python-calamine, or None where openpyxl must read it: calamine
    not installed, cells it reads differently (:func:`_quick_readable`), a sheet that is not
    a worksheet (a chart), or anything it cannot read (openpyxl then says what is wrong)."""
    try:
        import python_calamine
    except ImportError:
        return None
    if not _quick_readable(file):
        return None
    try:
        with open_data(file) as handle:
            book = python_calamine.CalamineWorkbook.from_filelike(handle)
        worksheet = python_calamine.SheetTypeEnum.WorkSheet
        if any(meta.typ != worksheet for meta in book.sheets_metadata):
            return None
        return _QuickBook(book)
    except InputError:
        raise
    except Exception:  # a damaged workbook: openpyxl's message, as before
        return None


def _quick_header(grid: list[list[Any]], width: int, score: Callable[[list[str]], int] | None
                  ) -> tuple[int, list[str]] | None:
    """:func:`_sheet_header` over a quick reader's grid."""
    if score is None:
        return None
    for number, row in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        cells = [workbook_cell(v) for v in row[:width]]
        if score(cells) > 0:
            return number, cells
    return None


class SheetRows(Iterator[tuple[int, dict[str, str]]]):
    """The non-empty rows of a workbook's sheet as (row number, {column: cell as text}), like
    :class:`Rows`. The sheet's stored dimension is not trusted (a stale one hides rows; a huge
    one would pad millions of empty cells): what is in the sheet is read. Date cells become ISO
    dates; ``workbook`` tells a reader that numbers in a date column are date serials.

    Read by python-calamine where it gives the same cells as openpyxl (:func:`_open_quick`),
    several times faster to import and read; else, and for every error, by openpyxl."""

    encoding = WORKBOOK
    workbook = True
    other_delimiter: tuple[int, str] | None = None

    def __init__(self, file: Path, header_score: Callable[[list[str]], int] | None,
                 sheet_name: str | None = None, json_path: str | None = None,
                 header_is: Text | None = None) -> None:
        self.file, self.count, self.notes = file, 0, []
        _check_zip(file)
        quick = _open_quick(file)
        if quick is None or not self._read_quick(quick, header_score, sheet_name, json_path,
                                                 header_is):
            self._read_openpyxl(header_score, sheet_name, json_path, header_is)

    def _read_quick(self, book: _QuickBook, header_score: Callable[[list[str]], int] | None,
                    sheet_name: str | None, json_path: str | None,
                    header_is: Text | None) -> bool:
        """As :meth:`_read_openpyxl`; False where openpyxl must read the workbook after all."""
        file, max_columns = self.file, MAX_COLUMNS.value()
        width = max_columns + 1
        try:
            if sheet_name is not None:
                if sheet_name not in book.sheetnames:
                    raise _no_sheet(file, sheet_name, book.sheetnames, json_path)
                title = sheet_name
                found = _quick_header(book.grid(title), width, header_score)
            else:
                if not book.sheetnames:
                    raise _no_worksheet(file)
                title, found = book.sheetnames[0], None
                for name in book.sheetnames[:HEADER_SEARCH_ROWS]:
                    found = _quick_header(book.grid(name), width, header_score)
                    if found is not None:
                        title = name
                        break
            grid = book.grid(title)
        except InputError:
            raise
        except Exception:
            return False
        if found is None:
            self.header_line = 1
            header = [workbook_cell(v) for v in (grid[0] if grid else ())[:width]]
        else:
            self.header_line, header = found
        self._start(title, sheet_name is None and title != book.sheetnames[0], header,
                    header_is)
        self._body = self._quick_rows(grid)
        return True

    def _read_openpyxl(self, header_score: Callable[[list[str]], int] | None,
                       sheet_name: str | None, json_path: str | None,
                       header_is: Text | None) -> None:
        import openpyxl  # only for workbooks the quick reader leaves to it

        file = self.file
        try:
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise _xlsx_error(file, exc) from None
        max_columns = MAX_COLUMNS.value()
        try:
            sheet, found = _pick_sheet(book, file, sheet_name, max_columns + 1, header_score,
                                       json_path)
            if found is None:
                self.header_line = 1
                first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
                header = [workbook_cell(v) for v in first[:max_columns + 1]]
            else:
                self.header_line, header = found
        except InputError:
            book.close()
            raise
        except Exception as exc:
            book.close()
            raise _xlsx_error(file, exc) from None
        try:
            self._start(sheet.title, sheet_name is None and sheet is not book.worksheets[0],
                        header, header_is)
        except InputError:
            book.close()
            raise
        self._body = self._rows(book, sheet)

    def _start(self, title: str, not_first: bool, header: list[str],
               header_is: Text | None) -> None:
        """The header, checked, and the note on which sheet was read."""
        file = self.file
        if not_first:
            what = header_is or Text("baris judul yang dikenali", "a header row patuh knows")
            self.notes.append(Text(f"dibaca lembar {title!r} (lembar pertama yang memuat "
                                   f"{what.id})", f"read sheet {title!r} (the first sheet "
                                   f"with {what.en})"))
        while header and not header[-1]:
            header.pop()
        if not header:
            raise InputError(Text(f"baris pertama lembar {title!r} kosong",
                                  f"the first row of sheet {title!r} is empty"), file=file,
                             line=1, hint=Text(f"baris judul harus ada di {HEADER_SEARCH_ROWS} "
                                               "baris pertama", "the header row must be within "
                                               f"the first {HEADER_SEARCH_ROWS} rows"))
        if len(header) > MAX_COLUMNS.value():
            raise MAX_COLUMNS.exceeded(file, len(header), line=self.header_line, at_least=True)
        self.header = header

    def _quick_rows(self, grid: list[list[Any]]) -> Iterator[tuple[int, dict[str, str]]]:
        header, max_rows = self.header, MAX_ROWS.value()
        for number in range(self.header_line + 1, len(grid) + 1):
            cells = {}
            for name, value in zip(header, grid[number - 1], strict=False):
                if name and value != "" and (text := workbook_cell(value)):
                    cells[name] = text
            if not cells:
                continue
            self.count += 1
            if self.count > max_rows:
                raise MAX_ROWS.exceeded(self.file, self.count, line=number, at_least=True)
            yield number, cells

    def _rows(self, book: Any, sheet: Any) -> Iterator[tuple[int, dict[str, str]]]:
        header, first = self.header, self.header_line + 1
        max_rows = MAX_ROWS.value()
        try:
            for number, row in enumerate(sheet.iter_rows(min_row=first, max_col=len(header),
                                                         values_only=True), start=first):
                if row.count(None) == len(row):  # quick: the rows between rows
                    continue
                cells = {header[i]: text for i, value in enumerate(row)
                         if header[i] and (text := workbook_cell(value))}
                if not cells:
                    continue
                self.count += 1
                if self.count > max_rows:
                    raise MAX_ROWS.exceeded(self.file, self.count, line=number, at_least=True)
                yield number, cells
        except InputError:
            raise
        except Exception as exc:  # a damaged or hostile sheet (entities, bad XML)
            raise _xlsx_error(self.file, exc) from None
        finally:
            book.close()

    def __next__(self) -> tuple[int, dict[str, str]]:
        return next(self._body)

    def why_unusable(self) -> Text:
        if self.count == 0:
            return Text("tidak ada baris berisi di bawah baris judul",
                        "no row below the header row has anything in it")
        return Text("semua sel jawaban kosong", "every answer cell is empty")


WHOLE = re.compile(r"^\s*([0-9]{1,3})(?:[.,]0+)?\s*$", re.ASCII)


def whole_number(cell: str) -> int | None:
    """A small whole number as a spreadsheet writes it ("3", "3.0", "3,0"), else None.

    Cells are never handed to ``Fraction``/``float``/``int`` as typed: "1e999999999" would
    hang, and ``int`` also takes superscript or Arabic-Indic digits and thousands of them."""
    match = WHOLE.match(cell) if len(cell) <= 64 else None
    return int(match.group(1)) if match else None


# --- how people write a header and its dates --------------------------------------------------

HEADER_SEARCH_ROWS = 20  # a header is looked for among the first rows only


def _capped(lines: Iterable[str], limit: int) -> Iterator[str]:
    """``lines`` until ``limit`` characters have been handed out."""
    total = 0
    for line in lines:
        total += len(line)
        if total > limit:
            return
        yield line


def _find_header(file: Path, encoding: str, score: Callable[[list[str]], int]
                 ) -> tuple[int, str] | None:
    """(lines above the header, its delimiter) for the first of the first
    :data:`HEADER_SEARCH_ROWS` records that looks like the header (``score`` > 0; the highest
    score wins on the same line), trying each delimiter; None when none does. Reads at most
    :data:`MAX_ROW_CHARS` characters per delimiter."""
    best: tuple[int, int, str] | None = None
    for delimiter in ",;\t":
        reader = csv.reader(_capped(_lines(file, encoding), MAX_ROW_CHARS), delimiter=delimiter)
        try:
            for _ in range(HEADER_SEARCH_ROWS):
                start = reader.line_num
                row = next(reader, None)
                if row is None:
                    break
                points = score([_clean(cell) for cell in row[:MAX_COLUMNS.value() + 1]])
                if points > 0:
                    if best is None or (start, -points) < best[:2]:
                        best = (start, -points, delimiter)
                    break
        except (csv.Error, InputError):  # the real reader names it
            continue
    return None if best is None else (best[0], best[2])


def fold(name: str) -> str:
    """A column name as compared: case, spaces and punctuation ignored (``Jenis Kelamin (L/P)``
    → ``jenis_kelamin_l_p``, ``U1. Persyaratan`` → ``u1_persyaratan``)."""
    return "_".join(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name).casefold()))


@dataclass
class Header:
    """What a reader made of a header row: the columns it reads, by their canonical name
    (mapped to the header's own spelling, the rows' key), and what it left."""

    columns: dict[str, str]
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (as written, canonical)
    unknown: list[str] = field(default_factory=list)  # not read
    shadowed: list[tuple[str, str]] = field(default_factory=list)  # (not read, the one read)

    def get(self, canonical: str) -> str | None:
        return self.columns.get(canonical)

    def shadowed_names(self) -> set[str]:
        return {name for name, _ in self.shadowed}

    def notes(self, *, kept_as_text: bool = False) -> list[Text]:
        """What the reader made of the header, for the user: the headings it read under
        another name, the columns it does not know (``kept_as_text``: they are kept, as text,
        but no rule reads them), and the columns a closer spelling shadowed."""
        notes = []
        if self.renamed:
            pairs = ", ".join(f"{name!r} → {canonical}" for name, canonical in self.renamed)
            notes.append(Text(f"judul kolom dibaca sebagai: {pairs}",
                              f"column headings read as: {pairs}"))
        if self.unknown:
            names = ", ".join(repr(name) for name in self.unknown)
            notes.append(Text(f"kolom tidak dikenal, disimpan sebagai teks tanpa dinilai: {names}",
                              f"columns not known, kept as text but not assessed: {names}")
                         if kept_as_text else
                         Text(f"kolom tidak dikenal, tidak dibaca: {names}",
                              f"columns not known, not read: {names}"))
        for name, used in self.shadowed:
            notes.append(Text(f"kolom {name!r} tidak dibaca: isinya sudah diambil dari {used!r}",
                              f"column {name!r} not read: {used!r} gives the same"))
        return notes


class Vocabulary:
    """The columns a reader knows, each with the spellings people give it (compared after
    :func:`fold`); ``match`` recognises names by shape (``U1 Persyaratan``); ``unused``:
    known columns that are not read (``no``, ``nama``), left without a note; ``single``:
    columns that must not appear twice (a second one would lose answers)."""

    def __init__(self, names: Mapping[str, Iterable[str]], *, unused: Iterable[str] = (),
                 match: Callable[[str], str | None] | None = None,
                 single: Iterable[str] = ()) -> None:
        self._exact: dict[str, tuple[str, int]] = {}
        for canonical, spellings in names.items():
            for rank, spelling in enumerate((canonical, *spellings)):
                self._exact.setdefault(fold(spelling), (canonical, rank))
        self._unused = {fold(name) for name in unused}
        self._match = match
        self.single = set(single)

    def canonical(self, name: str) -> tuple[str, int] | None:
        """(canonical name, rank: lower is a closer spelling), or None."""
        known = self._exact.get(fold(name))
        if known is not None:
            return known
        found = self._match(name) if self._match is not None and len(name) <= 200 else None
        return None if found is None else (found, 1000)

    def known(self, cells: Iterable[str]) -> set[str]:
        """The canonical columns a row names (to tell a header from a title row)."""
        return {found[0] for cell in cells if cell and (found := self.canonical(cell))}

    def resolve(self, file: Path, header: list[str], line: int = 1) -> Header:
        found: dict[str, list[tuple[int, int, str]]] = {}
        unknown = []
        for index, name in enumerate(header, start=1):
            if not name:
                continue
            known = self.canonical(name)
            if known is None:
                if fold(name) not in self._unused:
                    unknown.append(name)
                continue
            found.setdefault(known[0], []).append((known[1], index, name))
        result = Header({}, unknown=unknown)
        for canonical, spellings in found.items():
            if len(spellings) > 1 and canonical in self.single:
                first, second = spellings[0], spellings[1]
                raise InputError(
                    Text(f"kolom {first[2]!r} (ke-{first[1]}) dan {second[2]!r} "
                         f"(ke-{second[1]}) sama-sama dibaca sebagai {canonical}; isi salah "
                         "satunya akan hilang",
                         f"columns {first[2]!r} (no. {first[1]}) and {second[2]!r} "
                         f"(no. {second[1]}) are both read as {canonical}; one column's "
                         "cells would be lost"),
                    file=file, line=line, path=f"[{second[2]}]",
                    hint=Text("gabungkan atau ganti nama salah satu kolom",
                              "merge the two columns or rename one of them"))
            spellings.sort()
            name = spellings[0][2]
            result.columns[canonical] = name
            if fold(name) != fold(canonical):
                result.renamed.append((name, canonical))
            result.shadowed.extend((other[2], name) for other in spellings[1:])
        result.renamed.sort(key=lambda pair: header.index(pair[0]))
        return result


ACCEPTED_DATES = Text("31/10/2025, 31-10-2025, 31.10.2025, 31 Oktober 2025 atau 2025-10-31",
                      "31/10/2025, 31-10-2025, 31.10.2025, 31 Oktober 2025 or 2025-10-31")


def shown(cell: str) -> str:
    return cell if len(cell) <= 40 else cell[:40] + "…"


def bad_date(file: Path, line: int, column: str, cell: str) -> InputError:
    return InputError(Text(f"kolom {column!r}: {shown(cell)!r} bukan tanggal yang dikenali",
                           f"column {column!r}: {shown(cell)!r} is not a date patuh can read"),
                      file=file, line=line, path=f"[{column}]",
                      hint=Text("tulis tanggal seperti " + ACCEPTED_DATES.id + " (hari lebih "
                                "dulu)", "write dates like " + ACCEPTED_DATES.en
                                + " (day first)"))


class Dates:
    """Reads one file's dates as people type them (:func:`patuh.habits.read_date`; with
    ``serials``, a workbook's date serial numbers too) and counts how, for a one-line note."""

    def __init__(self, *, serials: bool = False) -> None:
        self.serials = serials
        self._rows: dict[str, int] = {}
        self._last: dict[str, int] = {}
        self._example: dict[str, Reading] = {}
        self._ambiguous = 0  # read day first where month first was possible too
        self._month_first: tuple[int, str] | None = None
        self._read: dict[str, tuple[date, Reading | None] | None] = {}

    def read(self, cell: str, line: int) -> date | None:
        if cell in self._read:  # a file repeats its dates: each read once
            got = self._read[cell]
        else:
            got = read_date(cell)
            if got is None and self.serials:
                got = read_serial(cell)
            if len(self._read) < 4096:
                self._read[cell] = got
        if got is None:
            return None
        day, reading = got
        if reading is not None:
            key = reading.how.en
            if self._last.get(key) != line:
                self._rows[key] = self._rows.get(key, 0) + 1
                self._last[key] = line
            self._example.setdefault(key, reading)
            if reading.how == DAY_FIRST and day.day <= 12 and day.month != day.day:
                self._ambiguous += 1
            if reading.how == MONTH_FIRST and self._month_first is None:
                self._month_first = (line, reading.raw)
        return day

    def read_or_fail(self, file: Path, line: int, column: str, cell: str) -> date:
        day = self.read(cell, line)
        if day is None:
            raise bad_date(file, line, column, cell)
        return day

    def note(self) -> Text | None:
        """``tanggal dibaca hari lebih dulu (DD/MM/YYYY), mis. '31/10/2025' → 2025-10-31:
        412 baris``; None when every date was ISO."""
        if not self._rows:
            return None
        parts_id, parts_en = [], []
        for key, rows in self._rows.items():
            example = self._example[key]
            form = _form(example)
            how = _HOW.get(key, example.how)
            parts_id.append(f"{how.id}{form}, mis. {example.raw.strip()!r} → {example.value}: "
                            f"{_n(rows, 'id')} baris")
            parts_en.append(f"{how.en}{form}, e.g. {example.raw.strip()!r} → {example.value}: "
                            f"{_n(rows, 'en')} {'row' if rows == 1 else 'rows'}")
        text = Text("tanggal dibaca " + "; ".join(parts_id),
                    "dates read " + "; ".join(parts_en))
        if self._month_first is not None and self._ambiguous:
            line, raw = self._month_first
            text = text + Text(
                f" — PERIKSA: {raw!r} (baris {line}) hanya dapat dibaca bulan lebih dulu, "
                f"tetapi {_n(self._ambiguous, 'id')} tanggal yang dapat dibaca dua arah dibaca "
                "hari lebih dulu",
                f" — CHECK: {raw!r} (line {line}) can only be read month first, but "
                f"{_n(self._ambiguous, 'en')} dates that read both ways were read day first")
        return text


_HOW = {MONTH_NAME.en: Text("dengan nama bulan", "with the month's name"),
        SERIAL.en: Text("dari nomor seri tanggal Excel", "from Excel date serial numbers"),
        TIME_DROPPED.en: Text("tanpa jamnya", "without their time")}


def _form(reading: Reading) -> str:
    """The pattern of a numeric date as written (``DD/MM/YYYY``), for the note."""
    match = re.match(r"\s*[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{4}", reading.raw)
    if match is None:
        return ""
    sep = match[1]
    if reading.how == MONTH_FIRST:
        return f" (MM{sep}DD{sep}YYYY)"
    return f" (DD{sep}MM{sep}YYYY)"


def header_note(line: int) -> Text | None:
    """Where the header was found, when title rows were above it."""
    if line <= 1:
        return None
    return Text(f"baris judul kolom ditemukan di baris {line}; {line - 1} baris di atasnya "
                "(judul) dilewati",
                f"the header row was found on line {line}; the {line - 1} rows above it "
                "(titles) were skipped")


def data_notes(facts: Any) -> list[Text]:
    """One note per data file that a fact deriver read (``berkas`` with its ``sha256`` and
    ``catatan``): how its header and dates were read, the columns it left. For the scoring
    models, which carry them into the report."""
    found: dict[str, list[Text]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            notes = node.get("catatan")
            if isinstance(node.get("berkas"), str) and isinstance(node.get("sha256"), str) \
                    and isinstance(notes, list) and notes:  # as a deriver records a file
                found[node["berkas"]] = [Text.of(n) for n in notes]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(facts)
    out = []
    for berkas, notes in sorted(found.items()):
        out.append(Text(f"{berkas}: " + "; ".join(n.id for n in notes) + ".",
                        f"{berkas}: " + "; ".join(n.en for n in notes) + "."))
    return out
