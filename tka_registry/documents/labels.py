"""Words printed on documents and exports, in Bahasa Indonesia and English: dates, sexes,
permit kinds, business sectors."""

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

# ICAO Doc 9303 part 4: sex is M, F or X (unspecified) in the passport's data page.
SEXES = {
    "M": ("Laki-laki", "Male"),
    "F": ("Perempuan", "Female"),
    "X": ("Tidak ditentukan", "Unspecified"),
}

# UU 6/2011 arts. 48-60: ITK visit, ITAS limited and ITAP permanent stay permits.
PERMIT_KINDS = {
    "ITK": ("Izin Tinggal Kunjungan", "Visit Stay Permit"),
    "ITAS": ("Izin Tinggal Terbatas", "Limited Stay Permit"),
    "ITAP": ("Izin Tinggal Tetap", "Permanent Stay Permit"),
}

# Business sectors (KBLI 2020 sections) as the registry's records name them; the employer's
# sector is free text, so a sector not listed here is shown as typed.
SECTORS = {
    "agriculture": ("Pertanian", "Agriculture"),
    "plantation": ("Perkebunan", "Plantation"),
    "fisheries": ("Perikanan", "Fisheries"),
    "mining": ("Pertambangan", "Mining"),
    "oil and gas": ("Minyak dan gas bumi", "Oil and gas"),
    "manufacturing": ("Industri pengolahan", "Manufacturing"),
    "shipbuilding": ("Industri perkapalan", "Shipbuilding"),
    "energy": ("Energi", "Energy"),
    "construction": ("Konstruksi", "Construction"),
    "trade": ("Perdagangan", "Trade"),
    "transport": ("Transportasi", "Transport"),
    "hospitality": ("Perhotelan", "Hospitality"),
    "information technology": ("Teknologi informasi", "Information technology"),
    "finance": ("Jasa keuangan", "Finance"),
    "education": ("Pendidikan", "Education"),
    "language school": ("Lembaga kursus bahasa", "Language school"),
    "health": ("Kesehatan", "Health"),
    "services": ("Jasa", "Services"),
}

# Application kinds an officer decides; an unknown code is printed as it is.
APPLICATION_KINDS = {
    "itas_new": ("Permohonan Izin Tinggal Terbatas baru", "New limited stay permit"),
    "itas_extension": ("Perpanjangan Izin Tinggal Terbatas", "Extension of limited stay permit"),
    "itap_conversion": (
        "Alih status ke Izin Tinggal Tetap",
        "Conversion to permanent stay permit",
    ),
    "itap_extension": ("Perpanjangan Izin Tinggal Tetap", "Extension of permanent stay permit"),
    "second_home": ("Izin Tinggal Rumah Kedua (E33)", "Second Home stay permit (E33)"),
}

# PP 48/2021 art. 103: a Second Home stay permit is granted without a sponsor.
SECOND_HOME_NO_SPONSOR = (
    "Tanpa penjamin (Izin Tinggal Rumah Kedua, PP 48/2021 Pasal 103)",
    "None: Second Home stay permit without a sponsor (PP 48/2021 art. 103)",
)

# Relations of a Second Home dependant to the principal (SE IMI-0740.GR.01.01/2022).
RELATIONS = {
    "spouse": ("Suami/Istri", "Spouse"),
    "child": ("Anak", "Child"),
    "parent": ("Orang tua", "Parent"),
}


def long_date(day: date, language: str = "id") -> str:
    """``day`` written out, e.g. "5 Januari 2027" (``id``) or "5 January 2027" (``en``)."""
    months = MONTHS["en" if language == "en" else "id"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def pair(labels: tuple[str, str], language: str = "id") -> tuple[str, str]:
    """A bilingual (Indonesian, English) label as (primary, secondary) for ``language``."""
    indonesian, english = labels
    return (english, indonesian) if language == "en" else (indonesian, english)


def sex_labels(sex: str) -> tuple[str, str]:
    """(Indonesian, English) for an ICAO sex code; the code itself when unknown."""
    return SEXES.get(sex.strip().upper(), (sex, sex))


def permit_kind_labels(kind: str) -> tuple[str, str]:
    """(Indonesian, English) name of a permit kind code such as ``ITAS``."""
    return PERMIT_KINDS.get(kind.strip().upper(), (kind, kind))


def _sector_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for key, names in SECTORS.items():
        for name in (key, *names):
            index[" ".join(name.lower().split())] = names
    return index


_SECTOR_INDEX = _sector_index()


def sector_labels(sector: str) -> tuple[str, str]:
    """(Indonesian, English) of a business sector written in either language or as its key
    (``mining``, ``Pertambangan``); the text itself when not listed."""
    return _SECTOR_INDEX.get(" ".join(sector.lower().split()), (sector, sector))


def application_kind_labels(kind: str) -> tuple[str, str]:
    """(Indonesian, English) name of an application kind code such as ``itas_extension``."""
    return APPLICATION_KINDS.get(kind, (kind, kind))


def relation_labels(relation: str) -> tuple[str, str]:
    """(Indonesian, English) of a dependant's relation; the text itself when unknown."""
    return RELATIONS.get(relation.strip().lower(), (relation, relation))
