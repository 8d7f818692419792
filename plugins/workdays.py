"""Indonesian working days: weekends, national public holidays and cuti bersama (collective
leave) are not working days. The calendar comes from the maintained `holidays` package
(categories ``public`` and ``government``), imported only when a rule counts working days."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from datetime import date
from datetime import timedelta
from functools import cache
from pathlib import Path


def _holidays_of(year: int) -> dict[date, str]:
    import holidays  # 80 ms to import: only rules that count working days need it

    return dict(holidays.Indonesia(years=year, categories=("public", "government"),
                                   language="id"))


def _package_files() -> list[Path] | None:
    """The files of the installed `holidays` package that the Indonesian calendar comes from
    (its version, the calendar's code and its Indonesian names), and this file; None when the
    package cannot be found without importing it."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    return [root / "version.py", root / "holiday_base.py", root / "countries" / "indonesia.py",
            root / "locale" / "id" / "LC_MESSAGES" / "ID.mo", Path(__file__)]


@cache
def _calendar(year: int) -> Mapping[date, str]:
    """The holidays and collective-leave days of ``year``. Importing `holidays` and building a
    year costs more than the rest of a check, so a year is kept in patuh's cache (plain JSON),
    keyed by the content of ``_package_files`` and patuh's code: another `holidays` release
    (its version file changes) or an edit here makes a new key."""
    from patuh import rulecache

    files = _package_files()
    if files is None:
        return _holidays_of(year)
    data = rulecache.remember(f"holidays-{year}", files, lambda: [
        [day.isoformat(), name] for day, name in sorted(_holidays_of(year).items())])
    try:
        return {date.fromisoformat(day): name for day, name in data
                if isinstance(name, str)}
    except (TypeError, ValueError):  # a damaged entry: build the year again
        return _holidays_of(year)


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
