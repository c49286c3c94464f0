"""Positions closed to foreign workers (Kepmenaker 349/2019)."""

from __future__ import annotations

import pytest

from tka_registry.rules.positions import (
    CLOSED_POSITIONS,
    closed_position,
    concepts,
    is_position_closed,
)


def test_the_list_has_eighteen_distinct_positions() -> None:
    assert len(CLOSED_POSITIONS) == 18
    assert len({indonesian for indonesian, _ in CLOSED_POSITIONS}) == 18
    assert len({english for _, english in CLOSED_POSITIONS}) == 18


@pytest.mark.parametrize(("indonesian", "english"), CLOSED_POSITIONS)
def test_every_listed_title_is_closed_in_both_languages(indonesian: str, english: str) -> None:
    assert closed_position(indonesian) == (indonesian, english)
    assert closed_position(english) == (indonesian, english)


@pytest.mark.parametrize(("indonesian", "english"), CLOSED_POSITIONS)
def test_both_languages_of_a_title_mean_the_same(indonesian: str, english: str) -> None:
    # Item 9's Indonesian adds "pengembangan" (development); everything else matches exactly.
    assert concepts(english) <= concepts(indonesian)


@pytest.mark.parametrize(
    ("title", "closed"),
    [
        ("HR Manager", "Manajer Personalia"),
        ("manajer personalia", "Manajer Personalia"),
        ("MANAJER PERSONALIA", "Manajer Personalia"),
        ("Personalia Manajer", "Manajer Personalia"),  # word order
        ("Manajér Personália", "Manajer Personalia"),  # accents
        ("Human Resources Director", "Direktur Personalia"),
        ("Director, Personnel", "Direktur Personalia"),
        ("Chief Human Resources Officer", "Direktur Personalia"),
        ("Direktur SDM", "Direktur Personalia"),
        ("Direktur Sumber Daya Manusia", "Direktur Personalia"),
        ("Senior HR Manager", "Manajer Personalia"),
        ("HRD Manager", "Manajer Personalia"),
        ("Head of HR", "Manajer Personalia"),
        ("HR & GA Manager", "Manajer Personalia"),
        ("Kepala Bagian Personalia", "Manajer Personalia"),
        ("Manajer Pengembangan SDM", "Manajer Personalia"),
        ("Recruitment Manager", "Manajer Personalia"),
        ("Industrial Relations Manager", "Manajer Hubungan Industrial"),
        ("manajer hubungan industrial", "Manajer Hubungan Industrial"),
        ("Supervisor Rekrutmen", "Supervisor Perekrutan Personalia"),
        ("Recruitment Supervisor", "Supervisor Perekrutan Personalia"),
        ("HR Development Supervisor", "Supervisor Pengembangan Personalia"),
        ("Supervisor Penempatan SDM", "Supervisor Penempatan Personalia"),
        ("HR Administrator", "Penata Usaha Personalia"),
        ("Admin Personalia", "Penata Usaha Personalia"),
        ("HR Specialist", "Spesialis Personalia"),
        ("Career Adviser", "Penasehat Karir"),
        ("Penasihat Karier", "Penasehat Karir"),
        ("Employment Advisor", "Penasehat Tenaga Kerja"),
        ("Job Analyst", "Analis Jabatan"),
        ("Job Interviewer", "Pewawancara Pegawai"),
        ("Occupational Safety Specialist", "Penyelenggara Keselamatan Kerja Pegawai"),
    ],
)
def test_closed_titles_match_in_any_spelling(title: str, closed: str) -> None:
    assert is_position_closed(title) == closed


def test_english_title_on_request() -> None:
    assert is_position_closed("manajer SDM", language="en") == "Human Resource Manager"
    assert is_position_closed("Personnel Director", language="en") == "Personnel Director"


def test_the_most_specific_closed_title_wins() -> None:
    # Also contains "Spesialis Personalia" (personnel + specialist); the longer title wins.
    assert is_position_closed("HR Career Development Specialist") == (
        "Ahli Pengembangan Personalia dan Karir"
    )
    assert is_position_closed("Personnel and Careers Specialist") == (
        "Ahli Pengembangan Personalia dan Karir"
    )
    assert is_position_closed("HR Specialist") == "Spesialis Personalia"


@pytest.mark.parametrize(
    "title",
    [
        "Mechanical Engineer",
        "Lecturer",
        "Plant Manager",
        "Dosen",
        "Insinyur Mesin",
        "Manajer Pabrik",
        "General Manager",
        "Finance Director",
        "Direktur Utama",
        "President Director",
        "Chief Executive Officer",  # closed in 2012, no longer listed in 2019
        "Technical Advisor",
        "Financial Analyst",
        "Quality Analyst",
        "Safety Engineer",
        "HSE Specialist",
        "Industrial Engineer",
        "Business Development Manager",
        "Training Manager",
        "English Teacher",
        "IT Specialist",
        "Project Administrator",
        "Personalia",  # a department, not a position
        "",
        "   ",
    ],
)
def test_open_positions_are_not_closed(title: str) -> None:
    assert is_position_closed(title) is None
    assert closed_position(title) is None
