"""Normalising whole rows: every problem of a row at once, with line and header as written."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from tests.spreadsheets.files import csv_bytes
from tka_registry.settings import DEFAULT_REGENCIES
from tka_registry.spreadsheets.columns import (
    COLUMNS,
    HEADER_FIELDS,
    ImportRow,
    RawRow,
    RowErrors,
    field_for_header,
    header_key,
    normalise_row,
)
from tka_registry.spreadsheets.reading import open_workers_csv

GOOD = {
    "full_name": "ZHANG WEI",
    "sex": "L",
    "date_of_birth": "12/03/1985",
    "nationality": "Tiongkok",
    "passport_number": "E 1234 5678",
    "passport_expires_on": "2033-01-31",
}
HEADERS = {name: f"[{name}]" for name in HEADER_FIELDS.values()}


def normalise(**changes: str) -> ImportRow | RowErrors:
    return normalise_row(RawRow(7, {**GOOD, **changes}, HEADERS), DEFAULT_REGENCIES)


def test_good_row_is_normalised() -> None:
    row = normalise(regency="Palembang", employer_npwp="01.312.166.0-091.000", address="-")
    assert row == ImportRow(
        line=7,
        full_name="Zhang Wei",
        sex="M",
        date_of_birth=date(1985, 3, 12),
        nationality="CHN",
        passport_number="E12345678",
        passport_issuing_country="CHN",
        passport_expires_on=date(2033, 1, 31),
        regency="Kota Palembang",
        employer_npwp="013121660091000",
    )


def test_issuing_country_given_overrides_nationality() -> None:
    row = normalise(passport_issuing_country="Hong Kong")
    assert isinstance(row, ImportRow) and row.passport_issuing_country == "HKG"


def test_all_problems_of_a_row_are_reported_in_column_order() -> None:
    result = normalise(
        sex="X", nationality="Atlantis", passport_expires_on="31/02/2033", full_name=""
    )
    assert isinstance(result, RowErrors)
    assert result.line == 7
    assert [(p.line, p.field, p.header) for p in result.problems] == [
        (7, "full_name", "[full_name]"),
        (7, "sex", "[sex]"),
        (7, "nationality", "[nationality]"),
        (7, "passport_expires_on", "[passport_expires_on]"),
    ]
    assert result.problems[0].reason.english == "must be filled in"


def test_dates_in_the_wrong_order() -> None:
    result = normalise(
        passport_issued_on="01/02/2023", passport_expires_on="01/02/2023",
        permit_kind="ITAS", permit_number="2C11AB1234", permit_issued_on="2025-01-01",
        permit_expires_on="2024-12-31",
    )  # fmt: skip
    assert isinstance(result, RowErrors)
    assert [(p.field, p.reason.indonesian) for p in result.problems] == [
        ("passport_expires_on", "harus sesudah tanggal terbit paspor"),
        ("permit_expires_on", "harus sesudah tanggal terbit izin"),
    ]


def test_passport_issued_one_day_after_birth_is_accepted() -> None:
    row = normalise(date_of_birth="01/01/2020", passport_issued_on="02/01/2020")
    assert isinstance(row, ImportRow)
    assert isinstance(normalise(date_of_birth="01/01/2020", passport_issued_on="01/01/2020"),
                      RowErrors)  # fmt: skip


def test_half_a_permit_names_the_missing_permit_cells() -> None:
    result = normalise(permit_number="2C11AB1234")
    assert isinstance(result, RowErrors)
    assert [p.field for p in result.problems] == ["permit_kind", "permit_expires_on"]


def test_complete_permit() -> None:
    row = normalise(permit_kind="KITAS", permit_number="2c11ab1234", visa_index="e23b",
                    permit_issued_on="5 Jan 2026", permit_expires_on="4 Januari 2027")  # fmt: skip
    assert isinstance(row, ImportRow) and row.has_permit
    assert (row.permit_kind, row.permit_number, row.visa_index) == ("ITAS", "2C11AB1234", "E23B")
    assert (row.permit_issued_on, row.permit_expires_on) == (date(2026, 1, 5), date(2027, 1, 4))


def test_overflowing_cells_are_a_row_error_without_a_column() -> None:
    raw = RawRow(3, GOOD, HEADERS, overflow=("No. 5",))
    result = normalise_row(raw, DEFAULT_REGENCIES)
    assert isinstance(result, RowErrors)
    assert result.problems[0].field is None
    assert "No. 5" in result.problems[0].reason.indonesian


def test_header_as_written_in_the_file_is_reported() -> None:
    data = csv_bytes(
        ["NAMA;L/P;Tgl Lahir;WN;Passport No;Masa Berlaku Paspor",
         "BUDI;L;1/1/90;Inggris;123456789;2030-01-01"]
    )  # fmt: skip
    with open_workers_csv(io.BytesIO(data)) as sheet:
        (result,) = [normalise_row(raw, DEFAULT_REGENCIES) for raw in sheet]
    assert isinstance(result, RowErrors)
    problems = [(p.line, p.header) for p in result.problems]
    assert problems == [(2, "Tgl Lahir")]
    assert "tahun dua digit" in result.problems[0].reason.indonesian


def test_every_header_is_unique_across_columns() -> None:
    keys = [header_key(h) for column in COLUMNS for h in column.accepted_headers]
    assert len(keys) == len(set(keys))
    assert field_for_header(" NO.  PASPOR ") == "passport_number"
    assert field_for_header("Kewarganegaraan (Nationality)") is None


def test_every_accepted_header_is_documented() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "import-columns.md").read_text(encoding="utf-8")
    table = {line.split("|")[1].strip(" `"): line for line in doc.splitlines() if "| `" in line}
    for column in COLUMNS:
        row = table[column.field]
        for header in column.accepted_headers:
            assert f" {header} " in row or f" {header}," in row, (column.field, header)
        assert ("wajib" in row.split("|")[5]) == column.required
