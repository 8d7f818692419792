"""Bilingual text. Everything a user reads exists in Bahasa Indonesia (first) and English."""

from __future__ import annotations

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


def render(value: Text | str | None, lang: str) -> str:
    if value is None:
        return ""
    return value.get(lang) if isinstance(value, Text) else value
