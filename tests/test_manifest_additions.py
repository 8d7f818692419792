"""Facts a unit could not state before: a provincial innovation competition, evidence per SKM
follow-up item, the last two SKM cycles, and an SP for every service. Each is read by the rule
whose descriptor needs it; manifests without them give the results they gave before."""

from __future__ import annotations

import json
from typing import Any

import pytest

FOLLOW_UP = {"jumlah_rencana": 2, "jumlah_terealisasi": 2, "bukti": ["rtl.pdf"]}
COMPONENTS = ["dasar_hukum", "persyaratan", "sistem_mekanisme_prosedur", "jangka_waktu",
              "biaya_tarif", "produk_pelayanan", "sarana_prasarana", "kompetensi_pelaksana",
              "pengawasan_internal", "penanganan_pengaduan", "jumlah_pelaksana",
              "jaminan_pelayanan", "jaminan_keamanan_keselamatan", "evaluasi_kinerja_pelaksana"]


def result_of(run, manifest, ruleset: str, rule_id: str) -> dict[str, Any]:
    out = run("check", manifest, "--ruleset", ruleset, "--format", "json")
    assert out.code in (0, 1), out.err
    report = json.loads(out.out)
    return next(r for r in report["results"] if r["rule_id"] == rule_id)


@pytest.mark.parametrize(("award", "level"), [(True, 5), (False, 4)])
def test_a_provincial_competition_counts_as_any_level(award: bool, level: int, write_manifest,
                                                      run) -> None:
    manifest = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": "2024-12-31"},
                               "inovasi": {"daftar": [{
                                   "nama": "Jemput bola", "tahap": "diterapkan",
                                   "tanggal_diterapkan": "2022-08-01",
                                   "kompetisi": {"diikuti": True, "tingkat": "provinsi",
                                                 "penghargaan": award},
                                   "bukti": ["piagam.pdf"]}]}}, files=("piagam.pdf",))
    assert result_of(run, manifest, "pekppp", "pekppp.29.f.B")["level"] == level


def test_an_unknown_competition_level_is_still_refused(write_manifest, run) -> None:
    manifest = write_manifest({"inovasi": {"daftar": [{
        "nama": "Jemput bola", "tahap": "diterapkan",
        "kompetisi": {"diikuti": True, "tingkat": "kecamatan"}}]}})
    result = run("check", manifest, "--ruleset", "pekppp", "--lang", "en")
    assert result.code == 2 and "provinsi" in result.err


def _items(*reports: str | None) -> list[dict[str, Any]]:
    return [{"uraian": f"RTL {i}", "terealisasi": True,
             **({"laporan_pelaksanaan": {"bukti": [ref]}} if ref else {})}
            for i, ref in enumerate(reports, start=1)]


def test_each_follow_up_item_needs_its_own_report_for_level_5(write_manifest, run) -> None:
    files = ("rtl.pdf", "lap-1.pdf", "lap-2.pdf")
    full = write_manifest({"skm": {"tindak_lanjut": {**FOLLOW_UP,
                                                     "rencana": _items("lap-1.pdf", "lap-2.pdf")}}},
                          files=files, folder="full")
    assert result_of(run, full, "pekppp", "pekppp.8.a.Ak")["level"] == 5
    lacking = write_manifest({"skm": {"tindak_lanjut": {**FOLLOW_UP,
                                                        "rencana": _items("lap-1.pdf", None)}}},
                             files=files, folder="lacking")
    result = result_of(run, lacking, "pekppp", "pekppp.8.a.Ak")
    assert result["level"] == 4
    unmet = json.dumps(result["unmet"])
    assert "RTL 2" in unmet and "laporan_pelaksanaan" in unmet and "RTL 1:" not in unmet
    # a report named but not on disk is no report
    items = _items("lap-1.pdf", "lap-9.pdf")
    ghost = write_manifest({"skm": {"tindak_lanjut": {**FOLLOW_UP, "rencana": items}}},
                           files=files, folder="ghost")
    assert result_of(run, ghost, "pekppp", "pekppp.8.a.Ak")["level"] == 4
    # without items: as before
    old = write_manifest({"skm": {"tindak_lanjut": FOLLOW_UP}}, files=files, folder="old")
    assert result_of(run, old, "pekppp", "pekppp.8.a.Ak")["level"] == 5


def _cycle(year: int, report: str, done: str, planned: int = 3,
           realised: int = 3) -> dict[str, Any]:
    return {"tahun": year, "tanggal_laporan": report,
            "tindak_lanjut": {"jumlah_rencana": planned, "jumlah_terealisasi": realised,
                              "tanggal_tuntas": done, "bukti": [f"tl-{year}.pdf"]}}


@pytest.mark.parametrize(("cycles", "level"), [
    ([_cycle(2023, "2023-01-15", "2023-02-10"), _cycle(2024, "2024-01-20", "2024-02-15")], 5),
    ([_cycle(2023, "2023-01-15", "2023-02-10"), _cycle(2024, "2024-01-20", "2024-06-15")], 3),
    ([_cycle(2023, "2023-01-15", "2023-02-10"),
      _cycle(2024, "2024-01-20", "2024-02-15", realised=2)], 0)])
def test_the_slowest_of_the_last_two_skm_cycles_sets_9_a_ak(cycles, level, write_manifest,
                                                            run) -> None:
    manifest = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": "2024-12-31"},
                               "skm": {"siklus": cycles}},
                              files=("tl-2023.pdf", "tl-2024.pdf"))
    assert result_of(run, manifest, "pekppp", "pekppp.9.a.Ak")["level"] == level


def test_more_than_two_skm_cycles_is_a_schema_error(write_manifest, run) -> None:
    cycles = [_cycle(y, f"{y}-01-15", f"{y}-02-10") for y in (2022, 2023, 2024)]
    manifest = write_manifest({"skm": {"siklus": cycles}})
    result = run("check", manifest, "--ruleset", "pekppp", "--lang", "en")
    assert result.code == 2 and "skm.siklus" in result.err


@pytest.mark.parametrize(("every", "passes"), [(True, True), (False, False), (None, True)])
def test_an_sp_for_every_service(every: bool | None, passes: bool, write_manifest,
                                 run) -> None:
    sp: dict[str, Any] = {"ada": True, "komponen": COMPONENTS, "bukti": ["sp.pdf"]}
    if every is not None:
        sp["semua_layanan"] = every
    manifest = write_manifest({"standar_pelayanan": sp}, files=("sp.pdf",))
    result = result_of(run, manifest, "uu25", "uu25.21")
    assert (result["status"] == "pass") is passes
    if not passes:
        assert "semua_layanan" in json.dumps(result["unmet"])


@pytest.mark.parametrize(("every", "level"), [(True, 5), (False, 4), (None, 5)])
def test_every_set_service_in_sippn(every: bool | None, level: int, write_manifest,
                                    run) -> None:
    info: dict[str, Any] = {"bentuk": ["lisan", "daring"], "terhubung_sippn": True,
                            "jumlah_layanan_sippn": 7, "bukti": ["sippn.png"]}
    if every is not None:
        info["semua_layanan_sippn"] = every
    manifest = write_manifest({"sistem_informasi": {"informasi_publik": info}},
                              files=("sippn.png",))
    assert result_of(run, manifest, "pekppp", "pekppp.21.d.T")["level"] == level
