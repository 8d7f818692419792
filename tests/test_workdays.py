"""Indonesian working days (weekends, national holidays, cuti bersama) and the ``span`` operator
counting them, end to end through PP 96/2012 Pasal 30(4): the maklumat within 7 working days of
the service standard (``uu25.pp96-30``)."""

from __future__ import annotations

import json
from datetime import date
from datetime import timedelta

import pytest

from patuh.plugins.workdays import add_working_days
from patuh.plugins.workdays import is_working_day
from patuh.plugins.workdays import skipped_holidays

# Idul Fitri 2024 (SKB 3 Menteri): 8, 9, 12 and 15 April cuti bersama, 10 and 11 April holidays.
IDUL_FITRI_2024 = [date(2024, 4, d) for d in (8, 9, 10, 11, 12, 15)]


# --- add_working_days / skipped_holidays ----------------------------------------------------

@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2024, 8, 1), 1, date(2024, 8, 2)),    # Thursday -> Friday
    (date(2024, 8, 2), 1, date(2024, 8, 5)),    # Friday -> Monday: the weekend is skipped
    (date(2024, 8, 3), 1, date(2024, 8, 5)),    # from a Saturday: Monday is the first
    (date(2024, 8, 4), 1, date(2024, 8, 5)),    # from a Sunday too
    (date(2024, 8, 1), 7, date(2024, 8, 12)),   # Thu 1 Aug + 7: 2,5,6,7,8,9,12
    (date(2024, 8, 2), 0, date(2024, 8, 2)),    # zero working days: the day itself
    (date(2024, 8, 3), 0, date(2024, 8, 3)),    # even on a Saturday
])
def test_weekends_are_not_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


def test_independence_day_on_a_saturday_is_not_listed() -> None:
    # 17 August 2024 is a Saturday: a holiday on a weekend skips nothing extra.
    assert not is_working_day(date(2024, 8, 17))
    assert skipped_holidays(date(2024, 8, 16), date(2024, 8, 19)) == []
    assert add_working_days(date(2024, 8, 16), 1) == date(2024, 8, 19)


def test_idul_fitri_2024() -> None:
    for day in IDUL_FITRI_2024:
        assert not is_working_day(day), day
    assert is_working_day(date(2024, 4, 5)) and is_working_day(date(2024, 4, 16))
    # Friday 5 April: the next working day is Tuesday 16 April (8–12 and 15 April are off).
    assert add_working_days(date(2024, 4, 5), 1) == date(2024, 4, 16)
    # 16, 17, 18, 19, 22, 23, 24 April
    assert add_working_days(date(2024, 4, 5), 7) == date(2024, 4, 24)
    skipped = skipped_holidays(date(2024, 4, 5), date(2024, 4, 24))
    assert [d for d, _ in skipped] == IDUL_FITRI_2024
    assert all("Idul Fitri" in name for _, name in skipped), skipped
    assert sum("Cuti Bersama" in name for _, name in skipped) == 4


def test_across_the_new_year() -> None:
    # Fri 20 Dec 2024 + 7: 23, 24, (25 Natal, 26 cuti bersama), 27, 30, 31, (1 Jan), 2, 3 Jan.
    assert add_working_days(date(2024, 12, 20), 7) == date(2025, 1, 3)
    skipped = skipped_holidays(date(2024, 12, 20), date(2025, 1, 3))
    assert [d for d, _ in skipped] == [date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)]
    assert "Natal" in skipped[0][1] and "Tahun Baru" in skipped[2][1]
    # 31 Dec + 1 working day crosses into the next year's calendar
    assert add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 2)


def test_skipped_holidays_excludes_the_start_and_includes_the_end() -> None:
    assert skipped_holidays(date(2024, 4, 8), date(2024, 4, 8)) == []
    assert [d for d, _ in skipped_holidays(date(2024, 4, 7), date(2024, 4, 8))] == \
        [date(2024, 4, 8)]


def test_add_working_days_counts_every_working_day_once() -> None:
    start = date(2024, 1, 1)
    for n in range(0, 60, 7):
        end = add_working_days(start, n)
        counted = sum(is_working_day(start + timedelta(days=k))
                      for k in range(1, (end - start).days + 1))
        assert counted == n
        assert n == 0 or is_working_day(end)


# --- the span operator through uu25.pp96-30 -------------------------------------------------

def pp96_30(run, write_manifest, sp: str, maklumat: str, lang: str = "id") -> dict:
    manifest = write_manifest({
        "periode": {"tahun": 2025, "tanggal_penilaian": "2025-02-28"},
        "standar_pelayanan": {"penetapan": {"tanggal": sp}},
        "maklumat": {"publikasi": {"tanggal": maklumat}},
    })
    result = run("check", manifest, "--ruleset", "uu25", "--format", "json", "--lang", lang)
    assert result.code == 0, result.err
    found = [r for r in json.loads(result.out)["results"] if r["rule_id"] == "uu25.pp96-30"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(("sp", "seventh", "eighth", "holidays"), [
    # weekends only
    ("2024-08-01", "2024-08-12", "2024-08-13", []),
    # Idul Fitri 2024
    ("2024-04-05", "2024-04-24", "2024-04-25", [d.isoformat() for d in IDUL_FITRI_2024]),
    # Christmas, its cuti bersama and the new year
    ("2024-12-20", "2025-01-03", "2025-01-06", ["2024-12-25", "2024-12-26", "2025-01-01"]),
])
def test_seventh_working_day_passes_the_next_fails(run, write_manifest, sp: str, seventh: str,
                                                   eighth: str, holidays: list[str]) -> None:
    on_time = pp96_30(run, write_manifest, sp, seventh)
    assert on_time["status"] == "pass", on_time["unmet"]
    late = pp96_30(run, write_manifest, sp, eighth)
    assert late["status"] == "fail"
    (reason,) = late["unmet"]
    message = reason["message"]
    assert f"batas {seventh}" in message["id"] and f"limit {seventh}" in message["en"]
    for day in holidays:  # the failure names every holiday it did not count
        assert day in message["id"], (day, message["id"])
    if holidays:
        assert "tidak dihitung (libur/cuti bersama)" in message["id"]
        assert "not counted (holidays/collective leave)" in message["en"]
    else:
        assert "tanpa hari libur di antaranya" in message["id"]


def test_late_maklumat_names_the_holidays_in_the_text_report(run, write_manifest) -> None:
    manifest = write_manifest({
        "periode": {"tahun": 2024},
        "standar_pelayanan": {"penetapan": {"tanggal": "2024-04-05"}},
        "maklumat": {"publikasi": {"tanggal": "2024-04-25"}},
    })
    out = run("check", manifest, "--ruleset", "uu25").out
    line = next(x for x in out.splitlines() if "maklumat.publikasi.tanggal = 2024-04-25" in x)
    assert "2024-04-10 Hari Raya Idul Fitri" in line
    assert "(batas 2024-04-24)" in line


def test_same_day_publication_and_before_the_standard(run, write_manifest) -> None:
    assert pp96_30(run, write_manifest, "2024-04-05", "2024-04-05")["status"] == "pass"
    early = pp96_30(run, write_manifest, "2024-04-05", "2024-04-04")
    assert early["status"] == "fail"
    assert "lebih awal dari" in early["unmet"][0]["message"]["id"]


def test_no_publication_date_is_missing(run, write_manifest) -> None:
    manifest = write_manifest({"standar_pelayanan": {"penetapan": {"tanggal": "2024-04-05"}}})
    report = json.loads(run("check", manifest, "--ruleset", "uu25", "--format", "json").out)
    (result,) = [r for r in report["results"] if r["rule_id"] == "uu25.pp96-30"]
    assert result["status"] == "missing"
