"""`patuh init`: the manifest as a YAML form, rendered from the questionnaire model.

Every key the manifest schema accepts is written, active and empty, in the schema's nesting —
nothing to uncomment, so no indentation to get wrong. An empty key means "no answer" (see
:func:`patuh.normalize.drop_unanswered`); a person fills in what the unit has. Comments (in
the chosen language) carry each indicator's descriptors and evidence, and beside each key its
question, its allowed values and the levels it moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from patuh.i18n import Text
from patuh.questionnaire import CHOICE
from patuh.questionnaire import CHOICES
from patuh.questionnaire import DATE
from patuh.questionnaire import FILE
from patuh.questionnaire import FILES
from patuh.questionnaire import INTEGER
from patuh.questionnaire import NUMBER
from patuh.questionnaire import TEXTS
from patuh.questionnaire import YES_NO
from patuh.questionnaire import Indicator
from patuh.questionnaire import Question
from patuh.questionnaire import Questionnaire

HEADER = Text("""\
# Manifest bukti dukung patuh — satu unit, satu periode.
#
# Isi jawaban di belakang tanda ':' — kunci yang dibiarkan kosong berarti "tidak ada data".
# Tulis tidak / false / 0 bila unit memang tidak memilikinya (itu berbeda dari kosong).
# Ya/tidak: ya, tidak. Tanggal: 31/10/2025, 31 Oktober 2025 atau 2025-10-31. Angka: 82,5 atau 9.870.
# Pilihan ganda dan daftar: [a, b]. Bukti dukung: jalur berkas relatif terhadap folder ini
# (atau URL), mis. bukti: [sp/sk-sp-2025.pdf]. Untuk daftar (mis. inovasi) salin butir '- …'.
# "→ {feed}" di samping kunci: jawabannya ikut menentukan level itu pada indikator itu.
# Periksa dengan: patuh check {file}
""", """\
# patuh evidence manifest — one unit, one period.
#
# Write answers after the ':' — a key left empty means "no data".
# Write no / false / 0 when the unit truly lacks something (that differs from empty).
# Yes/no: ya, tidak (or true, false). Dates: 31/10/2025, 31 Oktober 2025 or 2025-10-31.
# Numbers: 82,5 or 82.5. Multiple choices and lists: [a, b]. Evidence: file paths relative to
# this folder (or URLs), e.g. bukti: [sp/sk-sp-2025.pdf]. For lists (e.g. inovasi) copy the
# '- …' item.
# "→ {feed}" beside a key: its answer helps decide that level of that indicator.
# Check with: patuh check {file}
""")

KIND_HINT = {
    YES_NO: Text("ya/tidak", "yes/no"),
    DATE: Text("tanggal", "date"),
    INTEGER: Text("bilangan bulat", "whole number"),
    NUMBER: Text("angka", "number"),
    TEXTS: Text("daftar teks [a, b]", "list of texts [a, b]"),
    FILE: Text("berkas data di folder ini", "a data file in this folder"),
    FILES: Text("berkas/URL [a.pdf, b.jpg]", "files/URLs [a.pdf, b.jpg]"),
}
RULE = "─" * 78


def _levels(question: Question) -> str:
    parts = []
    for feed in question.feeds:
        levels = feed.levels
        shown = (f"{levels[0]}–{levels[-1]}" if len(levels) > 2
                 and levels == tuple(range(levels[0], levels[-1] + 1))
                 else ",".join(map(str, levels)))
        parts.append(f"{feed.rule} L{shown}" if shown != "0" else feed.rule)
    return "; ".join(parts)


def _comment(question: Question, lang: str) -> str:
    parts = [question.label.get(lang)]
    if question.kind in (CHOICE, CHOICES):
        codes = " | ".join(c.code for c in question.choices)
        many = Text("satu atau lebih", "one or more") if question.kind == CHOICES \
            else Text("salah satu", "one of")
        parts.append(f"{many.get(lang)}: {codes}")
    elif question.kind in KIND_HINT:
        parts.append(KIND_HINT[question.kind].get(lang))
    if question.minimum is not None or question.maximum is not None:
        low = "" if question.minimum is None else f"≥ {question.minimum:g}"
        high = "" if question.maximum is None else f"≤ {question.maximum:g}"
        parts.append(" ".join(p for p in (low, high) if p))
    feeds = _levels(question)
    if feeds:
        parts.append("→ " + feeds)
    return "  # " + " — ".join(parts)


def _indicator_block(indicator: Indicator, pad: str, lang: str) -> list[str]:
    out = [f"{pad}# {RULE[:max(20, 78 - len(pad))]}",
           f"{pad}# {indicator.rule} — {indicator.title.get(lang)}"]
    for level, title in indicator.levels:
        out.append(f"{pad}#   {Text('Level', 'Level').get(lang)} {level}: {title.get(lang)}")
    if indicator.evidence.get(lang):
        out.append(f"{pad}#   {Text('Bukti', 'Evidence').get(lang)}: "
                   f"{' '.join(indicator.evidence.get(lang).split())}")
    return out


def scalar(value: Any) -> str:
    """A value as one line of YAML (flow style for lists and mappings)."""
    try:
        key = _frozen(value, [0])
    except (TypeError, OverflowError):  # something rare or large: written as it comes
        return _scalar(value)
    found = _SCALARS.get(key)
    if found is None:
        if len(_SCALARS) >= _MAX_SCALARS:
            _SCALARS.clear()
        found = _SCALARS[key] = _scalar(value)
    return found


def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 30,
                          sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


# A form is written on every answer the platform saves: its few thousand values and keys are
# mostly the same from one save to the next, and PyYAML's emitter was most of a save's time.
# The values written are remembered by their content and type (True and 1 stay apart), for
# small values only and a bounded number of them.
_SCALARS: dict[Any, str] = {}
_MAX_SCALARS = 8192
_CACHED_TEXT = 1000  # characters of text in one value remembered, at most


def _frozen(value: Any, size: list[int]) -> Any:
    """A hashable key of a value's content and types; TypeError: not kept (unknown type),
    OverflowError: too large to keep."""
    if isinstance(value, str):
        size[0] += len(value)
    else:
        size[0] += 1
    if size[0] > _CACHED_TEXT:
        raise OverflowError
    if value is None or isinstance(value, (str, bool, int, float, date)):
        return (type(value), value)
    if isinstance(value, list):
        return (list, tuple(_frozen(v, size) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((_frozen(k, size), _frozen(v, size)) for k, v in value.items()))
    raise TypeError


def _key(name: str) -> str:
    """A key as YAML reads it back as text (``"1"``, not the number 1)."""
    if isinstance(name, str) and len(name) <= _CACHED_TEXT:
        return _cached_key(name)
    return _plain_key(name)


def _plain_key(name: str) -> str:
    return name if isinstance(yaml.safe_load(name), str) else scalar(name)


_cached_key = lru_cache(maxsize=4096)(_plain_key)


class _Writer:
    def __init__(self, model: Questionnaire, lang: str) -> None:
        self.model = model
        self.lang = lang
        self.out: list[str] = []
        self.announced: set[str] = set()  # indicators and sections already described
        self.homes = {p: ind for s in model.sections for ind in s.indicators
                      for p in ind.questions}
        self.sections = {p: s for s in model.sections for ind in s.indicators
                         for p in ind.questions}

    def announce(self, path: str, pad: str) -> None:
        indicator = self.homes.get(path)
        if indicator is None or indicator.rule in self.announced:
            return
        section = self.sections[path]
        if section.code not in self.announced:
            self.announced.add(section.code)
            self.out.append(f"{pad}# ══ {section.title.get(self.lang)} ({section.code}) ══")
        self.announced.add(indicator.rule)
        self.out.extend(_indicator_block(indicator, pad, self.lang))

    def tree(self, node: Mapping[str, Any], data: Any, prefix: str, indent: int) -> None:
        pad = "  " * indent
        data = data if isinstance(data, Mapping) else {}
        for key, child in node.items():
            name = key.removesuffix("[]")
            path = f"{prefix}.{key}" if prefix else key
            if not isinstance(child, (Question, Mapping)):  # a fixed value (schema_version)
                self.out.append(f"{pad}{_key(key)}: "
                                f"{scalar(data.get(key, child))}")
                continue
            if isinstance(child, Question):
                self.announce(child.path, pad)
                value = f" {scalar(data[key])}" if data.get(key) is not None else ""
                self.out.append(f"{pad}{_key(key)}:{value}{_comment(child, self.lang)}")
                continue
            if indent == 0:
                self.out.append("")
            first = _first_question(child)
            if first is not None:
                self.announce(first, pad)
            heading = self.model.headings.get(path.removesuffix("[]"))
            label = f"  # {heading.get(self.lang)}" if heading else ""
            if key.endswith("[]") and data.get(name) == []:  # "none at all" is an answer
                self.out.append(f"{pad}{_key(name)}: []{label}")
                continue
            self.out.append(f"{pad}{_key(name)}:{label}")
            if key.endswith("[]"):
                items = data.get(name)
                for item in (items if isinstance(items, list) and items else [{}]):
                    self._item(child, item, path, indent + 1)
            else:
                self.tree(child, data.get(key), path, indent + 1)

    def _item(self, node: Mapping[str, Any], data: Any, prefix: str, indent: int) -> None:
        """One item of a list, written ``- key:`` then the item's other keys."""
        start = len(self.out)
        self.tree(node, data, prefix, indent + 1)
        pad = "  " * (indent + 1)
        for index in range(start, len(self.out)):
            line = self.out[index]
            if line.startswith(pad) and not line[len(pad):].startswith(("#", " ")):
                self.out[index] = "  " * indent + "- " + line[len(pad):]
                break


def _first_question(node: Any) -> str | None:
    if isinstance(node, Question):
        return node.path
    for child in node.values():
        found = _first_question(child)
        if found is not None:
            return found
    return None


def _nest(model: Questionnaire) -> dict[str, Any]:
    """The questions as the manifest's nesting (lists of objects keyed ``name[]``)."""
    root: dict[str, Any] = {}
    entries = [(model.fixed_keys[p], model.fixed[p]) for p in model.fixed]
    entries += [(q.keys, q) for q in model.questions.values()]
    for keys, value in entries:
        node = root
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return root


def placeholders(year: int) -> dict[str, Any]:
    """What ``patuh init`` fills in, so that the new manifest checks at once."""
    return {"unit": {"nama": "Nama Unit Pelayanan"}, "periode": {"tahun": year}}


def manifest_template(model: Questionnaire, lang: str = "id",
                      data: Mapping[str, Any] | None = None, file: str = "manifest.yaml") -> str:
    """The YAML form: every key of the questionnaire, with the answers in ``data``."""
    writer = _Writer(model, lang)
    editions = ", ".join(f"{r} {e}" for r, e in model.rulesets)
    example = next((_levels(q) for q in model.questions.values() if q.feeds), "…")
    writer.out.append(HEADER.get(lang).format(file=file, feed=example.split("; ")[0])
                      .rstrip("\n"))
    writer.out.append(f"# {Text('Ruleset', 'Rulesets').get(lang)}: {editions}")
    writer.tree(_nest(model), data or {}, "", 0)
    return "\n".join(writer.out) + "\n"
