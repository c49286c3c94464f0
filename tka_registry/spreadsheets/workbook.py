"""Reading a workers sheet from an Excel workbook (.xlsx), one row at a time, and telling a
workbook from a CSV file.

openpyxl in read-only mode opens the workbook; rows are parsed from the sheet's XML as a stream
(:class:`_RowParser` drops each row once read), so memory does not grow with the rows. The header
row may sit below title rows (merged title cells keep their text in the first cell only): it is
the first of the top :data:`HEADER_SEARCH_ROWS` rows naming at least :data:`HEADER_MIN_KNOWN`
registry columns. Date cells become ISO dates, which :func:`cells.parse_date` reads like any
typed date; text dates are read as in a CSV file. Formulas are never evaluated: the value Excel
saved with the file is read, and a formula saved without one refuses the file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Generator, Iterator
from datetime import date, datetime, time
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from tka_registry.spreadsheets.cells import Reason
from tka_registry.spreadsheets.columns import RawRow, field_for_header
from tka_registry.spreadsheets.reading import (
    CHUNK_BYTES,
    SPOOL_MEMORY_BYTES,
    Layout,
    OpenSheet,
    SpreadsheetRefused,
    WorkersSheet,
    match_headers,
)

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old .xls, and the envelope of an encrypted .xlsx
# A workbook this large is not an office list; it is refused before it is opened (a 100,000-row
# workbook is about 6 MB). The sheet's XML is bounded too, against a zip bomb.
WORKBOOK_MAX_BYTES = 32 << 20
SHEET_XML_MAX_BYTES = 1 << 30
HEADER_SEARCH_ROWS = 20
HEADER_MIN_KNOWN = 3
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
_INLINE_TAG = f"{{{SHEET_MAIN_NS}}}is"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"
# (row number, cells as openpyxl's parser gives them) for each row of a sheet's XML.
_Rows = Generator[tuple[int, list[dict[str, Any]]], None, None]
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# What openpyxl and the zip and XML layers raise for a damaged file.
_DAMAGED = (zipfile.BadZipFile, InvalidFileException, ParseError, KeyError, ValueError, OSError,
            TypeError, IndexError, EOFError)  # fmt: skip

_CORRUPTED = Reason(
    "buku kerja Excel ini rusak dan tidak dapat dibaca; buka di Excel lalu simpan ulang",
    "this Excel workbook is damaged and cannot be read; open it in Excel and save it again",
)
_ENCRYPTED = Reason(
    "buku kerja ini dilindungi kata sandi (terenkripsi); buka di Excel, hapus kata sandinya "
    "(File > Info > Proteksi Buku Kerja) lalu simpan ulang",
    "this workbook is protected by a password (encrypted); open it in Excel, remove the password "
    "(File > Info > Protect Workbook) and save it again",
)
_OLD_XLS = Reason(
    "berkas ini buku kerja Excel lama (XLS); di Excel pilih Simpan Sebagai > Buku Kerja Excel "
    "(.xlsx) atau CSV UTF-8",
    "this file is an old Excel workbook (XLS); in Excel use Save As > Excel Workbook (.xlsx) or "
    "CSV UTF-8",
)
_NOT_WORKBOOK = Reason(
    "berkas ini arsip ZIP, bukan buku kerja Excel (.xlsx) atau CSV",
    "this file is a ZIP archive, not an Excel workbook (.xlsx) or CSV file",
)


def open_workers_file(
    source: str | os.PathLike[str] | IO[bytes], sheet: str | None = None
) -> OpenSheet:
    """Open a workers list, an Excel workbook or a CSV file told apart by their first bytes,
    and read its header. ``sheet`` names the workbook's sheet (default: the first with
    recognisable headers); a CSV file has none. Raises :class:`SpreadsheetRefused`."""
    binary, owned = _seekable(source)
    try:
        head = binary.read(len(ZIP_SIGNATURE))
        binary.seek(0)
        if head == OLE_SIGNATURE:
            raise SpreadsheetRefused(_ENCRYPTED if _is_encrypted(binary) else _OLD_XLS)
        if head == ZIP_SIGNATURE:
            return WorkbookSheet(binary, owned, sheet)
        if sheet:
            raise SpreadsheetRefused(
                Reason(
                    "berkas CSV tidak memiliki lembar; --sheet hanya untuk buku kerja Excel",
                    "a CSV file has no sheets; --sheet is for Excel workbooks only",
                )
            )
        return WorkersSheet(binary, owned)
    except BaseException:
        if owned:
            binary.close()
        raise


def _seekable(source: str | os.PathLike[str] | IO[bytes]) -> tuple[IO[bytes], bool]:
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True
    if source.seekable():
        return source, False
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    shutil.copyfileobj(source, spool, CHUNK_BYTES)
    spool.seek(0)
    return spool, True


def _is_encrypted(binary: IO[bytes]) -> bool:
    """An OLE compound file holding an ``EncryptionInfo`` stream: Office's envelope of a
    password-protected workbook (MS-OFFCRYPTO 2.3.4)."""
    tail = b""
    while chunk := binary.read(CHUNK_BYTES):
        if _ENCRYPTION_INFO in tail + chunk:
            return True
        tail = chunk[-len(_ENCRYPTION_INFO) :]
    return False


class _RowParser(WorkSheetParser):
    """openpyxl's sheet parser reading cached values only, keeping no parsed row in memory
    and refusing a formula that was saved without its value."""

    def parse(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        data: Any = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == _DATA_TAG:
                    data = element
                continue
            if element.tag == _ROW_TAG:
                row = self.parse_row(element)
                if data is not None:
                    data.clear()  # the parent would keep every parsed row otherwise
                yield row

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.find(_FORMULA_TAG) is not None and not _has_saved_value(element):
            where = element.get("r", "")
            raise SpreadsheetRefused(
                Reason(
                    f"sel {where} berisi rumus tanpa nilai tersimpan (rumus tidak dihitung oleh "
                    "registri); buka buku kerja di Excel, simpan ulang, lalu unggah lagi",
                    f"cell {where} holds a formula saved without its value (the registry does "
                    "not compute formulas); open the workbook in Excel, save it, and upload it "
                    "again",
                )
            )
        if element.get("t") == "inlineStr":
            return self._inline_string(element)
        return super().parse_cell(element)

    def _inline_string(self, element: Any) -> dict[str, Any]:
        """A cell holding its text in place (as XlsxWriter's constant-memory mode writes every
        text): the text of its runs, read straight from the XML. openpyxl builds a rich-text
        object per such cell, which took a third of the time of reading a workbook."""
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        inline = element.find(_INLINE_TAG)
        parts = []
        for child in () if inline is None else inline:
            if child.tag == _RUN_TAG:  # a formatted run; phonetic runs (rPh) are not text
                child = child.find(_TEXT_TAG)
            if child is not None and child.tag == _TEXT_TAG:
                parts.append(child.text or "")
        value = "".join(parts) if inline is not None else None
        style = int(element.get("s", 0) or 0)
        return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": style}


def _has_saved_value(element: Any) -> bool:
    """Whether a formula cell carries the value its program computed: Excel saves an empty text
    result as ``t="str"`` with an empty ``<v>``; a program that computes nothing (openpyxl,
    scripts) saves no ``<v>`` or an empty one on a number cell."""
    value = element.find(_VALUE_TAG)
    if value is None:
        return False
    return bool(value.text) or element.get("t") == "str"


def cell_text(value: object) -> str:
    """A cell's value as the text a CSV file would hold: dates in ISO form, whole numbers
    without a decimal point (a passport number typed as a number), nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class WorkbookSheet(OpenSheet):
    """One sheet of an open workbook; iterate it for :class:`RawRow` objects (line = the
    sheet's row number) and close it when done. Build it with :func:`open_workers_file`."""

    def __init__(self, binary: IO[bytes], owned: bool, sheet: str | None) -> None:
        self._binary = binary
        self._owned = owned
        self._rows: _Rows | None = None
        try:
            self._workbook = self._open_workbook()
            self.layout, self._fields, self._rows = self._find_sheet(sheet)
        except _DAMAGED:
            self.close()
            raise SpreadsheetRefused(_CORRUPTED) from None
        except BaseException:
            self.close()
            raise

    def _open_workbook(self) -> Any:
        self._binary.seek(0, os.SEEK_END)
        size = self._binary.tell()
        self._binary.seek(0)
        if size > WORKBOOK_MAX_BYTES:
            limit = WORKBOOK_MAX_BYTES >> 20
            raise SpreadsheetRefused(
                Reason(
                    f"buku kerja terlalu besar ({size / (1 << 20):.0f} MB, paling banyak "
                    f"{limit} MB); bagi menjadi beberapa berkas",
                    f"the workbook is too large ({size / (1 << 20):.0f} MB, at most {limit} MB); "
                    "split it into several files",
                )
            )
        archive = zipfile.ZipFile(self._binary)
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise SpreadsheetRefused(_NOT_WORKBOOK)
        if any(info.file_size > SHEET_XML_MAX_BYTES for info in archive.infolist()):
            raise SpreadsheetRefused(_CORRUPTED)
        self._binary.seek(0)
        return load_workbook(self._binary, read_only=True, data_only=True)

    def _find_sheet(self, wanted: str | None) -> tuple[Layout, list[str | None], _Rows]:
        sheets = list(self._workbook.worksheets)
        names = ", ".join(sheet.title for sheet in sheets)
        if wanted is not None:
            chosen = [s for s in sheets if s.title.strip().lower() == wanted.strip().lower()]
            if not chosen:
                raise SpreadsheetRefused(
                    Reason(
                        f'lembar "{wanted}" tidak ada di buku kerja ini; lembar: {names}',
                        f'there is no sheet "{wanted}" in this workbook; sheets: {names}',
                    )
                )
            sheets = chosen
        for sheet in sheets:
            rows = self._sheet_rows(sheet)
            header = _header_row(rows)
            if header is not None:
                layout, fields = match_headers(header, "xlsx", "", sheet.title)
                return layout, fields, rows
            rows.close()
        raise SpreadsheetRefused(
            Reason(
                f"tidak ada judul kolom yang dikenali di {HEADER_SEARCH_ROWS} baris pertama "
                f"lembar {names}; judul seperti Nama Lengkap, No. Paspor, Kewarganegaraan",
                f"no recognisable column headers in the first {HEADER_SEARCH_ROWS} rows of "
                f"sheet {names}; headers such as Full Name, Passport Number, Nationality",
            )
        )

    def _sheet_rows(self, sheet: Any) -> _Rows:
        workbook = self._workbook
        source = sheet._get_source()
        parser = _RowParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        try:
            yield from parser.parse()
        finally:
            source.close()

    def __iter__(self) -> Iterator[RawRow]:
        """Data rows one by one; blank rows are skipped."""
        assert self._rows is not None, "sheet is closed"
        headers = self.layout.headers
        fields = self._fields
        try:
            for number, cells in self._rows:
                values: dict[str, str] = {}
                overflow: list[str] = []
                for cell in cells:
                    text = cell_text(cell["value"])
                    if not text.strip():
                        continue
                    index = cell["column"] - 1
                    name = fields[index] if index < len(fields) else None
                    if name is not None:
                        values[name] = text
                    elif index >= len(fields):
                        overflow.append(text)
                if values or overflow:
                    yield RawRow(number, values, headers, tuple(overflow))
        except _DAMAGED:
            raise SpreadsheetRefused(_CORRUPTED) from None

    def close(self) -> None:
        """Release the workbook; a stream handed in by the caller stays open."""
        if self._rows is not None:
            self._rows.close()
            self._rows = None
        workbook = getattr(self, "_workbook", None)
        if workbook is not None:
            workbook.close()
        if self._owned:
            self._binary.close()


def _header_row(rows: Iterator[tuple[int, list[dict[str, Any]]]]) -> list[str] | None:
    """The header texts by column (from column A), when one of the top rows names enough
    registry columns; the rows iterator then stands just after it."""
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        texts: list[str] = []
        for cell in cells:
            texts += [""] * (cell["column"] - 1 - len(texts))
            texts.append(cell_text(cell["value"]))
        known = sum(field_for_header(text) is not None for text in texts if text.strip())
        if known >= HEADER_MIN_KNOWN:
            return texts
    return None
