"""Strict YAML reading: safe constructors only, duplicate keys rejected, dates kept as ISO
strings (schemas check their format; code parses them where it needs a date), a bounded
number of nodes (alias bombs), and a map from JSON path to line for error messages."""

from __future__ import annotations

import json
import math
import stat
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from typing import TypeVar

import yaml

from patuh.errors import InputError
from patuh.errors import format_path
from patuh.i18n import Text

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 50  # nesting levels; patuh's own files use at most 12
MAX_NUMBER_CHARS = 40  # the text of one number (digits, sign, point, exponent)

JsonPath = tuple[str | int, ...]


def strict_loader(base: type) -> type:
    """A loader class on ``base`` (SafeLoader or libyaml's CSafeLoader): the safe constructors
    without the timestamp resolver; the global loaders are left untouched."""
    loader = type("StrictLoader", (base,), {"__doc__": strict_loader.__doc__})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return loader


# libyaml's parser when PyYAML was built with it (several times faster on a large manifest);
# else the pure-Python one. Both give the same data, lines and checks (tests/test_yaml_c.py);
# only the wording of a YAML syntax error differs, its line does not.
_StrictLoader = strict_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))



T = TypeVar("T")


def nearest(places: Mapping[JsonPath, T], path: JsonPath) -> T | None:
    """The place of ``path`` (a line, a cell), or of its nearest ancestor that has one."""
    while True:
        if path in places:
            return places[path]
        if not path:
            return None
        path = path[:-1]


class Document:
    """A parsed file: its data and the line where each JSON path starts.

    ``raw_numbers``: the text of each plain YAML float as written (``9.870``, which YAML reads
    as 9.87), so that a field that wants a whole number can read thousands dots.
    ``serial_dates``: a number in a date field is an Excel date serial (a workbook loader sets
    it; None: decided by the file's suffix)."""

    def __init__(self, file: Path, data: Any, lines: dict[JsonPath, int],
                 checked: bool = False, *, raw_numbers: dict[JsonPath, str] | None = None,
                 serial_dates: bool | None = None) -> None:
        self.file = file
        self.data = data
        self.lines = lines
        self.checked = checked  # already validated by this same code (the ruleset cache)
        self.raw_numbers = raw_numbers or {}
        self.serial_dates = serial_dates

    # how a loader read values typed the human way (patuh.normalize.FieldReading), when the
    # loader reads them itself (a workbook form does, to name the cell)
    readings: tuple[Any, ...] = ()

    def line_of(self, path: JsonPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        return nearest(self.lines, path)

    def error(self, path: JsonPath, message: str | Text,
              hint: str | Text | None = None) -> InputError:
        return InputError(message, file=self.file, line=self.line_of(path),
                          path=format_path(path), hint=hint)


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_FLOAT = "tag:yaml.org,2002:float"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", _FLOAT)


def _too_deep(file: Path, line: int | None, path: JsonPath) -> InputError:
    return InputError(Text(f"struktur bersarang lebih dari {MAX_DEPTH} tingkat",
                           f"the structure is nested more than {MAX_DEPTH} levels deep"),
                      file=file, line=line, path=format_path(path[:MAX_DEPTH]) + "…",
                      hint=Text("ratakan strukturnya (atau hapus alias YAML yang merujuk "
                                "dirinya sendiri)", "flatten the structure (or remove a YAML "
                                "alias that refers to itself)"))


def bad_number(file: Path, line: int | None, path: JsonPath, text: str) -> InputError:
    shown = text if len(text) <= MAX_NUMBER_CHARS else f"{text[:20]}…({len(text)} chars)"
    return InputError(Text(f"angka {shown} tidak dapat dipakai: bukan angka berhingga atau lebih "
                           f"dari {MAX_NUMBER_CHARS} karakter",
                           f"the number {shown} cannot be used: not a finite number, or longer "
                           f"than {MAX_NUMBER_CHARS} characters"), file=file, line=line,
                      path=format_path(path),
                      hint=Text("tulis angka biasa, mis. 4.5 (NaN dan tak hingga tidak "
                                "diterima)", "write a plain number, e.g. 4.5 (NaN and infinity "
                                "are not accepted)"))


def _walk(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int],
          budget: list[int], file: Path, raw: dict[JsonPath, str]) -> None:
    if len(path) > MAX_DEPTH:
        raise _too_deep(file, node.start_mark.line + 1, path)
    if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise bad_number(file, node.start_mark.line + 1, path, node.value)
        if node.tag == _FLOAT and not node.style:  # plain (None; libyaml: "")
            raw.setdefault(path, node.value)
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(
            Text(f"dokumen berisi lebih dari {MAX_NODES} simpul (ekspansi alias?)",
                 f"the document has more than {MAX_NODES} nodes (alias expansion?)"),
            file=file, hint=Text("pecah berkas atau hapus alias YAML",
                                 "split the file or remove YAML aliases"))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in (_STR, _MERGE)):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else \
                    type(key_node).__name__.replace("Node", "").lower()
                raise InputError(
                    Text(f"kunci {shown!r} bukan teks", f"the key {shown!r} is not text"),
                    file=file, line=key_node.start_mark.line + 1, path=format_path(path),
                    hint=Text("kunci harus teks; beri tanda kutip, mis. \"1\": …",
                              "keys must be text; quote it, e.g. \"1\": …"))
            key = key_node.value
            if key in seen:
                raise InputError(
                    Text(f"kunci {key!r} ganda (pertama di baris {seen[key]})",
                         f"duplicate key {key!r} (first at line {seen[key]})"),
                    file=file, line=key_node.start_mark.line + 1, path=format_path(path),
                    hint=Text("hapus atau gabungkan salah satu entri",
                              "remove or merge one of the two entries"))
            seen[key] = key_node.start_mark.line + 1
            lines.setdefault((*path, key), seen[key])  # a key's line, not its value's
            _walk(value_node, (*path, key), lines, budget, file, raw)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, budget, file, raw)


def require_file(file: Path) -> int:
    """The size of ``file``, a regular file (symlinks followed); otherwise an InputError that
    says what is there: nothing, a folder, or a FIFO, device or socket (never read: reading a
    FIFO would wait for a writer forever)."""
    try:
        st = file.stat()
    except FileNotFoundError:
        raise InputError(Text("berkas tidak ditemukan", "file not found"), file=file,
                         hint=Text("periksa jalurnya; jalur relatif terhadap folder saat ini",
                                   "check the path; it is relative to the current folder"),
                         ) from None
    except ValueError:  # a NUL byte in the path (from a list file or a rule folder)
        raise InputError(Text("jalur memuat bita NUL", "the path contains a NUL byte"),
                         file=str(file).replace("\0", "\\0")) from None
    except OSError as exc:  # too long a name, a symlink loop, no permission
        reason = exc.strerror or str(exc)
        raise InputError(Text(f"tidak dapat dibaca: {reason}",
                              f"cannot read: {reason}"), file=file) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(Text("ini folder, bukan berkas", "this is a folder, not a file"),
                         file=file)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(Text("bukan berkas biasa (FIFO, perangkat atau soket); tidak dibaca",
                              "not a regular file (a FIFO, device or socket); not read"),
                         file=file, hint=Text("beri jalur ke berkas biasa",
                                              "give the path of a regular file"))
    return st.st_size


def read_text(file: Path) -> str:
    size = require_file(file)
    if size > MAX_BYTES:
        raise InputError(Text(f"berkas berukuran {size} bita; batasnya {MAX_BYTES}",
                              f"file is {size} bytes; the limit is {MAX_BYTES}"), file=file)
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Text(f"bukan teks UTF-8 (bita ke-{exc.start})",
                              f"not UTF-8 text (byte {exc.start})"), file=file,
                         hint=Text("simpan berkas sebagai UTF-8", "save the file as UTF-8"),
                         ) from None


def load_yaml(file: Path) -> Document:
    """Parse one YAML document strictly."""
    text = read_text(file)
    if not text.strip():
        raise InputError(Text("berkas kosong", "the file is empty"), file=file,
                         hint=Text("mulailah dari `patuh init`, yang menulis templat berkomentar",
                                   "start from `patuh init`, which writes a commented template"))
    loader = None
    try:
        loader = _StrictLoader(text)  # the pure-Python reader checks characters right here
        node = loader.get_single_node()
        if node is None:
            raise InputError(Text("berkas tidak berisi data", "the file has no content"), file=file)
        lines: dict[JsonPath, int] = {}
        raw: dict[JsonPath, str] = {}
        _walk(node, (), lines, [MAX_NODES], file, raw)
        data = loader.construct_document(node)
        check_values(Document(file, data, lines))
    except RecursionError:
        raise _too_deep(file, None, ()) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(Text(f"YAML tidak sah: {exc.problem or exc.context}",
                              f"invalid YAML: {exc.problem or exc.context}"),
                         file=file, line=line,
                         hint=Text("periksa indentasi dan tanda kutip di sekitar baris ini",
                                   "check indentation and quoting around this line")) from None
    except yaml.YAMLError as exc:
        raise InputError(Text(f"YAML tidak sah: {exc}", f"invalid YAML: {exc}"),
                         file=file) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(file, data, lines, raw_numbers=raw)


def load_json(file: Path) -> Document:
    """Parse JSON (duplicate keys rejected); lines are not tracked."""
    text = read_text(file)

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputError(Text(f"kunci {key!r} ganda", f"duplicate key {key!r}"), file=file)
            out[key] = value
        return out

    def number(text: str) -> int | float:
        value = float(text) if any(c in text for c in ".eE") else None
        if len(text) > MAX_NUMBER_CHARS or (value is not None and not math.isfinite(value)):
            raise bad_number(file, None, (), text)
        return int(text) if value is None else value

    def constant(text: str) -> Any:
        raise bad_number(file, None, (), text)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_int=number,
                          parse_float=number, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError(Text(f"JSON tidak sah: {exc.msg}", f"invalid JSON: {exc.msg}"),
                         file=file, line=exc.lineno) from None
    except RecursionError:
        raise _too_deep(file, None, ()) from None
    document = Document(file, data, {})
    check_values(document)
    return document


def check_values(doc: Document) -> None:
    """Bounded nesting and finite numbers everywhere (NaN or infinity would compare false
    with everything and slip through every threshold), without recursion."""
    stack: list[tuple[JsonPath, Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            raise _too_deep(doc.file, doc.line_of(path), path)
        if isinstance(value, float) and not math.isfinite(value):
            raise bad_number(doc.file, doc.line_of(path), path, repr(value))
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))


def iter_paths(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every (path, value) in a JSON-like tree, depth first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_paths(value, (*path, index))
