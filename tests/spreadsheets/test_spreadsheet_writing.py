"""Export: the file the writer produces is read back by the import unchanged (round trip)."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import replace
from datetime import date, datetime

import pytest

from tka_registry.settings import DEFAULT_REGENCIES
from tka_registry.spreadsheets.columns import COLUMNS, ImportRow, normalise_row
from tka_registry.spreadsheets.reading import open_workers_csv
from tka_registry.spreadsheets.writing import iter_workers_csv, write_workers_csv

ZHANG = ImportRow(
    line=2,
    full_name="Zhang Wei",
    sex="M",
    date_of_birth=date(1985, 3, 12),
    nationality="CHN",
    passport_number="E12345678",
    passport_issuing_country="CHN",
    passport_expires_on=date(2033, 1, 31),
    place_of_birth="Chongqing",
    passport_issued_on=date(2023, 2, 1),
    employer_name='PT Pupuk Sriwidjaja, "Pusri"; Palembang',
    employer_npwp="013121660091000",
    position="Process Engineer",
    address="Jl. Mayor Zen No. 1\nKalidoni",
    regency="Kota Palembang",
    permit_kind="ITAS",
    visa_index="E23C",
    permit_number="2C11AB1234-X",
    permit_issued_on=date(2026, 1, 5),
    permit_expires_on=date(2027, 1, 4),
)
SIOBHAN = ImportRow(
    line=3,
    full_name="Siobhán O'Brien",
    sex="F",
    date_of_birth=date(1990, 12, 31),
    nationality="GBR",
    passport_number="123456789",
    passport_issuing_country="GBR",
    passport_expires_on=date(2030, 6, 1),
    address='=HYPERLINK("http://evil")',
    position="-",
)


def read_back(data: bytes) -> list[ImportRow]:
    rows = []
    with open_workers_csv(io.BytesIO(data)) as sheet:
        for raw in sheet:
            result = normalise_row(raw, DEFAULT_REGENCIES)
            assert isinstance(result, ImportRow), result
            rows.append(result)
    return rows


@pytest.mark.parametrize(("language", "delimiter"), [("id", ","), ("en", ","), ("id", ";")])
def test_round_trip_reads_back_unchanged(language: str, delimiter: str) -> None:
    stream = io.BytesIO()
    count = write_workers_csv(
        [ZHANG.as_record(), SIOBHAN.as_record()], stream, language=language, delimiter=delimiter
    )
    assert count == 2
    assert read_back(stream.getvalue()) == [
        ZHANG,
        replace(SIOBHAN, line=4),
    ]  # address spans 2 lines


def test_export_is_utf8_with_bom_and_canonical_headers_and_iso_dates() -> None:
    data = b"".join(iter_workers_csv([ZHANG.as_record()]))
    assert data.startswith(codecs.BOM_UTF8)
    text = data[3:].decode("utf-8")
    header = text.split("\r\n", 1)[0]
    assert header.split(",") == [column.indonesian for column in COLUMNS]
    assert "1985-03-12" in text and "2027-01-04" in text
    english = b"".join(iter_workers_csv([], language="en"))[3:].decode()
    assert english.startswith("Full Name,Sex,Date of Birth,")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ["Laki-laki", "Tiongkok", "Tiongkok", "Izin Tinggal Terbatas"]),
        ("en", ["Male", "China", "China", "Limited Stay Permit"]),
    ],
)
def test_codes_are_written_as_words_of_the_language(language: str, words: list[str]) -> None:
    text = b"".join(iter_workers_csv([ZHANG.as_record()], language=language)).decode("utf-8-sig")
    row = next(itertools.islice(csv.reader(io.StringIO(text)), 1, None))
    assert [row[1], row[4], row[6], row[14]] == words


def test_formula_like_cells_are_guarded() -> None:
    text = b"".join(iter_workers_csv([SIOBHAN.as_record()])).decode("utf-8-sig")
    assert ",'=HYPERLINK" in text.replace('"', "")
    assert ",'-," in text


def test_database_values_are_accepted() -> None:
    record = {**ZHANG.as_record(), "id": 17, "permit_issued_on": datetime(2026, 1, 5, 9, 30)}
    text = b"".join(iter_workers_csv([record])).decode("utf-8-sig")
    assert "2026-01-05," in text and "17" not in text.split("\r\n")[1].split(",")


def test_export_streams_in_chunks() -> None:
    chunks = list(iter_workers_csv(ZHANG.as_record() for _ in range(1_200)))
    assert len(chunks) == 1 + 3  # header, then 500 + 500 + 200 rows
