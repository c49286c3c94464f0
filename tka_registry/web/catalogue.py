"""Keeping the page catalogues complete: extract ``_()`` strings and merge them into ``.po`` files.

``python -m tka_registry.web.catalogue`` refreshes ``messages.po`` from the foundation's pages;
``python -m tka_registry.web.catalogue applications`` refreshes ``applications.po`` from
``templates/pages/applications`` and ``tka_registry/applications/web*.py``. New message ids get
an empty translation to fill in (English: the id itself, which is English); existing
translations are kept; unused ones are dropped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from tka_registry.web.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, is_translated
from tka_registry.web.templating import PAGES_DIR

PACKAGE_DIR = LOCALE_DIR.parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def _sources(area: str | None) -> list[tuple[Path, str, list[str]]]:
    """(folder, method, patterns) of one area; the foundation is every page outside the areas."""
    if area is None:
        return [
            (
                PAGES_DIR,
                "jinja2",
                ["*.html", "errors/*.html", "account/*.html", "portal/*.html", "office/*.html"],
            ),
            (PACKAGE_DIR / "web", "python", ["*.py"]),
        ]
    return [
        (PAGES_DIR / area, "jinja2", ["**.html"]),
        (PACKAGE_DIR / area, "python", ["web*.py", "pages*.py"]),
    ]


def extract(area: str | None = None) -> Iterator[tuple[str | tuple[str, ...], str]]:
    """Every message id of an area's pages with the file it comes from."""
    for folder, method, patterns in _sources(area):
        if not folder.exists():
            continue
        method_map = [(pattern, method) for pattern in patterns]
        options = {pattern: JINJA_OPTIONS for pattern in patterns if method == "jinja2"}
        for filename, _line, message, _comments, _context in extract_from_dir(
            folder, method_map=method_map, options_map=options, keywords=KEYWORDS
        ):
            yield message, str(folder / filename)


def po_path(language: str, area: str | None = None) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{area or DOMAIN}.po"


def update(area: str | None = None) -> dict[str, int]:
    """Merge the extracted ids into each language's catalogue; answers untranslated counts."""
    messages = {message: source for message, source in extract(area)}
    missing: dict[str, int] = {}
    for language in LANGUAGES:
        path = po_path(language, area)
        old = Catalog(locale=language)
        if path.exists():
            with path.open("rb") as source:
                old = read_po(source, locale=language)
        catalog = Catalog(
            locale=language,
            domain=area or DOMAIN,
            project="tka-registry",
            creation_date=old.creation_date,
            fuzzy=False,
        )
        for message in messages:
            key = message[0] if isinstance(message, tuple) else message
            previous = old.get(key)
            translation = previous.string if previous is not None else ""
            if language == "en" and not is_translated(translation):
                translation = message  # English ids are the English text: never left empty
            elif isinstance(message, tuple) and not translation:
                translation = ("", "")
            catalog.add(message, translation)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalog, width=100, omit_header=False, sort_output=True)
        if language != "en":  # English ids are the English text
            missing[language] = sum(1 for m in catalog if m.id and not is_translated(m.string))
    return missing


if __name__ == "__main__":
    untranslated = update(sys.argv[1] if len(sys.argv) > 1 else None)
    print(", ".join(f"{lang}: {count} untranslated" for lang, count in untranslated.items()))
