"""The registry's spreadsheet columns and the normalisation of one row.

``COLUMNS`` is the export order and the list of headers the import accepts (documented in
``docs/import-columns.md``). Headers are compared by :func:`header_key`: case, accents,
punctuation and spaces do not count, so "No. Paspor", "NO PASPOR" and "nopaspor" are one header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache, partial

from tka_registry.spreadsheets import cells
from tka_registry.spreadsheets.cells import CellError, Reason, fold


@dataclass(frozen=True)
class Column:
    """One registry column: its field name, its headers and the other headers accepted."""

    field: str
    indonesian: str
    english: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def header(self, language: str = "id") -> str:
        """The header written on export, in ``language`` (``id`` or ``en``)."""
        return self.english if language == "en" else self.indonesian

    @property
    def accepted_headers(self) -> tuple[str, ...]:
        return (self.indonesian, self.english, *self.aliases)


# Export order. A required column must be present in the file and filled in on every row.
COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Nama Lengkap", "Full Name", True, ("Nama", "Nama TKA", "Name")),
    Column("sex", "Jenis Kelamin", "Sex", True, ("L/P", "JK", "Gender")),
    Column("date_of_birth", "Tanggal Lahir", "Date of Birth", True,
           ("Tgl. Lahir", "Birth Date", "DOB")),
    Column("place_of_birth", "Tempat Lahir", "Place of Birth", False, ("Birthplace",)),
    Column("nationality", "Kewarganegaraan", "Nationality", True,
           ("Warga Negara", "WN", "Negara Asal", "Citizenship")),
    Column("passport_number", "No. Paspor", "Passport Number", True,
           ("Nomor Paspor", "Paspor", "Passport No.", "Passport")),
    Column("passport_issuing_country", "Negara Penerbit Paspor", "Passport Issuing Country",
           False, ("Negara Penerbit", "Issuing Country", "Issuing State")),
    Column("passport_issued_on", "Tanggal Terbit Paspor", "Passport Issued On", False,
           ("Tgl. Terbit Paspor", "Passport Issued", "Passport Issue Date", "Date of Issue")),
    Column("passport_expires_on", "Masa Berlaku Paspor", "Passport Expires On", False,
           ("Paspor Berlaku s.d.", "Tgl. Habis Paspor", "Passport Expiry",
            "Passport Expiry Date", "Date of Expiry")),
    Column("employer_name", "Perusahaan Penjamin", "Employer", False,
           ("Perusahaan", "Penjamin", "Nama Perusahaan", "Sponsor", "Employer Name", "Company")),
    Column("employer_npwp", "NPWP Perusahaan", "Employer NPWP", False,
           ("NPWP Penjamin", "Sponsor NPWP")),
    Column("position", "Jabatan", "Position", False, ("Job Title",)),
    Column("address", "Alamat", "Address", False,
           ("Alamat di Indonesia", "Address in Indonesia")),
    Column("regency", "Kabupaten/Kota", "Regency", False,
           ("Kab./Kota", "Kota/Kabupaten", "Regency/City")),
    Column("permit_kind", "Jenis Izin Tinggal", "Permit Kind", False,
           ("Jenis Izin", "Permit Type")),
    Column("visa_index", "Indeks Visa", "Visa Index", False, ("Index Visa",)),
    Column("permit_number", "No. Izin Tinggal", "Permit Number", False,
           ("Nomor Izin Tinggal", "No. ITAS", "Nomor ITAS", "No. KITAS", "Permit No.")),
    Column("permit_issued_on", "Tanggal Terbit Izin", "Permit Issued On", False,
           ("Tanggal Terbit", "Tgl. Terbit", "Tanggal Berlaku Mulai", "Berlaku Mulai",
            "Issued", "Issued On", "Permit Issued")),
    Column("permit_expires_on", "Izin Berlaku s.d.", "Permit Expires On", False,
           ("Tanggal Berlaku", "Berlaku s.d.", "Berlaku Sampai", "Berlaku Hingga",
            "Tgl. Berlaku", "Masa Berlaku Izin", "Masa Berlaku ITAS", "Expiry", "Expires On",
            "Expiry Date", "Permit Expiry")),
)  # fmt: skip
COLUMNS_BY_FIELD: dict[str, Column] = {column.field: column for column in COLUMNS}
# Filled in, these make a permit; any one of them filled in needs all three.
PERMIT_FIELDS = ("permit_kind", "permit_number", "permit_expires_on")


def header_key(header: str) -> str:
    """The form headers are compared in: lower case, no accents, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(header))


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for header in column.accepted_headers:
            key = header_key(header)
            if index.setdefault(key, column.field) != column.field:
                raise RuntimeError(f"header {header!r} names two columns")
    return index


HEADER_FIELDS: dict[str, str] = _header_index()


def field_for_header(header: str) -> str | None:
    """The registry field a file's header names, or None for a column the import ignores."""
    return HEADER_FIELDS.get(header_key(header))


@dataclass(frozen=True)
class RawRow:
    """One data row of a file as read: cell texts by field, before normalisation.

    ``line`` is the 1-based line of the file where the row starts (the header is line 1);
    ``headers`` names each field's column as written in the file; ``overflow`` holds
    non-empty cells beyond the last header (a delimiter typed inside an unquoted value).
    """

    line: int
    values: Mapping[str, str]
    headers: Mapping[str, str]
    overflow: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportRow:
    """One worker row, every value normalised to what the registry stores."""

    line: int
    full_name: str
    sex: str
    date_of_birth: date
    nationality: str
    passport_number: str
    passport_issuing_country: str
    passport_expires_on: date | None = None
    place_of_birth: str | None = None
    passport_issued_on: date | None = None
    employer_name: str | None = None
    employer_npwp: str | None = None
    position: str | None = None
    address: str | None = None
    regency: str | None = None
    permit_kind: str | None = None
    visa_index: str | None = None
    permit_number: str | None = None
    permit_issued_on: date | None = None
    permit_expires_on: date | None = None

    @property
    def has_permit(self) -> bool:
        return self.permit_number is not None

    def as_record(self) -> dict[str, object]:
        """The row's values by field name, as :func:`write_workers_csv` takes them."""
        return {spec.name: getattr(self, spec.name) for spec in fields(self) if spec.name != "line"}


@dataclass(frozen=True)
class CellProblem:
    """Why one cell of one row was rejected."""

    line: int
    field: str | None
    header: str
    reason: Reason


@dataclass(frozen=True)
class RowErrors:
    """Every problem of one rejected row, in column order."""

    line: int
    problems: tuple[CellProblem, ...] = field(default=())


Parser = Callable[[str], object]


@lru_cache(maxsize=8)
def _parsers(regencies: tuple[str, ...]) -> dict[str, Parser]:
    free_text = partial(cells.clean_text, max_length=200)
    return {
        "full_name": cells.parse_person_name,
        "sex": cells.parse_sex,
        "date_of_birth": cells.parse_date,
        "place_of_birth": cells.parse_place_name,
        "nationality": cells.parse_nationality,
        "passport_number": cells.parse_passport_number,
        "passport_issuing_country": cells.parse_nationality,
        "passport_issued_on": cells.parse_date,
        "passport_expires_on": cells.parse_date,
        "employer_name": free_text,
        "employer_npwp": cells.parse_npwp,
        "position": free_text,
        "address": partial(cells.clean_text, multiline=True),
        "regency": partial(cells.parse_regency, regencies=regencies),
        "permit_kind": cells.parse_permit_kind,
        "visa_index": cells.parse_visa_index,
        "permit_number": cells.parse_permit_number,
        "permit_issued_on": cells.parse_date,
        "permit_expires_on": cells.parse_date,
    }


def normalise_row(raw: RawRow, regencies: Sequence[str]) -> ImportRow | RowErrors:
    """The row's normalised values, or every problem found in it (never only the first).

    ``regencies`` are the official names of the office's working area (``Settings.regencies``).
    """
    problems: list[CellProblem] = []

    def problem(field_name: str | None, reason: Reason) -> None:
        column = COLUMNS_BY_FIELD.get(field_name or "")
        header = raw.headers.get(field_name or "") or (column.indonesian if column else "")
        problems.append(CellProblem(raw.line, field_name, header, reason))

    if raw.overflow:
        problem(None, _overflow_reason(raw.overflow))
    values: dict[str, object] = {}
    for name, parse in _parsers(tuple(regencies)).items():
        text = raw.values.get(name)
        if text is None or cells.is_blank(text):
            if COLUMNS_BY_FIELD[name].required:
                problem(name, Reason("wajib diisi", "must be filled in"))
            continue
        try:
            values[name] = parse(text)
        except CellError as error:
            problem(name, error.reason)
    for field_name, reason in _cross_field_problems(values, raw.values):
        problem(field_name, reason)
    if problems:
        return RowErrors(raw.line, tuple(problems))
    values.setdefault("passport_issuing_country", values["nationality"])
    return ImportRow(line=raw.line, **values)  # type: ignore[arg-type]


def _overflow_reason(overflow: tuple[str, ...]) -> Reason:
    extra = "; ".join(overflow)
    return Reason(
        f"baris berisi sel lebih banyak daripada judul kolom ({extra}); kemungkinan ada koma atau "
        "titik koma dalam nilai tanpa tanda kutip",
        f"the row has more cells than there are headers ({extra}); a value probably contains a "
        "comma or semicolon without quotes",
    )


def _cross_field_problems(
    values: Mapping[str, object], texts: Mapping[str, str]
) -> list[tuple[str, Reason]]:
    """Problems between cells that are each valid alone: dates out of order, a half permit."""
    found: list[tuple[str, Reason]] = []
    ordered = (
        ("date_of_birth", "passport_issued_on", "tanggal lahir", "date of birth"),
        ("passport_issued_on", "passport_expires_on", "tanggal terbit paspor", "passport issue"),
        ("permit_issued_on", "permit_expires_on", "tanggal terbit izin", "permit issue"),
    )
    for earlier, later, earlier_id, earlier_en in ordered:
        first, second = values.get(earlier), values.get(later)
        if isinstance(first, date) and isinstance(second, date) and second <= first:
            found.append(
                (later, Reason(f"harus sesudah {earlier_id}", f"must be after the {earlier_en}"))
            )
    filled = [name for name in PERMIT_FIELDS if not cells.is_blank(texts.get(name))]
    if filled:
        for name in PERMIT_FIELDS:
            if name not in filled:
                found.append(
                    (
                        name,
                        Reason(
                            "wajib diisi bila ada data izin tinggal",
                            "must be filled in when the row has a stay permit",
                        ),
                    )
                )
    return found
