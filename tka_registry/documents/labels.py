"""Words printed on documents, in Bahasa Indonesia and English: dates and fixed phrases (choice
lists such as permit kinds and sexes are in ``tka_registry.choices``)."""

from __future__ import annotations

# PP 48/2021 art. 103: a Second Home stay permit is granted without a sponsor.
SECOND_HOME_NO_SPONSOR = (
    "Tanpa penjamin (Izin Tinggal Rumah Kedua, PP 48/2021 Pasal 103)",
    "None: Second Home stay permit without a sponsor (PP 48/2021 art. 103)",
)


def pair(labels: tuple[str, str], language: str = "id") -> tuple[str, str]:
    """A bilingual (Indonesian, English) label as (primary, secondary) for ``language``."""
    indonesian, english = labels
    return (english, indonesian) if language == "en" else (indonesian, english)
