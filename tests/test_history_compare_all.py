"""`patuh history --store DB --compare P1 P2` without a unit: every unit of the store between
two periods — who rose, who fell, by how much, with comparability flags (text and JSON)."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from patuh.cli import cli  # noqa: F401 - wires the commands
from patuh.errors import InputError
from patuh.history import compare
from patuh.history import compare_all
from patuh.history import store
from patuh.manifest import load_manifest
from patuh.report import build_report
from patuh.rulebook import load_ruleset

ROOT = Path(__file__).resolve().parents[1]


def _report(name: str, as_of: date | None = None) -> dict[str, Any]:
    return build_report(load_manifest(ROOT / "examples" / name / "manifest.yaml"),
                        load_ruleset("pekppp"), as_of=as_of)


def _later(report: dict[str, Any], year: int, final: float | None = None,
           **changes: Any) -> dict[str, Any]:
    """The same unit a year on (the period and date moved; optionally another score)."""
    moved = copy.deepcopy(report)
    moved["period"]["tahun"] = year
    moved["evaluated_on"] = f"{year}-10-01"
    if final is not None:
        moved["score"]["final"] = final
    for key, value in changes.items():
        moved["ruleset"][key] = value
    return moved


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    db = tmp_path_factory.mktemp("riwayat") / "patuh.sqlite"
    base = {n: _report(n, date(2024, 10, 1)) for n in (
        "dpmptsp-kota-harapan", "puskesmas-sukamaju", "kecamatan-lembah-hijau",
        "disdukcapil-kota-harapan-2021")}
    dpm, pkm, kec, dukcapil = base.values()
    for report in (dpm, pkm, kec):
        store(db, report)  # 2024
    store(db, _later(dpm, 2025, final=dpm["score"]["final"] - 0.5))  # fell by 0.5
    store(db, _later(pkm, 2025, final=pkm["score"]["final"] + 0.25))  # rose by 0.25
    # kecamatan: 2024 only; dukcapil (evaluated for 2021) reappears in 2025 only
    store(db, _later(dukcapil, 2025))
    return db, base


def test_who_rose_who_fell(stored) -> None:
    db, _ = stored
    result = compare_all(db, 2024, 2025)
    assert [b["ruleset"] for b in result["rulesets"]] == ["pekppp"]
    block = result["rulesets"][0]
    changes = [(u["unit"]["kode"], u["change"], u["delta"]) for u in block["units"]]
    assert changes == [("pkm-sukamaju", "rose", 0.25), ("dpmptsp-kota-harapan", "fell", -0.5),
                       ("kec-lembah-hijau", "only_a", None),
                       ("disdukcapil-kota-harapan", "only_b", None)]
    summary = block["summary"]
    assert (summary["rose"], summary["fell"], summary["only_a"], summary["only_b"]) == \
        (1, 1, 1, 1)
    assert summary["mean_delta"] == pytest.approx(-0.125)
    assert summary["largest_rise"]["unit"]["kode"] == "pkm-sukamaju"
    assert summary["largest_fall"]["delta"] == -0.5
    # the same delta as the one-unit comparison
    assert compare(db, "dpmptsp-kota-harapan", "pekppp", 2024, 2025)["score_delta"] == -0.5


def test_another_edition_is_not_comparable(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    dpm = _report("dpmptsp-kota-harapan")
    store(db, dpm)
    store(db, _later(dpm, 2025, final=1.0, edition="2027"))
    entry = compare_all(db, 2024, 2025)["rulesets"][0]["units"][0]
    assert entry["change"] == "not_comparable" and entry["delta"] is None
    assert entry["flags"] == ["edition"] and entry["comparable"] is False


def test_text_and_json_through_the_command(stored, run) -> None:
    db, _ = stored
    text = run("history", "--store", db, "--compare", "2024", "2025", "--lang", "en")
    assert text.code == 0, text.err
    assert "pekppp: 4 units — rose 1, fell 1, only 2024 1, only 2025 1" in text.out
    lines = text.out.splitlines()
    rose = next(i for i, line in enumerate(lines) if "pkm-sukamaju" in line)
    fell = next(i for i, line in enumerate(lines) if "dpmptsp-kota-harapan" in line
                and "fell" in line)
    assert rose < fell and "+0.25" in lines[rose] and "-0.5" in lines[fell]
    as_json = run("history", "--store", db, "--compare", "2024", "2025", "--format", "json")
    assert as_json.code == 0
    assert json.loads(as_json.out) == json.loads(json.dumps(compare_all(db, 2024, 2025)))
    indonesian = run("history", "--store", db, "--compare", "2024", "2025")
    assert "naik 1, turun 1" in indonesian.out


def test_no_unit_and_no_compare_is_a_usage_error(stored, run) -> None:
    db, _ = stored
    result = run("history", "--store", db, "--lang", "en")
    assert result.code == 2 and "--compare P1 P2" in result.err


def test_periods_with_nothing_stored(stored) -> None:
    db, _ = stored
    with pytest.raises(InputError) as caught:
        compare_all(db, 2019, 2020)
    assert "stored periods: 2024, 2025" in caught.value.render("en")
