"""A unit's stages: each move allowed only to its role (evaluators only on their units), each
recorded (who, when, from, to, comment) and shown as a timeline; revision comments per
indicator reach the operator; locking the round makes verified units final, and nothing
moves in a locked round; unlocking turns final back into verified."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "dpmptsp-kota-harapan"
RULE = "pekppp.1.a.Ak"


@pytest.fixture
def world(make_round, make_unit, make_person, data_dir):
    from patuh.plugins.web import services

    round_ = make_round()
    a = make_unit(round_, "dinas-a", "Dinas A")
    b = services.import_unit(round_, EXAMPLE, user=None)
    return {"round": round_, "a": a, "b": b,
            "op_a": make_person("op_a", "operator", (a,)),
            "op_b": make_person("op_b", "operator", (b,)),
            "ev_b": make_person("ev_b", "evaluator", (b,)),
            "ev_a": make_person("ev_a", "evaluator", (a,)),
            "pimpinan": make_person("pimpinan", "pimpinan"),
            "admin": make_person("admin", "admin")}


def url(unit, name: str = "") -> str:
    return f"/r/{unit.round.slug}/u/{unit.kode}/{name}"


def status(unit) -> str:
    unit.refresh_from_db()
    return unit.status


def test_the_whole_path_is_recorded_and_shown(client, signed_in, world) -> None:
    from patuh.plugins.web.models import AuditEvent
    from patuh.plugins.web.models import StageChange

    b = world["b"]
    signed_in(world["op_b"])
    assert client.post(url(b, "submit")).status_code == 302
    signed_in(world["ev_b"])
    page = client.get(url(b)).content.decode()
    assert "Mulai verifikasi" in page and "Halaman evaluator" in page
    response = client.post(url(b, "tahap"), {"to": "in_verification"})
    assert response.status_code == 302 and response["Location"].endswith("/verifikasi/")
    response = client.post(url(b, "verifikasi/perbaikan"),
                           {f"komentar:{RULE}": "SK standar pelayanan belum ditandatangani.",
                            "komentar:pekppp.2.a.P": "  "})
    assert response.status_code == 302
    assert status(b) == "revision_requested"
    # the operator sees the comment on the unit page and beside the indicator, and may edit
    signed_in(world["op_b"])
    page = client.get(url(b)).content.decode()
    assert "SK standar pelayanan belum ditandatangani." in page and RULE in page
    assert "Serahkan ulang" in page
    section = client.get(url(b, "a/pekppp.a/")).content.decode()
    card = section.split('id="pekppp1aak"')[1].split("</section>")[0]
    assert "SK standar pelayanan belum ditandatangani." in card
    assert "pekppp.2.a.P" not in page.split('id="revision-comments"')[1].split("</section>")[0]
    response = client.post(url(b, "answer"), {"path": "standar_pelayanan.ada", "value": "ya"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert client.post(url(b, "submit")).status_code == 302
    assert status(b) == "submitted"
    signed_in(world["ev_b"])
    client.post(url(b, "tahap"), {"to": "in_verification"})
    client.post(url(b, "tahap"), {"to": "verified"})
    assert status(b) == "verified"
    signed_in(world["admin"])
    client.post(f"/kelola/r/{b.round.slug}/kunci/", {"locked": "1"})
    assert status(b) == "final"
    moves = [(c.from_stage, c.to_stage, c.username)
             for c in StageChange.objects.filter(unit=b)]
    assert moves == [("draft", "submitted", "op_b"), ("submitted", "in_verification", "ev_b"),
                     ("in_verification", "revision_requested", "ev_b"),
                     ("revision_requested", "submitted", "op_b"),
                     ("submitted", "in_verification", "ev_b"),
                     ("in_verification", "verified", "ev_b"), ("verified", "final", "admin")]
    comments = StageChange.objects.get(unit=b, to_stage="revision_requested").comments.all()
    assert [(c.rule, c.text) for c in comments] == [
        (RULE, "SK standar pelayanan belum ditandatangani.")]
    assert AuditEvent.objects.filter(action="unit.stage", unit=b).count() == 7
    page = client.get(url(b)).content.decode()
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert timeline.count("<li>") >= 7 and "Final" in timeline and "op_b" in timeline
    # a final unit shows no revision comments any more
    assert 'id="revision-comments"' not in page


def test_a_revision_request_needs_a_comment(client, signed_in, world) -> None:
    b = world["b"]
    signed_in(world["op_b"])
    client.post(url(b, "submit"))
    signed_in(world["ev_b"])
    client.post(url(b, "tahap"), {"to": "in_verification"})
    response = client.post(url(b, "verifikasi/perbaikan"), {f"komentar:{RULE}": " "})
    assert response.status_code == 409
    assert "sedikitnya satu catatan" in response.content.decode()
    assert status(b) == "in_verification"
    # the generic stage form does not take the revision without comments either
    response = client.post(url(b, "tahap"), {"to": "revision_requested"})
    assert response.status_code == 302 and status(b) == "in_verification"


@pytest.mark.parametrize("who,to", [
    ("op_b", "in_verification"), ("op_b", "verified"), ("pimpinan", "in_verification"),
    ("ev_b", "submitted")])
def test_a_move_by_the_wrong_role_is_403(client, signed_in, world, who, to) -> None:
    b = world["b"]
    signed_in(world["op_b"])
    client.post(url(b, "submit"))
    signed_in(world[who])
    assert client.post(url(b, "tahap"), {"to": to}).status_code == 403
    assert status(b) == "submitted"


def test_an_evaluator_of_another_unit_gets_404(client, signed_in, world) -> None:
    b = world["b"]
    signed_in(world["op_b"])
    client.post(url(b, "submit"))
    signed_in(world["ev_a"])
    for address in (url(b), url(b, "verifikasi/")):
        assert client.get(address).status_code == 404
    assert client.post(url(b, "tahap"), {"to": "in_verification"}).status_code == 404
    assert status(b) == "submitted"


@pytest.mark.parametrize("to", ["verified", "final", "draft", "bogus"])
def test_moves_out_of_order_are_refused_with_a_clear_page(client, signed_in, world,
                                                          to) -> None:
    b = world["b"]
    signed_in(world["op_b"])
    client.post(url(b, "submit"))
    signed_in(world["admin"])
    response = client.post(url(b, "tahap"), {"to": to})
    assert response.status_code in (403, 409)
    if response.status_code == 409:
        assert "tidak diizinkan" in response.content.decode()
    assert status(b) == "submitted"
    signed_in(world["op_b"])
    response = client.post(url(b, "submit"))  # submitted twice
    assert response.status_code == 403 and status(b) == "submitted"


def test_the_evaluator_cannot_edit_answers(client, signed_in, world) -> None:
    b = world["b"]
    signed_in(world["op_b"])
    client.post(url(b, "submit"))
    signed_in(world["ev_b"])
    client.post(url(b, "tahap"), {"to": "in_verification"})
    before = (b.folder / "manifest.yaml").read_bytes()
    response = client.post(url(b, "answer"), {"path": "standar_pelayanan.ada", "value": "ya"})
    assert response.status_code == 403
    assert client.post(url(b, "submit")).status_code == 403
    assert (b.folder / "manifest.yaml").read_bytes() == before


def test_lock_makes_verified_units_final_and_freezes_the_rest(client, signed_in,
                                                              world) -> None:
    from patuh.plugins.web import stages

    a, b = world["a"], world["b"]
    stages.move(b, "submitted", world["op_b"])
    stages.move(b, "in_verification", world["ev_b"])
    stages.move(b, "verified", world["ev_b"])
    stages.move(a, "submitted", world["op_a"])
    signed_in(world["admin"])
    client.post(f"/kelola/r/{a.round.slug}/kunci/", {"locked": "1"})
    assert (status(a), status(b)) == ("submitted", "final")
    page = client.get(url(a)).content.decode()
    assert "belum terverifikasi: hasilnya tidak final" in page
    # a locked round allows no move, not even for the admin
    for unit, to in ((a, "in_verification"), (b, "in_verification")):
        response = client.post(url(unit, "tahap"), {"to": to})
        assert response.status_code in (403, 409)
    signed_in(world["ev_a"])
    response = client.post(url(a, "tahap"), {"to": "in_verification"})
    assert response.status_code == 409 and "dikunci" in response.content.decode()
    assert status(a) == "submitted"
    # unlocking turns final back into verified; the evaluator may reopen again
    signed_in(world["admin"])
    client.post(f"/kelola/r/{a.round.slug}/kunci/", {"locked": "0"})
    assert (status(a), status(b)) == ("submitted", "verified")
    signed_in(world["ev_b"])
    assert client.post(url(b, "tahap"), {"to": "in_verification"}).status_code == 302
    assert status(b) == "in_verification"


def test_the_operator_may_edit_again_only_while_revision_is_requested(world) -> None:
    from patuh.plugins.web import access
    from patuh.plugins.web import stages

    b, op = world["b"], world["op_b"]
    assert access.can_edit(op, b)
    stages.move(b, "submitted", op)
    assert not access.can_edit(op, b)
    stages.move(b, "in_verification", world["ev_b"])
    assert not access.can_edit(op, b)
    stages.move(b, "revision_requested", world["ev_b"], comments={RULE: "lengkapi"})
    assert access.can_edit(op, b)
    assert not access.can_edit(world["ev_b"], b)
    assert stages.moves(op, b) == ["submitted"]
    assert stages.moves(world["pimpinan"], b) == []


def test_the_admin_assigns_and_takes_back_units(client, signed_in, world) -> None:
    from patuh.plugins.web.models import AuditEvent

    a, b, ev = world["a"], world["b"], world["ev_a"]
    signed_in(world["admin"])
    page = client.get("/kelola/pengguna/").content.decode()
    assert 'action="/kelola/pengguna/tugas/"' in page
    response = client.post("/kelola/pengguna/tugas/", {"username": "ev_a", "unit": b.pk,
                                                       "action": "assign"})
    assert response.status_code == 302
    assert set(ev.profile.units.all()) == {a, b}
    signed_in(ev)
    assert client.get(url(b, "verifikasi/")).status_code == 200
    signed_in(world["admin"])
    client.post("/kelola/pengguna/tugas/", {"username": "ev_a", "unit": b.pk,
                                            "action": "unassign"})
    assert set(ev.profile.units.all()) == {a}
    assert {"user.assign", "user.unassign"} <= set(
        AuditEvent.objects.values_list("action", flat=True))
    # pimpinan and admins are not given units; unknown people or units are 404
    client.post("/kelola/pengguna/tugas/", {"username": "pimpinan", "unit": b.pk})
    assert not world["pimpinan"].profile.units.exists()
    assert client.post("/kelola/pengguna/tugas/", {"username": "nobody", "unit": b.pk}
                       ).status_code == 404
    assert client.post("/kelola/pengguna/tugas/", {"username": "ev_a", "unit": "x"}
                       ).status_code == 404
    signed_in(ev)
    assert client.get(url(b, "verifikasi/")).status_code == 404
    assert client.post("/kelola/pengguna/tugas/", {"username": "ev_a", "unit": b.pk,
                                                   "action": "assign"}).status_code == 403


def test_an_evaluator_sees_only_the_assigned_units(client, signed_in, world) -> None:
    a, b = world["a"], world["b"]
    signed_in(world["ev_b"])
    home = client.get("/").content.decode()
    assert b.nama in home and a.nama not in home
    page = client.get(f"/r/{b.round.slug}/").content.decode()
    assert b.kode in page and f"/u/{a.kode}/" not in page
    assert client.get(url(a)).status_code == 404
