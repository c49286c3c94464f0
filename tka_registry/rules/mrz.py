"""Machine-readable zone of a passport data page (ICAO Doc 9303 part 4: TD3, 2 lines of 44).

:func:`parse_td3` reads the two lines an employer pastes, verifies every check digit and reports
every problem at once in :class:`MrzError`. :func:`compare_with_typed` lists the fields a person
typed that disagree with the MRZ. Problems carry a stable ``reason`` code for machines and
render a sentence in Indonesian (default) or English through :meth:`MrzProblem.message`.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tka_registry.rules.nationality import UnknownNationality, canonical_nationality

LINE_LENGTH = 44
FILLER = "<"
_ALLOWED = frozenset(string.ascii_uppercase + string.digits + FILLER)
# ICAO 9303 part 3, 4.9: weights 7, 3, 1 repeating; '<' = 0, A = 10 ... Z = 35.
_WEIGHTS = (7, 3, 1)

# (id, en) labels of every field a problem can name.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "lines": ("MRZ", "MRZ"),
    "line1": ("baris 1 MRZ", "MRZ line 1"),
    "line2": ("baris 2 MRZ", "MRZ line 2"),
    "document_code": ("kode dokumen", "document code"),
    "issuing_state": ("negara penerbit", "issuing state"),
    "name": ("nama", "name"),
    "surname": ("nama keluarga", "surname"),
    "given_names": ("nama depan", "given names"),
    "full_name": ("nama lengkap", "full name"),
    "passport_number": ("nomor paspor", "passport number"),
    "nationality": ("kewarganegaraan", "nationality"),
    "date_of_birth": ("tanggal lahir", "date of birth"),
    "sex": ("jenis kelamin", "sex"),
    "expires_on": ("tanggal habis berlaku paspor", "passport expiry date"),
    "personal_number": ("nomor pribadi", "personal number"),
    "composite": ("gabungan baris 2", "line 2 as a whole (composite)"),
}

# (id, en) sentence per reason code; {field} is the label, {expected}/{found}/{position} the data.
REASON_TEMPLATES: dict[str, tuple[str, str]] = {
    "line_count": (
        "MRZ paspor terdiri dari 2 baris, masing-masing 44 karakter; ditemukan {found} baris.",
        "a passport MRZ has 2 lines of 44 characters each; found {found} lines.",
    ),
    "length": (
        "{field} harus 44 karakter; ditemukan {found}.",
        "{field} must be 44 characters long; found {found}.",
    ),
    "characters": (
        '{field} memuat karakter tidak sah "{found}" (mulai kolom {position}); '
        "hanya A-Z, 0-9 dan < yang boleh.",
        '{field} has invalid characters "{found}" (first at column {position}); '
        "only A-Z, 0-9 and < are allowed.",
    ),
    "check_digit": (
        "Digit pemeriksa {field} salah: seharusnya {expected}, tertulis {found}.",
        "check digit of the {field} is wrong: expected {expected}, found {found}.",
    ),
    "not_passport": (
        "{field} {found} bukan paspor: MRZ paspor dimulai dengan P.",
        "{field} {found} is not a passport: a passport MRZ starts with P.",
    ),
    "missing": ("{field} kosong di MRZ.", "{field} is empty in the MRZ."),
    "invalid_code": ("Kode {field} {found} tidak sah.", "{field} {found} is not a valid code."),
    "invalid_name": (
        "{field} di MRZ hanya boleh berisi huruf dan <; ditemukan {found}.",
        "the {field} in the MRZ may hold only letters and <; found {found}.",
    ),
    "impossible_date": (
        "{field} {found} (TTBBHH) bukan tanggal yang mungkin.",
        "{field} {found} (YYMMDD) is not a possible date.",
    ),
    "unknown_date": (
        "{field} {found} tidak lengkap di MRZ; periksa halaman data paspor.",
        "{field} {found} is partly unknown in the MRZ; check the passport data page.",
    ),
    "invalid_sex": (
        "{field} {found} tidak sah: hanya M, F, X atau <.",
        "{field} {found} is not valid: only M, F, X or <.",
    ),
    "mismatch": (
        "{field} yang diketik ({found}) tidak sama dengan MRZ ({expected}).",
        "the typed {field} ({found}) differs from the MRZ ({expected}).",
    ),
}


@dataclass(frozen=True)
class MrzProblem:
    """One failed check: the field it concerns, a reason code and what was expected and found."""

    field: str
    reason: str
    expected: str | None = None
    found: str | None = None
    position: int | None = None  # 1-based column in the line, for invalid characters

    def message(self, language: str = "id") -> str:
        """The problem as a sentence in Indonesian (``id``) or English (any other value)."""
        english = language != "id"
        label = FIELD_LABELS.get(self.field, (self.field, self.field))[english]
        template = REASON_TEMPLATES.get(self.reason, ("{field}: " + self.reason,) * 2)[english]
        text = template.format(
            field=label, expected=self.expected, found=self.found, position=self.position
        )
        return text[0].upper() + text[1:]


class MrzError(ValueError):
    """The MRZ cannot be read; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: list[MrzProblem]) -> None:
        super().__init__("; ".join(problem.message("en") for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class MrzPassport:
    """The fields of a TD3 passport MRZ, fillers removed; dates resolved to four-digit years."""

    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    passport_number: str
    nationality: str
    date_of_birth: date
    sex: str | None
    expires_on: date
    personal_number: str | None
    line1: str
    line2: str

    @property
    def nationality_code(self) -> str | None:
        """The stored nationality code (ICAO ``D`` -> ``DEU``); None for specimens such as UTO."""
        return _known_code(self.nationality)

    @property
    def issuing_state_code(self) -> str | None:
        """The issuing state as a stored code, like :attr:`nationality_code`."""
        return _known_code(self.issuing_state)

    @property
    def names_truncated(self) -> bool:
        """True when the name field is full up to column 44: the name may have been cut.

        ICAO 9303 part 4 (TD3 name truncation): a name too long for the zone is cut and its
        last character is then a letter, never a filler.
        """
        return self.line1[-1] != FILLER

    @property
    def full_name(self) -> str:
        """Given names then surname, separated by single spaces."""
        return f"{self.given_names} {self.surname}".strip()


def _known_code(code: str) -> str | None:
    # ICAO codes are three letters except Germany's D; a 2-letter reading would be ISO alpha-2.
    if len(code) == 2:
        return None
    try:
        return canonical_nationality(code)
    except UnknownNationality:
        return None


def check_digit(field: str) -> int:
    """ICAO 9303 part 3, 4.9 check digit (0-9) of ``field`` (characters A-Z, 0-9 and ``<``)."""
    total = 0
    for index, char in enumerate(field):
        if char.isdigit():
            value = int(char)
        elif char == FILLER:
            value = 0
        else:
            value = ord(char) - ord("A") + 10
        total += value * _WEIGHTS[index % 3]
    return total % 10


def birth_date(yymmdd: str, today: date) -> date | None:
    """Date of birth from YYMMDD: the latest reading not after ``today``; None if impossible."""
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = today.year - today.year % 100
    for full_year in (century + year, century + year - 100):
        try:
            born = date(full_year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def expiry_date(yymmdd: str, today: date) -> date | None:
    """Expiry from YYMMDD: the year within 49 years before and 50 years after today's year.

    A passport expiring 50 years ahead is unheard of, so anything further is read as the past
    century. Returns None when the date does not exist.
    """
    earliest = today.year - 49
    full_year = earliest + (int(yymmdd[:2]) - earliest) % 100
    try:
        return date(full_year, int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return None


def _upper_ascii(text: str) -> str:
    return "".join(char.upper() if "a" <= char <= "z" else char for char in text)


def _clean(text: str) -> bool:
    return set(text) <= _ALLOWED


def _lines_of(text: str) -> list[str]:
    # Windows and old Mac newlines, blank lines and outer spaces are tolerated; inner ones are not.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_upper_ascii(line.strip()) for line in lines if line.strip()]


def _shape_problems(field: str, line: str) -> list[MrzProblem]:
    problems = []
    if len(line) != LINE_LENGTH:
        problems.append(MrzProblem(field, "length", str(LINE_LENGTH), str(len(line))))
    bad = [(column, char) for column, char in enumerate(line, start=1) if char not in _ALLOWED]
    if bad:
        found = "".join(dict.fromkeys(char for _, char in bad))
        problems.append(MrzProblem(field, "characters", found=found, position=bad[0][0]))
    return problems


def _check(
    field: str, data: str, digit: str, problems: list[MrzProblem], filler_ok: bool = False
) -> None:
    if not _clean(data + digit):
        return  # the invalid characters are already reported for the line
    # ICAO 9303 part 4 (TD3 line 2): an unused personal number's check digit may be < or 0.
    if filler_ok and digit == FILLER and set(data) == {FILLER}:
        return
    expected = str(check_digit(data))
    if digit != expected:
        problems.append(MrzProblem(field, "check_digit", expected=expected, found=digit))


def _code(field: str, raw: str, problems: list[MrzProblem]) -> str:
    code = raw.rstrip(FILLER)
    if not code:
        problems.append(MrzProblem(field, "missing"))
    elif _clean(raw) and not code.isalpha():
        problems.append(MrzProblem(field, "invalid_code", found=raw))
    return code


def _date(
    field: str, raw: str, resolve: Callable[[str, date], date | None], today: date
) -> tuple[date | None, MrzProblem | None]:
    if not _clean(raw):
        return None, None
    if FILLER in raw:
        return None, MrzProblem(field, "unknown_date", found=raw)
    resolved = resolve(raw, today) if raw.isdigit() else None
    if resolved is None:
        return None, MrzProblem(field, "impossible_date", found=raw)
    return resolved, None


def _names(name_field: str, problems: list[MrzProblem]) -> tuple[str, str]:
    if _clean(name_field) and not set(name_field) <= set(string.ascii_uppercase + FILLER):
        digits = "".join(dict.fromkeys(c for c in name_field if c.isdigit()))
        problems.append(MrzProblem("name", "invalid_name", found=digits))
    surname_part, _, given_part = name_field.rstrip(FILLER).partition(FILLER * 2)
    surname = " ".join(part for part in surname_part.split(FILLER) if part)
    given_names = " ".join(part for part in given_part.split(FILLER) if part)
    if not surname:
        problems.append(MrzProblem("surname", "missing"))
    return surname, given_names


def _sex(char: str, problems: list[MrzProblem]) -> str | None:
    if char in ("M", "F"):
        return char
    # '<' is unspecified (ICAO 9303 part 4); several states write X for the same.
    if char not in (FILLER, "X") and _clean(char):
        problems.append(MrzProblem("sex", "invalid_sex", found=char))
    return None


def parse_td3(text: str, *, today: date) -> MrzPassport:
    """Read a passport MRZ (two lines of 44) and verify every check digit.

    ``today`` (the Asia/Jakarta calendar day) resolves two-digit years: see :func:`birth_date`
    and :func:`expiry_date`. Raises :class:`MrzError` listing every problem found.
    """
    lines = _lines_of(text)
    if len(lines) != 2:
        raise MrzError([MrzProblem("lines", "line_count", expected="2", found=str(len(lines)))])
    line1, line2 = lines
    problems = _shape_problems("line1", line1) + _shape_problems("line2", line2)
    document_code, issuing_state, surname, given_names = "", "", "", ""
    if len(line1) == LINE_LENGTH:
        if _clean(line1[0]) and line1[0] != "P":
            problems.append(MrzProblem("document_code", "not_passport", "P", line1[:2]))
        document_code = line1[:2].rstrip(FILLER)
        issuing_state = _code("issuing_state", line1[2:5], problems)
        surname, given_names = _names(line1[5:], problems)
    if len(line2) != LINE_LENGTH:
        raise MrzError(problems)
    # Line 2 columns (ICAO 9303 part 4, TD3 data structure): number 1-9, check 10, nationality
    # 11-13, birth 14-19, check 20, sex 21, expiry 22-27, check 28, personal 29-42, check 43,
    # composite 44 over columns 1-10, 14-20 and 22-43.
    _check("passport_number", line2[0:9], line2[9], problems)
    _check("date_of_birth", line2[13:19], line2[19], problems)
    _check("expires_on", line2[21:27], line2[27], problems)
    _check("personal_number", line2[28:42], line2[42], problems, filler_ok=True)
    _check("composite", line2[0:10] + line2[13:20] + line2[21:43], line2[43], problems)
    passport_number = line2[0:9].rstrip(FILLER)
    if not passport_number:
        problems.append(MrzProblem("passport_number", "missing"))
    nationality = _code("nationality", line2[10:13], problems)
    born, born_problem = _date("date_of_birth", line2[13:19], birth_date, today)
    expires, expiry_problem = _date("expires_on", line2[21:27], expiry_date, today)
    problems += [problem for problem in (born_problem, expiry_problem) if problem]
    sex = _sex(line2[20], problems)
    if problems:
        raise MrzError(problems)
    assert born is not None and expires is not None  # a None date always comes with a problem
    return MrzPassport(
        document_code=document_code,
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        passport_number=passport_number,
        nationality=nationality,
        date_of_birth=born,
        sex=sex,
        expires_on=expires,
        personal_number=line2[28:42].rstrip(FILLER) or None,
        line1=line1,
        line2=line2,
    )


# ICAO 9303 part 3, 6 (transliteration of Latin letters with marks): the recommended spelling
# first; many states simply drop the marks, so both readings of a typed name are tried.
_ICAO_SPELLING = {"Ä": "AE", "Å": "AA", "Ö": "OE", "Ü": "UE", "Ø": "OE"}
_MARKS_DROPPED = {"Ä": "A", "Å": "A", "Ö": "O", "Ü": "U", "Ø": "O"}
_NOT_DECOMPOSABLE = {"Æ": "AE", "Œ": "OE", "Þ": "TH", "Ð": "D", "Đ": "D", "Ł": "L", "Ħ": "H"}
_APOSTROPHES = "'’‘`ʼ"
Tokens = tuple[str, ...]


def _name_tokens(text: str, spelling: Mapping[str, str]) -> Tokens:
    """The words of a typed name as the MRZ would spell them under ``spelling``."""
    upper = text.upper()  # also turns ß into SS
    spelled = "".join(spelling.get(c) or _NOT_DECOMPOSABLE.get(c) or c for c in upper)
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", spelled) if not unicodedata.combining(c)
    )
    # Apostrophes are omitted in the MRZ; hyphens and other marks become fillers (spaces).
    bare = "".join(c for c in bare if c not in _APOSTROPHES)
    return tuple("".join(c if "A" <= c <= "Z" else " " for c in bare).split())


def _part_matches(typed: Tokens, mrz: Tokens, truncated: bool) -> bool:
    if typed == mrz:
        return True
    # A truncated MRZ name keeps the start of each component, possibly only initials.
    return (
        truncated
        and len(mrz) <= len(typed)
        and all(t.startswith(m) for m, t in zip(mrz, typed, strict=False))
    )


def _parts_match(typed: Tokens, parts: tuple[Tokens, ...], truncated: bool) -> bool:
    """Whether the typed words split, in order, into one run of words per MRZ name part."""
    if not parts:
        return not typed
    cuts = range(len(typed) + 1) if len(parts) > 1 else [len(typed)]
    return any(
        _part_matches(typed[:cut], parts[0], truncated)
        and _parts_match(typed[cut:], parts[1:], truncated)
        for cut in cuts
    )


def _name_matches(typed: str, orders: Sequence[tuple[Tokens, ...]], truncated: bool) -> bool:
    for spelling in (_ICAO_SPELLING, _MARKS_DROPPED):
        tokens = _name_tokens(typed, spelling)
        if any(_parts_match(tokens, parts, truncated) for parts in orders):
            return True
    return False


def _typed_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


_TYPED_SEX: dict[str, str | None] = {"M": "M", "MALE": "M", "L": "M", "LAKI-LAKI": "M", "PRIA": "M"}
_TYPED_SEX |= {"F": "F", "FEMALE": "F", "P": "F", "PEREMPUAN": "F", "WANITA": "F", "W": "F"}
_TYPED_SEX |= {"X": None, FILLER: None}


def _typed_nationality(value: str) -> str:
    # A code no registry knows (specimen UTO) can still match the MRZ letter for letter.
    try:
        return canonical_nationality(value)
    except UnknownNationality:
        return value.upper()


def _typed_agrees(mrz: MrzPassport, field: str, value: object) -> tuple[bool, str]:
    """Whether a typed value agrees with the MRZ, and the MRZ value as shown to the person."""
    text = str(value).strip()
    surname, given = tuple(mrz.surname.split()), tuple(mrz.given_names.split())
    if field == "full_name":
        orders = [(surname, given), (given, surname)]
        return _name_matches(text, orders, mrz.names_truncated), mrz.full_name
    if field in ("surname", "given_names"):
        tokens = surname if field == "surname" else given
        return _name_matches(text, [(tokens,)], mrz.names_truncated), " ".join(tokens)
    if field == "passport_number":
        typed_number = "".join(c for c in text.upper() if c.isalnum())
        return typed_number == mrz.passport_number, mrz.passport_number
    if field == "nationality":
        mrz_code = mrz.nationality_code or mrz.nationality
        return _typed_nationality(text) == mrz_code, mrz.nationality
    if field == "sex":
        known = text.upper() in _TYPED_SEX
        return known and _TYPED_SEX[text.upper()] == mrz.sex, mrz.sex or FILLER
    mrz_date: date = getattr(mrz, field)
    return _typed_date(value) == mrz_date, mrz_date.isoformat()


TYPED_FIELDS = (
    "full_name",
    "surname",
    "given_names",
    "passport_number",
    "nationality",
    "date_of_birth",
    "sex",
    "expires_on",
)


def compare_with_typed(mrz: MrzPassport, typed: Mapping[str, object]) -> list[MrzProblem]:
    """The typed fields that disagree with the MRZ, as ``mismatch`` problems.

    Keys read from ``typed`` are :data:`TYPED_FIELDS`; other keys and empty values are skipped.
    Names ignore case, accents, punctuation and extra spaces, accept ICAO's transliterations
    (Ü as UE or U) and the start of each name when the MRZ name was truncated; a full name may
    be typed surname first or last. Dates are ``date`` objects or ISO ``YYYY-MM-DD`` text;
    sex accepts M/F, L/P (laki-laki/perempuan) and the words; nationality any code or name.
    """
    problems = []
    for field in TYPED_FIELDS:
        value = typed.get(field)
        if value is None or not str(value).strip():
            continue
        agrees, mrz_value = _typed_agrees(mrz, field, value)
        if not agrees:
            found = value.isoformat() if isinstance(value, date) else str(value).strip()
            problems.append(MrzProblem(field, "mismatch", expected=mrz_value, found=found))
    return problems
