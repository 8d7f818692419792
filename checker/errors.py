"""Errors a user can fix. They carry where the problem is and how to fix it; the CLI prints
them without a traceback and exits 2."""

from __future__ import annotations

from pathlib import Path

from patuh.i18n import Text
from patuh.i18n import render


class InputError(Exception):
    """Bad input: a manifest, rule file, response file or command-line value.

    Rendered as ``FILE:LINE: $.json.path: message`` followed by an optional hint.
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
    ) -> None:
        super().__init__(render(message, "id"))
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.path = path
        self.hint = hint

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
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
                         hint=first.hint)
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
