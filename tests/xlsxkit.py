"""Tiny hand-made workbooks (zipfile + a few lines of XML) for hostile-input tests."""
from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets>{sheets}</sheets></workbook>')
WORKBOOK_SHEET = '<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>'
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '{rels}</Relationships>')
WORKBOOK_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/worksheet" '
                'Target="worksheets/sheet{n}.xml"/>')
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>{prolog}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '{dimension}<sheetData>{rows}</sheetData></worksheet>')


def column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def row_xml(number: int, values: list) -> str:
    cells = []
    for index, value in enumerate(values, start=1):
        ref = f"{column(index)}{number}"
        if isinstance(value, (int, float)):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def sheet_xml(rows: list[list], *, dimension: str | None = None, prolog: str = "",
              body: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    rows_xml = "".join(row_xml(i, r) for i, r in enumerate(rows, start=1)) + body
    return SHEET.format(prolog=prolog, dimension=dim, rows=rows_xml)


def write_xlsx(path: Path, sheets: list[str], *, level: int = 6) -> Path:
    """A workbook with these worksheet XML documents (none: a workbook without sheets)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        numbers = range(1, len(sheets) + 1)
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            sheets="".join(SHEET_TYPE.format(n=n) for n in numbers)))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.format(
            sheets="".join(WORKBOOK_SHEET.format(n=n) for n in numbers)))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(
            rels="".join(WORKBOOK_REL.format(n=n) for n in numbers)))
        for n, xml in zip(numbers, sheets, strict=True):
            z.writestr(f"xl/worksheets/sheet{n}.xml", xml)
    return path
