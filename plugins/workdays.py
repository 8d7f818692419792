"""Indonesian working days: weekends, national public holidays and cuti bersama (collective
leave) are not working days. The calendar comes from the maintained `holidays` package
(categories ``public`` and ``government``), imported only when a rule counts working days."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from functools import cache
from typing import Any


@cache
def _calendar(year: int) -> Any:
    import holidays  # 80 ms to import: only rules that count working days need it

    return holidays.Indonesia(years=year, categories=("public", "government"), language="id")


def holiday_name(day: date) -> str | None:
    """The holiday or collective-leave name of ``day``, or None."""
    return _calendar(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted); 9999-12-31 when
    the calendar ends first."""
    day = start
    while n > 0:
        if day == date.max:
            return day
        day += timedelta(days=1)
        n -= is_working_day(day)
    return day


def skipped_holidays(start: date, end: date) -> list[tuple[date, str]]:
    """Weekday holidays and collective-leave days after ``start`` up to ``end``."""
    out: list[tuple[date, str]] = []
    if start >= end:
        return out
    day = start
    while day < end:  # never steps past ``end`` (which may be 9999-12-31)
        day += timedelta(days=1)
        name = holiday_name(day)
        if name and day.weekday() < 5:
            out.append((day, name))
    return out
