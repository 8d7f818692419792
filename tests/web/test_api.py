"""The HTTP API (token auth) and the round summary it shares with the round page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def world(data_dir, make_round, make_unit, make_person):
    """A round with two real units (the bundled examples), one unit whose manifest does not
    check, one unit of another round, and a person of each role with a token."""
    from patuh.plugins.web.models import ApiToken
    from patuh.plugins.web.store import UnitFolder

    round_ = make_round()
    a = make_unit(round_, "dpmptsp", "DPMPTSP Kota Harapan")
    b = make_unit(round_, "puskesmas", "Puskesmas Sukamaju")
    broken = make_unit(round_, "rusak", "Unit Rusak")
    other = make_unit(make_round("lain-2025"), "dinas-c")
    UnitFolder.import_folder(EXAMPLES / "dpmptsp-kota-harapan", a.folder)
    UnitFolder.import_folder(EXAMPLES / "puskesmas-sukamaju", b.folder)
    broken.folder.mkdir(parents=True)
    (broken.folder / "manifest.yaml").write_text("schema_version: 1\nunit: [nama]\n", "utf-8")
    people = {"op_a": make_person("op_a", "operator", (a,)),
              "op_c": make_person("op_c", "operator", (other,)),
              "admin": make_person("admin", "admin"),
              "pimpinan": make_person("pimpinan", "pimpinan")}
    tokens = {name: ApiToken.issue(user) for name, user in people.items()}
    return round_, {"a": a, "b": b, "broken": broken, "other": other}, people, tokens


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


REPORT = "/api/v1/rounds/pekppp-2025/units/dpmptsp/report"
SUMMARY = "/api/v1/rounds/pekppp-2025/summary"


def test_no_token_or_a_bad_one_is_401(client, world) -> None:
    for url in (REPORT, SUMMARY):
        missing = client.get(url)
        assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
        assert "token" in missing.json()["error"]
        wrong = client.get(url, **bearer("patuh_bukan-token-yang-benar"))
        assert wrong.status_code == 401 and "invalid_token" in wrong["WWW-Authenticate"]
        basic = client.get(url, HTTP_AUTHORIZATION="Basic YWRtaW46c2FuZGk=")
        assert basic.status_code == 401


def test_a_session_is_not_a_token(client, signed_in, world) -> None:
    *_rest, people, _tokens = world
    signed_in(people["admin"])
    assert client.get(REPORT).status_code == 401


def test_a_deactivated_persons_token_stops_working(client, world) -> None:
    *_rest, people, tokens = world
    assert client.get(REPORT, **bearer(tokens["admin"])).status_code == 200
    people["admin"].is_active = False
    people["admin"].save()
    assert client.get(REPORT, **bearer(tokens["admin"])).status_code == 401


def test_the_report_is_byte_for_byte_the_stores(client, world) -> None:
    from patuh.plugins.web.models import ApiToken
    from patuh.plugins.web.store import UnitFolder

    round_, units, people, tokens = world
    assert ApiToken.objects.get(user=people["op_a"]).last_used_at is None
    response = client.get(REPORT, **bearer(tokens["op_a"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    expected = UnitFolder(units["a"].folder).report_json(round_.ruleset, round_.edition)
    assert response.content == expected.encode("utf-8")
    assert json.loads(response.content)["predicate"]["code"] == "A"
    assert ApiToken.objects.get(user=people["op_a"]).last_used_at is not None
    # a second call (from the cache) gives the same bytes
    assert client.get(REPORT, **bearer(tokens["op_a"])).content == response.content


def test_the_report_follows_a_changed_manifest(client, world) -> None:
    from patuh.plugins.web.store import UnitFolder
    from patuh.plugins.web.store import questionnaire

    round_, units, _people, tokens = world
    before = json.loads(client.get(REPORT, **bearer(tokens["admin"])).content)
    folder = UnitFolder(units["a"].folder)
    saved = folder.save_answer("standar_pelayanan.ada", "tidak", questionnaire(
        (("pekppp", "2022"),)))
    assert saved.ok, saved.error
    after = client.get(REPORT, **bearer(tokens["admin"]))
    assert after.content == folder.report_json(round_.ruleset, round_.edition).encode()
    assert json.loads(after.content)["score"]["final"] < before["score"]["final"]


def test_outside_ones_units_is_403_and_unknown_is_404(client, world) -> None:
    *_rest, tokens = world
    op_a = bearer(tokens["op_a"])
    assert client.get("/api/v1/rounds/pekppp-2025/units/puskesmas/report",
                      **op_a).status_code == 403
    assert client.get("/api/v1/rounds/lain-2025/units/dinas-c/report", **op_a).status_code == 403
    assert client.get("/api/v1/rounds/lain-2025/summary", **op_a).status_code == 403
    assert client.get("/api/v1/rounds/pekppp-2025/units/tidak-ada/report",
                      **op_a).status_code == 404
    assert client.get("/api/v1/rounds/tidak-ada/units/dpmptsp/report", **op_a).status_code == 404
    # the unit exists, but in another round
    assert client.get("/api/v1/rounds/pekppp-2025/units/dinas-c/report",
                      **op_a).status_code == 404
    assert client.get("/api/v1/rounds/tidak-ada/summary", **op_a).status_code == 404


def test_a_unit_whose_manifest_does_not_check(client, world) -> None:
    *_rest, tokens = world
    response = client.get("/api/v1/rounds/pekppp-2025/units/rusak/report",
                          **bearer(tokens["admin"]))
    assert response.status_code == 409
    body = response.json()
    assert "manifest.yaml" in body["error"] and "unit" in body["error"]
    assert str(Path(os.sep, "tmp")) not in body["error"]  # no server paths


def test_the_summary_for_an_admin_lists_every_unit(client, world) -> None:
    *_rest, tokens = world
    response = client.get(SUMMARY, **bearer(tokens["admin"]))
    assert response.status_code == 200
    body = response.json()
    assert body["round"]["slug"] == "pekppp-2025" and body["round"]["ruleset"] == "pekppp"
    lines = {line["kode"]: line for line in body["units"]}
    assert sorted(lines) == ["dpmptsp", "puskesmas", "rusak"]
    golden = json.loads((EXAMPLES.parent / "tests/golden/dpmptsp-kota-harapan.pekppp.json")
                        .read_text("utf-8"))
    a = lines["dpmptsp"]
    assert a["status"] == "draft" and a["nama"] == "DPMPTSP Kota Harapan"
    assert a["score"] == golden["score"]["final"]
    assert a["predicate"]["code"] == golden["predicate"]["code"]
    assert a["predicate"]["label"] == golden["predicate"]["label"]
    assert a["error"] is None
    assert lines["puskesmas"]["predicate"]["code"] and lines["puskesmas"]["score"] is not None
    broken = lines["rusak"]
    assert broken["status"] == "error" and broken["score"] is None
    assert broken["predicate"] is None and "unit" in broken["error"] and broken["error_en"]


def test_the_summary_for_an_operator_and_pimpinan(client, world) -> None:
    from patuh.plugins.web.models import SUBMITTED

    _round, units, _people, tokens = world
    units["a"].status = SUBMITTED
    units["a"].save()
    mine = client.get(SUMMARY, **bearer(tokens["op_a"])).json()["units"]
    assert [(line["kode"], line["status"]) for line in mine] == [("dpmptsp", "submitted")]
    everyone = client.get(SUMMARY, **bearer(tokens["pimpinan"])).json()["units"]
    assert len(everyone) == 3
    empty = client.get("/api/v1/rounds/lain-2025/summary", **bearer(tokens["pimpinan"]))
    assert empty.status_code == 200 and len(empty.json()["units"]) == 1


def test_the_api_takes_only_get(client, world) -> None:
    *_rest, tokens = world
    assert client.post(SUMMARY, **bearer(tokens["admin"])).status_code == 405


def test_unchanged_units_are_not_scored_again(world) -> None:
    from patuh.plugins.web import summary

    _round, units, *_rest = world
    rows = [units["a"], units["b"], units["broken"]]
    summary.round_summary(rows)
    scored = summary.STATS["scored"]
    first = summary.round_summary(rows)
    assert summary.STATS["scored"] == scored  # all three from the cache
    evidence = next((units["a"].folder / "bukti").iterdir())
    evidence.write_bytes(evidence.read_bytes() + b"\n% diubah\n")
    again = summary.round_summary(rows)
    assert summary.STATS["scored"] == scored + 1  # only the unit whose evidence changed
    assert [line.kode for line in again] == [line.kode for line in first]
