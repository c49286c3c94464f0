"""Words printed on documents, in Bahasa Indonesia and English: dates and fixed phrases (choice
lists such as permit kinds and sexes are in ``tka_registry.choices``)."""

from __future__ import annotations

from datetime import date

MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# PP 48/2021 art. 103: a Second Home stay permit is granted without a sponsor.
SECOND_HOME_NO_SPONSOR = (
    "Tanpa penjamin (Izin Tinggal Rumah Kedua, PP 48/2021 Pasal 103)",
    "None: Second Home stay permit without a sponsor (PP 48/2021 art. 103)",
)


def long_date(day: date, language: str = "id") -> str:
    """``day`` written out, e.g. "5 Januari 2027" (``id``) or "5 January 2027" (``en``)."""
    months = MONTHS["en" if language == "en" else "id"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def pair(labels: tuple[str, str], language: str = "id") -> tuple[str, str]:
    """A bilingual (Indonesian, English) label as (primary, secondary) for ``language``."""
    indonesian, english = labels
    return (english, indonesian) if language == "en" else (indonesian, english)
