"""The manifest as an Excel workbook: the plugin's hooks. The form itself
(:mod:`patuh.plugins.xlsx_form`: its layout, writer and reader) is imported when a workbook is
written or read, not by every check of a YAML manifest."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

from patuh import hookimpl

if TYPE_CHECKING:
    from patuh.questionnaire import Questionnaire
    from patuh.yamlio import Document

SUFFIXES = (".xlsx", ".xlsm")


def xlsx_form(model: Questionnaire, data: Mapping[str, Any], lang: str) -> bytes:
    from patuh.plugins.xlsx_form import xlsx_form as build

    return build(model, data, lang)


@hookimpl(trylast=True)
def patuh_load_manifest(path: Path) -> Document | None:
    if path.suffix.lower() not in SUFFIXES:
        return None
    from patuh.plugins.xlsx_form import read_form

    return read_form(path)


@hookimpl
def patuh_manifest_formats() -> Mapping[str, Any]:
    return {"xlsx": xlsx_form}
