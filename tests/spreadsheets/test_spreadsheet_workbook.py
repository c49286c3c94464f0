"""Reading Excel workbooks: header below title rows, date cells, sheets, formulas, refusals."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from tests.spreadsheets.office import office_employers, run_import
from tests.spreadsheets.workbooks import (
    office_workbook,
    with_cached_values,
    workbook_bytes,
)
from tka_registry.settings import Settings
from tka_registry.spreadsheets.reading import SpreadsheetRefused
from tka_registry.spreadsheets.workbook import WORKBOOK_MAX_BYTES, open_workers_file
from tka_registry.workers.tables import Passport, Worker


def read(data: bytes, sheet: str | None = None) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    with open_workers_file(io.BytesIO(data), sheet) as opened:
        return opened.layout.sheet, [(raw.line, dict(raw.values)) for raw in opened]


def test_header_below_merged_title_rows_and_date_cells_as_dates() -> None:
    with open_workers_file(io.BytesIO(workbook_bytes(office_workbook()))) as opened:
        layout = opened.layout
        rows = [(raw.line, dict(raw.values)) for raw in opened]
    assert layout.encoding == "xlsx" and layout.sheet == "TKA 2026"
    assert layout.headers["date_of_birth"] == "Tgl. Lahir"
    assert layout.ignored_headers == ("No", "Keterangan")
    # Line numbers are the sheet's row numbers (title 1, date 2, blank 3, header 4).
    assert [line for line, _ in rows] == [5, 6]
    first, second = rows[0][1], rows[1][1]
    assert first["date_of_birth"] == "1985-03-12" and first["passport_issued_on"] == "2023-02-01"
    assert second["date_of_birth"] == "3 Agt 1990"  # a text date is read as in a CSV file
    assert second["passport_number"] == "987654321"  # typed as a number, read without ".0"
    assert "employer_name" not in second


def test_the_first_sheet_with_headers_is_read_unless_one_is_named() -> None:
    data = workbook_bytes(office_workbook(notes_sheet_first=True))
    assert read(data)[0] == "TKA 2026"
    assert read(data, "tka 2026")[0] == "TKA 2026"
    with pytest.raises(SpreadsheetRefused, match="judul kolom yang dikenali"):
        read(data, "Catatan")
    with pytest.raises(SpreadsheetRefused) as caught:
        read(data, "Lembar9")
    assert caught.value.reason.english == (
        'there is no sheet "Lembar9" in this workbook; sheets: Catatan, TKA 2026'
    )


def test_formulas_give_their_saved_values_and_are_never_computed() -> None:
    workbook = office_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["J5"] = '=IF(C5="L","pria","wanita")'
    sheet["I6"] = '=UPPER("chemist")'
    computed = with_cached_values(workbook_bytes(workbook), {"J5": "pria", "I6": "CHEMIST"})
    rows = dict(read(computed)[1])
    assert rows[6]["position"] == "CHEMIST"  # Excel's saved value
    with pytest.raises(SpreadsheetRefused) as caught:
        read(workbook_bytes(workbook))  # saved by a program that computes nothing
    assert "sel J5 berisi rumus tanpa nilai tersimpan" in caught.value.reason.indonesian


def encrypted_envelope() -> bytes:
    """The start of an OLE compound file whose directory names Office's ``EncryptionInfo``
    stream, as Excel saves a workbook protected by a password (MS-OFFCRYPTO 2.3.4)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
    return header + bytes(512) + entry + "EncryptedPackage".encode("utf-16-le")


def oversized_workbook() -> bytes:
    """A real workbook carrying more than the limit (a picture-like stored member)."""
    buffer = io.BytesIO(workbook_bytes(office_workbook()))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/scan.bin", bytes(WORKBOOK_MAX_BYTES))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (encrypted_envelope, "dilindungi kata sandi"),
        (lambda: workbook_bytes(office_workbook()).replace(b"PK\x01\x02", b"XX\x01\x02"), "rusak"),
        (lambda: workbook_bytes(office_workbook())[:-200], "rusak"),
        (
            lambda: workbook_bytes(office_workbook(header=["Kolom A", "Kolom B"])),
            "tidak ada judul kolom yang dikenali",
        ),
        (
            lambda: workbook_bytes(office_workbook(header=["Nama", "JK", "Jabatan"])),
            "kolom wajib tidak ada",
        ),
        (oversized_workbook, "buku kerja terlalu besar"),
        (lambda: b"\x89PNG\r\n\x1a\n" + bytes(100), "bukan teks CSV"),
    ],
)
def test_bad_workbooks_are_refused_whole_with_the_reason(
    build: Callable[[], bytes], reason: str
) -> None:
    with pytest.raises(SpreadsheetRefused, match=reason):
        read(build())


async def test_a_workbook_imports_like_its_csv_and_twice_changes_nothing(
    db: str, settings: Settings, tmp_path: Path
) -> None:
    pusri, *_ = await office_employers(settings)
    path = tmp_path / "kantor.xlsx"
    path.write_bytes(workbook_bytes(office_workbook()))
    report = await run_import(path, settings)
    assert report.committed and report.counts["imported"] == 2, report.rows
    workers = await Worker.select(Worker.full_name, Worker.date_of_birth, Worker.employer)
    assert sorted((w["full_name"], w["date_of_birth"], w["employer"]) for w in workers) == [
        ("Li Na", date(1990, 8, 3), None),
        ("Zhang Wei", date(1985, 3, 12), pusri),
    ]
    assert await Passport.count() == 2
    again = await run_import(path, settings)
    assert again.counts == {"imported": 0, "updated": 0, "unchanged": 2, "rejected": 0}


def test_inline_text_cells_and_their_formatted_runs_are_read_as_openpyxl_reads_them() -> None:
    # XlsxWriter's constant-memory mode (the registry's own export) writes every text in place.
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("TKA")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, ["Nama Lengkap", "Jenis Kelamin", "Tanggal Lahir", "Kewarganegaraan",
                           "No. Paspor"])  # fmt: skip
    sheet.write_rich_string(1, 0, "Zhang ", bold, "Wei", " Jr")
    sheet.write_row(1, 1, ["L", "1985-03-12", "  Tiongkok ", "E1234567"])
    book.close()
    _, rows = read(buffer.getvalue())
    assert rows[0][1] == {"full_name": "Zhang Wei Jr", "sex": "L", "date_of_birth": "1985-03-12",
                          "nationality": "  Tiongkok ", "passport_number": "E1234567"}  # fmt: skip
    bare = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).active
    assert bare is not None
    assert list(next(bare.iter_rows(min_row=2, values_only=True))) == [
        "Zhang Wei Jr", "L", "1985-03-12", "  Tiongkok ", "E1234567"
    ]  # fmt: skip
