"""The Indonesian pages a unit's operator and pimpinan see read as Indonesian (issue 15): no
word of the English stop-list and no number with a decimal point in their prose
(``tests/stoplist.py``); the dashboard's downloads for people (XLSX, HTML) too. The English
pages stay English."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from stoplist import decimal_points
from stoplist import english_words

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


pytestmark = pytest.mark.usefixtures("data_dir")  # each test its own data folder


@pytest.fixture
def world(make_round, make_unit, make_person):
    """A round with two bundled examples (one submitted) and the previous round, an operator
    of one unit, pimpinan and an admin."""
    from patuh.plugins.web import services
    from patuh.plugins.web.models import Unit

    now = make_round("pekppp-2025", year=2025)
    before = make_round("pekppp-2024", year=2024, name="PEKPPP 2024")
    unit = services.import_unit(now, EXAMPLES / "dpmptsp-kota-harapan", user=None)
    other = services.import_unit(now, EXAMPLES / "puskesmas-sukamaju", user=None)
    Unit.objects.filter(pk=other.pk).update(status="submitted")
    services.import_unit(before, EXAMPLES / "kecamatan-lembah-hijau", user=None)
    return {"round": now, "unit": unit,
            "operator": make_person("operator", "operator", (unit,)),
            "pimpinan": make_person("pimpinan", "pimpinan"),
            "admin": make_person("admin", "admin")}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    body = b"".join(response) if response.streaming else response.content
    return body.decode("utf-8")


def assert_indonesian(text: str, where: str) -> None:
    found = {"english": english_words(text), "decimal points": decimal_points(text)}
    assert found == {"english": [], "decimal points": []}, where


def unit_pages(world) -> list[str]:
    base = f"/r/{world['round'].slug}/u/{world['unit'].kode}/"
    return [base, base + "a/umum/", base + "a/pekppp.a/", base + "a/pekppp.f/"]


def test_the_operators_pages(client, signed_in, world) -> None:
    signed_in(world["operator"])
    paths = ["/", f"/r/{world['round'].slug}/", *unit_pages(world)]
    for path in paths:
        assert_indonesian(page(client, path), path)


def test_what_pimpinan_sees(client, signed_in, world) -> None:
    signed_in(world["pimpinan"])
    slug = world["round"].slug
    paths = ["/", f"/r/{slug}/", f"/r/{slug}/dasbor/", f"/r/{slug}/dasbor.html",
             *unit_pages(world)]
    for path in paths:
        text = page(client, path)
        assert_indonesian(text, path)
    dashboard = page(client, f"/r/{slug}/dasbor/")
    assert "4,67" in dashboard  # the example's score, with its decimal comma


def test_the_units_report_page(client, signed_in, world) -> None:
    signed_in(world["operator"])
    path = f"/r/{world['round'].slug}/u/{world['unit'].kode}/report"
    assert_indonesian(page(client, path), path)


def test_the_dashboard_workbook(client, signed_in, world) -> None:
    signed_in(world["pimpinan"])
    response = client.get(f"/r/{world['round'].slug}/dasbor.xlsx")
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(body))
    texts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row
             if isinstance(c.value, str)]
    formats = {c.number_format for s in book.worksheets for row in s.iter_rows() for c in row
               if isinstance(c.value, float)}
    assert_indonesian("\n".join(texts), "dasbor.xlsx")
    assert formats and all(f.startswith("[$-421]") for f in formats), formats


def test_english_pages_stay_english(client, signed_in, world) -> None:
    signed_in(world["pimpinan"])
    client.post("/lang/en/")
    dashboard = page(client, f"/r/{world['round'].slug}/dasbor/")
    assert "4.67" in dashboard


def test_every_section_the_evaluator_and_the_admin(client, signed_in, world,
                                                   make_person) -> None:
    """Every questionnaire section, the evaluator's verification page (with a verified level
    and a note saved), and the admin's pages read as Indonesian too."""
    from patuh.plugins.web import stages

    unit = world["unit"]
    evaluator = make_person("evaluator", "evaluator", (unit,))
    stages.move(unit, "submitted", world["operator"])
    stages.move(unit, "in_verification", evaluator)
    base = f"/r/{world['round'].slug}/u/{unit.kode}/"

    signed_in(world["operator"])
    codes = sorted(set(re.findall(re.escape(base) + r"a/([^/\"]+)/", page(client, base))))
    assert len(codes) > 5, codes
    for code in codes:
        assert_indonesian(page(client, f"{base}a/{code}/"), code)

    signed_in(evaluator)
    response = client.post(base + "verifikasi/simpan", {
        "rule": "pekppp.2.a.P", "level": "3", "note": "Daftar hadir FKP tidak ditandatangani."})
    assert response.status_code in (200, 302), response.status_code
    verify = page(client, base + "verifikasi/")
    assert "Daftar hadir FKP tidak ditandatangani." in verify  # the saved note is shown
    assert_indonesian(verify, "verifikasi")

    signed_in(world["admin"])
    for path in ("/kelola/", "/kelola/pengguna/", "/kelola/audit/"):
        assert_indonesian(page(client, path), path)
