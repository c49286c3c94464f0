"""The word an export writes for a stored code, in the file's language: ``M`` is "Laki-laki"
in Indonesian and "Male" in English, ``ITAS`` "Izin Tinggal Terbatas", ``CHN`` "Tiongkok",
``mining`` "Pertambangan", ``active`` "Berlaku".

One function, :func:`value_label`, answers every lookup from the shared label lists (documents'
labels, the nationality names, the pages' status labels), so that pointing exports at another
list is a change here alone. The import reads each of these words back to its code
(``cells.parse_sex``, ``parse_permit_kind``, ``parse_nationality``).
"""

from __future__ import annotations

from tka_registry.documents.labels import permit_kind_labels, sector_labels, sex_labels
from tka_registry.rules.nationality import is_known_code, nationality_name
from tka_registry.web.i18n import translations
from tka_registry.web.layout import STATUS_LABELS

# Which list names the values of a field; fields not named here are written as stored.
_PAIRS = {
    "sex": sex_labels,
    "permit_kind": permit_kind_labels,
    "kind": permit_kind_labels,
    "sector": sector_labels,
}
_NATIONALITIES = ("nationality", "passport_issuing_country")


def value_label(field: str, value: object, language: str = "id") -> object:
    """``value`` of ``field`` as a person reads it in ``language`` (``id`` or ``en``): a word
    for a code, the value unchanged for anything else (names, dates, numbers, None)."""
    if not isinstance(value, str) or not value:
        return value
    english = language == "en"
    if field in _PAIRS:
        return _PAIRS[field](value)[english]
    if field in _NATIONALITIES:
        return nationality_name(value, language) if is_known_code(value) else value
    if field == "status":
        label = STATUS_LABELS.get(value)
        return translations("en" if english else "id").gettext(label) if label else value
    return value


def yes_no(flag: bool, language: str = "id") -> str:
    """ "ya"/"tidak" in Indonesian, "yes"/"no" in English."""
    if language == "en":
        return "yes" if flag else "no"
    return "ya" if flag else "tidak"
