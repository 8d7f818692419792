"""Strict YAML reading: safe constructors only, duplicate keys rejected, dates kept as ISO
strings (schemas check their format; code parses them where it needs a date), a bounded
number of nodes (alias bombs), and a map from JSON path to line for error messages."""

from __future__ import annotations

import json
import math
import re
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
                      hint=Text("tulis angka biasa, mis. 4,5 (NaN dan tak hingga tidak "
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
                if isinstance(key_node, yaml.ScalarNode):
                    what = Text(f"kunci {key_node.value!r} bukan teks",
                                f"the key {key_node.value!r} is not text")
                elif isinstance(key_node, yaml.SequenceNode):
                    what = Text("kunci berupa daftar, bukan teks", "the key is a list, not text")
                else:
                    what = Text("kunci berupa pemetaan, bukan teks",
                                "the key is a mapping, not text")
                raise InputError(
                    what,
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


# --- YAML syntax errors in the user's words ---------------------------------------------------
#
# PyYAML's messages differ between its pure-Python parser and libyaml (tests/test_yaml.py and
# tests/test_messages_id.py run both); each pattern below matches the problem (and, where it
# tells, the context) of either, and says what is wrong and how to fix it in both languages.
# An unknown message still reads "kesalahan sintaks YAML" with the line and column.

SYNTAX_HINT = Text("periksa indentasi (spasi, bukan tab) dan tanda kutip di sekitar baris ini",
                   "check the indentation (spaces, not tabs) and the quotes around this line")
_QUOTE_HINT = Text('beri tanda kutip pada nilai yang memuat tanda baca khusus, mis. '
                   'nama: "Catatan: tutup hari Minggu"', 'quote a value that holds special '
                   'characters, e.g. nama: "Catatan: tutup hari Minggu"')
_TAB = Text("karakter tab dipakai untuk indentasi; YAML hanya menerima spasi",
            "a tab character is used for indentation; YAML accepts spaces only")
_TAB_HINT = Text("ganti tab dengan spasi (mis. dua spasi per tingkat); atur editor agar "
                 "menulis spasi", "replace the tab with spaces (e.g. two per level); set the "
                 "editor to write spaces")
_INDENT_HINT = Text("sejajarkan kunci yang setingkat dengan jumlah spasi yang sama, butir "
                    "daftar '- ' menjorok di bawah kuncinya; nilai yang memuat ':' atau '#' "
                    "diberi tanda kutip", "align keys of one level with the same number of "
                    "spaces and indent list items '- ' under their key; quote a value that "
                    "holds ':' or '#'")

# (problem pattern, context pattern or None, message, hint, use the context's line)
_SYNTAX: list[tuple[str, str | None, Text, Text, bool]] = [
    (r"could not find expected ':'", None,
     Text("kunci tanpa titik dua ':' (atau teks yang berlanjut ke baris ini tanpa tanda kutip)",
          "a key without ':' (or text running on to the next line without quotes)"),
     Text("tulis kunci: nilai (titik dua lalu spasi); teks panjang yang berlanjut ke baris "
          "berikutnya diberi tanda kutip", "write key: value (a colon, then a space); quote a "
          "long text that runs on to the next line"), True),
    (r"mapping values are not allowed", None,
     Text("titik dua ':' tidak boleh ada di sini: nilai ini memuat ': ' atau indentasinya salah",
          "a ':' is not allowed here: the value holds ': ' or its indentation is wrong"),
     _QUOTE_HINT, False),
    (r"found unexpected ':'", None,
     Text("titik dua ':' tak terduga di dalam [ … ] atau { … }",
          "an unexpected ':' inside [ … ] or { … }"), _QUOTE_HINT, False),
    (r"tab character|found character '\\t'", None, _TAB, _TAB_HINT, False),
    (r"found character .*that cannot start any token", None,
     Text("karakter {char} tidak boleh mengawali nilai YAML",
          "the character {char} cannot start a YAML value"),
     Text('beri tanda kutip pada nilainya, mis. "{raw}…"',
          'quote the value, e.g. "{raw}…"'), False),
    (r"expected ',' or '\]'|expected ',' or ']'", None,
     Text("daftar [ … ] yang dibuka di baris {start} tidak ditutup dengan ']' atau butirnya "
          "tidak dipisah koma", "the list [ … ] opened on line {start} is not closed with ']' "
          "or its items are not separated by commas"),
     Text("tutup dengan ] di baris yang sama dan pisahkan butir dengan koma, mis. [a, b]",
          "close it with ] on the same line and separate the items with commas, e.g. [a, b]"),
     False),
    (r"expected ',' or '}'", None,
     Text("pemetaan {{ … }} yang dibuka di baris {start} tidak ditutup dengan '}}' atau "
          "isinya tidak dipisah koma", "the mapping {{ … }} opened on line {start} is not "
          "closed with '}}' or its entries are not separated by commas"),
     Text("tutup dengan }} dan pisahkan isinya dengan koma, mis. {{tahun: 2024, semester: 1}}",
          "close it with }} and separate the entries with commas, e.g. "
          "{{tahun: 2024, semester: 1}}"), False),
    (r"found unexpected end of stream", r"quoted scalar",
     Text("tanda kutip yang dibuka di sini tidak pernah ditutup",
          "the quote opened here is never closed"),
     Text('tutup tanda kutipnya di akhir nilai (" dengan ", \' dengan \')',
          'close the quote at the end of the value (" with ", \' with \')'), True),
    (r"unknown escape character|expected escape sequence", None,
     Text("garis miring terbalik '\\' di dalam tanda kutip ganda memulai kode escape yang "
          "tidak dikenal", "a backslash '\\' inside double quotes starts an unknown escape "
          "sequence"),
     Text("pakai tanda kutip tunggal, mis. berkas: 'C:\\data\\sk.pdf', atau garis miring "
          "biasa: berkas: data/sk.pdf", "use single quotes, e.g. berkas: 'C:\\data\\sk.pdf', "
          "or forward slashes: berkas: data/sk.pdf"), False),
    (r"block sequence entries are not allowed|expected '-' indicator", None,
     Text("butir daftar '- ' tidak sejajar atau tidak boleh ada di sini",
          "a list item '- ' is misaligned or not allowed here"), _INDENT_HINT, False),
    (r"expected <block end>|did not find expected key", None,
     Text("indentasi tidak sejajar dengan kunci di atasnya (bagian ini dimulai di baris "
          "{start}), atau ada teks tak terduga setelah nilai",
          "the indentation does not line up with the keys above (this part starts on line "
          "{start}), or unexpected text follows a value"), _INDENT_HINT, False),
    (r"expected the node content|expected node content", None,
     Text("nilai yang diharapkan tidak ada di sini", "a value is expected here"),
     _QUOTE_HINT, False),
    (r"found undefined alias", None,
     Text("tanda '*' memulai alias YAML ke jangkar '&' yang tidak ada",
          "a '*' starts a YAML alias to an anchor '&' that does not exist"),
     Text('beri tanda kutip pada nilai yang diawali *, mis. "*catatan"',
          'quote a value that starts with *, e.g. "*catatan"'), False),
    (r"duplicate anchor", None,
     Text("jangkar YAML '&' yang sama dipakai dua kali", "the same YAML anchor '&' is used twice"),
     Text('beri tanda kutip pada nilai yang diawali &, mis. "&lt;"',
          'quote a value that starts with &, e.g. "&lt;"'), False),
    (r"alphabetic or numeric character|directive name", None,
     Text("tanda &, * atau % di awal nilai harus diikuti nama (tanda khusus YAML)",
          "&, * or % at the start of a value must be followed by a name (YAML syntax)"),
     Text('beri tanda kutip pada nilainya, mis. "& lainnya"',
          'quote the value, e.g. "& lainnya"'), False),
    (r"chomping or indentation indicators|expected comment or line break", r"block scalar",
     Text("setelah | atau > hanya boleh ada +, - atau angka indentasi",
          "after | or > only +, - or an indentation digit may follow"),
     Text("pindahkan teksnya ke baris berikutnya, menjorok di bawah kunci",
          "move the text to the next line, indented under the key"), False),
    (r"expected a comment or a line break|expected comment or line break", None,
     Text("ada teks tak terduga setelah nilai", "unexpected text after a value"),
     _QUOTE_HINT, False),
    (r"could not determine a constructor for the tag", None,
     Text("tanda '!' memulai tag YAML yang tidak dikenal", "a '!' starts an unknown YAML tag"),
     Text('beri tanda kutip pada nilai yang diawali !, mis. "!penting"',
          'quote a value that starts with !, e.g. "!penting"'), False),
    (r"but found another document", None,
     Text("berkas memuat lebih dari satu dokumen YAML (dipisah ---)",
          "the file holds more than one YAML document (separated by ---)"),
     Text("satu berkas berisi satu manifest: hapus baris --- yang kedua dan yang sesudahnya "
          "atau pindahkan ke berkas lain", "one file holds one manifest: remove the second "
          "--- and what follows, or move it to another file"), False),
    (r"document start", None,
     Text("ada isi setelah akhir dokumen (...)", "content after the end of the document (...)"),
     Text("hapus baris ... atau teks sesudahnya", "remove the ... line or the text after it"),
     False),
    (r"found unhashable key", None,
     Text("kunci harus teks, bukan daftar atau pemetaan", "a key must be text, not a list or "
          "a mapping"), Text("tulis kunci: nilai dengan kunci berupa teks biasa",
                             "write key: value with a plain text key"), True),
]


def _char_at(text: str, mark: Any) -> str:
    """The character at ``mark``, as written in a message (``'@'``, ``'\\t'``)."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return "?"
    char = lines[mark.line][mark.column]
    return repr(char) if char.isspace() or not char.isprintable() else f"'{char}'"


def syntax_error(file: Path, text: str, exc: yaml.MarkedYAMLError) -> InputError:
    """A YAML syntax error in the user's words, with the line and column, in both languages."""
    problem, context = str(exc.problem or ""), str(exc.context or "")
    start = exc.context_mark.line + 1 if exc.context_mark else None
    char = _char_at(text, exc.problem_mark)
    for pattern, wanted_context, message, hint, at_context in _SYNTAX:
        if not re.search(pattern, f"{problem} {context}") or (
                wanted_context and not re.search(wanted_context, context)):
            continue
        if "cannot start any token" in problem and char == repr("\t"):  # libyaml's words
            message, hint = _TAB, _TAB_HINT
        values = {"char": char, "raw": char.strip("'"), "start": start or "?"}
        mark = exc.context_mark if at_context and exc.context_mark else exc.problem_mark
        message, hint = message.format(**values), hint.format(**values)
        break
    else:
        message = Text("bentuk penulisan tidak dikenali", (problem or context or "?")[:300])
        hint, mark = SYNTAX_HINT, exc.problem_mark or exc.context_mark
    return InputError(Text("kesalahan sintaks YAML: ", "invalid YAML: ") + message, file=file,
                      line=mark.line + 1 if mark else None,
                      column=mark.column + 1 if mark else None, hint=hint)


def _unacceptable(file: Path, text: str, exc: yaml.reader.ReaderError) -> InputError:
    """A control character (pure-Python reader or libyaml), with its line and column."""
    before = text[:max(exc.position, 0)]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = f"#x{exc.character:04X}" if isinstance(exc.character, int) else "?"
    return InputError(Text(f"kesalahan sintaks YAML: karakter kendali {code} tidak boleh ada "
                           "di berkas YAML", f"invalid YAML: the control character {code} is "
                           "not allowed in a YAML file"), file=file, line=line, column=column,
                      hint=Text("hapus karakter itu (sering terbawa dari salinan dokumen "
                                "lain)", "remove it (it often comes with text copied from "
                                "another document)"))


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
        raise syntax_error(file, text, exc) from None
    except yaml.reader.ReaderError as exc:
        raise _unacceptable(file, text, exc) from None
    except yaml.YAMLError as exc:
        raise InputError(Text("kesalahan sintaks YAML", "invalid YAML: " + str(exc)[:300]),
                         file=file, hint=SYNTAX_HINT) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(file, data, lines, raw_numbers=raw)


# the json module's messages (their start), in Indonesian
_JSON_WORDS = (
    ("Expecting value", "nilai yang diharapkan tidak ada"),
    ("Expecting ',' delimiter", "koma ',' tidak ada di antara dua butir"),
    ("Expecting ':' delimiter", "titik dua ':' tidak ada setelah kunci"),
    ("Expecting property name", "kunci harus teks bertanda kutip ganda (dan tanpa koma di "
     "akhir)"),
    ("Unterminated string", "tanda kutip yang dibuka tidak ditutup"),
    ("Extra data", "ada isi setelah akhir dokumen"),
    ("Invalid control character", "karakter kendali (mis. tab atau baris baru) di dalam teks"),
    ("Invalid \\escape", "garis miring terbalik '\\' memulai kode escape yang tidak dikenal"),
)


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
        said = next((words for start, words in _JSON_WORDS if exc.msg.startswith(start)),
                    "bentuk penulisan tidak dikenali")
        raise InputError(Text(f"kesalahan sintaks JSON: {said}", f"invalid JSON: {exc.msg}"),
                         file=file, line=exc.lineno, column=exc.colno,
                         hint=Text("periksa tanda kutip ganda, koma dan kurung di sekitar "
                                   "kolom ini", "check the double quotes, commas and brackets "
                                   "around this column")) from None
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
