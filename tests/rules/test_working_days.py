"""Indonesian working days: weekends, public holidays, cuti bersama, year end, RPTKA deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tka_registry.rules.working_days import (
    add_working_days,
    is_working_day,
    rptka_extension_due,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 3, 26), True),  # ordinary Wednesday
        (date(2025, 3, 22), False),  # Saturday
        (date(2025, 3, 23), False),  # Sunday
        (date(2025, 3, 31), False),  # Idul Fitri 1446 H
        (date(2025, 4, 1), False),  # Idul Fitri, second day
        (date(2025, 4, 2), False),  # cuti bersama Idul Fitri
        (date(2025, 4, 7), False),  # cuti bersama Idul Fitri
        (date(2025, 4, 8), True),  # back to work
        (date(2025, 8, 17), False),  # Independence Day (a Sunday)
        (date(2025, 8, 18), False),  # cuti bersama after Independence Day
        (date(2025, 12, 25), False),  # Christmas
        (date(2025, 12, 26), False),  # cuti bersama Christmas
        (date(2026, 1, 1), False),  # New Year
        (date(2026, 1, 2), True),
        (date(2026, 3, 20), False),  # cuti bersama before Idul Fitri 1447 H
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_collective_leave_can_be_left_out() -> None:
    # Cuti bersama binds government offices; a private calendar may work that day.
    assert not is_working_day(date(2025, 4, 2))
    assert is_working_day(date(2025, 4, 2), collective_leave=False)
    assert not is_working_day(date(2025, 3, 31), collective_leave=False)  # a public holiday


def test_extra_days_off_are_respected() -> None:
    decreed = date(2025, 3, 26)
    assert not is_working_day(decreed, extra_days_off=[decreed])
    assert add_working_days(date(2025, 3, 25), 1, extra_days_off=[decreed]) == date(2025, 3, 27)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 3, 20), 1, date(2025, 3, 21)),  # Thursday -> Friday
        (date(2025, 3, 21), 1, date(2025, 3, 24)),  # Friday -> Monday
        (date(2025, 3, 22), 1, date(2025, 3, 24)),  # Saturday -> Monday
        (date(2025, 10, 17), 5, date(2025, 10, 24)),  # skips the weekend
        (date(2025, 3, 21), 4, date(2025, 3, 27)),  # 24-27 March; 28 March is cuti bersama
        (date(2025, 3, 21), 5, date(2025, 4, 8)),  # ... so the fifth is after Idul Fitri
        (date(2025, 3, 27), 1, date(2025, 4, 8)),  # across the whole Idul Fitri break
        (date(2024, 12, 24), 1, date(2024, 12, 27)),  # Christmas and its cuti bersama
        (date(2024, 12, 31), 1, date(2025, 1, 2)),  # across the year end and New Year
        (date(2025, 12, 24), 3, date(2025, 12, 31)),  # 25, 26 Dec off; 29, 30, 31 Dec
        (date(2025, 12, 24), 4, date(2026, 1, 2)),  # then 1 Jan off
        (date(2025, 3, 24), -1, date(2025, 3, 21)),  # Monday back to Friday
        (date(2025, 4, 8), -1, date(2025, 3, 27)),  # back across Idul Fitri
        (date(2026, 1, 2), -1, date(2025, 12, 31)),  # back across the year end
        (date(2025, 3, 22), 0, date(2025, 3, 22)),  # zero steps stays put
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


def test_add_working_days_without_collective_leave() -> None:
    # Only 31 March and 1 April 2025 (Idul Fitri) and the weekend are then off.
    assert add_working_days(date(2025, 3, 27), 1, collective_leave=False) == date(2025, 3, 28)
    assert add_working_days(date(2025, 3, 28), 1, collective_leave=False) == date(2025, 4, 2)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2025, 3, 21), date(2025, 3, 21), 0),
        (date(2025, 3, 21), date(2025, 3, 24), 1),  # a not counted, b counted
        (date(2025, 3, 21), date(2025, 3, 23), 0),  # only the weekend
        (date(2025, 3, 27), date(2025, 4, 8), 1),  # Idul Fitri break
        (date(2025, 3, 24), date(2025, 3, 21), -1),  # reversed
        # January 2025: 23 weekdays less New Year, Isra Mi'raj (27), Imlek (29) and its cuti (28)
        (date(2024, 12, 31), date(2025, 1, 31), 19),
    ],
)
def test_working_days_between(a: date, b: date, expected: int) -> None:
    assert working_days_between(a, b) == expected


@pytest.mark.parametrize("n", [0, 1, 7, 30, 61])
def test_between_undoes_add(n: int) -> None:
    for start in (date(2025, 3, 20), date(2025, 12, 20), date(2026, 3, 14)):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_added_days_land_on_working_days() -> None:
    start = date(2025, 3, 1)
    for n in range(1, 60):
        assert is_working_day(add_working_days(start, n))
        assert is_working_day(add_working_days(start, -n))


def test_rptka_extension_due_on_an_ordinary_stretch() -> None:
    # 30 working days back from Friday 31 Oct 2025: six full weeks, no holiday in between.
    due = rptka_extension_due(date(2025, 10, 31))
    assert due == date(2025, 9, 19)
    assert working_days_between(due, date(2025, 10, 31)) == 30


def test_rptka_extension_due_across_idul_fitri() -> None:
    # Back from 30 April 2025: 15 working days in April (8-29 without Good Friday), then
    # 31 Mar-7 Apr and 28 Mar off; 24-27 Mar, 17-21 Mar, 10-14 Mar give 14 more; 7 Mar is 30th.
    assert rptka_extension_due(date(2025, 4, 30)) == date(2025, 3, 7)
    assert rptka_extension_due(date(2025, 4, 30), collective_leave=False) == date(2025, 3, 14)


def test_rptka_extension_due_across_year_end() -> None:
    due = rptka_extension_due(date(2026, 1, 15))
    assert is_working_day(due)
    # 2-14 Jan 2026: 9 working days; December 2025 gives the other 21 back from the 31st,
    # skipping 25 and 26 December (Christmas and its cuti bersama): 1 December.
    assert due == date(2025, 12, 1)
    assert working_days_between(due, date(2026, 1, 15)) == 30


def test_rptka_extension_days_is_a_parameter() -> None:
    assert rptka_extension_due(date(2025, 10, 31), days=5) == date(2025, 10, 24)
    assert rptka_extension_due(date(2025, 10, 31), days=0) == date(2025, 10, 31)


def test_rptka_end_on_a_weekend_counts_back_from_friday() -> None:
    saturday = date(2025, 11, 1)
    assert rptka_extension_due(saturday, days=1) == saturday - timedelta(days=1)
