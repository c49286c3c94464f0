"""Indonesian working days (hari kerja) for Ministry of Manpower deadlines.

A working day is Monday to Friday that is neither a national public holiday nor, by default,
a collective leave day (cuti bersama), when government offices close. Both come from the
``holidays`` package (country ``ID``; cuti bersama is its ``government`` category). Its dates for
future years follow the published SKB decrees only as far as the package knows them, so callers
can pass ``extra_days_off`` for cuti bersama or ad hoc holidays it does not know yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays

# PP 34/2021: an RPTKA extension is filed 30 working days before the RPTKA ends.
RPTKA_EXTENSION_WORKING_DAYS = 30

_ONE_DAY = timedelta(days=1)


@cache
def _days_off(year: int, collective_leave: bool) -> frozenset[date]:
    """National holidays of ``year``, with cuti bersama when ``collective_leave``."""
    categories = (holidays.PUBLIC, holidays.GOVERNMENT) if collective_leave else (holidays.PUBLIC,)
    return frozenset(holidays.country_holidays("ID", years=year, categories=categories))


def _is_working_day(day: date, extra: frozenset[date], collective_leave: bool) -> bool:
    return (
        day.weekday() < 5 and day not in _days_off(day.year, collective_leave) and day not in extra
    )


def is_working_day(
    day: date, *, extra_days_off: Iterable[date] = (), collective_leave: bool = True
) -> bool:
    """True for a Monday-Friday that is no public holiday, cuti bersama or extra day off."""
    return _is_working_day(day, frozenset(extra_days_off), collective_leave)


def add_working_days(
    start: date, n: int, *, extra_days_off: Iterable[date] = (), collective_leave: bool = True
) -> date:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative).

    ``start`` itself is never counted; ``n == 0`` returns ``start`` unchanged.
    """
    extra = frozenset(extra_days_off)
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    remaining = abs(n)
    while remaining:
        day += step
        if _is_working_day(day, extra, collective_leave):
            remaining -= 1
    return day


def working_days_between(
    a: date, b: date, *, extra_days_off: Iterable[date] = (), collective_leave: bool = True
) -> int:
    """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

    ``working_days_between(a, add_working_days(a, n)) == n`` for every ``n >= 0``.
    """
    if b < a:
        return -working_days_between(
            b, a, extra_days_off=extra_days_off, collective_leave=collective_leave
        )
    extra = frozenset(extra_days_off)
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        if _is_working_day(day, extra, collective_leave):
            count += 1
        day += _ONE_DAY
    return count


def rptka_extension_due(
    rptka_ends_on: date,
    days: int = RPTKA_EXTENSION_WORKING_DAYS,
    *,
    extra_days_off: Iterable[date] = (),
    collective_leave: bool = True,
) -> date:
    """Last day to file an RPTKA extension: ``days`` working days before ``rptka_ends_on``.

    Counted back from the end date, which itself is not counted; the result is a working day.
    """
    # PP 34/2021: the extension is filed no later than 30 working days before the RPTKA ends.
    return add_working_days(
        rptka_ends_on, -days, extra_days_off=extra_days_off, collective_leave=collective_leave
    )
