"""Every string a page shows goes through gettext and has its Indonesian translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tka_registry.web.catalogue import extract
from tka_registry.web.i18n import LANGUAGES, LOCALE_DIR, is_translated, translations
from tka_registry.web.templating import PAGES_DIR, page_environment

FOUNDATION_FOLDERS = {"errors", "account", "portal", "office"}
AREA_FOLDERS = [
    folder.name
    for folder in PAGES_DIR.iterdir()
    if folder.is_dir() and folder.name not in FOUNDATION_FOLDERS and folder.name != "__pycache__"
]
AREAS: list[str | None] = [None, *sorted(AREA_FOLDERS)]


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area or "foundation")
def test_every_page_string_has_an_indonesian_translation(area: str | None) -> None:
    indonesian = translations("id")
    messages = list(extract(area))
    assert messages or area is not None
    untranslated = []
    for message, source in messages:
        singular = message[0] if isinstance(message, tuple) else message
        if indonesian.gettext(singular) == singular and not _same_in_both(singular):
            untranslated.append(f"{source}: {singular!r}")
    assert not untranslated, "add these to tka_registry/locale/id/LC_MESSAGES:\n" + "\n".join(
        untranslated
    )


def _same_in_both(message: str) -> bool:
    """Words Indonesian borrows as they are (the msgstr repeats the msgid)."""
    for po_file in (LOCALE_DIR / "id" / "LC_MESSAGES").glob("*.po"):
        with po_file.open("rb") as source:
            entry = read_po(source, locale="id").get(message)
        if entry is not None and entry.string:
            return True
    return False


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_load_without_a_compile_step(language: str) -> None:
    catalogue = translations(language)
    expected = "Masuk" if language == "id" else "Sign in"
    assert catalogue.gettext("Sign in") == expected


def test_every_page_template_compiles() -> None:
    environment = page_environment()
    names = environment.list_templates(extensions=["html"])
    assert "base.html" in names
    for name in names:
        environment.get_template(name)


@pytest.mark.parametrize(
    "po_file", sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")), ids=lambda path: path.stem
)
def test_no_catalogue_entry_is_left_empty(po_file: Path) -> None:
    with po_file.open("rb") as source:
        catalogue = read_po(source)
    empty = [m.id for m in catalogue if m.id and not is_translated(m.string)]
    assert not empty, f"{po_file}: fill in {empty}"
