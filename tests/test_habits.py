"""Indonesian input habits: dates, numbers and yes/no as people type them."""

from datetime import date
from decimal import Decimal

import pytest

from patuh.habits import date_id
from patuh.habits import read_bool
from patuh.habits import read_date
from patuh.habits import read_number
from patuh.habits import read_serial


@pytest.mark.parametrize(("text", "expected", "how"), [
    ("2025-10-31", date(2025, 10, 31), None),
    ("31/10/2025", date(2025, 10, 31), "day first"),
    ("31-10-2025", date(2025, 10, 31), "day first"),
    ("31.10.2025", date(2025, 10, 31), "day first"),
    ("1/2/2025", date(2025, 2, 1), "day first"),  # ambiguous: day first is the rule
    ("05/03/2024", date(2024, 3, 5), "day first"),
    ("10/31/2025", date(2025, 10, 31), "month first, as the first number is over 12"),
    ("31 Oktober 2025", date(2025, 10, 31), "month name"),
    ("31 okt 2025", date(2025, 10, 31), "month name"),
    ("1 Agustus 2024", date(2024, 8, 1), "month name"),
    ("Jumat, 31 Oktober 2025", date(2025, 10, 31), "month name"),
    ("7 Nop 2023", date(2023, 11, 7), "month name"),
    ("31/10/2025 08:15:42", date(2025, 10, 31), "day first"),
    ("2025-10-31 00:00:00", date(2025, 10, 31), "the time is dropped"),
    (" 2025-10-31 ", date(2025, 10, 31), "spaces dropped"),
])
def test_dates_people_type(text: str, expected: date, how: str | None) -> None:
    day, reading = read_date(text)
    assert day == expected
    if how is None:
        assert reading is None
    else:
        assert reading.how.en == how and reading.value == expected.isoformat()
        assert reading.raw == text


@pytest.mark.parametrize("text", ["31/13/2025", "32/10/2025", "29/02/2025", "31 Oktobar 2025",
                                  "31/10/25", "2025-13-01", "kemarin", "", "13/13/2025",
                                  "2025/10/31", "31-10/2025"])
def test_dates_not_read(text: str) -> None:
    assert read_date(text) is None


def test_excel_serials() -> None:
    assert read_serial(45961)[0] == date(2025, 10, 31)
    assert read_serial("45961.0")[0] == date(2025, 10, 31)
    assert read_serial(61)[0] == date(1900, 3, 1)
    assert read_serial(0) is None and read_serial(3_000_000) is None
    assert read_serial("45961.5") is None and read_serial("x") is None


@pytest.mark.parametrize(("text", "expected", "canonical"), [
    ("82,5", Decimal("82.5"), False),
    ("82.5", Decimal("82.5"), True),
    ("9.870", Decimal("9870"), False),
    ("1.234.567,89", Decimal("1234567.89"), False),
    ("9870", Decimal("9870"), True),
    ("-3,25", Decimal("-3.25"), False),
    ("4.5055", Decimal("4.5055"), True),
    ("12 345", Decimal("12345"), False),
])
def test_numbers_people_type(text: str, expected: Decimal, canonical: bool) -> None:
    number, reading = read_number(text)
    assert number == expected
    assert (reading is None) == canonical


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "9.87.0", "1.2345,6", "82,", ",5", "1e5",
                                  "٣", "NaN"])
def test_numbers_not_read(text: str) -> None:
    assert read_number(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("ya", True), ("Ya", True), ("IYA", True), ("ada", True), ("sudah", True), ("true", True),
    ("tidak", False), ("Tidak Ada", False), ("tidak  ada", False), ("belum", False),
    ("false", False), ("0", False),
])
def test_yes_no(text: str, expected: bool) -> None:
    value, reading = read_bool(text)
    assert value is expected
    assert (reading is None) == (text in ("true", "false"))


def test_not_yes_no() -> None:
    assert read_bool("mungkin") is None
    assert read_bool("t") is None  # 't' is tidak to some and true to others: refused


def test_date_in_prose() -> None:
    assert date_id(date(2025, 10, 31)) == "31 Oktober 2025"
