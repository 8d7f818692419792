"""Strict YAML reading: safe constructors only, duplicate keys rejected, dates kept as ISO
strings (schemas check their format; code parses them where it needs a date), a bounded
number of nodes (alias bombs), and a map from JSON path to line for error messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from patuh.errors import InputError
from patuh.i18n import Text

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000

JsonPath = tuple[str | int, ...]


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, faster


class _StrictLoader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader without the timestamp resolver; the global SafeLoader is left untouched."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def format_path(path: JsonPath) -> str:
    """``("a", 0, "b")`` -> ``$.a[0].b``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class Document:
    """A parsed file: its data and the line where each JSON path starts."""

    def __init__(self, file: Path, data: Any, lines: dict[JsonPath, int]) -> None:
        self.file = file
        self.data = data
        self.lines = lines

    def line_of(self, path: JsonPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def error(self, path: JsonPath, message: str | Text,
              hint: str | Text | None = None) -> InputError:
        return InputError(message, file=self.file, line=self.line_of(path),
                          path=format_path(path), hint=hint)


def _walk(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int],
          budget: list[int], file: Path) -> None:
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
            _walk(value_node, (*path, key), lines, budget, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, budget, file)


def read_text(file: Path) -> str:
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise InputError(Text("berkas tidak ditemukan", "file not found"), file=file,
                         hint=Text("periksa jalurnya; jalur relatif terhadap folder saat ini",
                                   "check the path; it is relative to the current folder"),
                         ) from None
    except OSError as exc:
        raise InputError(Text(f"tidak dapat dibaca: {exc.strerror}",
                              f"cannot read: {exc.strerror}"), file=file) from None
    except ValueError:  # a NUL byte in the path (from a list file or a rule folder)
        raise InputError(Text("jalur memuat bita NUL", "the path contains a NUL byte"),
                         file=str(file).replace("\0", "\\0")) from None
    if not file.is_file():
        raise InputError(Text("bukan berkas biasa", "not a regular file"), file=file)
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
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(Text("berkas tidak berisi data", "the file has no content"), file=file)
        lines: dict[JsonPath, int] = {}
        _walk(node, (), lines, [MAX_NODES], file)
        data = loader.construct_document(node)
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
        loader.dispose()
    return Document(file, data, lines)


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

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(Text(f"JSON tidak sah: {exc.msg}", f"invalid JSON: {exc.msg}"),
                         file=file, line=exc.lineno) from None
    return Document(file, data, {})


def iter_paths(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every (path, value) in a JSON-like tree, depth first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_paths(value, (*path, index))
