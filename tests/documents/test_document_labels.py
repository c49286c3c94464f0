"""Dates and bilingual labels printed on documents."""

from __future__ import annotations

from datetime import date

import pytest

from tka_registry import formats
from tka_registry.documents import labels


@pytest.mark.parametrize(
    ("day", "indonesian", "english"),
    [
        (date(2027, 1, 5), "5 Januari 2027", "5 January 2027"),
        (date(2026, 12, 31), "31 Desember 2026", "31 December 2026"),
        (date(2024, 2, 29), "29 Februari 2024", "29 February 2024"),
        (date(2026, 8, 17), "17 Agustus 2026", "17 August 2026"),
    ],
)
def test_long_date(day: date, indonesian: str, english: str) -> None:
    assert formats.long_date(day, "id") == indonesian
    assert formats.long_date(day, "en") == english


def test_pair_puts_the_document_language_first() -> None:
    assert labels.pair(("Nama", "Name")) == ("Nama", "Name")
    assert labels.pair(("Nama", "Name"), "en") == ("Name", "Nama")
