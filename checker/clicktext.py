"""Click's own words (usage errors, help headings, option checks) in Bahasa Indonesia.

Click writes its messages through ``gettext``; this module gives it an Indonesian catalogue
when the user's language is Indonesian (the default) and gives back click's English with
``--lang en``. Only click's module globals ``_`` and ``ngettext`` are replaced, and only in
click's own modules: no environment variable, no process-wide gettext domain. A message this
catalogue does not know (a newer click) stays in English.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

# click's msgid -> Indonesian. Placeholders are kept exactly as click formats them.
MESSAGES: dict[str, str] = {
    "Aborted!": "Dibatalkan!",
    "deprecated": "usang",
    "Missing command.": "Perintah belum diberikan.",
    "Options": "Opsi",
    "Positional arguments": "Argumen posisi",
    "Commands": "Perintah",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Peringatan: perintah {name!r} sudah usang.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Peringatan: {param_type} {name!r} sudah usang.{extra_message}",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "env var: {var}": "variabel lingkungan: {var}",
    "default: {default}": "bawaan: {default}",
    "(dynamic)": "(dinamis)",
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Setujui tindakan ini tanpa ditanya.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Missing argument": "Argumen belum diberikan",
    "unknown error": "kesalahan yang tidak diketahui",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Missing option": "Opsi belum diberikan",
    "Could not open file {filename!r}: {message}":
        "Berkas {filename!r} tidak dapat dibuka: {message}",
    "Error: {message}": "Kesalahan: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Missing parameter": "Parameter belum diberikan",
    "Missing parameter: {param_name}": "Parameter belum diberikan: {param_name}",
    "No such option {name!r}.": "Opsi {name!r} tidak ada.",
    "No such command {name!r}.": "Perintah {name!r} tidak ada.",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Missing {param_type}": "{param_type} belum diberikan",
    "Usage:": "Penggunaan:",
    "Invalid start character for option ({option})":
        "Awal opsi tidak sah ({option})",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} menerima {nargs} nilai.",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Error: The two entered values do not match.":
        "Kesalahan: kedua nilai yang dimasukkan tidak sama.",
    "Error: invalid input": "Kesalahan: masukan tidak sah",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} bukan nilai ya/tidak yang sah. Nilai yang dikenal: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{editor}: Editing failed": "{editor}: penyuntingan gagal",
    "{editor}: Editing failed: {e}": "{editor}: penyuntingan gagal: {e}",
}

# (singular, plural) -> (Indonesian for one, for more): click formats each form with its own
# placeholders, so each translation keeps those of the form it stands for.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Ada argumen lebih yang tidak diharapkan ({args})",
         "Ada argumen lebih yang tidak diharapkan ({args})"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Menerima {nargs} nilai, tetapi diberi 1.",
         "Menerima {nargs} nilai, tetapi diberi {len}."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Maksud Anda {possibility}?", "(Maksud Anda salah satu dari: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Opsi {name!r} memerlukan sebuah nilai.", "Opsi {name!r} memerlukan {nargs} nilai."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} bukan {choice}.", "{value!r} bukan salah satu dari {choices}."),
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        ("{value!r} tidak sesuai format {format}.", "{value!r} tidak sesuai format {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("Diperlukan {len_type} nilai, tetapi diberi {len_value}.",
         "Diperlukan {len_type} nilai, tetapi diberi {len_value}."),
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types",
            "utils", "_termui_impl", "shell_completion")
_english: dict[str, tuple[Callable[..., str] | None, Callable[..., str] | None]] = {}


# click's own names of value types, put into some messages as they are
TYPE_NAMES = {"integer": "bilangan bulat", "integer range": "bilangan bulat",
              "float": "angka", "float range": "angka", "boolean": "ya/tidak",
              "argument": "argumen", "option": "opsi", "parameter": "parameter"}


class _Template(str):
    """An Indonesian message whose ``format`` also names click's value types in Indonesian
    (``'dua' bukan bilangan bulat yang sah``, not ``… integer …``)."""

    def format(self, *args: object, **values: object) -> str:
        named = {k: TYPE_NAMES.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
        return str.format(self, *args, **named)


def _gettext(message: str) -> str:
    found = MESSAGES.get(message)
    return message if found is None else _Template(found)


def _ngettext(singular: str, plural: str, n: int) -> str:
    forms = PLURALS.get((singular, plural))
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


def speak(lang: str) -> None:
    """Click's messages in ``lang`` from now on: click's own English for ``en``, else this
    catalogue (Indonesian is the default, also for a language patuh does not know)."""
    indonesian = lang != "en"
    for name in _MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if name not in _english:
            _english[name] = (getattr(module, "_", None), getattr(module, "ngettext", None))
        english_gettext, english_ngettext = _english[name]
        if english_gettext is not None:
            module._ = _gettext if indonesian else english_gettext  # type: ignore[attr-defined]
        if english_ngettext is not None:
            module.ngettext = (  # type: ignore[attr-defined]
                _ngettext if indonesian else english_ngettext)
