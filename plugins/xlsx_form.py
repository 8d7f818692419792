"""The manifest as an Excel workbook (``patuh init --format xlsx``, ``patuh convert``), and the
loader that reads a filled workbook back (``patuh check manifest.xlsx``).

Layout, rendered from the questionnaire model:

- ``Petunjuk``: how to fill it in, in both languages (the chosen one first);
- one sheet per section (``Umum``, then each aspect): an indicator's heading row (its levels'
  descriptors and the evidence asked), then one row per question homed there — column A holds
  the manifest path, D the answer (a ``files`` question's answer is in E, "Bukti": file names
  relative to the manifest's folder, ``;`` between them);
- one sheet per repeating list (the innovations …): one row per item, one column per question,
  row 1 the paths, row 2 the labels;
- ``Daftar`` (hidden): the allowed codes the dropdowns offer; ``_patuh`` (hidden): the marker
  that makes this a patuh form, which sheet holds what, and the fixed keys (schema_version).

Every sheet is protected without a password, only answer cells unlocked, and the workbook's
structure locked so that sheets cannot be renamed or removed by accident. A value no cell can
show as such (an evidence entry with a sha256, a text holding ``;``) is written as YAML flow
text, ``[a.pdf, {berkas: b.pdf, sha256: …}]``, and read back the same: conversion is lossless.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.habits import Reading
from patuh.habits import read_bool
from patuh.habits import read_date
from patuh.habits import read_number
from patuh.habits import read_serial
from patuh.i18n import Text
from patuh.normalize import FieldReading
from patuh.plugins import tables
from patuh.questionnaire import CHOICE
from patuh.questionnaire import CHOICES
from patuh.questionnaire import DATE
from patuh.questionnaire import FILE
from patuh.questionnaire import FILES
from patuh.questionnaire import INTEGER
from patuh.questionnaire import NUMBER
from patuh.questionnaire import TEXT
from patuh.questionnaire import TEXTS
from patuh.questionnaire import YES_NO
from patuh.questionnaire import Question
from patuh.questionnaire import Questionnaire
from patuh.questionnaire import list_keys
from patuh.questionnaire import schema_questions
from patuh.template import scalar
from patuh.yamlio import Document
from patuh.yamlio import JsonPath
from patuh.yamlio import format_path
from patuh.yamlio import nearest

MARKER_SHEET = "_patuh"
LISTS_SHEET = "Daftar"
MARKER = "patuh-manifest-form"
FORM_VERSION = 1
SECTION, GROUP = "section", "group"

# section sheets: columns
COL_PATH, COL_INDICATOR, COL_QUESTION, COL_ANSWER, COL_EVIDENCE = 1, 2, 3, 4, 5
COL_HOW, COL_LEVELS, COL_HELP = 6, 7, 8
HEADERS = (Text("Kode", "Path"), Text("Indikator", "Indicator"),
           Text("Pertanyaan / deskriptor", "Question / descriptor"),
           Text("Jawaban", "Answer"), Text("Bukti (nama berkas)", "Evidence (file names)"),
           Text("Cara mengisi", "How to answer"), Text("Memengaruhi level", "Moves levels"),
           Text("Keterangan", "Notes"))
WIDTHS = (16, 16, 52, 22, 34, 34, 24, 60)
GROUP_FIRST_ROW = 3  # group sheets: row 1 paths, row 2 labels, items from row 3
BLANK_ITEMS = 20  # empty rows ready in a group sheet
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
YES = {"id": "ya", "en": "yes"}
NO = {"id": "tidak", "en": "no"}

KIND_HOW = {
    YES_NO: Text("pilih ya atau tidak", "choose ya (yes) or tidak (no)"),
    INTEGER: Text("bilangan bulat, mis. 12", "a whole number, e.g. 12"),
    NUMBER: Text("angka, mis. 82,5", "a number, e.g. 82.5"),
    DATE: Text("tanggal, mis. 31/10/2025", "a date, e.g. 31/10/2025"),
    CHOICE: Text("pilih dari daftar", "choose from the list"),
    CHOICES: Text("satu atau lebih kode, dipisah ;", "one or more codes, separated by ;"),
    TEXT: Text("teks", "text"),
    TEXTS: Text("satu atau lebih teks, dipisah ;", "one or more texts, separated by ;"),
    FILE: Text("nama berkas data di folder manifest, mis. skm/jawaban.xlsx",
               "a data file in the manifest's folder, e.g. skm/jawaban.xlsx"),
    FILES: Text("nama berkas relatif terhadap folder manifest (atau URL), dipisah ;",
                "file names relative to the manifest's folder (or URLs), separated by ;"),
}

INSTRUCTIONS = Text("""\
Formulir manifest patuh — satu unit, satu periode.
Isi kolom Jawaban (sel putih) pada setiap lembar; kolom lain terkunci supaya baris tidak rusak.
Sel yang dibiarkan kosong berarti "tidak ada data". Pilih/tulis tidak bila unit memang tidak
memilikinya (itu berbeda dari kosong).
Ya/tidak dan pilihan: pilih dari daftar pada sel. Beberapa pilihan: tulis kodenya dipisah ;
(kode yang sah ada di kolom Cara mengisi).
Tanggal: sel tanggal Excel, atau ketik 31/10/2025 atau 31 Oktober 2025 (hari lebih dulu).
Angka: 82,5 atau 82.5; bilangan bulat tanpa desimal.
Bukti dukung: nama berkas relatif terhadap folder tempat manifest.xlsx disimpan (atau URL),
mis. standar-pelayanan/sk-sp-2025.pdf; beberapa berkas dipisah ;.
Daftar (mis. inovasi): satu baris per butir pada lembarnya sendiri; baris kosong diabaikan.
Kolom Kode berisi kunci manifest; jangan diubah. Proteksi lembar tanpa kata sandi.
Periksa dengan: patuh check manifest.xlsx — pesan kesalahan menyebut lembar dan sel, mis.
manifest.xlsx!Kebijakan Pelayanan!D14. Ubah ke YAML: patuh convert manifest.xlsx manifest.yaml
""", """\
patuh manifest form — one unit, one period.
Fill in the Answer column (white cells) on every sheet; the other columns are locked so that
rows cannot be broken. A cell left empty means "no data". Choose tidak (no) when the unit truly
lacks something (that differs from empty).
Yes/no and choices: pick from the cell's list. Several choices: write their codes separated by
; (the valid codes are in the How to answer column).
Dates: an Excel date cell, or type 31/10/2025 or 31 Oktober 2025 (day first).
Numbers: 82,5 or 82.5; whole numbers without decimals.
Evidence: file names relative to the folder where manifest.xlsx is kept (or URLs), e.g.
standar-pelayanan/sk-sp-2025.pdf; several files separated by ;.
Lists (e.g. innovations): one row per item on their own sheet; empty rows are ignored.
The Path column holds the manifest key; do not change it. Sheets are protected without a
password.
Check with: patuh check manifest.xlsx — errors name the sheet and cell, e.g.
manifest.xlsx!Kebijakan Pelayanan!D14. To YAML: patuh convert manifest.xlsx manifest.yaml
""")


# --- writing --------------------------------------------------------------------------------

def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font
    from openpyxl.styles import PatternFill
    from openpyxl.styles import Protection

    return {
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "bold": Font(bold=True),
        "small": Font(size=8, color="808080"),
        "header": PatternFill("solid", fgColor="D9E1F2"),
        "heading": PatternFill("solid", fgColor="FFF2CC"),
        "locked": PatternFill("solid", fgColor="F2F2F2"),
        "open": Protection(locked=False),
    }


def _sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a title: before any "(", without []:*?/\\, ≤ 31."""
    name = re.sub(r"[\[\]:*?/\\]", "-", title.split(" (")[0]).strip(" '") or "Lembar"
    if len(name) > 31:
        name = name[:31].rsplit(" ", 1)[0] if " " in name[:31] else name[:31]
    candidate, number = name, 2
    while candidate.lower() in {t.lower() for t in taken} or \
            candidate.lower() in (MARKER_SHEET, LISTS_SHEET.lower()):
        suffix = f" ({number})"
        candidate = name[:31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _get(data: Any, keys: Iterable[str]) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _plain_list(items: list[Any]) -> bool:
    """Whether a list can be written as ``a; b`` and read back the same."""
    return bool(items) and all(
        isinstance(item, str) and item and item == item.strip() and ";" not in item
        and "\n" not in item for item in items) and not items[0].startswith(("[", "{"))


def cell_value(question: Question, value: Any, lang: str) -> Any:
    """What a cell shows for an answer (None: empty)."""
    if value is None:
        return None
    kind = question.kind
    if kind == YES_NO and isinstance(value, bool):
        return (YES if value else NO).get(lang, YES["id"] if value else NO["id"])
    if kind == DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if kind in (CHOICES, TEXTS, FILES) and isinstance(value, list):
        return "; ".join(value) if _plain_list(value) else scalar(value)
    if kind in (INTEGER, NUMBER) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if _needs_quotes(value) else value
    return scalar(value)


def _needs_quotes(text: str) -> bool:
    """Whether a text is written JSON-quoted: control characters no cell may hold, or quotes
    around it that reading would take off."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return bool(ILLEGAL_CHARACTERS_RE.search(text)) or (
        len(text) >= 2 and text.startswith('"') and text.endswith('"'))


def _how(question: Question, lang: str) -> str:
    low, high = question.minimum, question.maximum
    if question.kind in (INTEGER, NUMBER) and (low is not None or high is not None):
        word = (Text("bilangan bulat", "a whole number") if question.kind == INTEGER
                else Text("angka (koma desimal boleh)", "a number")).get(lang)
        if low is not None and high is not None:
            return f"{word} {low:g}–{high:g}"
        return f"{word} ≥ {low:g}" if low is not None else f"{word} ≤ {high:g}"
    how = KIND_HOW[question.kind].get(lang)
    if question.kind in (CHOICE, CHOICES) and question.choices:
        codes = "; ".join(c.code if c.label.get(lang) == c.code.replace("_", " ")
                          else f"{c.code} ({c.label.get(lang)})" for c in question.choices)
        how += " — " + codes
    return how


def _levels(question: Question) -> str:
    parts = []
    for feed in question.feeds:
        shown = ",".join(map(str, feed.levels))
        parts.append(feed.rule if shown == "0" else f"{feed.rule} L{shown}")
    return "\n".join(parts)


def _label(model: Questionnaire, question: Question, lang: str, start: int = 0) -> str:
    """The question with its parents' headings: ``Standar pelayanan › Penetapan › Nomor``."""
    parts = []
    path = ""
    for key in question.keys[:-1]:
        path = f"{path}.{key}" if path else key
        heading = model.headings.get(path.removesuffix("[]"))
        parts.append(heading.get(lang) if heading else key)
    parts = parts[start:]
    last = question.key if "." in question.key else question.label.get(lang)  # butir 1.a.K1
    if question.kind == FILES:  # its label repeats the heading before it
        last = Text("Bukti dukung", "Evidence").get(lang)
    return " › ".join([*parts, last])


NONE_HOW = Text("ya bila unit tidak memiliki satu pun (daftarnya kosong); selain itu biarkan "
                "kosong dan isi lembarnya", "yes when the unit has none at all (the list is "
                "empty); otherwise leave it blank and fill in the list's sheet")


def none_question(path: str) -> Question:
    """The yes/no "none at all" of a list: an empty list is a claim, a blank sheet is none."""
    return Question(path, YES_NO, Text("Tidak ada satu pun", "None at all"))


class _Book:
    def __init__(self, model: Questionnaire, data: Mapping[str, Any], lang: str) -> None:
        import openpyxl

        self.model, self.data, self.lang = model, data, lang
        self.book = openpyxl.Workbook()
        self.style = _styles()
        self.taken: set[str] = set()
        self.registry: list[tuple[str, str, str]] = []  # sheet, kind, section code/group path
        self.lists: dict[str, str] = {}  # question path -> the range its dropdown offers
        self.list_sheet: Any = None
        self.answer_cells: dict[str, str] = {}  # question path -> Sheet!Cell
        self.notes: list[tuple[Any, Any, tuple[str, ...]]] = []  # cells to list "read here"
        self.none_asked: set[str] = set()  # lists whose "none at all" answer is written
        self.yes_no = f'"{YES.get(lang, "ya")},{NO.get(lang, "tidak")}"'

    # dropdowns
    def _choice_range(self, question: Question) -> str:
        if question.path not in self.lists:
            from openpyxl.utils import get_column_letter

            sheet = self.list_sheet
            column = len(self.lists) + 1
            letter = get_column_letter(column)
            sheet.cell(1, column, question.path)
            for row, choice in enumerate(question.choices, start=2):
                sheet.cell(row, column, choice.code)
            last = len(question.choices) + 1
            self.lists[question.path] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
        return self.lists[question.path]

    def validate(self, sheet: Any, question: Question, ref: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        if question.kind == YES_NO:
            formula = self.yes_no
        elif question.kind == CHOICE and question.choices:
            formula = self._choice_range(question)
        else:
            return
        rule = DataValidation(type="list", formula1=formula, allow_blank=True,
                              showErrorMessage=True, errorTitle="patuh",
                              error=KIND_HOW[question.kind].get(self.lang),
                              showInputMessage=False)
        rule.add(ref)
        sheet.add_data_validation(rule)

    def answer_cell(self, cell: Any, question: Question, value: Any) -> None:
        shown = cell_value(question, value, self.lang)
        if isinstance(shown, str) and len(shown) > MAX_CELL_CHARS:
            raise InputError(Text(f"jawaban lebih dari {MAX_CELL_CHARS} karakter, batas satu "
                                  "sel Excel", f"the answer is longer than {MAX_CELL_CHARS} "
                                  "characters, the limit of one Excel cell"),
                             path=question.path, hint=Text("persingkat, atau tetap pakai YAML",
                                                           "shorten it, or keep to YAML"))
        cell.value = shown
        if isinstance(shown, str) and shown.startswith("="):
            cell.data_type = "s"  # a text, never a formula
        cell.protection = self.style["open"]
        cell.alignment = self.style["wrap"]
        if question.kind == DATE:
            cell.number_format = "DD/MM/YYYY"
        elif question.kind in (INTEGER, NUMBER):
            cell.number_format = "General"
        else:
            cell.number_format = "@"  # text: Excel must not turn 1-4 into a date

    def header(self, sheet: Any, headers: Iterable[str], row: int = 1) -> None:
        for column, text in enumerate(headers, start=1):
            cell = sheet.cell(row, column, text)
            cell.font = self.style["bold"]
            cell.fill = self.style["header"]
            cell.alignment = self.style["wrap"]

    def protect(self, sheet: Any) -> None:
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # a person may widen columns, raise rows
        sheet.protection.formatRows = False
        sheet.protection.formatCells = False

    def instructions(self) -> None:
        sheet = self.book.active
        sheet.title = _sheet_name(Text("Petunjuk", "Instructions").get(self.lang), self.taken)
        other = "en" if self.lang != "en" else "id"
        editions = ", ".join(f"{r} {e}" for r, e in self.model.rulesets)
        lines = [*INSTRUCTIONS.get(self.lang).splitlines(),
                 f"{Text('Ruleset', 'Rulesets').get(self.lang)}: {editions}", "",
                 *INSTRUCTIONS.get(other).splitlines(),
                 f"{Text('Ruleset', 'Rulesets').get(other)}: {editions}"]
        sheet.column_dimensions["A"].width = 110
        for row, line in enumerate(lines, start=1):
            cell = sheet.cell(row, 1, line)
            if row == 1 or (line and lines[row - 2] == ""):
                cell.font = self.style["bold"]
        self.protect(sheet)

    def contents(self) -> None:
        """The instructions end with what each sheet holds."""
        sheet = self.book.worksheets[0]
        row = sheet.max_row + 2
        sheet.cell(row, 1, Text("Lembar", "Sheets").get(self.lang)).font = self.style["bold"]
        sections = {s.code: s for s in self.model.sections}
        for name, kind, code in self.registry:
            row += 1
            if kind == SECTION:
                section = sections[code]
                count = sum(len(i.questions) for i in section.indicators)
                what = Text(f"{len(section.indicators)} indikator, {count} pertanyaan",
                            f"{len(section.indicators)} indicators, {count} questions")
                if section.ruleset is None:
                    what = Text("identitas unit, periode, berkas data",
                                "the unit, the period, data files")
            else:
                what = Text("daftar: satu baris per butir", "a list: one row per item")
            sheet.cell(row, 1, f"{name} — {what.get(self.lang)}")

    def section_sheets(self) -> None:
        homes: set[str] = set()
        for section in self.model.sections:
            asked = [p for p in section.questions if self.model.questions[p].group is None]
            indicators = section.indicators
            if not asked and not indicators:
                continue
            sheet = self.book.create_sheet(_sheet_name(section.title.get(self.lang),
                                                       self.taken))
            self.registry.append((sheet.title, SECTION, section.code))
            self.header(sheet, [h.get(self.lang) for h in HEADERS])
            for column, width in enumerate(WIDTHS, start=1):
                from openpyxl.utils import get_column_letter

                sheet.column_dimensions[get_column_letter(column)].width = width
            sheet.freeze_panes = "D2"
            row = 2
            for path in asked:
                row = self.question_row(sheet, row, path, None)
                homes.add(path)
            for indicator in indicators:
                row = self.indicator_row(sheet, row, indicator)
                shown_groups: set[str] = set()
                for path in indicator.questions:
                    question = self.model.questions[path]
                    if question.group is not None:
                        if question.group not in shown_groups:
                            shown_groups.add(question.group)
                            row = self.group_pointer(sheet, row, question.group)
                        continue
                    row = self.question_row(sheet, row, path, indicator.rule)
                    homes.add(path)
            self.protect(sheet)
        # any question no section asks (none today): the general sheet's end
        rest = [p for p, q in self.model.questions.items()
                if q.group is None and p not in homes]
        if rest:
            sheet = self.book[self.registry[0][0]] if self.registry else None
            if sheet is None:
                sheet = self.book.create_sheet(_sheet_name("Umum", self.taken))
                self.registry.append((sheet.title, SECTION, "umum"))
                self.header(sheet, [h.get(self.lang) for h in HEADERS])
            row = sheet.max_row + 1
            for path in rest:
                row = self.question_row(sheet, row, path, None)

    def indicator_row(self, sheet: Any, row: int, indicator: Any) -> int:
        lang = self.lang
        descriptors = "\n".join(f"{Text('Level', 'Level').get(lang)} {level}: {title.get(lang)}"
                                for level, title in indicator.levels)
        title = indicator.title.get(lang)
        sheet.cell(row, COL_INDICATOR, indicator.rule)
        sheet.cell(row, COL_QUESTION, f"{title}\n{descriptors}" if descriptors else title)
        evidence = " ".join(indicator.evidence.get(lang).split())
        if evidence:
            sheet.cell(row, COL_HELP, f"{Text('Bukti', 'Evidence').get(lang)}: {evidence}")
        elsewhere = tuple(p for p in indicator.reads if p not in indicator.questions)
        if elsewhere:
            self.notes.append((sheet, row, elsewhere))
        for column in range(1, len(HEADERS) + 1):
            cell = sheet.cell(row, column)
            cell.fill = self.style["heading"]
            cell.alignment = self.style["wrap"]
        sheet.cell(row, COL_QUESTION).font = self.style["bold"]
        return row + 1

    def group_pointer(self, sheet: Any, row: int, group: str) -> int:
        path = group.removesuffix("[]")
        self.notes.append((sheet, row, ("group", path)))
        sheet.cell(row, COL_INDICATOR).fill = self.style["locked"]
        if path not in self.none_asked:  # "none at all" is an answer; a blank sheet is none
            self.none_asked.add(path)
            sheet.cell(row, COL_PATH, path).font = self.style["small"]
            flag = none_question(path)
            cell = sheet.cell(row, COL_ANSWER)
            keys = list_keys(self.model.questions, path)
            self.answer_cell(cell, flag, True if _get(self.data, keys) == [] else None)
            self.validate(sheet, flag, cell.coordinate)
            how = sheet.cell(row, COL_HOW, NONE_HOW.get(self.lang))
            how.alignment = self.style["wrap"]
        return row + 1

    def question_row(self, sheet: Any, row: int, path: str, rule: str | None) -> int:
        question = self.model.questions[path]
        lang = self.lang
        sheet.cell(row, COL_PATH, path).font = self.style["small"]
        if rule:
            sheet.cell(row, COL_INDICATOR, rule).font = self.style["small"]
        sheet.cell(row, COL_QUESTION, _label(self.model, question, lang))
        column = COL_EVIDENCE if question.kind == FILES else COL_ANSWER
        cell = sheet.cell(row, column)
        self.answer_cell(cell, question, _get(self.data, question.keys))
        sheet.cell(row, COL_ANSWER + COL_EVIDENCE - column).fill = self.style["locked"]
        self.validate(sheet, question, cell.coordinate)
        self.answer_cells[path] = f"{sheet.title}!{cell.coordinate}"
        sheet.cell(row, COL_HOW, _how(question, lang))
        sheet.cell(row, COL_LEVELS, _levels(question))
        if question.help:
            sheet.cell(row, COL_HELP, question.help.get(lang))
        for column_ in (COL_QUESTION, COL_HOW, COL_LEVELS, COL_HELP):
            sheet.cell(row, column_).alignment = self.style["wrap"]
        return row + 1

    def group_sheets(self) -> None:
        from openpyxl.comments import Comment
        from openpyxl.utils import get_column_letter

        for path, group in self.model.groups.items():
            sheet = self.book.create_sheet(_sheet_name(group.label.get(self.lang), self.taken))
            self.registry.append((sheet.title, GROUP, path))
            questions = [self.model.questions[p] for p in group.questions]
            start = next((i for i, k in enumerate(questions[0].keys) if k.endswith("[]")),
                         0) + 1 if questions else 0
            items = _get(self.data, [k.removesuffix("[]") for k in questions[0].keys[:start]]) \
                if questions else None
            items = [i for i in items if isinstance(i, Mapping)] \
                if isinstance(items, list) else []
            for column, question in enumerate(questions, start=1):
                letter = get_column_letter(column)
                sheet.cell(1, column, question.path).font = self.style["small"]
                label = _label(self.model, question, self.lang, start)
                head = sheet.cell(2, column, f"{label}\n({KIND_HOW[question.kind].get(self.lang)})"
                                  if question.kind not in (TEXT,) else label)
                head.font = self.style["bold"]
                head.fill = self.style["header"]
                head.alignment = self.style["wrap"]
                note = _how(question, self.lang)
                if question.help:
                    note += "\n" + question.help.get(self.lang)
                if _levels(question):
                    note += "\n→ " + _levels(question).replace("\n", "; ")
                head.comment = Comment(note, "patuh")
                sheet.column_dimensions[letter].width = 30 if question.kind in (
                    FILES, CHOICES, TEXT, TEXTS) else 18
                last = GROUP_FIRST_ROW + len(items) + BLANK_ITEMS - 1
                for row in range(GROUP_FIRST_ROW, last + 1):
                    index = row - GROUP_FIRST_ROW
                    value = _get(items[index], question.keys[start:]) \
                        if index < len(items) else None
                    self.answer_cell(sheet.cell(row, column), question, value)
                self.validate(sheet, question, f"{letter}{GROUP_FIRST_ROW}:{letter}{last}")
            sheet.row_dimensions[2].height = 45
            sheet.freeze_panes = f"A{GROUP_FIRST_ROW}"
            self.protect(sheet)

    def fill_notes(self) -> None:
        lang = self.lang
        sheets = {path: name for name, kind, path in self.registry if kind == GROUP}
        for sheet, row, paths in self.notes:
            if paths and paths[0] == "group":
                target = sheets.get(paths[1], "")
                cell = sheet.cell(row, COL_QUESTION,
                                  Text(f"Isi daftar ini di lembar '{target}', satu baris per "
                                       "butir.", f"Fill in this list on the sheet '{target}', "
                                       "one row per item.").get(lang))
                cell.font = self.style["bold"]
                cell.alignment = self.style["wrap"]
                sheet.cell(row, COL_PATH).fill = self.style["locked"]
                continue
            places = [f"{p} → {self.answer_cells[p]}" for p in paths if p in self.answer_cells]
            if places:
                text = Text("Juga membaca jawaban di: ", "Also reads the answers at: ").get(lang)
                sheet.cell(row, COL_HOW, text + "; ".join(places[:12])
                           + (" …" if len(places) > 12 else ""))

    def marker(self) -> None:
        sheet = self.book.create_sheet(MARKER_SHEET)
        sheet.cell(1, 1, MARKER)
        sheet.cell(1, 2, FORM_VERSION)
        sheet.cell(2, 1, "rulesets")
        sheet.cell(2, 2, ", ".join(f"{r} {e}" for r, e in self.model.rulesets))
        row = 3
        for path, value in self.model.fixed.items():
            keys = self.model.fixed_keys.get(path, (path,))
            sheet.cell(row, 1, "fixed")
            sheet.cell(row, 2, scalar(list(keys)))
            sheet.cell(row, 3, scalar(_get(self.data, keys) if _get(self.data, keys)
                                     is not None else value))
            row += 1
        for name, kind, path in self.registry:
            sheet.cell(row, 1, kind)
            sheet.cell(row, 2, path)
            sheet.cell(row, 3, name)
            row += 1
        sheet.sheet_state = "hidden"
        self.protect(sheet)

    def render(self) -> bytes:
        from openpyxl.workbook.protection import WorkbookProtection

        self.instructions()
        self.list_sheet = self.book.create_sheet(LISTS_SHEET)
        self.taken.add(LISTS_SHEET)
        self.section_sheets()
        self.group_sheets()
        self.fill_notes()
        self.contents()
        self.book.move_sheet(self.list_sheet, offset=len(self.book.sheetnames))
        self.list_sheet.sheet_state = "hidden"
        self.protect(self.list_sheet)
        self.marker()
        self.book.security = WorkbookProtection(lockStructure=True)
        self.book.active = 0
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def xlsx_form(model: Questionnaire, data: Mapping[str, Any], lang: str) -> bytes:
    """The manifest form as an Excel workbook, showing the answers in ``data``."""
    return _Book(model, data, lang).render()


# --- reading --------------------------------------------------------------------------------

REQUIRED = "kunci wajib belum ada: "  # patuh.validation's words for a missing key


class WorkbookDocument(Document):
    """A manifest read from a workbook: an error names the sheet and cell, and says what to
    enter there."""

    def __init__(self, file: Path, data: Any, cells: dict[JsonPath, str],
                 questions: dict[JsonPath, Question]) -> None:
        super().__init__(file, data, {})
        self.cells = cells
        self.questions = questions

    def cell_of(self, path: JsonPath) -> str | None:
        return nearest(self.cells, path)

    def error(self, path: JsonPath, message: str | Text,
              hint: str | Text | None = None) -> InputError:
        path = tuple(path)
        at = path
        if isinstance(message, Text) and message.id.startswith(REQUIRED):
            missing = message.id.removeprefix(REQUIRED).split(", ")[0]
            inside = [k for k in self.questions if k[:len(path) + 1] == (*path, missing)]
            if inside:  # point at the (first) empty cell to fill in
                at = (*path, missing) if (*path, missing) in self.questions else inside[0]
        cell = self.cell_of(at)
        question = self.questions.get(at)
        if question is not None:
            hint = _hint(question)
        where = f"{self.file}!{cell}" if cell else str(self.file)
        return InputError(message, file=where, line=None, path=format_path(tuple(path)),
                          hint=hint)


def _hint(question: Question) -> Text:
    return Text(f"isi: {_how(question, 'id')}", f"enter: {_how(question, 'en')}")


def _bad(file: Path, message: Text, hint: Text | None = None) -> InputError:
    return InputError(message, file=file, hint=hint)


def _not_a_form(file: Path) -> InputError:
    return _bad(file, Text("buku kerja ini bukan formulir manifest patuh (tidak ada lembar "
                           f"penanda {MARKER_SHEET})",
                           "this workbook is not a patuh manifest form (it has no "
                           f"{MARKER_SHEET} marker sheet)"),
                Text("buat formulir dengan `patuh init FOLDER --format xlsx` atau "
                     "`patuh convert manifest.yaml manifest.xlsx`; berkas jawaban SKM dirujuk "
                     "dari manifest (skm.berkas), bukan diperiksa langsung",
                     "make a form with `patuh init FOLDER --format xlsx` or `patuh convert "
                     "manifest.yaml manifest.xlsx`; an SKM answer file is named in the "
                     "manifest (skm.berkas), not checked itself"))


def _xlsx_error(file: Path, exc: BaseException) -> InputError:
    return _bad(file, Text(f"berkas XLSX tidak dapat dibaca: {type(exc).__name__}: {exc}",
                           f"the XLSX file cannot be read: {type(exc).__name__}: {exc}"),
                Text("buka dan simpan ulang di Excel/LibreOffice",
                     "open and save it again in Excel/LibreOffice"))


def _check_zip(file: Path) -> None:
    """Refuse a workbook whose parts unpack past the workbook limit (from the sizes its zip
    directory declares), before any XML is parsed."""
    import zipfile

    with tables.open_data(file) as handle:
        try:
            with zipfile.ZipFile(handle) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _xlsx_error(file, exc) from None
    if unpacked > tables.MAX_WORKBOOK_BYTES.value():
        raise tables.MAX_WORKBOOK_BYTES.exceeded(file, unpacked, unpacked=True)


class _Reader:
    def __init__(self, file: Path) -> None:
        self.file = file
        schema = schema_questions()
        self.questions = schema.questions
        self.groups = set(schema.groups)
        self.none_lists: dict[str, str] = {}  # lists answered "none at all" -> their cell
        self.data: dict[str, Any] = {}
        self.cells: dict[JsonPath, str] = {}
        self.asked: dict[JsonPath, Question] = {}
        self.errors: list[InputError] = []
        self.max_rows = tables.MAX_ROWS.value()
        self.seen: dict[str, str] = {}  # question path -> its cell
        self.readings: list[tuple[str, Reading]] = []  # 31/10/2025 -> 2025-10-31, per cell

    def fail(self, where: str, message: Text, hint: Text | None = None) -> None:
        self.errors.append(InputError(message, file=f"{self.file}!{where}", hint=hint))

    def rows(self, sheet: Any, first: int) -> Iterable[tuple[int, tuple[Any, ...]]]:
        sheet.reset_dimensions()  # a stale or huge stored dimension is not trusted
        for number, row in enumerate(sheet.iter_rows(min_row=first, max_col=64,
                                                     values_only=True), start=first):
            if number - first > self.max_rows:
                raise tables.MAX_ROWS.exceeded(f"{self.file}!{sheet.title}", number,
                                               line=number, at_least=True)
            if row.count(None) == len(row):
                continue
            yield number, row

    def put(self, keys: JsonPath, value: Any, where: str, question: Question) -> None:
        node: Any = self.data
        for position, key in enumerate(keys[:-1]):
            if isinstance(key, int):
                while len(node) <= key:
                    node.append({})
                node = node[key]
            else:
                node = node.setdefault(key, [] if isinstance(keys[position + 1], int) else {})
        node[keys[-1]] = value
        self.cells[keys] = where
        self.asked[keys] = question
        for depth in range(1, len(keys)):
            self.cells.setdefault(keys[:depth], where)

    def note(self, where: str, reading: Reading | None) -> None:
        if reading is not None:
            self.readings.append((where, reading))

    def value(self, question: Question, raw: Any, where: str) -> Any:
        """A cell's value as the manifest holds it (None: blank or unusable, reported)."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = question.kind
        hint = _hint(question)
        shown = raw if not isinstance(raw, str) or len(raw) <= 60 else raw[:57] + "..."
        if kind == YES_NO:
            if isinstance(raw, bool):
                return raw
            read = read_bool(str(raw))
            if read is None:
                self.fail(where, Text(f"{shown!r} bukan jawaban ya/tidak",
                                      f"{shown!r} is not a yes/no answer"), hint)
                return None
            self.note(where, read[1])
            return read[0]
        if kind in (INTEGER, NUMBER):
            if isinstance(raw, (bool, datetime, date)):
                number = None
            elif isinstance(raw, (int, float)):
                number = raw if math.isfinite(raw) else None
            else:
                read = read_number(str(raw))
                number = None if read is None else read[0]
                if read is not None:
                    self.note(where, read[1])
            if number is None:
                self.fail(where, Text(f"{shown!r} bukan angka", f"{shown!r} is not a number"),
                          hint)
                return None
            if kind == INTEGER:
                if number != int(number):
                    self.fail(where, Text(f"{shown!r} bukan bilangan bulat",
                                          f"{shown!r} is not a whole number"), hint)
                    return None
                return int(number)
            if isinstance(number, Decimal):
                return int(number) if number == int(number) and "." not in str(raw) \
                    and "," not in str(raw) else float(number)
            return number
        if kind == DATE:
            if isinstance(raw, datetime):
                return raw.date().isoformat()
            if isinstance(raw, date):
                return raw.isoformat()
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                read_day = read_serial(raw)
            else:
                read_day = read_date(str(raw))
            if read_day is None:
                self.fail(where, Text(f"{shown!r} bukan tanggal", f"{shown!r} is not a date"),
                          hint)
                return None
            self.note(where, read_day[1])
            return read_day[0].isoformat()
        text = _text(raw)
        if kind in (CHOICES, TEXTS, FILES):
            items = _flow_list(text) if text.lstrip().startswith("[") else None
            if items is None:
                items = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
            if kind == CHOICES:
                chosen = [self.choice(question, item, where) for item in items]
                return [c for c in chosen if c is not None] \
                    if None not in chosen else None
            return items
        if kind == CHOICE:
            return self.choice(question, text.strip(), where)
        if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
            try:
                loaded = json.loads(text)  # as the form writes a text no cell holds plainly
            except ValueError:
                loaded = None
            return loaded if isinstance(loaded, str) else text
        return text

    def choice(self, question: Question, item: Any, where: str) -> str | None:
        if not isinstance(item, str):
            item = _text(item)
        folded = item.strip().casefold()
        for choice in question.choices:
            if choice.code == item:
                return choice.code
        for choice in question.choices:
            if folded in (choice.code.casefold(), choice.label.id.casefold(),
                          choice.label.en.casefold()):
                return choice.code
        self.fail(where, Text(f"{item!r} bukan pilihan yang sah", f"{item!r} is not a valid "
                              "choice"), _hint(question))
        return None

    def section(self, sheet: Any) -> None:
        from openpyxl.utils import get_column_letter

        for number, row in self.rows(sheet, 2):
            path = _text(row[COL_PATH - 1]).strip() if row[COL_PATH - 1] is not None else ""
            if not path:
                continue
            if path in self.groups:
                where = f"{sheet.title}!{get_column_letter(COL_ANSWER)}{number}"
                raw = row[COL_ANSWER - 1] if len(row) >= COL_ANSWER else None
                if self.value(none_question(path), raw, where):
                    self.none_lists[path] = where
                continue
            question = self.questions.get(path)
            if question is None or question.group is not None:
                self.fail(f"{sheet.title}!A{number}",
                          Text(f"kode {path!r} tidak dikenal", f"unknown path {path!r}"),
                          Text("jangan ubah kolom Kode; buat formulir baru dengan patuh init",
                               "do not change the Path column; make a new form with "
                               "patuh init"))
                continue
            column = COL_EVIDENCE if question.kind == FILES else COL_ANSWER
            other = COL_ANSWER + COL_EVIDENCE - column
            where = f"{sheet.title}!{get_column_letter(column)}{number}"
            if path in self.seen:  # a row copied: which answer counts is not for us to guess
                self.fail(f"{sheet.title}!A{number}",
                          Text(f"pertanyaan {path} muncul dua kali (juga di {self.seen[path]})",
                               f"the question {path} appears twice (also at "
                               f"{self.seen[path]})"),
                          Text("hapus salah satu baris", "delete one of the rows"))
                continue
            self.seen[path] = where
            if len(row) >= other and row[other - 1] not in (None, ""):
                self.fail(f"{sheet.title}!{get_column_letter(other)}{number}",
                          Text("isian di kolom yang salah", "an answer in the wrong column"),
                          Text(f"pindahkan ke {where}", f"move it to {where}"))
            raw = row[column - 1] if len(row) >= column else None
            value = self.value(question, raw, where)
            keys = tuple(question.keys)
            if value is None:
                self.blank(keys, where, question)
                continue
            self.put(keys, value, where, question)

    def empty_lists(self) -> None:
        """The lists answered "none at all": empty, unless their sheet has items too."""
        for path, where in self.none_lists.items():
            keys = list_keys(self.questions, path)
            items = _get(self.data, keys)
            if items:
                self.fail(where, Text(f"dijawab tidak ada satu pun, tetapi lembar daftarnya "
                                      f"berisi {len(items)} butir",
                                      f"answered none at all, but the list's sheet holds "
                                      f"{len(items)} items"),
                          Text("kosongkan jawaban ini, atau hapus butir di lembarnya",
                               "clear this answer, or delete the items on its sheet"))
                continue
            node = self.data
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node[keys[-1]] = []
            self.cells[keys] = where

    def blank(self, keys: JsonPath, where: str, question: Question) -> None:
        """Where an unanswered question is, for an error that asks for it."""
        self.asked.setdefault(keys, question)
        for depth in range(1, len(keys) + 1):
            self.cells.setdefault(keys[:depth], where)

    def group(self, sheet: Any, path: str) -> None:
        from openpyxl.utils import get_column_letter

        sheet.reset_dimensions()
        header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=64, values_only=True), ())
        columns: list[tuple[int, Question]] = []
        for column, cell in enumerate(header, start=1):
            if cell is None:
                continue
            question = self.questions.get(_text(cell).strip())
            if question is None or question.group != path + "[]":
                self.fail(f"{sheet.title}!{get_column_letter(column)}1",
                          Text(f"kode {cell!r} tidak dikenal", f"unknown path {cell!r}"),
                          Text("jangan ubah baris 1; buat formulir baru dengan patuh init",
                               "do not change row 1; make a new form with patuh init"))
                continue
            columns.append((column, question))
        if not columns:
            return
        start = next(i for i, k in enumerate(columns[0][1].keys) if k.endswith("[]")) + 1
        outer = tuple(k.removesuffix("[]") for k in columns[0][1].keys[:start])
        index = 0
        for number, row in self.rows(sheet, GROUP_FIRST_ROW):
            item: list[tuple[JsonPath, Any, str, Question]] = []
            for column, question in columns:
                where = f"{sheet.title}!{get_column_letter(column)}{number}"
                raw = row[column - 1] if len(row) >= column else None
                item.append((tuple(question.keys[start:]), self.value(question, raw, where),
                             where, question))
            if all(value is None for _keys, value, _where, _question in item):
                continue
            for keys, value, where, question in item:
                if value is None:
                    self.blank((*outer, index, *keys), where, question)
                else:
                    self.put((*outer, index, *keys), value, where, question)
            first = get_column_letter(columns[0][0])
            self.cells[(*outer, index)] = f"{sheet.title}!{first}{number}"
            index += 1

    def read(self) -> WorkbookDocument:
        import openpyxl

        _check_zip(self.file)
        try:
            book = openpyxl.load_workbook(self.file, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise _xlsx_error(self.file, exc) from None
        try:
            if MARKER_SHEET not in book.sheetnames:
                raise _not_a_form(self.file)
            marker = book[MARKER_SHEET]
            marker.reset_dimensions()
            rows = list(marker.iter_rows(min_row=1, max_row=500, max_col=3, values_only=True))
            if not rows or not rows[0] or rows[0][0] != MARKER:
                raise _not_a_form(self.file)
            for row in rows[1:]:
                kind, path, name = (list(row) + [None] * 3)[:3]
                if kind == "fixed":
                    keys = _flow_list(str(path))
                    value = _flow_list(f"[{name}]")
                    if not keys or not all(isinstance(k, str) for k in keys) or not value:
                        raise _not_a_form(self.file)
                    node = self.data
                    for key in keys[:-1]:
                        node = node.setdefault(key, {})
                    node[keys[-1]] = value[0]
                elif kind in (SECTION, GROUP):
                    if name not in book.sheetnames:
                        raise _bad(self.file, Text(f"lembar {name!r} tidak ada",
                                                   f"the sheet {name!r} is missing"),
                                   Text("jangan ganti nama atau hapus lembar; buat formulir "
                                        "baru dengan patuh init", "do not rename or delete "
                                        "sheets; make a new form with patuh init"))
                    sheet = book[name]
                    if kind == SECTION:
                        self.section(sheet)
                    else:
                        self.group(sheet, str(path))
        except InputError:
            raise
        except Exception as exc:  # a damaged or hostile sheet (bad XML, entities)
            raise _xlsx_error(self.file, exc) from None
        finally:
            book.close()
        self.empty_lists()
        if self.errors:
            raise InputErrors(self.errors[:10])
        document = WorkbookDocument(self.file, self.data, self.cells, self.asked)
        typed_at = {where: keys for keys, where in self.cells.items() if keys in self.asked}
        document.readings = tuple(
            FieldReading(typed_at[where], reading, _value_at(self.data, typed_at[where]),
                         f"{self.file.name}!{where}")
            for where, reading in self.readings if where in typed_at)
        return document


def _value_at(data: Any, keys: JsonPath) -> Any:
    for key in keys:
        data = data[key]
    return data


def _flow_list(text: str) -> list[Any] | None:
    """A list written as YAML flow text (as the form writes lists a cell cannot show as
    ``a; b``), or None when it is not one: then the cell is read as ``a; b``. Aliases are
    refused (a few characters could expand without bound)."""
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text)):
            return None
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return _plain(loaded) if isinstance(loaded, list) else None


def _plain(value: Any) -> Any:
    """YAML's dates as the ISO text a manifest holds."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return _text(value)
    return value


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_form(path: Path) -> Document:
    """A filled workbook (``patuh check manifest.xlsx``) as the manifest's document."""
    return _Reader(path).read()
