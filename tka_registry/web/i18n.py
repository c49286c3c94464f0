"""Page languages: Bahasa Indonesia by default, English one click away.

The catalogues are the Babel ``.po`` files under ``tka_registry/locale/<lang>/LC_MESSAGES``
(``messages.po`` plus one ``<area>.po`` per business area that has pages),
compiled in memory once per process (no compile step, so a fresh clone works). A page's
language is the ``tka_lang`` cookie when it names a known language, else ``Settings.language``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from litestar.connection import ASGIConnection

from tka_registry.folders import LOCALE_DIR

LANGUAGES = ("id", "en")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LANGUAGE_COOKIE = "tka_lang"
DOMAIN = "messages"

Gettext = Callable[..., str]


@cache
def translations(language: str) -> Translations:
    """The compiled catalogue of ``language`` (``id`` or ``en``), read once per process."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown page language {language!r}: one of {', '.join(LANGUAGES)}")
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    with (folder / f"{DOMAIN}.po").open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    # Each business area may keep its own catalogue beside messages.po (e.g. applications.po).
    for extra in sorted(folder.glob("*.po")):
        if extra.stem != DOMAIN:
            with extra.open("rb") as source:
                for message in read_po(source, locale=language):
                    if message.id and is_translated(message.string):
                        catalog.delete(message.id)  # setting would keep the old string
                        catalog[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def is_translated(text: object) -> bool:
    return all(text) if isinstance(text, tuple | list) else bool(text)


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The language a page is shown in: the visitor's choice, else the office default."""
    chosen = connection.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    default = str(connection.app.state.settings.language)
    return default if default in LANGUAGES else LANGUAGES[0]


class PageGettext:
    """``_(message, **values)`` of one page language: translated, then ``%(name)s``-filled.
    It knows its ``language``, for a service's text worded in both languages already
    (``errors.FieldProblem.message_id``)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalogue = translations(language)

    def __call__(self, message: str, **values: Any) -> str:
        text = self._catalogue.gettext(message)
        return text % values if values else text


def translator(connection: ASGIConnection[Any, Any, Any, Any]) -> PageGettext:
    """``_(message, **values)`` for text built in Python, in the page's language."""
    return PageGettext(language_of(connection))


__all__ = [
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LANGUAGE_NAMES",
    "Gettext",
    "PageGettext",
    "language_of",
    "translations",
    "translator",
]


def format_day(day: date, language: str) -> str:
    """A day as a page's sentence names it, e.g. ``22 November 2026``."""
    return format_date(day, "d MMMM y", locale=language)
