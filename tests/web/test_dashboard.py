"""The leadership dashboard: its figures checked against the ``patuh check`` JSON of the bundled
examples imported into rounds, who may see it, its downloads and the API summary."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAGE = "/r/pekppp-2025/dasbor/"


def check_json(folder: str, *extra: str) -> dict:
    """The report as ``patuh check … --format json`` prints it (a separate process)."""
    done = subprocess.run([sys.executable, "-m", "patuh", "check",
                           str(EXAMPLES / folder / "manifest.yaml"), "--format", "json", *extra],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {"dpmptsp": check_json("dpmptsp-kota-harapan"),
            "puskesmas": check_json("puskesmas-sukamaju"),
            "kecamatan": check_json("kecamatan-lembah-hijau")}


@pytest.fixture
def world(data_dir, make_round, make_unit, make_person):
    """This round (2025): three bundled examples and one unit whose manifest fails. The
    previous round (2024, same ruleset): "dpmptsp" was then the Kecamatan's manifest (a low
    score) and "puskesmas" the same as now; an older round (2023) and a round of another
    ruleset that must not be taken as the previous one."""
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    now = make_round("pekppp-2025", year=2025)
    before = make_round("pekppp-2024", year=2024, name="PEKPPP 2024")
    make_round("pekppp-2023", year=2023)
    make_round("lain-2024", year=2024, ruleset="ombudsman", edition="2023")
    units = {kode: make_unit(now, kode, nama) for kode, nama in (
        ("dpmptsp", "DPMPTSP Kota Harapan"), ("puskesmas", "Puskesmas Sukamaju"),
        ("kecamatan", "Kecamatan Lembah Hijau"), ("rusak", "Unit Rusak"))}
    UnitFolder.import_folder(EXAMPLES / "dpmptsp-kota-harapan", units["dpmptsp"].folder)
    UnitFolder.import_folder(EXAMPLES / "puskesmas-sukamaju", units["puskesmas"].folder)
    UnitFolder.import_folder(EXAMPLES / "kecamatan-lembah-hijau", units["kecamatan"].folder)
    units["rusak"].folder.mkdir(parents=True)
    (units["rusak"].folder / "manifest.yaml").write_text("schema_version: 1\nunit: [nama]\n",
                                                         "utf-8")
    Unit.objects.filter(pk=units["puskesmas"].pk).update(status="submitted")
    Unit.objects.filter(pk=units["kecamatan"].pk).update(status="verified")
    old_a = make_unit(before, "dpmptsp", "DPMPTSP Kota Harapan")
    old_b = make_unit(before, "puskesmas", "Puskesmas Sukamaju")
    UnitFolder.import_folder(EXAMPLES / "kecamatan-lembah-hijau", old_a.folder)
    UnitFolder.import_folder(EXAMPLES / "puskesmas-sukamaju", old_b.folder)
    people = {"admin": make_person("admin", "admin"),
              "pimpinan": make_person("pimpinan", "pimpinan"),
              "operator": make_person("operator", "operator", (units["dpmptsp"],)),
              "evaluator": make_person("evaluator", "evaluator", (units["puskesmas"],)),
              "stranger": make_person("stranger", "operator", (old_a,))}
    return now, units, people


def dashboard_json(client, signed_in, user) -> dict:
    signed_in(user)
    response = client.get("/r/pekppp-2025/dasbor.json")
    assert response.status_code == 200
    return json.loads(b"".join(response) if response.streaming else response.content)


def gain_to_max_from_weights(report: dict, result: dict) -> float:
    """What reaching the maximum adds to the final score, from the report's weights the way the
    weighted_levels model scores: rules part share × aspect weight % × rule weight % × levels."""
    share = report["score"]["parts"][0]["weight"]
    aspect = next(a for a in report["aspects"] if a["id"] == result["aspect"])
    return (share * aspect["weight"] / 100 * result["weight"] / 100
            * (result["max_level"] - result["level"]))


def test_the_figures_equal_those_of_patuh_check(client, signed_in, world, reports) -> None:
    _now, _units, people = world
    dash = dashboard_json(client, signed_in, people["pimpinan"])
    # ranking: by final score, the failing unit last with its message and no rank
    ranked = [(line["kode"], line["score"], line["rank"]) for line in dash["ranking"]]
    expected = sorted(((k, r["score"]["final"]) for k, r in reports.items()),
                      key=lambda item: -item[1])
    assert ranked[:3] == [(k, s, i) for i, (k, s) in enumerate(expected, start=1)]
    assert ranked[3] == ("rusak", None, None)
    broken = dash["ranking"][3]
    assert broken["error"] and broken["error_en"] and "manifest" in broken["error_en"].lower()
    for line in dash["ranking"][:3]:
        report = reports[line["kode"]]
        assert line["predicate"]["code"] == report["predicate"]["code"]
        assert line["aspects"] == {a["id"]: a["score"] for a in report["aspects"]}
        assert line["basis"] == "self" and line["basis_label"] == {"id": "klaim", "en": "claim"}
        answered = sum(1 for r in report["results"] if r["status"] != "missing")
        assert line["filled"] == {"answered": answered, "rules": len(report["results"])}
    # progress
    progress = dash["progress"]
    answered = sum(sum(1 for r in rep["results"] if r["status"] != "missing")
                   for rep in reports.values())
    total = sum(len(rep["results"]) for rep in reports.values())
    assert (progress["units"], progress["checked"], progress["errors"]) == (4, 3, 1)
    assert progress["filled_pct"] == round(100 * answered / total, 1) < 100
    assert progress["stages"] == {"draft": 2, "submitted": 1, "in_verification": 0,
                                  "revision_requested": 0, "verified": 1, "final": 0}
    # distribution: every band of the edition, zeros too, in the edition's order
    from patuh.rulebook import load_ruleset

    bands = load_ruleset("pekppp").edition_named("2022").bands
    assert [b["code"] for b in dash["distribution"]] == [b.code for b in bands]
    counts = {b["code"]: b["count"] for b in dash["distribution"]}
    for band in bands:
        assert counts[band.code] == sum(1 for r in reports.values()
                                        if r["predicate"]["code"] == band.code)
    assert sum(counts.values()) == 3 and 0 in counts.values()
    # heat map: one row per unit that checks, one column per aspect, the report's numbers
    heat = dash["heatmap"]
    assert heat["aspects"] == [a["id"] for a in reports["dpmptsp"]["aspects"]]
    for row in heat["rows"]:
        assert row["scores"] == [a["score"] for a in reports[row["kode"]]["aspects"]]


def test_the_most_missed_indicators_and_their_gain(client, signed_in, world, reports) -> None:
    _now, _units, people = world
    dash = dashboard_json(client, signed_in, people["admin"])
    missed = {item["rule_id"]: item for item in dash["missed"]}
    expected: dict[str, dict] = {}
    for kode, report in reports.items():
        for result in report["results"]:
            item = expected.setdefault(result["rule_id"], {"below": [], "levels": [],
                                                           "gain": 0.0})
            item["levels"].append(result["level"])
            if result["level"] < result["max_level"]:
                item["below"].append(kode)
                item["gain"] += gain_to_max_from_weights(report, result)
    assert set(missed) == {rule for rule, item in expected.items() if item["below"]}
    for rule, item in missed.items():
        assert sorted(item["below"]) == sorted(expected[rule]["below"])
        assert item["units_below"] == len(expected[rule]["below"])
        assert item["units_scored"] == 3
        levels = expected[rule]["levels"]
        assert item["average_level"] == round(sum(levels) / len(levels), 2)
        # the report's per-level gain is rounded to 4 places: the sum agrees to that
        assert item["gain"] == pytest.approx(expected[rule]["gain"], abs=0.0005)
        assert item["title"]["id"] and item["source"]
    gains = [item["gain"] for item in dash["missed"]]
    assert gains == sorted(gains, reverse=True) and gains[0] > gains[-1]
    top = dash["missed"][0]
    assert top["units_below"] >= 2


def test_the_change_from_the_previous_round(client, signed_in, world, reports) -> None:
    _now, _units, people = world
    dash = dashboard_json(client, signed_in, people["pimpinan"])
    history = dash["history"]
    assert history["previous"]["slug"] == "pekppp-2024"  # not 2023, not the other ruleset
    by_kode = {item["kode"]: item for item in history["units"]}
    dpmptsp = by_kode["dpmptsp"]
    assert dpmptsp["before"] == reports["kecamatan"]["score"]["final"]
    assert dpmptsp["after"] == reports["dpmptsp"]["score"]["final"]
    assert dpmptsp["delta"] == round(reports["dpmptsp"]["score"]["final"]
                                     - reports["kecamatan"]["score"]["final"], 4) > 0
    assert dpmptsp["predicate_before"]["code"] == reports["kecamatan"]["predicate"]["code"]
    assert dpmptsp["predicate_changed"] is True and dpmptsp["comparable"] is True
    assert by_kode["puskesmas"]["delta"] == 0 and by_kode["puskesmas"]["predicate_changed"] is False
    assert by_kode["kecamatan"]["found"] is False and by_kode["kecamatan"]["before"] is None
    assert by_kode["rusak"]["after"] is None and by_kode["rusak"]["delta"] is None


def test_who_may_see_the_dashboard(client, signed_in, world) -> None:
    _now, _units, people = world
    urls = [PAGE] + [f"/r/pekppp-2025/dasbor.{ext}" for ext in ("xlsx", "csv", "html", "json")]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    for name, status in (("admin", 200), ("pimpinan", 200), ("operator", 403),
                         ("evaluator", 403), ("stranger", 404)):
        signed_in(people[name])
        for url in urls:
            assert client.get(url).status_code == status, (name, url)
    signed_in(people["admin"])
    assert client.get("/r/tidak-ada/dasbor/").status_code == 404
    assert client.get("/r/pekppp-2025/dasbor.pdf").status_code == 404
    assert client.post(PAGE).status_code == 405


def test_the_page_shows_the_figures_and_the_failing_unit(client, signed_in, world,
                                                         reports) -> None:
    _now, _units, people = world
    signed_in(people["pimpinan"])
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dasbor pimpinan" in page and "Unit Rusak" in page and "Manifest bermasalah" in page
    assert "<svg" in page and "heat-" in page
    # every number is written, not only coloured: the first unit's score in Indonesian form
    first = f"{reports['dpmptsp']['score']['final']:.2f}".replace(".", ",")
    assert first in page
    assert "<script>" not in page and " style=" not in page  # the CSP allows neither
    for ext in ("xlsx", "csv", "html", "json"):
        assert f"/r/pekppp-2025/dasbor.{ext}" in page
    round_page = client.get("/r/pekppp-2025/").content.decode()
    assert PAGE in round_page and PAGE in client.get("/").content.decode()
    signed_in(people["operator"])
    assert PAGE not in client.get("/r/pekppp-2025/").content.decode()


def test_the_page_in_english(client, signed_in, world) -> None:
    _now, _units, people = world
    signed_in(people["admin"])
    client.post("/lang/en/", {"next": PAGE})
    page = client.get(PAGE).content.decode()
    assert "Leadership dashboard" in page and "Indicators most units miss" in page
    assert "Dasbor pimpinan" not in page
    workbook = client.get("/r/pekppp-2025/dasbor.xlsx").content
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames[0] == "Ranking" and book["Ranking"]["A1"].value == "Rank"


def test_the_workbook(client, signed_in, world, reports) -> None:
    from openpyxl import load_workbook

    _now, _units, people = world
    signed_in(people["pimpinan"])
    response = client.get("/r/pekppp-2025/dasbor.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="dasbor-pekppp-2025.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Peringkat", "Indikator terlewat", "Distribusi predikat",
                               "Progres", "Riwayat"]
    ws = book["Peringkat"]
    header = [cell.value for cell in ws[1]]
    aspects = reports["dpmptsp"]["aspects"]
    assert header[:10] == ["Peringkat", "Kode", "Unit", "Tahap", "Nilai", "Predikat",
                           "Arti predikat", "Dasar", "Nilai klaim", "Terisi (%)"]
    assert header[10:10 + len(aspects)] == [f"Aspek {a['id']}: {a['title']['id']}"
                                            for a in aspects]
    assert ws.freeze_panes == "D2" and all(cell.font.bold for cell in ws[1])
    assert ws.max_row == 5
    row = [cell for cell in ws[2]]
    assert row[1].value == "dpmptsp" and row[4].value == reports["dpmptsp"]["score"]["final"]
    assert row[4].number_format == "[$-421]0.00" and row[10].number_format == "[$-421]0.00"
    assert [c.value for c in row[10:10 + len(aspects)]] == [a["score"] for a in aspects]
    assert row[5].value == reports["dpmptsp"]["predicate"]["code"]
    assert row[5].fill.fill_type == "solid" and row[5].fill.start_color.rgb.endswith("1A7F37")
    assert row[3].value == "Draf" and row[7].value == "klaim"
    assert ws.cell(5, 2).value == "rusak" and "manifest" in ws.cell(5, ws.max_column).value
    missed = book["Indikator terlewat"]
    assert missed.freeze_panes == "A2"
    assert [c.value for c in missed[1]][:3] == ["Indikator (id)", "Indikator", "Dasar hukum"]
    assert missed.cell(2, 8).number_format == "[$-421]0.0000"
    gains = [missed.cell(r, 8).value for r in range(2, missed.max_row + 1)]
    assert gains == sorted(gains, reverse=True) and len(gains) > 5
    dist = book["Distribusi predikat"]
    assert sum(dist.cell(r, 4).value for r in range(2, dist.max_row + 1)) == 3
    history = book["Riwayat"]
    assert history.cell(2, 1).value == "dpmptsp"
    assert history.cell(2, 3).number_format == "[$-421]0.00"  # Indonesian locale tag


def test_the_csv_json_and_html_summary(client, signed_in, world, reports) -> None:
    _now, _units, people = world
    signed_in(people["admin"])
    text = client.get("/r/pekppp-2025/dasbor.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["kode"] for r in rows] == ["dpmptsp", "puskesmas", "kecamatan", "rusak"]
    assert float(rows[0]["score"]) == reports["dpmptsp"]["score"]["final"]
    assert float(rows[0]["aspect_a"]) == reports["dpmptsp"]["aspects"][0]["score"]
    assert rows[0]["basis"] == "self" and rows[3]["score"] == "" and rows[3]["error"]
    assert rows[0]["comparable"] == "true"
    data = json.loads(client.get("/r/pekppp-2025/dasbor.json").content)
    assert set(data) >= {"progress", "ranking", "distribution", "heatmap", "missed", "history"}
    response = client.get("/r/pekppp-2025/dasbor.html")
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "'sha256-" in response["Content-Security-Policy"]  # its one style block, by hash
    assert "<script" not in page
    for kode in ("dpmptsp", "puskesmas", "kecamatan", "rusak"):
        assert f'href="http://testserver/r/pekppp-2025/u/{kode}/report"' in page
    assert "PEKPPP 2024" in page  # the previous round it compares with


def test_the_api_summary_gains_the_dashboard(client, world) -> None:
    from patuh.plugins.web.models import ApiToken

    _now, _units, people = world
    admin = ApiToken.issue(people["admin"])
    operator = ApiToken.issue(people["operator"])
    body = client.get("/api/v1/rounds/pekppp-2025/summary",
                      HTTP_AUTHORIZATION=f"Bearer {admin}").json()
    assert [u["kode"] for u in body["units"]] == ["dpmptsp", "kecamatan", "puskesmas", "rusak"]
    assert set(body["units"][0]) == {"kode", "nama", "status", "score", "predicate", "error",
                                     "error_en"}
    page = client.get("/r/pekppp-2025/dasbor.json", HTTP_AUTHORIZATION=f"Bearer {admin}")
    assert page.status_code == 302  # a token is not a session
    client.force_login(people["admin"])
    dash = json.loads(client.get("/r/pekppp-2025/dasbor.json").content)
    for key in ("progress", "ranking", "distribution", "heatmap", "missed", "history"):
        assert body[key] == dash[key]
    mine = client.get("/api/v1/rounds/pekppp-2025/summary",
                      HTTP_AUTHORIZATION=f"Bearer {operator}").json()
    assert [u["kode"] for u in mine["units"]] == ["dpmptsp"] and "missed" not in mine


def test_a_verified_unit_is_shown_with_its_verified_score(reports) -> None:
    """From the report's shape: ``patuh check --verification`` gives a ``verification``
    section; the dashboard takes the verified score and says so."""
    from patuh.plugins.web import dashboard

    verified = check_json("dpmptsp-kota-harapan", "--verification",
                          str(EXAMPLES / "audit" / "verifikasi-dpmptsp.yaml"))
    claim = reports["dpmptsp"]
    dash = dashboard.build({"slug": "r", "name": "R", "ruleset": "pekppp", "edition": "2022",
                            "year": 2024},
                           [dashboard.UnitInput("dpmptsp", "DPMPTSP", "verified", verified),
                            dashboard.UnitInput("puskesmas", "Puskesmas", "draft",
                                                reports["puskesmas"])], [])
    line = next(x for x in dash["ranking"] if x["kode"] == "dpmptsp")
    assert line["basis"] == "verified" and line["basis_label"]["id"] == "terverifikasi"
    assert line["score"] == verified["score"]["final"] == \
        verified["verification"]["effect"]["verified"]["final"]
    assert line["claimed_score"] == claim["score"]["final"] != line["score"]
    assert dash["progress"]["verified_basis"] == 1


def test_a_different_edition_is_flagged_as_not_comparable(reports) -> None:
    from patuh.plugins.web import dashboard

    older = json.loads(json.dumps(reports["puskesmas"]))
    older["ruleset"]["edition"] = "2017"
    older["period"]["tahun"] = 2021
    info = {"slug": "r", "name": "R", "ruleset": "pekppp", "edition": "2022", "year": 2024}
    dash = dashboard.build(info, [dashboard.UnitInput("p", "P", "draft", reports["puskesmas"])],
                           [], {**info, "slug": "old", "edition": "2017", "year": 2021},
                           [dashboard.UnitInput("p", "P", "final", older)])
    item = dash["history"]["units"][0]
    assert item["comparable"] is False and item["delta"] == 0
    assert item["reasons"][0]["id"].startswith("edisi berbeda: 2017 (periode 2021) dan 2022")
    assert "indicators, weights and bands may differ" in item["reasons"][0]["en"]


def test_equal_scores_share_a_rank(reports) -> None:
    from patuh.plugins.web import dashboard

    info = {"slug": "r", "name": "R", "ruleset": "pekppp", "edition": "2022", "year": 2024}
    units = [dashboard.UnitInput("a", "A", "draft", reports["puskesmas"]),
             dashboard.UnitInput("b", "B", "draft", reports["dpmptsp"]),
             dashboard.UnitInput("c", "C", "draft", reports["puskesmas"]),
             dashboard.UnitInput("d", "D", "draft", reports["kecamatan"]),
             dashboard.UnitInput("e", "E", "draft", None, None)]
    dash = dashboard.build(info, units, [])
    assert [(x["kode"], x["rank"]) for x in dash["ranking"]] == [
        ("b", 1), ("a", 2), ("c", 2), ("d", 4), ("e", None)]
    assert dash["ranking"][-1]["error"] == "laporan tidak tersedia"


def test_an_empty_round_and_one_whose_rules_do_not_load(client, signed_in, data_dir, make_round,
                                                        make_unit, make_person) -> None:
    make_round("kosong-2025")
    odd = make_round("aneh-2025", ruleset="tidak-ada", edition="9999")
    make_unit(odd, "unit-a", "=HYPERLINK(\"http://x\")")
    signed_in(make_person("admin", "admin"))
    empty = client.get("/r/kosong-2025/dasbor/")
    assert empty.status_code == 200 and "Belum ada unit yang bernilai." in empty.content.decode()
    data = json.loads(client.get("/r/kosong-2025/dasbor.json").content)
    assert data["progress"]["units"] == 0 and data["progress"]["filled_pct"] is None
    assert data["distribution"] and all(b["count"] == 0 for b in data["distribution"])
    odd_page = client.get("/r/aneh-2025/dasbor/")
    assert odd_page.status_code == 200 and "Manifest bermasalah" in odd_page.content.decode()
    for ext in ("xlsx", "csv", "html", "json"):
        assert client.get(f"/r/aneh-2025/dasbor.{ext}").status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/r/aneh-2025/dasbor.xlsx").content))
    cell = book["Peringkat"]["C2"]  # a name a spreadsheet would run stays text
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"http://x\")"
    rows = list(csv.reader(io.StringIO(client.get("/r/aneh-2025/dasbor.csv").content
                                       .decode("utf-8-sig"))))
    assert rows[1][2].startswith("'=")
    assert "=HYPERLINK(&quot;http://x&quot;)" in client.get("/r/aneh-2025/dasbor.html") \
        .content.decode()  # escaped in the HTML summary


def test_a_unit_the_evaluator_verified_counts_with_its_verified_score(client, signed_in, world,
                                                                      reports) -> None:
    """The same through the platform: the unit folder's verifikasi.yaml (what the evaluator's
    page writes) makes the dashboard, its downloads and the API take the verified score."""
    import shutil

    _now, units, people = world
    shutil.copy(EXAMPLES / "audit" / "verifikasi-dpmptsp.yaml",
                units["dpmptsp"].folder / "verifikasi.yaml")
    verified = check_json("dpmptsp-kota-harapan", "--verification",
                          str(EXAMPLES / "audit" / "verifikasi-dpmptsp.yaml"))
    dash = dashboard_json(client, signed_in, people["admin"])
    line = next(x for x in dash["ranking"] if x["kode"] == "dpmptsp")
    assert line["basis"] == "verified"
    assert line["score"] == verified["score"]["final"] != reports["dpmptsp"]["score"]["final"]
    assert line["claimed_score"] == reports["dpmptsp"]["score"]["final"]
    assert dash["progress"]["verified_basis"] == 1
