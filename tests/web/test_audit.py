"""The audit log page (admin only): every change with before and after — an answer's question
with its old and new value, a file's name and digest with a link to it (also once detached),
any other action's detail — filterable by unit, person and action, a page at a time, in
Indonesian with English."""

from __future__ import annotations

import html
import io
import re

import pytest

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SLOT = "standar_pelayanan.penetapan.bukti"


@pytest.fixture(autouse=True)
def _own_data_folder(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def world(make_round, make_unit, make_person):
    round_ = make_round()
    a, b = make_unit(round_, "dinas-a", "Dinas A"), make_unit(round_, "dinas-b", "Dinas B")
    return {"round": round_, "a": a, "b": b,
            "op_a": make_person("op_a", "operator", (a,)),
            "op_b": make_person("op_b", "operator", (b,)),
            "evaluator": make_person("eva", "evaluator", (a, b)),
            "pimpinan": make_person("pimpinan", "pimpinan"),
            "admin": make_person("admin", "admin")}


def url(unit, name: str = "", *rest: str) -> str:
    return f"/r/{unit.round.slug}/u/{unit.kode}/" + name + "".join("/" + r for r in rest)


def answer(client, unit, path: str, value):
    response = client.post(url(unit, "answer"), {"path": path, "value": value},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response


def upload(client, unit, name: str, content: bytes, slot: str = SLOT):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(url(unit, "evidence"), {"slot": slot, "file": handle})


def body(response) -> str:
    text = response.content.decode()
    return html.unescape(text[text.index("<tbody>"):])


def label(unit, path: str, lang: str = "id") -> str:
    from patuh.plugins.web.answers import model_of

    return model_of(unit).questions[path].label.get(lang)


def test_an_answer_shows_its_question_old_and_new_value(client, signed_in, world) -> None:
    from patuh.plugins.web.models import AuditEvent

    a = world["a"]
    signed_in(world["op_a"])
    answer(client, a, "standar_pelayanan.ada", "ya")
    answer(client, a, "standar_pelayanan.ada", "tidak")
    event = AuditEvent.objects.filter(action="answer.save").first()  # the latest
    assert event.detail["before"] == {"standar_pelayanan.ada": True}
    assert event.detail["after"] == {"standar_pelayanan.ada": False}
    assert event.detail["values"] == {"standar_pelayanan.ada": "tidak"}  # as typed
    first = AuditEvent.objects.filter(action="answer.save").last()
    assert first.detail["before"] == {"standar_pelayanan.ada": None}

    signed_in(world["admin"])
    page = body(client.get("/kelola/audit/"))
    question = label(a, "standar_pelayanan.ada")
    assert page.count(question) == 2
    row = page[:page.index("</tr>")]  # the latest first: ya → tidak
    assert re.search(r"<del[^>]*>ya</del> → <ins[^>]*>tidak</ins>", row), row
    assert "op_a" in row and "pekppp-2025/dinas-a" in row
    assert "Jawaban disimpan" in row
    older = page[page.index("</tr>") + 5:]
    assert re.search(r"<del[^>]*>–</del> → <ins[^>]*>ya</ins>", older)

    client.post("/lang/en/")
    english = body(client.get("/kelola/audit/"))
    assert label(a, "standar_pelayanan.ada", "en") in english
    assert re.search(r"<del[^>]*>yes</del> → <ins[^>]*>no</ins>", english)
    assert "Answer saved" in english


def test_an_item_removed_shows_what_it_held(client, signed_in, world) -> None:
    from patuh.plugins.web import answers
    from patuh.plugins.web.models import AuditEvent

    a = world["a"]
    assert answers.save(world["op_a"], a, {"inovasi.daftar[0].nama": "Gerai Jempol",
                                           "inovasi.daftar[0].tahap": "diterapkan"}).ok
    assert answers.remove_item(world["op_a"], a, "inovasi.daftar", 0).ok
    removed = AuditEvent.objects.get(action="answer.remove_item").detail["before"]
    assert removed == {"inovasi.daftar[0]": {"nama": "Gerai Jempol", "tahap": "diterapkan"}}
    signed_in(world["admin"])
    page = body(client.get("/kelola/audit/?tindakan=answer.remove_item"))
    assert "Gerai Jempol" in page and "answer.remove_item" in page
    assert "answer.save" not in page


def test_evidence_events_link_to_the_file_kept_after_it_is_detached(client, signed_in,
                                                                     world) -> None:
    from patuh.plugins.web.models import Evidence

    a = world["a"]
    signed_in(world["op_a"])
    assert upload(client, a, "SK Penetapan.pdf", PDF).status_code == 302
    row = Evidence.objects.get(unit=a)
    client.post(url(a, "evidence", row.sha256, "delete"), {"slot": SLOT})

    signed_in(world["admin"])
    page = body(client.get("/kelola/audit/"))
    assert page.count("SK Penetapan.pdf") == 2  # uploaded, then detached
    assert row.sha256[:16] in page and "evidence.remove" in page
    links = set(re.findall(r'href="(/kelola/audit/bukti/[^"]+)"', page))
    assert links == {f"/kelola/audit/bukti/{a.pk}/{row.sha256}"}
    download = client.get(links.pop())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "SK Penetapan.pdf" in download["Content-Disposition"]
    # with the unit chosen: its earlier versions, who uploaded and who detached them
    chosen = client.get(f"/kelola/audit/?unit={a.round.slug}/{a.kode}").content.decode()
    versions = chosen[chosen.index('class="card versions"'):]
    assert "SK Penetapan.pdf" in versions and versions.count("op_a") == 2
    assert client.get(f"/kelola/audit/bukti/{a.pk}/{'0' * 64}").status_code == 404
    assert client.get(f"/kelola/audit/bukti/{a.pk}/../../secret_key").status_code == 404


def test_filters_by_unit_person_and_action_and_pages(client, signed_in, world) -> None:
    from patuh.plugins.web import audit
    from patuh.plugins.web.models import AuditEvent

    a, b = world["a"], world["b"]
    for number in range(130):
        audit.record(world["op_a"], "answer.save", unit=a,
                     values={"standar_pelayanan.ada": str(number)})
    audit.record(world["op_b"], "unit.submit", unit=b)
    audit.record(world["admin"], "stage.move", unit=b, **{"from": "submitted",
                                                          "to": "in_verification"})
    signed_in(world["admin"])
    everything = client.get("/kelola/audit/").content.decode()
    assert "132 peristiwa" in everything and "Halaman 1 dari 2" in everything
    first = body(client.get("/kelola/audit/"))
    assert first.count("<tr>") == 100
    # an action the page does not know: its detail as written, each key named in words (the
    # key itself in the title)
    assert '<span title="from">dari: submitted</span>' in first
    assert '<span title="to">ke: in_verification</span>' in first
    only_b = body(client.get("/kelola/audit/?unit=pekppp-2025/dinas-b"))
    assert only_b.count("<tr>") == 2 and "dinas-a" not in only_b
    only_op_b = body(client.get("/kelola/audit/?pengguna=op_b"))
    assert only_op_b.count("<tr>") == 1 and "unit.submit" in only_op_b
    paged = client.get("/kelola/audit/?unit=pekppp-2025/dinas-a&halaman=2").content.decode()
    assert body(client.get("/kelola/audit/?unit=pekppp-2025/dinas-a&halaman=2")).count(
        "<tr>") == 30
    assert 'href="?unit=pekppp-2025%2Fdinas-a&amp;halaman=1"' in paged
    # the oldest event is on the last page: "0" typed first
    assert ">0</ins>" in body(client.get("/kelola/audit/?pengguna=op_a&halaman=2"))
    unknown = body(client.get("/kelola/audit/?unit=pekppp-2025/tidak-ada"))
    assert "Belum ada peristiwa" in unknown
    assert body(client.get("/kelola/audit/?halaman=99")).count("<tr>") == 32  # the last page
    assert AuditEvent.objects.count() == 132


@pytest.mark.parametrize("who", ["op_a", "evaluator", "pimpinan"])
def test_only_the_admin_sees_the_log_and_its_files(client, signed_in, world, who) -> None:
    from patuh.plugins.web import answers

    a = world["a"]
    added = answers.upload(world["op_a"], a, SLOT, "sk.pdf", PDF)
    answers.remove_evidence(world["op_a"], a, SLOT, added.sha256)
    signed_in(world[who])
    assert client.get("/kelola/audit/").status_code == 404
    assert client.get(f"/kelola/audit/bukti/{a.pk}/{added.sha256}").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world) -> None:
    response = client.get("/kelola/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
