"""Numbers, shares, months and dates written the way each language writes them (CLDR, Babel):
"1.234", "54,4%" and "Desember 2026" in Indonesian; "1,234", "54.4%" and "December 2026" in
English. Pages, charts, documents and emails format through here.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent


@cache
def _locale(language: str) -> Locale:
    if language not in ("id", "en"):
        raise ValueError(f"unknown language {language!r}: id or en")
    return Locale.parse(language)


def number(value: int | float, language: str) -> str:
    """``1234567`` as "1.234.567" (``id``) or "1,234,567" (``en``)."""
    return format_decimal(value, locale=_locale(language))


def share(part: int | float, whole: int | float, language: str) -> str:
    """``part`` of ``whole`` as a percentage with one decimal: "54,4%" (``id``), "54.4%" (``en``);
    "0,0%" when ``whole`` is 0."""
    ratio = part / whole if whole else 0
    return format_percent(ratio, "#,##0.0%", locale=_locale(language))


def month(key: str | date, language: str, *, short: bool = False) -> str:
    """A month ("2026-12" or any day in it) as "Desember 2026" / "December 2026", or with
    ``short`` "Des 2026" / "Dec 2026" (chart columns)."""
    day = key if isinstance(key, date) else date.fromisoformat(f"{key}-01")
    return format_date(day, "MMM y" if short else "MMMM y", locale=_locale(language))


def long_date(day: date, language: str) -> str:
    """ "5 Januari 2027" (``id``) or "5 January 2027" (``en``)."""
    return format_date(day, "d MMMM y", locale=_locale(language))
