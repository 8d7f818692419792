"""The evaluator's page: claim, evidence (inline for PDF and images), the verified level or
score with a note written to verifikasi.yaml; waivers written to pengecualian.yaml; the served
report equals `patuh check --verification … --waivers …` on the export, byte for byte; and the
refusals (other unit, other roles, wrong stage, bad values)."""

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
RULE = "pekppp.2.a.P"  # a ladder rule the example claims at 4 of 5


@pytest.fixture
def world(make_round, make_unit, make_person, data_dir):
    from patuh.plugins.web import services
    from patuh.plugins.web import stages

    round_ = make_round()
    a = make_unit(round_, "dinas-a", "Dinas A")
    b = services.import_unit(round_, EXAMPLE, user=None)
    people = {"op_b": make_person("op_b", "operator", (b,)),
              "ev_b": make_person("ev_b", "evaluator", (b,)),
              "ev_a": make_person("ev_a", "evaluator", (a,)),
              "op_a": make_person("op_a", "operator", (a,)),
              "pimpinan": make_person("pimpinan", "pimpinan"),
              "admin": make_person("admin", "admin")}
    people["ev_b"].first_name, people["ev_b"].last_name = "Rina", "Kusumawati"
    people["ev_b"].save()
    stages.move(b, "submitted", people["op_b"])
    stages.move(b, "in_verification", people["ev_b"])
    return {"round": round_, "a": a, "b": b, **people}


def url(unit, name: str = "") -> str:
    return f"/r/{unit.round.slug}/u/{unit.kode}/{name}"


def served_json(unit) -> str:
    from patuh.plugins.web import summary

    return summary.report_json(unit.folder, unit.round.ruleset, unit.round.edition)


def claimed(unit, rule: str) -> int:
    report = json.loads(served_json(unit))
    return {r["rule_id"]: r["level"] for r in report["results"]}[rule]


WAIVER = {"rule": "pekppp.24.d.T", "effect": "excluded",
          "reason": "Migrasi data perizinan ke sistem provinsi.",
          "reason_en": "Permit data are being migrated.", "owner": "Kabid Data",
          "approver": "Sekretaris Daerah", "start": "2024-01-01", "expiry": "2099-12-31",
          "legal_basis": "Surat Sekda Nomor 500/077/2025"}


def test_the_page_shows_claims_evidence_and_a_form(client, signed_in, world) -> None:
    b = world["b"]
    signed_in(world["ev_b"])
    response = client.get(url(b, "verifikasi/"))
    assert response.status_code == 200
    page = response.content.decode()
    card = page.split(f'data-rule="{RULE}"')[1].split("</section>")[0]
    assert 'class="claimed-level">4</strong> / 5' in card
    assert 'name="level"' in card and 'name="note"' in card
    assert "/lihat" in page and "<iframe" in page  # PDFs viewable in the page
    assert page.count('class="card indicator verify-indicator"') > 20


def test_a_verified_level_is_written_and_reported_like_the_command(client, signed_in, world,
                                                                    tmp_path) -> None:
    from patuh.plugins.web.models import AuditEvent
    from patuh.verification import load_verification

    b = world["b"]
    signed_in(world["ev_b"])
    before = claimed(b, RULE)
    response = client.post(url(b, "verifikasi/simpan"),
                           {"rule": RULE, "level": "3", "note": "Daftar hadir FKP kurang."})
    assert response.status_code == 302
    written = load_verification(b.folder / "verifikasi.yaml")
    assert [(i.rule, i.level, i.note, i.evaluator) for i in written.items] == [
        (RULE, 3, "Daftar hadir FKP kurang.", "Rina Kusumawati")]
    report = json.loads(served_json(b))
    item = report["verification"]["items"][0]
    assert (item["claimed_level"], item["verified_level"], item["delta"]) == (before, 3, -1)
    assert report["verification"]["effect"]["verified"]["final"] < \
        report["verification"]["effect"]["claimed"]["final"]
    assert AuditEvent.objects.filter(action="verification.save", unit=b).exists()
    # a waiver too, then the export checked by the command line: the same bytes
    assert client.post(url(b, "pengecualian/tambah"), WAIVER).status_code == 302
    archive = client.get(url(b, "export.zip"))
    folder = tmp_path / "ekspor"
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as bundle:
        assert {"verifikasi.yaml", "pengecualian.yaml"} <= set(bundle.namelist())
        bundle.extractall(folder)
    checked = subprocess.run(
        [sys.executable, "-m", "patuh", "check", str(folder / "manifest.yaml"), "--ruleset",
         "pekppp", "--edition", "2022", "--format", "json", "--verification",
         str(folder / "verifikasi.yaml"), "--waivers", str(folder / "pengecualian.yaml")],
        capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    served = served_json(b)
    assert checked.stdout == served  # byte for byte
    report = json.loads(served)
    assert report["waivers"]["applied"][0]["rule_id"] == "pekppp.24.d.T"
    assert report["waivers"]["effect"]["without"]["final"] is not None
    html = subprocess.run(
        [sys.executable, "-m", "patuh", "check", str(folder / "manifest.yaml"), "--ruleset",
         "pekppp", "--edition", "2022", "--format", "html", "--verification",
         str(folder / "verifikasi.yaml"), "--waivers", str(folder / "pengecualian.yaml")],
        capture_output=True, text=True, timeout=120)
    page = client.get(url(b, "report")).content.decode()
    assert page == html.stdout
    # the HTML report shows claim and verified side by side, both scores, and the waiver
    table = page.split('class="parts verification"')[1].split("</table>")[0]
    assert f"<code>{RULE}</code>" in table and (
        f'<td class="num">{before}/5</td><td class="num">3/5</td><td class="num">-1</td>'
        in table) and "Daftar hadir FKP kurang." in table
    assert "Klaim unit" in page and 'id="waivers"' in page and "pekppp.24.d.T" in page
    # the page shows claim vs verified and the waiver's effect
    page = client.get(url(b, "verifikasi/")).content.decode()
    assert 'class="verified-level">3</strong>' in page and "Sekretaris Daerah" in page
    assert "Nilai tanpa pengecualian" in page
    # the unit's pages say the score shown is the verified one, and what the unit claimed
    claimed_final = report["verification"]["effect"]["claimed"]["final"]
    overview = client.get(url(b)).content.decode()
    assert "Nilai terverifikasi evaluator; klaim unit " + \
        f"{claimed_final:.2f}".replace(".", ",") in overview


def test_changing_and_removing_a_verification_changes_the_report(client, signed_in,
                                                                 world) -> None:
    b = world["b"]
    signed_in(world["ev_b"])
    client.post(url(b, "verifikasi/simpan"), {"rule": RULE, "level": "3", "note": "a"})
    first = served_json(b)
    client.post(url(b, "verifikasi/simpan"), {"rule": RULE, "level": "2", "note": "b"})
    second = json.loads(served_json(b))
    assert second["verification"]["items"][0]["verified_level"] == 2 and first != second
    client.post(url(b, "verifikasi/hapus"), {"rule": RULE})
    assert not (b.folder / "verifikasi.yaml").exists()
    assert "verification" not in json.loads(served_json(b))


@pytest.mark.parametrize("data,message", [
    ({"rule": RULE, "level": "6", "note": "x"},
     "verifikasi.yaml:7: verifikasi[1].level: 6 harus"),
    ({"rule": RULE, "level": "3", "note": "  "}, "catatan evaluator wajib"),
    ({"rule": RULE, "score": "50", "note": "x"}, "aturan berjenjang"),
    ({"rule": "pekppp.99.z", "level": "1", "note": "x"}, "tidak dinilai"),
    ({"rule": RULE, "level": "tiga", "note": "x"}, "bilangan bulat"),
    ({"rule": RULE, "score": "150", "note": "x"}, "0–100"),
])
def test_a_bad_verification_is_refused_and_nothing_is_written(client, signed_in, world, data,
                                                              message) -> None:
    b = world["b"]
    signed_in(world["ev_b"])
    response = client.post(url(b, "verifikasi/simpan"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text and ".patuh-tmp" not in text
    assert not (b.folder / "verifikasi.yaml").exists()
    assert [p.name for p in b.folder.iterdir() if p.name.startswith(".")] == []


def test_a_waiver_is_recorded_shown_and_removed(client, signed_in, world) -> None:
    from patuh.plugins.web.models import AuditEvent
    from patuh.waivers import load_waivers

    b = world["b"]
    signed_in(world["admin"])
    without = json.loads(served_json(b))["score"]["final"]
    assert client.post(url(b, "pengecualian/tambah"), {**WAIVER, "effect": "as_met"}
                       ).status_code == 302
    waivers = load_waivers(b.folder / "pengecualian.yaml")
    assert [(w.rule, w.unit, w.effect) for w in waivers] == [
        ("pekppp.24.d.T", "dpmptsp-kota-harapan", "as_met")]
    report = json.loads(served_json(b))
    assert report["waivers"]["effect"]["without"]["final"] == without
    assert report["score"]["final"] >= without
    response = client.post(url(b, "pengecualian/0/hapus"))
    assert response.status_code == 302 and not (b.folder / "pengecualian.yaml").exists()
    removed = AuditEvent.objects.get(action="waiver.remove", unit=b)
    assert removed.detail["before"]["rule"] == "pekppp.24.d.T"
    assert client.post(url(b, "pengecualian/0/hapus")).status_code == 400


def test_a_waiver_without_its_required_fields_is_refused(client, signed_in, world) -> None:
    b = world["b"]
    signed_in(world["ev_b"])
    response = client.post(url(b, "pengecualian/tambah"), {**WAIVER, "approver": ""})
    assert response.status_code == 400 and "approver" in response.content.decode()
    response = client.post(url(b, "pengecualian/tambah"), {**WAIVER, "expiry": "31/12/2099"})
    assert response.status_code == 400
    assert not (b.folder / "pengecualian.yaml").exists()


def test_the_report_cache_sees_the_evaluators_files(client, signed_in, world) -> None:
    from patuh.plugins.web import summary

    b = world["b"]
    signed_in(world["ev_b"])
    summary.round_summary([b])
    before = summary.summarise(b).score
    client.post(url(b, "verifikasi/simpan"), {"rule": RULE, "level": "0", "note": "tidak ada"})
    assert summary.summarise(b).score < before


def test_inline_evidence_may_be_framed_by_the_platform_only(client, signed_in, world) -> None:
    b = world["b"]
    signed_in(world["ev_b"])
    page = client.get(url(b, "verifikasi/")).content.decode()
    inline = re.search(r'src="([^"]+/lihat)"', page).group(1)
    response = client.get(inline)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    b"".join(response.streaming_content)
    attachment = client.get(inline.removesuffix("/lihat"))
    assert attachment["Content-Disposition"].startswith("attachment")
    assert attachment["X-Frame-Options"] == "DENY"
    b"".join(attachment.streaming_content)
    assert client.get(url(b, "verifikasi/"))["X-Frame-Options"] == "DENY"
    # an operator of another unit cannot reach the file
    signed_in(world["op_a"])
    assert client.get(inline).status_code == 404


@pytest.mark.parametrize("who,code", [("op_b", 403), ("pimpinan", 403), ("ev_a", 404),
                                      ("op_a", 404)])
def test_the_evaluators_pages_refuse_others(client, signed_in, world, who, code) -> None:
    b = world["b"]
    signed_in(world[who])
    assert client.get(url(b, "verifikasi/")).status_code == code
    for name, data in (("verifikasi/simpan", {"rule": RULE, "level": "1", "note": "x"}),
                       ("verifikasi/hapus", {"rule": RULE}),
                       ("verifikasi/perbaikan", {f"komentar:{RULE}": "x"}),
                       ("pengecualian/tambah", WAIVER), ("pengecualian/0/hapus", {})):
        assert client.post(url(b, name), data).status_code == code, name
    assert not (b.folder / "verifikasi.yaml").exists()
    assert not (b.folder / "pengecualian.yaml").exists()


def test_no_verification_outside_the_verification_stage(client, signed_in, world) -> None:
    from patuh.plugins.web import stages

    b = world["b"]
    stages.move(b, "verified", world["ev_b"])
    signed_in(world["ev_b"])
    page = client.get(url(b, "verifikasi/")).content.decode()
    assert 'name="level"' not in page and "Buka kembali verifikasi" in page
    response = client.post(url(b, "verifikasi/simpan"), {"rule": RULE, "level": "1",
                                                          "note": "x"})
    assert response.status_code == 409
    assert not (b.folder / "verifikasi.yaml").exists()


def test_a_broken_file_by_hand_is_named_and_left_alone(client, signed_in, world) -> None:
    b = world["b"]
    broken = b"verifikasi: [rule: {\n"
    (b.folder / "verifikasi.yaml").write_bytes(broken)
    signed_in(world["ev_b"])
    page = client.get(url(b, "verifikasi/"))
    assert page.status_code == 200 and "verifikasi.yaml" in page.content.decode()
    response = client.post(url(b, "verifikasi/simpan"), {"rule": RULE, "level": "3",
                                                          "note": "x"})
    text = response.content.decode()
    assert response.status_code == 400 and "verifikasi.yaml" in text
    assert str(b.folder) not in text
    assert client.post(url(b, "verifikasi/hapus"), {"rule": RULE}).status_code == 400
    assert (b.folder / "verifikasi.yaml").read_bytes() == broken
