"""Nationality codes as passports write them (ICAO Doc 9303 part 3, section 5).

One canonical code is stored: the ISO 3166-1 alpha-3 code through pycountry, or one of ICAO's own
codes that ISO does not have. Input may be a code (alpha-3 or alpha-2), an English name, an
Indonesian name (pycountry's ``iso3166-1`` translations) or a name the office's spreadsheets use.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry

# ICAO Doc 9303 part 3, 5: codes that are not ISO 3166-1 alpha-3. `D` (Germany) maps to DEU.
ICAO_CODES: dict[str, tuple[str, str]] = {
    "GBD": ("British Overseas Territories Citizen", "Warga Wilayah Seberang Laut Britania"),
    "GBN": ("British National (Overseas)", "Warga Nasional Britania (Seberang Laut)"),
    "GBO": ("British Overseas Citizen", "Warga Britania Seberang Laut"),
    "GBP": ("British Protected Person", "Orang yang Dilindungi Britania"),
    "GBS": ("British Subject", "Subjek Britania"),
    "RKS": ("Kosovo", "Kosovo"),
    "XXA": ("Stateless person", "Tanpa kewarganegaraan"),
    "XXB": ("Refugee (1951 Convention)", "Pengungsi (Konvensi 1951)"),
    "XXC": ("Refugee (other)", "Pengungsi (lainnya)"),
    "XXX": ("Unspecified nationality", "Kewarganegaraan tidak disebutkan"),
    "UNO": ("United Nations official", "Pejabat Perserikatan Bangsa-Bangsa"),
    "UNA": ("United Nations specialized agency", "Badan Khusus PBB"),
    "UNK": ("United Nations Interim Administration Mission in Kosovo", "UNMIK"),
}
ICAO_TO_ISO = {"D": "DEU"}

# Names used in the office's spreadsheets and Indonesian usage (shared/domain.md).
ALIASES: dict[str, str] = {
    "tiongkok": "CHN",
    "rrt": "CHN",
    "rrc": "CHN",
    "cina": "CHN",
    "china": "CHN",
    "republik rakyat tiongkok": "CHN",
    "inggris": "GBR",
    "britania raya": "GBR",
    "uk": "GBR",
    "great britain": "GBR",
    "england": "GBR",
    "korea": "KOR",
    "korea selatan": "KOR",
    "korsel": "KOR",
    "south korea": "KOR",
    "korea utara": "PRK",
    "north korea": "PRK",
    "jepang": "JPN",
    "amerika": "USA",
    "amerika serikat": "USA",
    "as": "USA",
    "usa": "USA",
    "belanda": "NLD",
    "holland": "NLD",
    "jerman": "DEU",
    "taiwan": "TWN",
    "vietnam": "VNM",
    "rusia": "RUS",
    "russia": "RUS",
    "perancis": "FRA",
    "prancis": "FRA",
    "filipina": "PHL",
    "australia": "AUS",
    "selandia baru": "NZL",
}

# Indonesian display names where common usage differs from pycountry's translation
# (Keppres 12/2014 replaced "Cina" with "Tiongkok"; the office writes "Inggris").
INDONESIAN_DISPLAY = {"CHN": "Tiongkok", "GBR": "Inggris", "TWN": "Taiwan"}


class UnknownNationality(ValueError):
    """The text names no country or ICAO code."""

    def __init__(self, text: str) -> None:
        super().__init__(f'unknown nationality "{text}"')
        self.text = text


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@cache
def _indonesian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)


@cache
def _name_index() -> dict[str, str]:
    """Folded English and Indonesian names of every ISO country to its alpha-3 code."""
    index: dict[str, str] = {}
    translate = _indonesian().gettext
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                index[fold(name)] = country.alpha_3
                index[fold(translate(name))] = country.alpha_3
    for code, (english, indonesian) in ICAO_CODES.items():
        index[fold(english)] = code
        index[fold(indonesian)] = code
    index.update(ALIASES)
    return index


def canonical_nationality(text: str) -> str:
    """The one code stored for a nationality written as a code or a name.

    Raises :class:`UnknownNationality` when nothing matches.
    """
    cleaned = text.strip().strip("<").upper()
    if not cleaned:
        raise UnknownNationality(text)
    if cleaned in ICAO_TO_ISO:
        return ICAO_TO_ISO[cleaned]
    if cleaned in ICAO_CODES:
        return cleaned
    if len(cleaned) == 3 and pycountry.countries.get(alpha_3=cleaned):
        return cleaned
    if len(cleaned) == 2:
        country = pycountry.countries.get(alpha_2=cleaned)
        if country:
            return str(country.alpha_3)
    code = _name_index().get(fold(text))
    if code is None:
        raise UnknownNationality(text)
    return code


def is_known_code(code: str) -> bool:
    """True when ``code`` is a stored canonical code (ISO alpha-3 or ICAO's own)."""
    return code in ICAO_CODES or (
        len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code) is not None
    )


# Cached: lists name every row's nationality, and pycountry's look-up dominated a worker list.
# Only known codes are cached (an unknown one raises), so the cache is bounded by the code list.
@cache
def nationality_name(code: str, language: str = "en") -> str:
    """The country name of a canonical code in English (``en``) or Indonesian (``id``)."""
    if code in ICAO_CODES:
        english, indonesian = ICAO_CODES[code]
        return indonesian if language == "id" else english
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise UnknownNationality(code)
    english = getattr(country, "common_name", None) or country.name
    if language != "id":
        return str(english)
    return INDONESIAN_DISPLAY.get(code) or _indonesian().gettext(country.name)
