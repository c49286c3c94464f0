"""Normalisers for one spreadsheet cell each: text as typed in the office in, one stored value out.

Every function is pure and raises :class:`CellError` with a reason, in Indonesian and English, that
tells a clerk what to correct. Dates are read day first, as Indonesian spreadsheets write them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.id import npwp as stdnum_npwp

from tka_registry.choices import PERMIT_KINDS
from tka_registry.rules.nationality import UnknownNationality, canonical_nationality
from tka_registry.rules.nationality import fold as fold_accents

# Years outside this range are typing errors in a register of living workers and current papers.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# ICAO Doc 9303 part 4: 9 characters fit the MRZ, longer numbers exist; 20 bounds the typing.
PASSPORT_NUMBER_MIN_LENGTH = 5
PASSPORT_NUMBER_MAX_LENGTH = 20
NAME_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 500
# Characters that make a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Reason:
    """A message for a person, in Indonesian (the default) and English."""

    indonesian: str
    english: str

    def text(self, language: str = "id") -> str:
        """The message in ``language`` (``id`` or ``en``)."""
        return self.english if language == "en" else self.indonesian

    def __str__(self) -> str:
        return self.indonesian


class CellError(ValueError):
    """One cell cannot be read; ``reason`` says why and what to write instead."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.indonesian)
        self.reason = reason


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed (plain ASCII takes the quick way)."""
    if text.isascii():
        return " ".join(text.lower().split())
    return fold_accents(text)


def _error(indonesian: str, english: str) -> CellError:
    return CellError(Reason(indonesian, english))


def is_blank(text: str | None) -> bool:
    """True for an empty cell, or one holding only the dash clerks type for "none"."""
    return text is None or text.strip() in {"", "-", "--", "—", "–"}


def needs_formula_guard(text: str) -> bool:
    """True when a spreadsheet program would run ``text`` as a formula, or when it already
    starts with the guarding apostrophe (so that the reader's unguarding stays exact)."""
    return text.lstrip("'")[:1] in FORMULA_TRIGGERS


def is_formula_guarded(text: str) -> bool:
    """True for text the writer guarded with a leading apostrophe (see writing.py)."""
    return text.startswith("'") and text.lstrip("'")[:1] in FORMULA_TRIGGERS


def clean_text(text: str, max_length: int = TEXT_MAX_LENGTH, multiline: bool = False) -> str:
    """Free text with spaces collapsed (line breaks kept when ``multiline``, as in an address);
    a leading apostrophe that guarded a formula is removed. ``max_length`` in characters."""
    if multiline:
        lines = (" ".join(line.split()) for line in text.splitlines())
        collapsed = "\n".join(line for line in lines if line)
    else:
        collapsed = " ".join(text.split())
    if is_formula_guarded(collapsed):
        collapsed = collapsed[1:]
    if len(collapsed) > max_length:
        raise _error(
            f"teks terlalu panjang ({len(collapsed)} karakter, paling banyak {max_length})",
            f"text too long ({len(collapsed)} characters, at most {max_length})",
        )
    return collapsed


# --- Dates -------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
MONTH_NAMES_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
MONTH_NAMES_EN = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = {
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "ahad",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip

# Year first is unambiguous (2027-01-05, also 2027/01/05 from Chinese and Japanese spreadsheets).
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ t]00:00(?::00)?)?")
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d+)")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-./]*([a-z]+)\.?[\s\-./,]*(\d+)")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d+)")


def parse_date(text: str) -> date:
    """A calendar date from ISO (2027-01-05), 05/01/2027, 05-01-2027, 05.01.2027, or a month
    name in Indonesian or English ("5 Januari 2027", "05 Jan 2027", "Jan 5, 2027")."""
    typed = text.strip()
    folded = fold(typed).replace(",", " ").strip()
    words = folded.split()
    if words and words[0] in WEEKDAYS:  # "Senin, 5 Januari 2027"
        folded = " ".join(words[1:])
    if match := _ISO.fullmatch(folded):
        year, _, month, day = match.groups()
        return _calendar_date(typed, year, month, day)
    if match := _NUMERIC.fullmatch(folded):
        day, _, month, year = match.groups()
        return _calendar_date(typed, year, month, day)
    if match := _DAY_MONTH_YEAR.fullmatch(folded):
        day, month_name, year = match.groups()
        return _calendar_date(typed, year, _month_number(typed, month_name), day)
    if match := _MONTH_DAY_YEAR.fullmatch(folded):
        month_name, day, year = match.groups()
        return _calendar_date(typed, year, _month_number(typed, month_name), day)
    if folded.isdigit() and len(folded) <= 5:
        raise _error(
            f'"{typed}" tampak seperti nomor seri tanggal Excel; format kolom sebagai tanggal '
            "lalu simpan ulang sebagai CSV",
            f'"{typed}" looks like an Excel date serial number; format the column as a date '
            "and save as CSV again",
        )
    raise _error(
        f'tanggal "{typed}" tidak dapat dibaca; tulis misalnya 05/01/2027, 2027-01-05 '
        "atau 5 Januari 2027",
        f'date "{typed}" cannot be read; write for example 05/01/2027, 2027-01-05 '
        "or 5 January 2027",
    )


def _month_number(typed: str, month_name: str) -> int:
    month = MONTHS.get(month_name)
    if month is None:
        raise _error(
            f'nama bulan "{month_name}" dalam "{typed}" tidak dikenal',
            f'month name "{month_name}" in "{typed}" is not known',
        )
    return month


def _calendar_date(typed: str, year_text: str, month_text: str | int, day_text: str) -> date:
    if len(year_text) == 2:
        raise _error(
            f'tahun dua digit dalam "{typed}" tidak jelas (19{year_text} atau 20{year_text}?); '
            "tulis tahun dengan empat digit",
            f'two-digit year in "{typed}" is ambiguous (19{year_text} or 20{year_text}?); '
            "write the year with four digits",
        )
    year, month, day = int(year_text), int(month_text), int(day_text)
    if len(year_text) != 4 or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise _error(
            f'tahun dalam "{typed}" harus antara {EARLIEST_YEAR} dan {LATEST_YEAR}',
            f'the year in "{typed}" must be between {EARLIEST_YEAR} and {LATEST_YEAR}',
        )
    if month > 12 and 1 <= day <= 12:
        raise _error(
            f'"{typed}": bulan {month} tidak ada; tanggal ditulis hari/bulan/tahun, '
            f"bukan urutan Amerika (mungkin maksudnya {month:02d}/{day:02d}/{year})",
            f'"{typed}": there is no month {month}; dates are read day/month/year, '
            f"not in US order (perhaps {month:02d}/{day:02d}/{year} was meant)",
        )
    if not 1 <= month <= 12:
        raise _error(f'"{typed}": bulan {month} tidak ada', f'"{typed}": there is no month {month}')
    try:
        return date(year, month, day)
    except ValueError:
        raise _error(
            f'tanggal {day} {MONTH_NAMES_ID[month - 1]} {year} tidak ada ("{typed}")',
            f'{day} {MONTH_NAMES_EN[month - 1]} {year} does not exist ("{typed}")',
        ) from None


# --- People ------------------------------------------------------------------------------------

_SEXES = {
    "l": "M", "lk": "M", "laki": "M", "lakilaki": "M", "lelaki": "M", "pria": "M",
    "m": "M", "male": "M", "man": "M",
    "p": "F", "perempuan": "F", "wanita": "F", "f": "F", "female": "F", "woman": "F",
}  # fmt: skip


def parse_sex(text: str) -> str:
    """``M`` or ``F`` from L/P, M/F, Laki-laki/Perempuan, Pria/Wanita, Male/Female."""
    key = re.sub(r"[^a-z]", "", fold(text))
    if key == "pr":
        raise _error(
            '"PR" bisa berarti Pria atau Perempuan; tulis L atau P',
            '"PR" could mean Pria (male) or Perempuan (female); write M or F',
        )
    sex = _SEXES.get(key)
    if sex is None:
        raise _error(
            f'jenis kelamin "{text.strip()}" tidak dikenal; tulis L (laki-laki) atau P (perempuan)',
            f'sex "{text.strip()}" is not known; write M (male) or F (female)',
        )
    return sex


# Few distinct spellings fill a whole file; the bounded cache keeps memory flat.
@lru_cache(maxsize=1024)
def parse_nationality(text: str) -> str:
    """The canonical nationality code (ISO 3166-1 alpha-3 or ICAO's own) of a name or code."""
    try:
        return canonical_nationality(text)
    except UnknownNationality:
        raise _error(
            f'kewarganegaraan "{text.strip()}" tidak dikenal; tulis nama negara '
            "(mis. Tiongkok, Korea Selatan) atau kode tiga huruf (CHN, KOR)",
            f'nationality "{text.strip()}" is not known; write a country name '
            "(e.g. China, South Korea) or a three-letter code (CHN, KOR)",
        ) from None


def parse_passport_number(text: str) -> str:
    """Passport number in upper case without spaces, dashes or MRZ fillers (5 to 20 characters)."""
    compact = re.sub(r"[\s\-]", "", text).upper().rstrip("<")
    if not compact.isascii() or not compact.isalnum():
        raise _error(
            f'nomor paspor "{text.strip()}" hanya boleh berisi huruf A-Z dan angka',
            f'passport number "{text.strip()}" may only contain letters A-Z and digits',
        )
    if not PASSPORT_NUMBER_MIN_LENGTH <= len(compact) <= PASSPORT_NUMBER_MAX_LENGTH:
        raise _error(
            f'nomor paspor "{compact}" berisi {len(compact)} karakter; harus '
            f"{PASSPORT_NUMBER_MIN_LENGTH} sampai {PASSPORT_NUMBER_MAX_LENGTH}",
            f'passport number "{compact}" has {len(compact)} characters; it must have '
            f"{PASSPORT_NUMBER_MIN_LENGTH} to {PASSPORT_NUMBER_MAX_LENGTH}",
        )
    return compact


# Lower-case name particles (Dutch, German, Romance, Arabic and Malay usage).
NAME_PARTICLES = frozenset(
    "van von der den de del della di da das dos du la le bin binti bte al el ibn".split()
)
ROMAN_NUMERALS = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})
_NAME_ALLOWED = re.compile(r"[^\W\d_]|[ '.,\-]")


def parse_person_name(text: str) -> str:
    """A person's name with spaces collapsed; a name typed in one case (ZHANG WEI) gets
    capitals per word (Zhang Wei, O'Brien, Jean-Pierre, van der Berg)."""
    name = " ".join(text.replace("’", "'").replace("`", "'").split())
    if not name:
        raise _error("nama kosong", "name is empty")
    if len(name) > NAME_MAX_LENGTH:
        raise _error(
            f"nama terlalu panjang ({len(name)} karakter, paling banyak {NAME_MAX_LENGTH})",
            f"name too long ({len(name)} characters, at most {NAME_MAX_LENGTH})",
        )
    wrong = sorted({ch for ch in name if not _NAME_ALLOWED.fullmatch(ch)})
    if wrong:
        raise _error(
            f'nama "{name}" berisi karakter yang tidak boleh: {" ".join(wrong)}',
            f'name "{name}" contains characters not allowed: {" ".join(wrong)}',
        )
    return _fix_case(name)


def parse_place_name(text: str) -> str:
    """A place name (city of birth) with spaces collapsed; one-case typing gets capitals per
    word like a name (BEIJING -> Beijing, RIO DE JANEIRO -> Rio de Janeiro)."""
    return _fix_case(clean_text(text, NAME_MAX_LENGTH))


def _fix_case(name: str) -> str:
    """Capitals per word for text typed all in upper or all in lower case; else unchanged."""
    if not (name.isupper() or name.islower()):
        return name
    words = name.split(" ")
    return " ".join(_capitalise_word(word, first=index == 0) for index, word in enumerate(words))


def _capitalise_word(word: str, first: bool) -> str:
    if word.upper() in ROMAN_NUMERALS:
        return word.upper()
    if not first and word.lower() in NAME_PARTICLES:
        return word.lower()
    parts = re.split(r"(['\-])", word.lower())
    capitalised = "".join(part[:1].upper() + part[1:] for part in parts)
    # Gaelic "Mc" names: MCDONALD -> McDonald.
    if len(capitalised) > 3 and capitalised.startswith("Mc") and capitalised[2].isalpha():
        capitalised = "Mc" + capitalised[2].upper() + capitalised[3:]
    return capitalised


# --- Employers, permits, places ----------------------------------------------------------------


def parse_npwp(text: str) -> str:
    """An employer's NPWP (tax number) as its 15 or 16 digits, check digit verified."""
    try:
        return str(stdnum_npwp.validate(text.strip()))
    except InvalidLength:
        digits = sum(ch.isdigit() for ch in text)
        raise _error(
            f'NPWP "{text.strip()}" berisi {digits} angka; harus 15 atau 16',
            f'NPWP "{text.strip()}" has {digits} digits; it must have 15 or 16',
        ) from None
    except InvalidChecksum:
        raise _error(
            f'NPWP "{text.strip()}" salah ketik: angka pemeriksanya tidak cocok',
            f'NPWP "{text.strip()}" is mistyped: its check digit does not match',
        ) from None
    except ValidationError:
        raise _error(
            f'NPWP "{text.strip()}" hanya boleh berisi angka, titik dan tanda hubung',
            f'NPWP "{text.strip()}" may only contain digits, dots and dashes',
        ) from None


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(text))


_PERMIT_KINDS = {"itas": "ITAS", "kitas": "ITAS", "eitas": "ITAS", "itap": "ITAP",
                 "kitap": "ITAP", "eitap": "ITAP", "itk": "ITK", "eitk": "ITK"}  # fmt: skip
# The names an export writes ("Izin Tinggal Terbatas", "Limited Stay Permit") read back too.
_PERMIT_KINDS.update({_letters(name): kind.value for kind in PERMIT_KINDS for name in kind.pair})


def parse_permit_kind(text: str) -> str:
    """``ITAS``, ``ITAP`` or ``ITK``; the card names KITAS/KITAP and e-ITAS, and the full
    names in Indonesian or English ("Izin Tinggal Terbatas", "Limited Stay Permit")."""
    kind = _PERMIT_KINDS.get(_letters(text))
    if kind is None:
        raise _error(
            f'jenis izin tinggal "{text.strip()}" tidak dikenal; tulis ITAS, ITAP atau ITK',
            f'permit kind "{text.strip()}" is not known; write ITAS, ITAP or ITK',
        )
    return kind


_VISA_INDEX = re.compile(r"[A-Z]\d{1,3}[A-Z]{0,2}")


def parse_visa_index(text: str) -> str:
    """A visa index such as ``E23``, ``E23B`` or ``C312``, upper case without spaces. Whether
    the index exists is checked against the index table, not here."""
    compact = re.sub(r"[\s\-.]", "", text).upper()
    if not _VISA_INDEX.fullmatch(compact):
        raise _error(
            f'indeks visa "{text.strip()}" tidak sah; tulis misalnya E23, E23B atau E33',
            f'visa index "{text.strip()}" is not valid; write for example E23, E23B or E33',
        )
    return compact


_PERMIT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9/.\-]{3,39}")


def parse_permit_number(text: str) -> str:
    """A stay-permit number in upper case without spaces (4 to 40 letters, digits, / . -)."""
    compact = re.sub(r"\s", "", text).upper()
    if not compact.isascii() or not _PERMIT_NUMBER.fullmatch(compact):
        raise _error(
            f'nomor izin tinggal "{text.strip()}" tidak sah: 4 sampai 40 huruf, angka, / . -',
            f'permit number "{text.strip()}" is not valid: 4 to 40 letters, digits, / . -',
        )
    return compact


_REGENCY_PREFIXES = {"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota",
                     "kodya": "kota", "kotamadya": "kota"}  # fmt: skip


def _regency_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def parse_regency(text: str, regencies: Sequence[str]) -> str:
    """The official name from ``regencies`` (e.g. "Kabupaten Banyuasin") for "Kab. Banyuasin",
    "kab banyuasin", or a bare "Banyuasin" when only one official name ends with it."""
    return _parse_regency(text, tuple(regencies))


@lru_cache(maxsize=1024)
def _parse_regency(text: str, regencies: tuple[str, ...]) -> str:
    key = _regency_key(text)
    words = key.split(" ")
    if words[0] in _REGENCY_PREFIXES:
        key = " ".join([_REGENCY_PREFIXES[words[0]], *words[1:]])
    by_key = {_regency_key(name): name for name in regencies}
    if key in by_key:
        return by_key[key]
    bare = [name for official, name in by_key.items() if official.split(" ", 1)[-1] == key]
    if len(bare) == 1:
        return bare[0]
    if len(bare) > 1:
        raise _error(
            f'"{text.strip()}" bisa berarti {" atau ".join(bare)}; tulis nama lengkapnya',
            f'"{text.strip()}" could mean {" or ".join(bare)}; write the full name',
        )
    raise _error(
        f'kabupaten/kota "{text.strip()}" bukan wilayah kerja kantor ini: {", ".join(regencies)}',
        f'regency "{text.strip()}" is not in this office\'s area: {", ".join(regencies)}',
    )
