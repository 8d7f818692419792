"""A cache of parsed and validated rule files, so a check does not parse and validate every
rule file again on each run (most of the cost of loading a ruleset).

The key covers everything the loaded ruleset depends on: every file of the ruleset folder and
its path, the bibliography beside it (``sources.yaml``), the bundled schemas, the operators'
argument schemas, and patuh's own code. Any change
makes a new key; a stale entry is never read. The cache lives in ``$PATUH_CACHE_DIR``, else
``$XDG_CACHE_HOME/patuh``, else ``~/.cache/patuh``; ``PATUH_NO_CACHE=1`` turns it off. A cache
that cannot be written is simply not used. `patuh rules validate` never uses it. Entries not
written for 60 days are removed (see :func:`prune`): the folder does not grow without end.

An entry is plain JSON (it cannot run code when read, unlike a pickle): the key it was written
for and the data of each rule file, with a digest of that data. An entry that is not JSON, has
the wrong shape, another key or a digest that does not match is ignored and rebuilt. The digest
catches damage, not a deliberate forgery (whoever can write the cache can also write a forged
digest): a forged entry can at most change rule data, which is then checked again as the
ruleset is built (ids, versions, periods, weights, scoring models, and every condition's
operator and arguments, by predicates compiled from the operators' schemas; any error: the
files are read again); it can never execute code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from patuh import manager
from patuh.sources import BIBLIOGRAPHY_FILE


def cache_dir() -> Path | None:
    if os.environ.get("PATUH_NO_CACHE"):
        return None
    if os.environ.get("PATUH_CACHE_DIR"):
        return Path(os.environ["PATUH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "patuh"


@cache
def environment() -> bytes:
    """patuh's code, its schemas and the operators' argument schemas."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for schema in sorted(resources.files("patuh.schemas").iterdir(), key=lambda p: p.name):
        if schema.name.endswith(".json"):
            digest.update(schema.name.encode() + schema.read_bytes())
    operators = {name: dict(op.schema) for name, op in manager.operators().items()}
    digest.update(json.dumps(operators, sort_keys=True, default=str).encode())
    return digest.digest()


def read_folder(folder: Path) -> dict[str, bytes]:
    """The content of every file below ``folder`` (links to folders not followed, as the
    rule files are found), by relative path in sorted order: read once for the key and for
    the digests of the ruleset and its rules."""
    found: dict[str, bytes] = {}
    top = os.fspath(folder)
    for root, dirs, files in os.walk(top):  # strings, not Paths: a third of the time
        dirs.sort()
        below = os.path.relpath(root, top)
        prefix = "" if below == os.curdir else below.replace(os.sep, "/") + "/"
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    found[prefix + name] = handle.read()
    return found


def folder_key(folder: Path, files: dict[str, bytes] | None = None) -> str:
    """The cache key of a ruleset folder: patuh's environment, the folder's path and every
    file in it (``files``: already read)."""
    digest = hashlib.sha256(environment())
    digest.update(str(folder.resolve()).encode())
    for name, content in (read_folder(folder) if files is None else files).items():
        digest.update(name.encode() + b"\0")
        digest.update(content + b"\0")
    # the bibliography beside the ruleset folder: loading checks the keys the rules cite
    bibliography = folder.parent / BIBLIOGRAPHY_FILE
    digest.update(b"\0bibliography\0")
    if bibliography.is_file():
        digest.update(bibliography.read_bytes())
    return digest.hexdigest()


FORMAT = "patuh-rule-cache/2"


def digest_of(data: Any) -> str:
    """The digest an entry keeps of its data (catches damage, not a forgery)."""
    return _digest(data)


def _digest(files: Any) -> str:
    # not sorted: the order of keys is kept (reports and docs list things in file order)
    return hashlib.sha256(json.dumps(files, ensure_ascii=False,
                                     allow_nan=False).encode()).hexdigest()


def digest_matches(raw: bytes, entry: dict[str, Any], field: str) -> bool:
    """Whether ``entry`` (read from ``raw``) carries the digest of its ``field``. An entry
    written by ``write_entry`` ends with that field (``…, "files": {…}}``), so the digest of
    those bytes is checked without encoding the data again (milliseconds on a large ruleset);
    an entry laid out otherwise is checked by encoding it."""
    digest = entry.get("digest")
    marker = f', "{field}": '.encode()
    start = raw.find(marker)
    if (start >= 0 and raw.endswith(b"}")
            and hashlib.sha256(raw[start + len(marker):-1]).hexdigest() == digest):
        return True
    return digest == _digest(entry[field])


def load(folder: Path, files: dict[str, bytes] | None = None
         ) -> tuple[dict[str, Any] | None, str | None]:
    """(the cached data of the folder's files, or None; the key to store it under).
    ``files``: what ``read_folder(folder)`` gave, if it was read already."""
    where = cache_dir()
    if where is None:
        return None, None
    key = folder_key(folder, files)
    try:
        path = where / f"{key}.json"
        if not path.is_file() or path.is_symlink():
            return None, key
        raw = path.read_bytes()
        entry = json.loads(raw)
        if (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == key
                and isinstance(entry.get("files"), dict)
                and digest_matches(raw, entry, "files")):
            return entry["files"], key
    except (OSError, ValueError, RecursionError):
        pass
    return None, key


def store(key: str | None, files: dict[str, Any]) -> None:
    where = cache_dir()
    if where is None or key is None:
        return
    try:
        entry = {"format": FORMAT, "key": key, "digest": _digest(files), "files": files}
    except (TypeError, ValueError, RecursionError):
        return
    write_entry(where, f"{key}.json", entry, files, "files")


# --- other install-level files read on every run (the bibliography, the rulesets' headers) -------

REMEMBER_FORMAT = "patuh-file-cache/1"
MAX_REMEMBERED_BYTES = 5 * 1024 * 1024  # patuh.yamlio.MAX_BYTES: a larger file is not cached


def _files_key(kind: str, files: Sequence[Path]) -> str | None:
    """The key of what ``kind`` derives from ``files``: patuh's code and schemas (as for a
    ruleset), then each file's resolved path and content. None when a file is not a regular
    file of at most MAX_REMEMBERED_BYTES or cannot be read: then the caller reads it the
    ordinary way (and says what is wrong with it)."""
    digest = hashlib.sha256(environment())
    digest.update(kind.encode() + b"\0")
    try:
        for file in files:
            st = file.stat()
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_REMEMBERED_BYTES:
                return None
            digest.update(str(file.resolve()).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def remember(kind: str, files: Sequence[Path], build: Callable[[], Any]) -> Any:
    """``build()``, a plain-JSON value that depends only on the content of ``files`` and on
    patuh's code, kept in the cache under a key of both: a changed file or a new patuh makes
    a new key, so a stale value is never read. ``build`` raising (a file with an error) stores
    nothing; an entry that is damaged or not of this shape is ignored and rebuilt."""
    where = cache_dir()
    key = _files_key(kind, files) if where is not None else None
    if where is None or key is None:
        return build()
    path = where / f"{kind}-{key}.json"
    try:
        if path.is_file() and not path.is_symlink():
            raw = path.read_bytes()
            entry = json.loads(raw)
            if (isinstance(entry, dict) and entry.get("format") == REMEMBER_FORMAT
                    and entry.get("key") == key and "value" in entry
                    and digest_matches(raw, entry, "value")):
                return entry["value"]
    except (OSError, ValueError, RecursionError):
        pass
    value = build()
    write_entry(where, path.name, {"format": REMEMBER_FORMAT, "key": key,
                              "digest": _digest(value), "value": value}, value, "value")
    return value


def write_entry(where: Path, name: str, entry: dict[str, Any], value: Any, field: str) -> None:
    """Write ``entry`` atomically as ``where/name``, unless its ``field`` does not come back
    from JSON as ``value`` (then it is not cacheable); any failure leaves the cache alone.
    ``field`` is written last (``digest_matches`` reads it there)."""
    entry = {**{k: v for k, v in entry.items() if k != field}, field: entry[field]}
    try:
        text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
        if json.loads(text)[field] != value:  # e.g. a key that is not text: not cacheable
            return
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".patuh-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, where / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError, RecursionError):
        return
    prune(where)


MAX_AGE = 60 * 86400  # an entry not written again for 60 days is removed (and rebuilt if used)
TEMP_AGE = 86400  # a temporary file a killed write left behind, after a day
PRUNE_EVERY = 86400  # a folder is looked through at most once a day


def prune(where: Path, now: float | None = None) -> None:
    """Keep a cache folder from growing without end: every new patuh, rule edit and unit
    folder makes new entries and stale ones are never read again. At most once a day (a
    ``.pruned`` stamp), after writing an entry, remove the entries written more than
    :data:`MAX_AGE` ago and temporary files older than :data:`TEMP_AGE`; only names this
    cache writes, never another file, a folder or a link's target."""
    now = time.time() if now is None else now
    stamp = where / ".pruned"
    try:
        if now - stamp.stat().st_mtime < PRUNE_EVERY:
            return
        os.utime(stamp, (now, now))
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            stamp.touch()
            os.utime(stamp, (now, now))
    except OSError:
        return
    with contextlib.suppress(OSError), os.scandir(where) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".json") and not name.startswith("."):
                age = MAX_AGE
            elif name.startswith((".patuh-", ".digests-")):
                age = TEMP_AGE
            else:
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and \
                        now - entry.stat(follow_symlinks=False).st_mtime > age:
                    os.unlink(entry.path)
