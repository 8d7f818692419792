"""Numbers as each language writes them (issue: decimal comma and thousands dot in Indonesian)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from patuh.i18n import number


@pytest.mark.parametrize(("value", "places", "sign", "id_text", "en_text"), [
    (4.67, None, False, "4,67", "4.67"),
    (9870, None, False, "9.870", "9,870"),
    (1234567.5, 2, False, "1.234.567,50", "1,234,567.50"),
    (4.505, 3, False, "4,505", "4.505"),
    (0.0408, 4, True, "+0,0408", "+0.0408"),
    (-1.5, 1, True, "-1,5", "-1.5"),
    (Decimal("4.51"), None, False, "4,51", "4.51"),
    (Fraction(3, 4), 2, False, "0,75", "0.75"),
    (0, 2, False, "0,00", "0.00"),
])
def test_number_in_each_language(value, places, sign, id_text, en_text):
    assert number(value, "id", places, sign=sign) == id_text
    assert number(value, "en", places, sign=sign) == en_text


def test_number_without_grouping_and_non_numbers():
    assert number(2023, "id", group=False) == "2023"
    assert number(True, "id") == "True"
    assert number("4.5", "id") == "4.5"
