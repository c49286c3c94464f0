"""The word an export writes for a stored code, in the file's language: ``M`` is "Laki-laki"
in Indonesian and "Male" in English, ``ITAS`` "Izin Tinggal Terbatas", ``CHN`` "Tiongkok",
``mining`` "Pertambangan", ``active`` "Berlaku".

One function, :func:`value_label`, answers every lookup from the shared choice lists
(``tka_registry.choices``) and the nationality names, so that pointing exports at another
list is a change here alone. The import reads each of these words back to its code
(``cells.parse_sex``, ``parse_permit_kind``, ``parse_nationality``).
"""

from __future__ import annotations

from collections.abc import Callable

from tka_registry.choices import PERMIT_KINDS, PERMIT_STATUSES, SEXES, sector_pair
from tka_registry.rules.nationality import is_known_code, nationality_name

# Which list names the values of a field; fields not named here are written as stored.
_PAIRS: dict[str, Callable[[str], tuple[str, str]]] = {
    "sex": SEXES.pair,
    "permit_kind": PERMIT_KINDS.pair,
    "kind": PERMIT_KINDS.pair,
    "status": PERMIT_STATUSES.pair,
    "sector": sector_pair,
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
    return value


def yes_no(flag: bool, language: str = "id") -> str:
    """ "ya"/"tidak" in Indonesian, "yes"/"no" in English."""
    if language == "en":
        return "yes" if flag else "no"
    return "ya" if flag else "tidak"
