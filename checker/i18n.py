"""Bilingual text. Everything a user reads exists in Bahasa Indonesia (first) and English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Text:
    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id

    def format(self, **values: Any) -> Text:
        return Text(self.id.format(**values), self.en.format(**values))

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, str):
            return Text(self.id + other, self.en + other)
        return Text(self.id + other.id, self.en + other.en)

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}

    @classmethod
    def of(cls, value: Any) -> Text:
        """A rule file's ``{id, en}`` mapping, or a plain string used for both."""
        if isinstance(value, Text):
            return value
        if isinstance(value, dict):
            return cls(value["id"], value.get("en", value["id"]))
        return cls(str(value), str(value))


_SWAP = str.maketrans({",": ".", ".": ","})


def number(value: Any, lang: str, places: int | None = None, *, sign: bool = False,
           group: bool = True) -> str:
    """A number as people of the language write it: ``9.870,5`` in Indonesian, ``9,870.5`` in
    English. ``places`` fixes the decimals (``format`` rounds the binary float: callers
    round with the rule's rounding mode first); ``sign`` writes ``+`` before a positive
    number. JSON and CSV keep machine numbers and never come here."""
    kind = type(value).__name__  # Decimal and Fraction by name: their modules cost a cold start
    if kind == "Fraction":
        value, kind = float(value), "float"
    if isinstance(value, bool) or not (isinstance(value, (int, float)) or kind == "Decimal"):
        return str(value)
    spec = ("+" if sign else "") + ("," if group else "")
    if places is not None:
        spec += f".{places}f"
    elif kind == "Decimal":
        spec += "f"
    text = format(value, spec)
    return text.translate(_SWAP) if lang != "en" else text


def named(names: Mapping[str, Text], code: object, lang: str) -> str:
    """A code's name in ``lang`` from a vocabulary (``half_up`` → ``setengah ke atas``); a code
    the vocabulary does not know, as written."""
    text = names.get(str(code))
    return str(code) if text is None else text.get(lang)


def render(value: Text | str | None, lang: str) -> str:
    if value is None:
        return ""
    return value.get(lang) if isinstance(value, Text) else value
