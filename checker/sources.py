"""The bibliography behind the rules: what each source key that a rule cites stands for.

A folder of rulesets (a folder a plugin offers through ``patuh_rule_folders``) may ship a
``sources.yaml`` at its root (``schemas/sources.schema.json``): one entry per source key with
its title, publisher, kind, URLs, the date it was seen (``null``: not recorded), what it
supports and what relying on it means. A folder that ships one must resolve every key its rules
and rulesets cite in a ``sources: [...]`` list (anywhere in the file): an unknown key is a load
error naming the file, line and path. A folder without one keeps working; its keys simply stay
unresolved. The bibliographies of all folders are merged to resolve keys in reports and docs; a
key that two folders define differently is an error naming both files.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from functools import lru_cache
from pathlib import Path
from typing import Any

from patuh import manager
from patuh.errors import InputError
from patuh.i18n import Text
from patuh.i18n import named
from patuh.validation import check
from patuh.yamlio import Document
from patuh.yamlio import JsonPath
from patuh.yamlio import load_yaml

BIBLIOGRAPHY_FILE = "sources.yaml"
SOURCES_KEY = "sources"  # the key of a list of source keys, wherever it appears in a rule file

NOT_RECORDED = Text("tidak dicatat", "not recorded")

# The names people read for the codes rule data uses (``confidence: unofficial``,
# ``kind: news``, ``reference_tag: CONFLICT``): this module owns these vocabularies; reports and
# docs show them through these functions, JSON keeps the codes.
CONFIDENCE_NAMES = {
    "official": Text("resmi", "official"),
    "secondary": Text("sekunder", "secondary"),
    "unofficial": Text("tidak resmi", "unofficial"),
    "inferred": Text("disimpulkan", "inferred"),
    "conflict": Text("bertentangan", "conflict"),
    "not_found": Text("tidak ditemukan", "not found"),
}
KIND_NAMES = {
    "official_text": Text("teks resmi", "official text"),
    "official_deck": Text("paparan/formulir resmi", "official deck or form"),
    "official_page": Text("halaman lembaga", "institution's page"),
    "government_report": Text("dokumen pemerintah", "government document"),
    "news": Text("berita", "news"),
    "summary": Text("ringkasan", "summary"),
    "code": Text("kode pihak ketiga", "third-party code"),
    "other": Text("lainnya", "other"),
}
# Reference tags are codes (V1, V2, V2c, NF, INF, S…); the one written as an English word reads
# as Indonesian in Indonesian text.
TAG_NAMES = {"CONFLICT": Text("BERTENTANGAN", "CONFLICT")}


def confidence_name(code: object, lang: str) -> str:
    """``tidak resmi`` / ``unofficial`` for ``unofficial``; an unknown code as written."""
    return named(CONFIDENCE_NAMES, code, lang)


def kind_name(code: object, lang: str) -> str:
    """The name of a source kind (``news`` → ``berita``); an unknown kind as written."""
    return named(KIND_NAMES, code, lang)


def tag_name(tag: object, lang: str) -> str:
    """A reference tag as shown in ``lang`` (``CONFLICT`` → ``BERTENTANGAN``)."""
    return named(TAG_NAMES, tag, lang)


def tagged_text(text: str, lang: str) -> str:
    """Prose with its bracketed reference tags (``[CONFLICT]``) named for ``lang``."""
    for code, name in TAG_NAMES.items():
        text = text.replace(f"[{code}]", f"[{name.get(lang)}]")
    return text


@dataclass(frozen=True)
class Source:
    key: str
    title: Text  # a plain string in sources.yaml stands for both languages
    publisher: Text
    kind: str
    urls: tuple[str, ...]
    url_note: Text | None  # which URL was read, or why there is none
    seen: str | None  # ISO date; None: not recorded
    docs: str | None  # the page of the folder's source documentation that uses it
    supports: Text
    confidence: Text | None  # what relying on it means (the entry's own, else its kind's)
    note: Text | None
    file: Path

    def same_as(self, other: Source) -> bool:
        """Defined alike (the file they come from aside)."""
        return self.as_dict() == other.as_dict()

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain data (reports; JSON)."""
        return {
            "key": self.key, "title": _plain(self.title), "publisher": _plain(self.publisher),
            "kind": self.kind, "url": list(self.urls),
            "url_note": None if self.url_note is None else self.url_note.as_dict(),
            "seen": self.seen, "docs": self.docs, "supports": self.supports.as_dict(),
            "confidence": None if self.confidence is None else self.confidence.as_dict(),
            "note": None if self.note is None else self.note.as_dict(),
        }


@dataclass(frozen=True)
class Bibliography:
    entries: Mapping[str, Source]
    files: tuple[Path, ...] = ()
    kinds: Mapping[str, Text] = field(default_factory=dict)  # kind -> what relying on it means

    def get(self, key: str) -> Source | None:
        return self.entries.get(key)

    def resolve(self, keys: Iterable[str]) -> list[Source]:
        """The entries of ``keys`` that are known, in the order given, without repeats."""
        seen: set[str] = set()
        out: list[Source] = []
        for key in keys:
            entry = self.entries.get(key)
            if entry is not None and key not in seen:
                seen.add(key)
                out.append(entry)
        return out


def _plain(value: Text) -> str | dict[str, str]:
    """A text as sources.yaml may write it: one string when both languages say the same."""
    return value.id if value.id == value.en else value.as_dict()


def _text(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


def load_bibliography(file: Path) -> Bibliography:
    """One ``sources.yaml``, checked against its schema; a key used twice is an error."""
    bibliography = _from_data(file, _checked_data(file))
    assert bibliography is not None
    return bibliography


def _first_duplicate(data: Mapping[str, Any]) -> tuple[JsonPath, Text, Text]:
    seen: set[str] = set()
    for index, item in enumerate(data["sources"]):
        key = item["key"]
        if key in seen:
            return (("sources", index, "key"), Text(
                f"kunci sumber {key!r} ganda", f"source key {key!r} is defined twice"),
                Text("hapus atau gabungkan salah satu entri", "remove or merge one of them"))
        seen.add(key)
    raise AssertionError("no duplicate key")


def _from_data(file: Path, data: Mapping[str, Any]) -> Bibliography | None:
    """The bibliography of a ``sources.yaml``'s data that passed its schema; None when a key
    is used twice."""
    kinds = {k: Text.of(v) for k, v in (data.get("kinds") or {}).items()}
    entries: dict[str, Source] = {}
    for item in data["sources"]:
        key = item["key"]
        if key in entries:
            return None
        entries[key] = Source(
            key=key, title=Text.of(item["title"]), publisher=Text.of(item["publisher"]),
            kind=item["kind"],
            urls=tuple(item["url"]), url_note=_text(item.get("url_note")), seen=item["seen"],
            docs=item.get("docs"), supports=Text.of(item["supports"]),
            confidence=_text(item.get("confidence")) or kinds.get(item["kind"]),
            note=_text(item.get("note")), file=file)
    return Bibliography(entries, (file,), kinds)


def _checked_data(file: Path) -> Any:
    """The data of a ``sources.yaml`` that is valid throughout (else its InputError)."""
    doc = load_yaml(file)
    check(doc, "sources")
    if _from_data(file, doc.data) is None:
        raise doc.error(*_first_duplicate(doc.data))
    return doc.data


@lru_cache(maxsize=32)
def _load_cached(file: str, _mtime: int, _size: int) -> Bibliography:
    """A bibliography file read once a process, and through the rule cache (plain JSON keyed
    by its content and patuh's code) across runs: parsing and checking it costs more than
    the rest of a small check."""
    from patuh import rulecache

    path = Path(file)
    data = rulecache.remember("sources", [path], lambda: _checked_data(path))
    try:
        bibliography = _from_data(path, data)
    except (KeyError, TypeError, AttributeError, ValueError):  # not what was stored: read it
        bibliography = None
    return bibliography if bibliography is not None else load_bibliography(path)


def folder_bibliography(root: Path) -> Bibliography | None:
    """The bibliography a folder of rulesets ships, or None when it has none."""
    file = root / BIBLIOGRAPHY_FILE
    try:
        stat = file.stat()
    except OSError:
        return None
    return _load_cached(str(file), stat.st_mtime_ns, stat.st_size)


def merge(bibliographies: Iterable[Bibliography]) -> Bibliography:
    """One bibliography from several; a key defined differently twice is an error."""
    entries: dict[str, Source] = {}
    files: list[Path] = []
    kinds: dict[str, Text] = {}
    for bibliography in bibliographies:
        files.extend(bibliography.files)
        for kind, meaning in bibliography.kinds.items():
            kinds.setdefault(kind, meaning)
        for key, entry in bibliography.entries.items():
            known = entries.get(key)
            if known is not None and not known.same_as(entry):
                raise InputError(Text(
                    f"kunci sumber {key!r} didefinisikan berbeda di {known.file} dan {entry.file}",
                    f"source key {key!r} is defined differently in {known.file} and "
                    f"{entry.file}"), file=entry.file,
                    hint=Text("samakan kedua entri, atau beri salah satu kunci lain",
                              "make the two entries the same, or give one another key"))
            entries.setdefault(key, entry)
    return Bibliography(dict(sorted(entries.items())), tuple(files), dict(sorted(kinds.items())))


@cache
def bibliography() -> Bibliography:
    """Every bibliography of every rule folder that plugins offer, merged (read once)."""
    found = (folder_bibliography(root) for root in dict.fromkeys(manager.rule_folders()))
    return merge(b for b in found if b is not None)


def cited(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    """Every (path, key) of a source key cited in a ``sources: [...]`` list below ``data``."""
    if isinstance(data, Mapping):
        for name, value in data.items():
            if name == SOURCES_KEY and isinstance(value, list):
                for index, key in enumerate(value):
                    if isinstance(key, str):
                        yield (*path, name, index), key
            else:
                yield from cited(value, (*path, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from cited(value, (*path, index))


def check_cited(doc: Document, bibliography: Bibliography | None) -> list[InputError]:
    """An error for every key ``doc`` cites that ``bibliography`` lacks (none without one)."""
    if bibliography is None:
        return []
    errors: list[InputError] = []
    for path, key in cited(doc.data):
        if key in bibliography.entries:
            continue
        from difflib import get_close_matches  # only for a key that is not there

        close = get_close_matches(key, list(bibliography.entries), n=3)
        where = ", ".join(str(f) for f in bibliography.files)
        hint_id = f"tambahkan entri {key!r} ke {where}, atau perbaiki kuncinya"
        hint_en = f"add an entry {key!r} to {where}, or correct the key"
        if close:
            hint_id += f" (mirip: {', '.join(close)})"
            hint_en += f" (close: {', '.join(close)})"
        errors.append(doc.error(path, Text(
            f"kunci sumber {key!r} tidak ada di bibliografi",
            f"source key {key!r} is not in the bibliography"), Text(hint_id, hint_en)))
    return errors


def cited_keys(data: Any) -> list[str]:
    """The keys cited below ``data``, sorted, without repeats (as ``cited`` finds them,
    without building their paths: a whole report is walked on every check)."""
    keys: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for name, value in node.items():
                if name == SOURCES_KEY and isinstance(value, list):
                    keys.update(key for key in value if isinstance(key, str))
                elif isinstance(value, (Mapping, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, (Mapping, list)))
    return sorted(keys)


DOCS_DIR = ("docs", "sources")  # beside a rule folder: <root>/../docs/sources/


def reference_page(root: Path, reference: str) -> Path | None:
    """The page a ``reference`` (``page.md §4b …``) names, in the source documentation beside
    the rule folder ``root`` (``<root>/../docs/sources/``), when it exists there."""
    page = reference.split(" ", 1)[0]
    if not page.endswith(".md") or "/" in page or "\\" in page:
        return None
    file = root.parent.joinpath(*DOCS_DIR, page)
    return file if file.is_file() else None
