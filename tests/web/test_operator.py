"""The operator's side of a unit: its pages, answers saved as entered, evidence, submission,
the report and the export — and every refusal (another unit's operator, pimpinan, a signed-out
visitor, a submitted unit)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "dpmptsp-kota-harapan"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SLOT = "standar_pelayanan.penetapan.bukti"


@pytest.fixture(autouse=True)
def _own_data_folder(settings, tmp_path):
    """Each test keeps its units' folders in a data folder of its own."""
    settings.DATA = tmp_path / "data"
    settings.DATA.mkdir()


@pytest.fixture
def world(make_round, make_unit, make_person):
    """Round with unit A (empty, made in the admin pages) and unit B (imported from the
    dpmptsp example, with its evidence); an operator of each, pimpinan, an admin."""
    from patuh.plugins.web import services

    round_ = make_round()
    a = make_unit(round_, "dinas-a", "Dinas A")
    b = services.import_unit(round_, EXAMPLE, user=None)
    return {"round": round_, "a": a, "b": b,
            "op_a": make_person("op_a", "operator", (a,)),
            "op_b": make_person("op_b", "operator", (b,)),
            "pimpinan": make_person("pimpinan", "pimpinan"),
            "admin": make_person("admin", "admin")}


def url(unit, name: str = "", *rest: str) -> str:
    base = f"/r/{unit.round.slug}/u/{unit.kode}/"
    return base + name + "".join("/" + r for r in rest)


def htmx(client, unit, path: str, value, **extra):
    data = {"path": path, "value": value}
    return client.post(url(unit, "answer"), data, HTTP_HX_REQUEST="true", **extra)


def manifest_text(unit) -> str:
    return (unit.folder / "manifest.yaml").read_text("utf-8")


def shown_score(html: str) -> str:
    found = re.search(r'class="score-value" data-score="([^"]*)"', html)
    assert found, "no score panel"
    return found.group(1)


def real_sha(unit) -> str:
    from patuh.plugins.web.store import UnitFolder

    held = UnitFolder(unit.folder).answers()
    text = json.dumps(held, default=str)
    return re.search(r'"sha256": "([0-9a-f]{64})"', text).group(1)


# --- pages ---------------------------------------------------------------------------------------

def test_every_page_opens_for_the_units_operator(client, signed_in, world) -> None:
    from patuh.plugins.web.answers import model_of

    signed_in(world["op_b"])
    b = world["b"]
    overview = client.get(url(b))
    assert overview.status_code == 200
    page = overview.content.decode()
    assert "4.67" in shown_score(page) and "Pelayanan Prima" in page
    assert "Rencana perbaikan" in page and "berkas yang sama dilampirkan di" in page
    assert "Bukti dukung: Publikasi SP" in page  # a reused file's places, by their labels
    assert f'href="{url(b, "a/pekppp.a")}/"' in page
    for section in model_of(b).sections:
        response = client.get(url(b, "a", section.code) + "/")
        assert response.status_code == 200, section.code
        # every file the example refers to is there, data files outside bukti/ included
        assert "(berkas tidak ditemukan)" not in response.content.decode(), section.code
    home = model_of(b).home("skm.berkas")[0].code
    assert "skm/jawaban-skm-2024.csv" in client.get(url(b, "a", home) + "/").content.decode()
    section = client.get(url(b, "a/pekppp.a/")).content.decode()
    assert "Tersedianya Standar Pelayanan sesuai ketentuan" in section
    assert "Bukti yang diminta" in section and 'hx-post="' in section
    assert "<script>" not in section and "onclick" not in section.lower()
    innovation = client.get(url(b, "a/pekppp.f/")).content.decode()
    assert "Tambah butir" in innovation and "inovasi.daftar[0].nama" in innovation
    # the innovations are asked under two indicators: listed once, referred to once
    assert innovation.count('id="group-inovasi-daftar"') == 1
    assert 'Diisi pada daftar <a href="#group-inovasi-daftar">' in innovation
    assert client.get(url(b, "a/tidak-ada/")).status_code == 404


def test_a_fresh_unit_gets_its_folder_and_shows_what_is_missing(client, signed_in,
                                                                world) -> None:
    signed_in(world["op_a"])
    a = world["a"]
    page = client.get(url(a, "a/pekppp.a/")).content.decode()
    assert (a.folder / "manifest.yaml").is_file()
    assert shown_score(page) == "0.0"
    assert "Menuju tingkat 1" in page and "belum diisi" in page


# --- answers -------------------------------------------------------------------------------------

def test_a_save_changes_the_manifest_and_the_score_shown(client, signed_in, world) -> None:
    signed_in(world["op_a"])
    a = world["a"]
    before = shown_score(client.get(url(a)).content.decode())
    assert "ada: true" not in manifest_text(a)
    response = htmx(client, a, "standar_pelayanan.ada", "ya")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="score-panel"' in body and 'hx-swap-oob="true"' in body
    assert 'id="ladder-pekppp-1-a-Ak"' in body
    assert "ya/tidak" in body  # how the value was read
    assert re.search(r"(?m)^  ada: true", manifest_text(a))
    htmx(client, a, "standar_pelayanan.penetapan.tanggal", "31/10/2025")
    assert "2025-10-31" in manifest_text(a)
    with open(EXAMPLE / "standar-pelayanan" / "sk-standar-pelayanan-2024.pdf", "rb") as handle:
        client.post(url(a, "evidence"), {"slot": "standar_pelayanan.bukti", "file": handle})
    after = shown_score(client.get(url(a)).content.decode())
    assert float(after) > float(before)
    from patuh.plugins.web.models import AuditEvent

    assert AuditEvent.objects.filter(action="answer.save", unit=a).count() == 2


def test_choices_and_clearing(client, signed_in, world) -> None:
    signed_in(world["op_a"])
    a = world["a"]
    client.post(url(a, "answer"), {"path": "standar_pelayanan.komponen",
                                   "value": ["persyaratan", "jangka_waktu"]},
                HTTP_HX_REQUEST="true")
    text = manifest_text(a)
    assert "komponen: [persyaratan, jangka_waktu]" in text
    htmx(client, a, "standar_pelayanan.komponen", [])
    assert "komponen: [persyaratan" not in manifest_text(a)


def test_an_invalid_value_shows_the_error_and_leaves_the_file_unchanged(client, signed_in,
                                                                        world) -> None:
    signed_in(world["op_a"])
    a = world["a"]
    client.get(url(a))
    before = manifest_text(a)
    response = htmx(client, a, "standar_pelayanan.penetapan.tanggal", "31/13/2025")
    body = response.content.decode()
    assert response.status_code == 200 and 'class="error"' in body
    assert "bukan tanggal yang sah" in body and 'value="31/13/2025"' in body
    assert manifest_text(a) == before
    assert htmx(client, a, "tidak.ada", "x").status_code == 400


def test_list_items_are_added_together_and_removed(client, signed_in, world) -> None:
    signed_in(world["op_a"])
    a = world["a"]
    alone = client.post(url(a, "item/add"), {"group": "inovasi.daftar",
                                             "q:inovasi.daftar[].nama": "Izin Kilat"},
                        follow=True)
    assert "tahap" in alone.content.decode()
    assert "Izin Kilat" not in manifest_text(a)
    client.post(url(a, "item/add"), {"group": "inovasi.daftar",
                                     "q:inovasi.daftar[].nama": "Izin Kilat",
                                     "q:inovasi.daftar[].tahap": "diterapkan"})
    assert "Izin Kilat" in manifest_text(a)
    page = client.get(url(a, "a/pekppp.f/")).content.decode()
    assert 'value="Izin Kilat"' in page
    client.post(url(a, "item/remove"), {"group": "inovasi.daftar", "index": "0"})
    assert "Izin Kilat" not in manifest_text(a)


# --- refusals ------------------------------------------------------------------------------------

def every_url(unit, sha: str) -> list[tuple[str, str, dict]]:
    return [("get", url(unit), {}), ("get", url(unit, "a/pekppp.a/"), {}),
            ("post", url(unit, "answer"), {"path": "standar_pelayanan.ada", "value": "ya"}),
            ("post", url(unit, "evidence"), {"slot": SLOT, "file": io.BytesIO(PDF)}),
            ("get", url(unit, "evidence", sha), {}),
            ("post", url(unit, "evidence", sha, "delete"), {"slot": SLOT}),
            ("post", url(unit, "item/add"), {"group": "inovasi.daftar"}),
            ("post", url(unit, "item/remove"), {"group": "inovasi.daftar", "index": "0"}),
            ("get", url(unit, "report"), {}), ("get", url(unit, "export.zip"), {}),
            ("post", url(unit, "submit"), {})]


def test_an_operator_of_another_unit_gets_404_for_everything(client, signed_in,
                                                             world) -> None:
    b = world["b"]
    sha = real_sha(b)
    before = manifest_text(b)
    signed_in(world["op_a"])
    for method, address, data in every_url(b, sha):
        response = getattr(client, method)(address, data)
        assert response.status_code == 404, (method, address)
    # B's real file asked for through unit A's own URL is not A's
    assert client.get(url(world["a"], "evidence", sha)).status_code == 404
    assert manifest_text(b) == before
    b.refresh_from_db()
    assert b.status == "draft"


def test_pimpinan_reads_but_changes_nothing(client, signed_in, world) -> None:
    b = world["b"]
    sha = real_sha(b)
    before = manifest_text(b)
    signed_in(world["pimpinan"])
    for method, address, data in every_url(b, sha):
        response = getattr(client, method)(address, data)
        if response.streaming:  # read to the end: the test client then closes the file
            b"".join(response.streaming_content)  # (close() itself would end the transaction)
        assert response.status_code == (200 if method == "get" else 403), (method, address)
    page = client.get(url(b, "a/pekppp.a/")).content.decode()
    assert "disabled" in page and 'type="file"' not in page
    assert manifest_text(b) == before


def test_a_signed_out_visitor_is_sent_to_sign_in(client, world) -> None:
    b = world["b"]
    for method, address, data in every_url(b, real_sha(b)):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, address
        assert response["Location"].startswith("/accounts/login/")


def test_submission_freezes_the_operators_answers(client, signed_in, world) -> None:
    from patuh.plugins.web.models import AuditEvent

    b = world["b"]
    signed_in(world["op_b"])
    assert "Serahkan" in client.get(url(b)).content.decode()
    response = client.post(url(b, "submit"))
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == "submitted" and b.submitted_by == world["op_b"] and b.submitted_at
    assert AuditEvent.objects.filter(action="unit.submit", unit=b).exists()
    before = manifest_text(b)
    sha = real_sha(b)
    for method, address, data in every_url(b, sha):
        if method == "post":
            assert getattr(client, method)(address, data).status_code == 403, address
    assert manifest_text(b) == before
    page = client.get(url(b, "a/pekppp.a/")).content.decode()
    assert "sudah diserahkan" in page and "disabled" in page
    assert "Serahkan" not in client.get(url(b)).content.decode().split("</header>")[1]


# --- evidence ------------------------------------------------------------------------------------

def test_a_pdf_is_accepted_and_served_as_an_attachment(client, signed_in, world) -> None:
    from patuh.plugins.web.models import Evidence

    a = world["a"]
    signed_in(world["op_a"])
    upload = io.BytesIO(PDF)
    upload.name = "SK Penetapan SP.pdf"
    response = client.post(url(a, "evidence"), {"slot": SLOT, "file": upload})
    assert response.status_code == 302
    text = manifest_text(a)
    assert "keterangan: SK Penetapan SP.pdf" in text
    row = Evidence.objects.get(unit=a)
    assert row.slot == SLOT and row.size == len(PDF) and row.content_type == "application/pdf"
    page = client.get(url(a, "a/pekppp.a/")).content.decode()
    assert "SK Penetapan SP.pdf" in page
    download = client.get(url(a, "evidence", row.sha256))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "SK Penetapan SP.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF  # read to the end: closed
    # attached to a second slot: flagged as reused
    again = io.BytesIO(PDF)
    again.name = "sama.pdf"
    client.post(url(a, "evidence"), {"slot": "standar_pelayanan.bukti", "file": again})
    assert "berkas yang sama dilampirkan di 2 tempat" in client.get(url(a)).content.decode()
    # detached from both: gone from the manifest and the index of what it holds; the file is
    # kept as an earlier version (its index rows say when and by whom it was detached)
    for slot in (SLOT, "standar_pelayanan.bukti"):
        client.post(url(a, "evidence", row.sha256, "delete"), {"slot": slot})
    assert "SK Penetapan SP.pdf" not in manifest_text(a)
    assert not Evidence.objects.filter(unit=a, detached_at__isnull=True).exists()
    assert {e.detached_by for e in Evidence.objects.filter(unit=a)} == {world["op_a"]}
    kept = client.get(url(a, "evidence", row.sha256))
    assert kept.status_code == 200 and b"".join(kept.streaming_content) == PDF


def test_a_renamed_program_is_refused(client, signed_in, world) -> None:
    a = world["a"]
    signed_in(world["op_a"])
    client.get(url(a))
    before = manifest_text(a)
    fake = io.BytesIO(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200))
    fake.name = "laporan.pdf"
    response = client.post(url(a, "evidence"), {"slot": SLOT, "file": fake})
    assert response.status_code == 400
    assert "program Windows (EXE)" in response.content.decode()
    assert manifest_text(a) == before


def test_an_over_limit_file_is_refused_with_a_4xx(client, signed_in, world,
                                                  monkeypatch) -> None:
    monkeypatch.setenv("PATUH_WEB_MAX_UPLOAD_BYTES", "1000")
    a = world["a"]
    signed_in(world["op_a"])
    client.get(url(a))
    before = manifest_text(a)
    big = io.BytesIO(PDF + bytes(5000))
    big.name = "besar.pdf"
    response = client.post(url(a, "evidence"), {"slot": SLOT, "file": big})
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()
    assert manifest_text(a) == before


# --- report and export ---------------------------------------------------------------------------

def test_the_report_is_the_commands_html_under_a_strict_policy(client, signed_in,
                                                               world) -> None:
    from patuh.plugins.web.store import UnitFolder

    b = world["b"]
    signed_in(world["op_b"])
    response = client.get(url(b, "report"))
    assert response.status_code == 200
    expected = UnitFolder(b.folder).report_html("pekppp", "2022", "id")
    assert response.content.decode() == expected
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'sha256-" in policy
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy


def test_the_export_checks_to_the_same_json_report(client, signed_in, world,
                                                   tmp_path) -> None:
    from patuh.plugins.web.store import UnitFolder

    b = world["b"]
    signed_in(world["op_b"])
    htmx(client, b, "standar_pelayanan.penetapan.nomor", "800/123/2025")
    response = client.get(url(b, "export.zip"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = b"".join(response.streaming_content)  # read to the end: closed
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path / "unit")
    checked = subprocess.run(
        [sys.executable, "-m", "patuh", "check", str(tmp_path / "unit" / "manifest.yaml"),
         "--ruleset", "pekppp", "--edition", "2022", "--format", "json"],
        capture_output=True, check=False)
    assert checked.returncode in (0, 1), checked.stderr.decode()
    platform = UnitFolder(b.folder).report_json("pekppp", "2022")
    assert checked.stdout.decode("utf-8") == platform
    assert "800/123/2025" in (tmp_path / "unit" / "manifest.yaml").read_text("utf-8")


def test_an_upload_without_the_csrf_token_is_refused(world) -> None:
    from django.test import Client

    a = world["a"]
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(world["op_a"])
    guarded.get(url(a))
    before = manifest_text(a)
    upload = io.BytesIO(PDF)
    upload.name = "sk.pdf"
    response = guarded.post(url(a, "evidence"), {"slot": SLOT, "file": upload})
    assert response.status_code == 403
    assert manifest_text(a) == before
    assert guarded.post(url(a, "answer"), {"path": "standar_pelayanan.ada",
                                           "value": "ya"}).status_code == 403


def test_no_element_id_appears_twice_on_a_section_page(client, signed_in, world) -> None:
    from patuh.plugins.web.answers import model_of

    b = world["b"]
    signed_in(world["op_b"])
    for section in model_of(b).sections:
        page = client.get(url(b, "a", section.code) + "/").content.decode()
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (section.code, [i for i in ids if ids.count(i) > 1])


def test_a_save_after_the_session_ended_sends_htmx_to_sign_in(client, world) -> None:
    a = world["a"]
    page = f"http://testserver{url(a, 'a/pekppp.a/')}"
    response = client.post(url(a, "answer"), {"path": "standar_pelayanan.ada", "value": "ya"},
                           HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=page)
    assert response.status_code == 204
    assert response["HX-Redirect"] == (
        "/accounts/login/?next=%2Fr%2Fpekppp-2025%2Fu%2Fdinas-a%2Fa%2Fpekppp.a%2F")
    assert not (a.folder / "manifest.yaml").exists()
