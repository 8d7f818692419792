"""Evidence references (``bukti``) in a manifest: resolved safely, never followed out of the
manifest's folder, hashed once. A bad reference becomes a finding, not a crash."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Mapping
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from patuh.conditions import Evidence
from patuh.i18n import Text
from patuh.limits import Limit

EVIDENCE_KEY = "bukti"
DATA_KEY = "berkas"  # a data file a fact deriver reads
# Hashing reads the whole file (about 3 s per GiB): a file over this limit is not hashed but
# still counts as evidence, with the finding ``too_large`` (README, "Limits on data files").
MAX_EVIDENCE_BYTES = Limit("PATUH_MAX_EVIDENCE_BYTES", 1 << 30, Text("bita", "bytes"))
# All evidence files of one manifest together: past it, the remaining files are not hashed.
MAX_EVIDENCE_TOTAL_BYTES = Limit("PATUH_MAX_EVIDENCE_TOTAL_BYTES", 2 << 30,
                                 Text("bita", "bytes"))


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


Digests = MutableMapping[tuple[Any, ...], str]
# A file modified within this many nanoseconds of being hashed may change again within the same
# time-stamp tick (file systems keep times in 1 ns to 2 s steps): its digest is not kept.
RACY_NS = 2_000_000_000
DIGEST_CACHE_FORMAT = 1
MAX_CACHED_DIGESTS = 10_000  # entries in one folder's file of the digest cache


def _digest(target: Path, digests: Digests | None, info: os.stat_result | None = None) -> str:
    """The file's sha256; with ``digests`` (a long-running process that checks the same
    files again, the web platform; or :class:`StoredDigests`, the next process), reused
    while the file's identity, size and times are unchanged, as git's index does."""
    if digests is None:
        return _sha256(target)
    st = info or target.stat()  # ``info``: the stat taken as the file was found
    key = (str(target), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    held = digests.get(key)
    if held is not None:
        return held
    started = time.time_ns()
    digest = _sha256(target)
    # A file modified just now may change again within its time stamp's tick, unseen: the
    # next process does not get its digest. A long-running process (the platform, which
    # writes the files itself) keeps it, as it always has.
    if st.st_mtime_ns < started - RACY_NS or not isinstance(digests, StoredDigests):
        digests[key] = digest
    return digest


class StoredDigests(dict[tuple[Any, ...], str]):
    """The digests of one folder's evidence files, kept in the cache folder (like the rule
    cache: plain JSON, ``PATUH_NO_CACHE=1`` turns it off) so that the next process does not
    hash an unchanged file again. An entry is used only when the file's path, device, inode,
    size, modification and change times (ns) are all the same, and a digest is kept only for
    a file last modified more than :data:`RACY_NS` before it was hashed; an entry that looks
    wrong is ignored; a cache that cannot be read or written is simply not used. Whoever can
    write the cache folder can forge a digest, as they can change the evidence files
    themselves: the cache guards against staleness and damage, not against its owner."""

    def __init__(self, base_dir: Path) -> None:
        super().__init__()
        from patuh.rulecache import cache_dir

        folder = cache_dir()
        name = hashlib.sha256(str(base_dir).encode("utf-8", "surrogatepass")).hexdigest()
        self.file = None if folder is None else folder / "digests" / f"{name}.json"
        self.changed = False
        self.used: set[tuple[Any, ...]] = set()
        if self.file is None:
            return
        try:
            data = json.loads(self.file.read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != DIGEST_CACHE_FORMAT or \
                not isinstance(data.get("entries"), list):
            return
        for entry in data["entries"][:MAX_CACHED_DIGESTS]:
            if isinstance(entry, list) and len(entry) == 7 and isinstance(entry[0], str) and \
                    all(type(n) is int for n in entry[1:6]) and isinstance(entry[6], str) and \
                    HEX64.fullmatch(entry[6]):
                super().__setitem__(tuple(entry[:6]), entry[6])

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key: tuple[Any, ...], value: str) -> None:
        super().__setitem__(key, value)
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Write the entries looked up since loading (the files this manifest names, as
        they are now), when any entry is new or gone; atomically, so a reader never sees
        half a file."""
        if self.file is None or not (self.changed or any(k not in self.used for k in self)):
            return
        entries = [[*key, digest] for key, digest in self.items() if key in self.used]
        text = json.dumps({"format": DIGEST_CACHE_FORMAT,
                           "entries": entries[-MAX_CACHED_DIGESTS:]})
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".digests-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return
        from patuh.rulecache import prune

        prune(self.file.parent)


HEX64 = re.compile(r"[0-9a-f]{64}")


def _resolve(path: Path, folders: dict[Path, Path] | None) -> Path:
    """``path.resolve()``; with ``folders`` (real paths of folders resolved already in this
    pass), the folder's real path and the name, when the name itself is no symlink."""
    return _resolve_stat(path, folders)[0]


def _resolve_stat(path: Path, folders: dict[Path, Path] | None
                  ) -> tuple[Path, os.stat_result | None, Path | None]:
    """:func:`_resolve`, with the file's ``stat`` and its real folder when the folder's real
    path was used (the name is no symlink: its ``lstat`` is its ``stat``)."""
    if folders is None:
        return path.resolve(), None, None
    parent = path.parent
    real = folders.get(parent)
    if real is None:
        real = folders[parent] = parent.resolve()
    target = real / path.name
    try:
        info = os.lstat(target)
    except OSError:
        return path.resolve(), None, None  # as resolve() has it: missing, too long, not a folder
    if stat.S_ISLNK(info.st_mode):
        return path.resolve(), None, None
    return target, info, real


def _inside(base: Path, target: Path, real: Path | None,
            inside: dict[tuple[Path, Path], bool] | None) -> bool:
    """Whether ``target`` is ``base`` or below it; with ``real`` (the target's real folder)
    and ``inside``, the answer for the folder is reused (``target``'s parents are ``real``
    and ``real``'s parents)."""
    if target == base:
        return True
    if real is None or inside is None:
        return base in target.parents
    key = (base, real)
    known = inside.get(key)
    if known is None:
        known = inside[key] = real == base or base in real.parents
    return known


def resolve_inside(base_dir: Path, ref: str, *, resolved_base: Path | None = None,
                   folders: dict[Path, Path] | None = None) -> tuple[Path | None, str]:
    """The file ``ref`` names below ``base_dir``, or None with the reason it is refused:
    ``outside``, ``not_found``, ``not_a_file``, or ``unreadable`` (no read permission, a
    symlink loop, a name too long for the file system, a NUL byte in it).
    ``resolved_base``: ``base_dir.resolve()``, when the caller has it already; ``folders``:
    real paths of folders, shared by the references of one manifest (see :func:`_resolve`)."""
    target, status, _info = _locate(base_dir, ref, resolved_base, folders)
    return target, status


def _locate(base_dir: Path, ref: str, resolved_base: Path | None,
            folders: dict[Path, Path] | None,
            inside: dict[tuple[Path, Path], bool] | None = None
            ) -> tuple[Path | None, str, os.stat_result | None]:
    """:func:`resolve_inside`, with the file's ``stat`` when it is found. ``inside``: which
    real folders are inside the base, shared by the references of one manifest."""
    if "\0" in ref:
        return None, "unreadable", None
    candidate = Path(ref)
    if candidate.is_absolute() or ".." in candidate.parts or ref.startswith("~"):
        return None, "outside", None
    try:
        base = resolved_base or base_dir.resolve()
        target, info, real = _resolve_stat(base / candidate, folders)  # follows symlinks
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python 3.10)
        return None, "unreadable", None
    if not _inside(base, target, real, inside):
        return None, "outside", None
    try:
        if info is None:
            info = target.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None, "not_found", None
    except (OSError, ValueError):
        return None, "unreadable", None
    if not stat.S_ISREG(info.st_mode):
        return None, "not_a_file", None
    if not os.access(target, os.R_OK):
        return None, "unreadable", None
    return target, "ok", info


class _Budget:
    """What may still be hashed in one manifest: per file and in total."""

    def __init__(self) -> None:
        self.per_file = MAX_EVIDENCE_BYTES.value()
        self.left = MAX_EVIDENCE_TOTAL_BYTES.value()

    def allows(self, target: Path, info: os.stat_result | None = None) -> bool:
        try:
            size = (info or target.stat()).st_size
        except OSError:
            return True  # let hashing report it as unreadable
        if size > self.per_file or size > self.left:
            return False
        self.left -= size
        return True


def _check(owner: str, item: Any, base_dir: Path | None,
           cache: dict[str, tuple[str, str | None]], budget: _Budget | None,
           digests: Digests | None = None, resolved_base: Path | None = None,
           folders: dict[Path, Path] | None = None,
           inside: dict[tuple[Path, Path], bool] | None = None) -> Evidence:
    if isinstance(item, str):
        item = {"url": item} if item.startswith(("http://", "https://")) else {"berkas": item}
    note = item.get("keterangan")
    if "url" in item:
        return Evidence(owner, item["url"], "url", "declared", None, note)
    ref = item["berkas"]
    if base_dir is None:
        return Evidence(owner, ref, "file", "declared", item.get("sha256"), note)
    if ref not in cache:
        target, status, info = _locate(base_dir, ref, resolved_base, folders, inside)
        digest = None
        if target is not None and budget is not None and not budget.allows(target, info):
            status = "too_large"
        elif target is not None:
            try:
                digest = _digest(target, digests, info)
            except OSError:  # it went away or became unreadable since it was checked
                status = "unreadable"
        cache[ref] = (status, digest)
    status, digest = cache[ref]
    expected = item.get("sha256")
    if status == "ok" and expected and expected != digest:
        status = "digest_mismatch"
    return Evidence(owner, ref, "file", status, digest, note)


def collect(manifest: Mapping[str, Any], base_dir: Path | None,
            digests: Digests | None = None) -> dict[str, tuple[Evidence, ...]]:
    """Every ``bukti`` list in the manifest, keyed by the dotted path of the fact that owns it.

    With ``base_dir`` None (rule examples), file references are taken as declared.
    ``digests``: see :func:`_digest`; without it, the digests kept in the cache folder
    (:class:`StoredDigests`) are used and brought up to date.
    """
    found: dict[str, tuple[Evidence, ...]] = {}
    cache: dict[str, tuple[str, str | None]] = {}
    budget = _Budget() if base_dir is not None else None
    resolved_base: Path | None = None
    stored: StoredDigests | None = None
    if base_dir is not None:
        try:
            resolved_base = base_dir.resolve()
        except (OSError, RuntimeError, ValueError):  # each reference says it is unreadable
            resolved_base = None
        if digests is None and resolved_base is not None:
            digests = stored = StoredDigests(resolved_base)

    folders: dict[Path, Path] = {}
    inside: dict[tuple[Path, Path], bool] = {}

    def check(owner: str, item: Any) -> Evidence:
        return _check(owner, item, base_dir, cache, budget, digests, resolved_base, folders,
                      inside)

    def walk(node: Any, path: str) -> None:
        kind = type(node)
        if kind is str or kind is int or kind is bool or node is None:
            return  # the usual leaves, without the slower checks below
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == EVIDENCE_KEY and isinstance(value, list):
                    found[path] = (*found.get(path, ()), *(check(path, v) for v in value))
                elif key == DATA_KEY and isinstance(value, str):
                    # a data file (responses, a log) is evidence of the facts derived from it
                    found[path] = (*found.get(path, ()), check(path, {"berkas": value}))
                else:
                    walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}.{index}")

    walk(manifest, "")
    if stored is not None:
        stored.save()
    return found


def related(evidence: Mapping[str, tuple[Evidence, ...]], paths: list[str]) -> list[Evidence]:
    """Evidence attached to any of ``paths`` or to an object that contains one of them."""
    prefixes: set[str] = set()  # every path and every object above it: one look-up per owner
    for path in paths:
        prefixes.add(path)
        parent = path.rpartition(".")[0]
        while parent and parent not in prefixes:
            prefixes.add(parent)
            parent = parent.rpartition(".")[0]
    out: list[Evidence] = []
    seen: set[str] = set()
    for owner in sorted(p for p in prefixes if p in evidence):
        for item in evidence[owner]:
            if item.ref not in seen:
                seen.add(item.ref)
                out.append(item)
    return out
