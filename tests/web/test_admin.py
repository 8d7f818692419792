"""The admin's pages: rounds, units (added or imported from a zip), people, the audit log —
and their refusal for everyone else."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest

from patuh.plugins.web.models import AuditEvent

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
PASSWORD = "sandi-uji-yang-panjang-7"


@pytest.fixture
def world(data_dir, make_round, make_unit, make_person):
    round_ = make_round()
    a = make_unit(round_, "dinas-a", "Dinas A")
    people = {"admin": make_person("admin", "admin"),
              "pimpinan": make_person("pimpinan", "pimpinan"),
              "op_a": make_person("op_a", "operator", (a,))}
    return round_, a, people


def zip_of(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return buffer.getvalue()


def upload(data: bytes, name: str = "unit.zip"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")


ADMIN_PAGES = ("/kelola/", "/kelola/pengguna/", "/kelola/audit/")
ADMIN_POSTS = ("/kelola/", "/kelola/pengguna/", "/kelola/r/pekppp-2025/unit/",
               "/kelola/r/pekppp-2025/impor/", "/kelola/r/pekppp-2025/kunci/")


def test_anonymous_is_sent_to_sign_in(client, world) -> None:
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/")
    before = AuditEvent.objects.count()
    for url in ADMIN_POSTS:
        response = client.post(url, {"kode": "baru", "nama": "Baru", "locked": "1"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["op_a", "pimpinan"])
def test_others_get_404_for_pages_and_403_for_posts(client, signed_in, world, who) -> None:
    from patuh.plugins.web.models import Round
    from patuh.plugins.web.models import Unit

    round_, _a, people = world
    signed_in(people[who])
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 404, url
    posts = {"/kelola/": {"name": "Curang", "edition": "pekppp:2022", "year": 2025},
             "/kelola/pengguna/": {"username": "curang", "role": "admin",
                                   "password1": PASSWORD, "password2": PASSWORD},
             "/kelola/r/pekppp-2025/unit/": {"kode": "curang", "nama": "Curang"},
             "/kelola/r/pekppp-2025/impor/": {
                 "archive": upload(zip_of(EXAMPLES / "puskesmas-sukamaju"))},
             "/kelola/r/pekppp-2025/kunci/": {"locked": "1"}}
    for url, fields in posts.items():
        assert client.post(url, fields).status_code == 403, url
    assert client.post("/kelola/r/tidak-ada/kunci/", {"locked": "1"}).status_code == 403
    assert not Round.objects.filter(name="Curang").exists()
    assert list(Unit.objects.values_list("kode", flat=True)) == ["dinas-a"]
    assert not Round.objects.get(pk=round_.pk).locked
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="curang").exists()
    page = client.get("/").content.decode()
    assert "/kelola/" not in page  # no link to what they may not open


def test_the_admin_creates_a_round(client, signed_in, world) -> None:
    from patuh.plugins.web.models import Round

    *_rest, people = world
    signed_in(people["admin"])
    page = client.get("/kelola/")
    html = page.content.decode()
    assert page.status_code == 200 and 'value="pekppp:2022"' in html
    assert 'value="ombudsman:' in html and "pekppp-2025" in html
    made = client.post("/kelola/", {"name": "PEKPPP Mandiri Kota Harapan 2026",
                                    "edition": "pekppp:2022", "year": "2026"})
    assert made.status_code == 302 and made["Location"] == "/r/pekppp-mandiri-kota-harapan-2026/"
    created = Round.objects.get(slug="pekppp-mandiri-kota-harapan-2026")
    assert (created.ruleset, created.edition, created.year) == ("pekppp", "2022", 2026)
    event = AuditEvent.objects.filter(action="round.add").get()
    assert event.username == "admin" and event.round == created
    again = client.post("/kelola/", {"name": "PEKPPP Mandiri Kota Harapan 2026",
                                     "edition": "pekppp:2022", "year": "2026"})
    assert again.status_code == 400 and "sudah ada" in again.content.decode()
    unknown = client.post("/kelola/", {"name": "X", "edition": "pekppp:1999", "year": "2026"})
    assert unknown.status_code == 400 and Round.objects.count() == 2


def test_the_admin_adds_a_unit_and_sees_its_score(client, signed_in, world) -> None:
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    round_, _a, people = world
    signed_in(people["admin"])
    made = client.post("/kelola/r/pekppp-2025/unit/", {"kode": "dinas-baru",
                                                        "nama": "Dinas Baru"})
    assert made.status_code == 302 and made["Location"] == "/r/pekppp-2025/"
    unit = Unit.objects.get(round=round_, kode="dinas-baru")
    assert unit.nama == "Dinas Baru"
    answers = UnitFolder(unit.folder).answers()
    assert answers["unit"] == {"nama": "Dinas Baru", "kode": "dinas-baru"}
    assert answers["periode"]["tahun"] == 2025
    event = AuditEvent.objects.get(action="unit.add")
    assert event.unit == unit and event.username == "admin"
    page = client.get("/r/pekppp-2025/").content.decode()
    report = UnitFolder(unit.folder).report("pekppp", "2022")
    row = page[page.index('id="dinas-baru"'):]
    row = row[:row.index("</tr>")]
    assert "/r/pekppp-2025/u/dinas-baru/" in row
    assert str(report["score"]["final"]).replace(".", ",") in row  # written the Indonesian way
    assert report["predicate"]["code"] in row
    # the unit without a manifest folder (made by the fixture) is shown as a problem
    assert "Manifest bermasalah" in page
    twice = client.post("/kelola/r/pekppp-2025/unit/", {"kode": "dinas-baru", "nama": "Lagi"})
    assert twice.status_code == 400 and "sudah ada" in twice.content.decode()
    bad = client.post("/kelola/r/pekppp-2025/unit/", {"kode": "../luar", "nama": "Luar"})
    assert bad.status_code == 400 and not (unit.folder.parent.parent / "luar").exists()
    assert Unit.objects.filter(round=round_).count() == 2


def test_pimpinan_sees_the_table_without_the_forms(client, signed_in, world) -> None:
    *_rest, people = world
    signed_in(people["pimpinan"])
    page = client.get("/r/pekppp-2025/").content.decode()
    assert "dinas-a" in page and "Predikat" in page
    assert "/kelola/" not in page and "csrfmiddlewaretoken" in page  # only the header forms
    assert 'enctype="multipart/form-data"' not in page


def test_the_admin_imports_a_zipped_unit(client, signed_in, world) -> None:
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    round_, _a, people = world
    signed_in(people["admin"])
    response = client.post("/kelola/r/pekppp-2025/impor/", {
        "archive": upload(zip_of(EXAMPLES / "dpmptsp-kota-harapan", "dpmptsp/"))})
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(round=round_, kode="dpmptsp-kota-harapan")
    report = UnitFolder(unit.folder).report("pekppp", "2022")
    golden = json.loads((GOLDEN / "dpmptsp-kota-harapan.pekppp.json").read_text("utf-8"))
    assert report["predicate"] == golden["predicate"]
    assert report["score"]["final"] == golden["score"]["final"]
    assert AuditEvent.objects.get(action="unit.import").unit == unit
    again = client.post("/kelola/r/pekppp-2025/impor/", {
        "archive": upload(zip_of(EXAMPLES / "dpmptsp-kota-harapan"))})
    assert again.status_code == 400 and "sudah ada" in again.content.decode()
    assert [p.name for p in round_.folder.iterdir()] == ["dpmptsp-kota-harapan"]


def _hostile(kind: str) -> bytes:
    manifest = (EXAMPLES / "puskesmas-sukamaju/manifest.yaml").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.yaml", manifest)
        if kind == "dotdot":
            archive.writestr("../x", b"keluar")
        elif kind == "nested-dotdot":
            archive.writestr("bukti/../../../x", b"keluar")
        elif kind == "absolute":
            archive.writestr("/tmp/patuh-zip-absolute-x", b"keluar")
        elif kind == "windows":
            archive.writestr("C:\\x", b"keluar")
        elif kind == "symlink":
            info = zipfile.ZipInfo("tautan")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
        elif kind == "many":
            for index in range(10):
                archive.writestr(f"bukti/{index}.csv", b"a,b\n")
        elif kind == "bomb":
            archive.writestr("besar.csv", b"0" * 3_000_000,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.mark.parametrize(("kind", "said"), [
    ("dotdot", "(..)"), ("nested-dotdot", "(..)"), ("absolute", "jalur mutlak"),
    ("windows", "jalur mutlak"), ("symlink", "tautan simbolik"),
    ("many", "PATUH_WEB_MAX_IMPORT_FILES"),
    ("bomb", "PATUH_WEB_MAX_IMPORT_BYTES"), ("not-a-zip", "bukan zip"),
])
def test_a_hostile_zip_is_refused_and_nothing_is_written(client, signed_in, world, tmp_path,
                                                         monkeypatch, kind, said) -> None:
    from patuh.plugins.web.models import Unit

    monkeypatch.setenv("PATUH_WEB_MAX_IMPORT_FILES", "5")
    monkeypatch.setenv("PATUH_WEB_MAX_IMPORT_BYTES", "1000000")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR read again
    round_, _a, people = world
    signed_in(people["admin"])
    data = b"ini bukan zip" if kind == "not-a-zip" else _hostile(kind)
    response = client.post("/kelola/r/pekppp-2025/impor/", {"archive": upload(data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert said in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert list(Unit.objects.values_list("kode", flat=True)) == ["dinas-a"]
    assert not (tmp_path / "x").exists() and not (tmp_path / "tmp" / "x").exists()
    assert not Path("/tmp/patuh-zip-absolute-x").exists()
    assert list((tmp_path / "tmp").iterdir()) == []  # the temporary folder is gone
    assert not round_.folder.exists() or list(round_.folder.iterdir()) == []


def test_a_zip_without_a_manifest_is_refused(client, signed_in, world) -> None:
    *_rest, people = world
    signed_in(people["admin"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", b"halo")
    response = client.post("/kelola/r/pekppp-2025/impor/", {"archive": upload(
        buffer.getvalue())})
    assert response.status_code == 400 and "tidak memuat manifest" in response.content.decode()


def test_the_admin_locks_and_unlocks_the_round(client, signed_in, world) -> None:
    from patuh.plugins.web import access
    from patuh.plugins.web.models import Round

    round_, a, people = world
    signed_in(people["admin"])
    assert access.can_edit(people["op_a"], a)
    assert client.post("/kelola/r/pekppp-2025/kunci/", {"locked": "1"}).status_code == 302
    a.refresh_from_db()
    assert Round.objects.get(pk=round_.pk).locked and not access.can_edit(people["op_a"], a)
    assert "Buka kunci" in client.get("/r/pekppp-2025/").content.decode()
    assert client.post("/kelola/r/pekppp-2025/kunci/", {"locked": "0"}).status_code == 302
    assert not Round.objects.get(pk=round_.pk).locked
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["round.lock", "round.unlock"]
    assert client.get("/kelola/r/pekppp-2025/kunci/").status_code == 405


def test_the_admin_adds_people(client, signed_in, world) -> None:
    from django.contrib.auth.models import User

    _round, a, people = world
    signed_in(people["admin"])
    page = client.get("/kelola/pengguna/?putaran=pekppp-2025").content.decode()
    assert "op_a" in page and "pekppp-2025 · dinas-a" in page
    made = client.post("/kelola/pengguna/", {"username": "op_baru", "role": "operator",
                                              "units": [a.pk], "password1": PASSWORD,
                                              "password2": PASSWORD})
    assert made.status_code == 302
    person = User.objects.get(username="op_baru")
    assert person.check_password(PASSWORD) and person.profile.role == "operator"
    assert list(person.profile.units.all()) == [a]
    event = AuditEvent.objects.get(action="user.add")
    assert event.username == "admin" and event.detail["username_added"] == "op_baru"
    assert event.detail["units"] == ["pekppp-2025/dinas-a"]
    assert PASSWORD not in json.dumps(event.detail)

    weak = client.post("/kelola/pengguna/", {"username": "lemah", "role": "pimpinan",
                                              "password1": "12345", "password2": "12345"})
    assert weak.status_code == 400 and "kata sandi ditolak" in weak.content.decode()
    differ = client.post("/kelola/pengguna/", {"username": "beda", "role": "pimpinan",
                                                "password1": PASSWORD,
                                                "password2": PASSWORD + "x"})
    assert differ.status_code == 400
    lonely = client.post("/kelola/pengguna/", {"username": "sendiri", "role": "operator",
                                                "password1": PASSWORD, "password2": PASSWORD})
    assert lonely.status_code == 400 and "minimal satu unit" in lonely.content.decode()
    taken = client.post("/kelola/pengguna/", {"username": "op_a", "role": "pimpinan",
                                               "password1": PASSWORD, "password2": PASSWORD})
    assert taken.status_code == 400
    assert not User.objects.filter(username__in=["lemah", "beda", "sendiri"]).exists()


def test_the_audit_page_lists_who_did_what(client, signed_in, world) -> None:
    *_rest, people = world
    signed_in(people["admin"])
    client.post("/kelola/r/pekppp-2025/unit/", {"kode": "dinas-z", "nama": "Dinas Z"})
    client.post("/kelola/r/pekppp-2025/kunci/", {"locked": "1"})
    page = client.get("/kelola/audit/").content.decode()
    body = page[page.index("<tbody>"):]
    assert body.index("round.lock") < body.index("unit.add")  # the latest first
    assert "pekppp-2025/dinas-z" in body and ">admin<" in body


def test_admin_forms_need_the_csrf_token(world) -> None:
    from django.test import Client

    *_rest, people = world
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["admin"])
    for url in ADMIN_POSTS:
        assert strict.post(url, {"locked": "1"}).status_code == 403, url


def test_admin_pages_have_no_inline_script(client, signed_in, world) -> None:
    *_rest, people = world
    signed_in(people["admin"])
    for url in (*ADMIN_PAGES, "/r/pekppp-2025/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert html.count("csrfmiddlewaretoken") >= 3  # sign-out, language, the page's forms


@pytest.mark.parametrize(("kode", "fallback", "made"), [
    ("dinas-a", "x", "dinas-a"), ("DPMPTSP_01", "x", "DPMPTSP_01"), ("1.2.3", "x", "123"),
    ("Dinas Kesehatan", "x", "dinas-kesehatan"), ("../../luar", "x", "luar"),
    ("", "folder-unit", "folder-unit"), (None, "Folder Unit", "folder-unit"),
])
def test_a_manifests_kode_becomes_a_safe_name(kode, fallback, made) -> None:
    from patuh.plugins.web.services import unit_kode

    assert unit_kode(kode, fallback) == made


def test_a_unit_without_any_usable_kode_is_refused() -> None:
    from patuh.errors import InputError
    from patuh.plugins.web.services import unit_kode

    with pytest.raises(InputError, match=r"unit\.kode"):
        unit_kode("...", "///")


def test_an_imported_manifest_with_dots_as_its_kode_stays_inside(world, tmp_path) -> None:
    """The manifest schema lets a kode be ``..`` (letters, digits, ``.``, ``_``, ``-``): it
    never names a folder; the folder's own name stands in."""
    import shutil

    from patuh.plugins.web.services import import_unit

    round_, *_rest = world
    source = tmp_path / "sumber"
    shutil.copytree(EXAMPLES / "puskesmas-sukamaju", source)
    manifest = source / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("kode: pkm-sukamaju",
                                                            "kode: '..'"), "utf-8")
    unit = import_unit(round_, source, user=None)
    assert unit.kode == "sumber" and unit.folder == round_.folder / "sumber"
    assert (unit.folder / "manifest.yaml").is_file()
    assert sorted(p.name for p in round_.folder.iterdir()) == ["sumber"]
