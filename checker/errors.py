"""Errors a user can fix. They carry where the problem is and how to fix it; the CLI prints
them without a traceback and exits 2."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from patuh.i18n import Text
from patuh.i18n import render


def format_path(path: Sequence[str | int] | str) -> str:
    """A place in a document as its author wrote it: keys joined by dots, list positions in
    brackets counted from 1: ``("inovasi", "daftar", 0, "nama")`` and the fact path
    ``inovasi.daftar.0.nama`` both read ``inovasi.daftar[1].nama``. The one formatter of every
    path a person reads (errors, notes, reasons, the JSON report's paths, which people read
    too); ``""`` for the whole document.

    In a dotted fact path a part of digits only is a list position (fact paths in rules are
    ``[a-z0-9_]`` keys; a manifest key of digits only would be shown as a position)."""
    parts: Sequence[str | int] = path.split(".") if isinstance(path, str) and path else \
        (() if isinstance(path, str) else path)
    out = ""
    for part in parts:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit() and out):
            out += f"[{int(part) + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class InputError(Exception):
    """Bad input: a manifest, rule file, response file or command-line value.

    Rendered as ``FILE:LINE: path[1].in.file: message`` followed by an optional hint.
    """

    exit_code = 2

    def __init__(
        self,
        message: str | Text,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        path: str | None = None,
        hint: str | Text | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(render(message, "id"))
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.path = path
        self.hint = hint
        self.column = column  # counted from 1, with a line only (a YAML syntax error)

    def location(self) -> str:
        parts = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}" + (f":{self.column}" if self.column else "")
            parts.append(where)
        if self.path:
            parts.append(self.path)
        return ": ".join(parts)

    def render(self, lang: str = "id") -> str:
        where = self.location()
        message = render(self.message, lang)
        text = f"{where}: {message}" if where else message
        if self.hint:
            text += f"\n  ↳ {render(self.hint, lang)}"
        return text

    def __str__(self) -> str:
        return self.render("id")


class InputErrors(InputError):
    """Several problems in one file, reported together (best first)."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        super().__init__(first.message, file=first.file, line=first.line, path=first.path,
                         hint=first.hint, column=first.column)
        self.errors = errors

    def render(self, lang: str = "id") -> str:
        return "\n".join(e.render(lang) for e in self.errors)


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents), or explain why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Text(f"folder tidak dapat dibuat: {exc.strerror}",
                              f"cannot create the folder: {exc.strerror}"),
                         file=folder) from None
