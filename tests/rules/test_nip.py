"""The NIP's structure (Peraturan Kepala BKN 22/2007; PP 11/2017), at each part's boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from tka_registry.rules.nip import nip_parts, nip_problem, normalised_nip

GOOD = "198503042010121001"  # born 1985-03-04, appointed 2010-12, a man, first of his batch


def test_a_well_formed_nip_splits_into_its_parts() -> None:
    assert nip_problem(GOOD) is None
    parts = nip_parts(GOOD)
    assert parts is not None
    assert parts.birth_date == date(1985, 3, 4)
    assert (parts.appointed_year, parts.appointed_month) == (2010, 12)
    assert parts.sex == "M" and parts.sequence == 1
    woman = nip_parts(GOOD[:14] + "2" + "999")
    assert woman is not None and woman.sex == "F" and woman.sequence == 999


@pytest.mark.parametrize(
    ("nip", "words"),
    [
        (GOOD[:-1], "18 digits"),
        (GOOD + "1", "18 digits"),
        ("19850304201012100A", "18 digits"),
        ("١٩٨٥٠٣٠٤٢٠١٠١٢١٠٠١", "18 digits"),  # Arabic-Indic digits are not ASCII
        ("198502302010121001", "birth date"),  # 30 February
        ("198513042010121001", "birth date"),
        ("198503042010001001", "month 00"),
        ("198503042010131001", "month 13"),
        ("198503042003021001", "age of 18"),  # one month before the 18th birthday's month
        ("198503042010123001", "digit 15"),
        ("198503042010120001", "digit 15"),
        ("198503042010121000", "001 to 999"),
    ],
)
def test_each_broken_part_is_named(nip: str, words: str) -> None:
    problem = nip_problem(nip)
    assert problem is not None and words in problem


def test_appointment_from_the_month_of_the_18th_birthday() -> None:
    assert nip_problem("198503042003031001") is None


def test_future_dates_are_refused_when_today_is_given() -> None:
    today = date(2026, 11, 22)
    assert nip_problem("198503042026111001", today=today) is None
    assert "future" in (nip_problem("198503042026121001", today=today) or "")


def test_people_write_nips_with_spaces() -> None:
    assert normalised_nip("19850304 201012 1 001") == GOOD
