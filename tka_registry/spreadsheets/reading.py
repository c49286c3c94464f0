"""Reading a workers CSV file as the office's spreadsheets save it, one row at a time.

The encoding (UTF-8 with or without BOM, else Windows-1252) and the delimiter (comma or
semicolon) are detected; headers are matched by :func:`columns.field_for_header`. A file that
cannot be a workers list is refused whole with :class:`SpreadsheetRefused`. Memory stays flat:
the file is read in chunks, rows are yielded one by one.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType, TracebackType
from typing import IO, Self

from tka_registry.spreadsheets.cells import Reason
from tka_registry.spreadsheets.columns import COLUMNS, RawRow, field_for_header

CHUNK_BYTES = 256 * 1024
# Uploads that cannot seek are copied to a temporary file; this much stays in memory.
SPOOL_MEMORY_BYTES = 5 << 20
DELIMITERS = (",", ";")

# Leading bytes of files that are not CSV, with what to tell the clerk.
_SIGNATURES: tuple[tuple[bytes, Reason], ...] = (
    (b"%PDF", Reason("berkas ini PDF, bukan CSV", "this file is a PDF, not a CSV file")),
    (
        codecs.BOM_UTF16_LE,
        Reason(
            "berkas ini teks UTF-16 (Unicode Text), bukan CSV; di Excel pilih "
            "Simpan Sebagai > CSV UTF-8",
            "this file is UTF-16 text (Unicode Text), not CSV; in Excel use Save As > CSV UTF-8",
        ),
    ),
)
_BINARY = Reason(
    "berkas ini bukan teks CSV (berisi data biner)",
    "this file is not CSV text (it contains binary data)",
)
_EMPTY = Reason("berkas kosong", "the file is empty")


class SpreadsheetRefused(Exception):
    """The whole file is refused; ``reason`` says why."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.indonesian)
        self.reason = reason


@dataclass(frozen=True)
class Layout:
    """What was detected about a file: encoding, delimiter and which column is which.

    A workbook has ``encoding`` "xlsx", no delimiter, and the ``sheet`` read."""

    encoding: str
    delimiter: str
    headers: Mapping[str, str]
    ignored_headers: tuple[str, ...]
    sheet: str = ""


class OpenSheet:
    """A workers list being read (CSV or a workbook's sheet): its ``layout``, its rows when
    iterated, and a context manager that closes it."""

    layout: Layout

    def __iter__(self) -> Iterator[RawRow]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class WorkersSheet(OpenSheet):
    """An open workers CSV file. Iterate it for :class:`RawRow` objects; close it when done
    (it is a context manager). Build it with :func:`open_workers_csv`."""

    def __init__(self, binary: IO[bytes], owned: bool) -> None:
        self._binary = binary
        self._owned = owned
        self._text: io.TextIOWrapper | None = None
        try:
            self.layout, self._header_lines, self._fields = self._read_header()
        except BaseException:
            self.close()
            raise

    def _read_header(self) -> tuple[Layout, int, list[str | None]]:
        encoding = _detect_encoding(self._binary)
        self._text = io.TextIOWrapper(self._binary, encoding=encoding, newline="")
        header_text, header_lines = _first_record_text(self._text)
        if header_text.strip().lower().startswith("sep=") and len(header_text.strip()) == 5:
            delimiter = header_text.strip()[4]  # Excel's "sep=;" hint line
            header_text, more_lines = _first_record_text(self._text)
            header_lines += more_lines
        else:
            delimiter = _detect_delimiter(header_text)
        if not header_text.strip():
            raise SpreadsheetRefused(_EMPTY)
        written = next(csv.reader([header_text], delimiter=delimiter), [])
        layout, fields = match_headers(written, encoding, delimiter)
        return layout, header_lines, fields

    def __iter__(self) -> Iterator[RawRow]:
        """Data rows one by one; blank lines are skipped, line numbers count from the header."""
        assert self._text is not None, "sheet is closed"
        reader = csv.reader(self._text, delimiter=self.layout.delimiter)
        headers = self.layout.headers
        width = len(self._fields)
        previous_end = self._header_lines
        try:
            for cells in reader:
                line = previous_end + 1
                previous_end = self._header_lines + reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                values = {
                    name: cell
                    for name, cell in zip(self._fields, cells, strict=False)
                    if name is not None
                }
                overflow = tuple(cell for cell in cells[width:] if cell.strip())
                yield RawRow(line, values, headers, overflow)
        except csv.Error as error:
            raise SpreadsheetRefused(
                Reason(
                    f"baris {previous_end + 1} tidak dapat dibaca sebagai CSV ({error})",
                    f"line {previous_end + 1} cannot be read as CSV ({error})",
                )
            ) from None
        except UnicodeDecodeError:
            raise SpreadsheetRefused(_encoding_refused()) from None

    def close(self) -> None:
        """Release the file; a stream handed in by the caller stays open."""
        if self._text is not None:
            self._text.detach()
            self._text = None
        if self._owned:
            self._binary.close()


def open_workers_csv(source: str | os.PathLike[str] | IO[bytes]) -> WorkersSheet:
    """Open a workers CSV file (a path, or a binary stream such as an upload) and read its
    header. Raises :class:`SpreadsheetRefused` for a file that is not a usable workers list."""
    if isinstance(source, str | os.PathLike):
        return WorkersSheet(open(source, "rb"), owned=True)
    if source.seekable():
        return WorkersSheet(source, owned=False)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    shutil.copyfileobj(source, spool, CHUNK_BYTES)
    spool.seek(0)
    return WorkersSheet(spool, owned=True)


def _detect_encoding(binary: IO[bytes]) -> str:
    """``utf-8-sig`` when the whole file is valid UTF-8 (BOM or not), else ``cp1252``.

    The file is scanned once in chunks and rewound, so a stray Windows-1252 byte on the last
    line is not found only half-way through an import.
    """
    start = binary.tell()
    head = binary.read(CHUNK_BYTES)
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise SpreadsheetRefused(_EMPTY)
    for signature, reason in _SIGNATURES:
        if head.startswith(signature):
            raise SpreadsheetRefused(reason)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_valid, cp1252_valid = True, True
    chunk = head
    while chunk:
        if b"\x00" in chunk:
            raise SpreadsheetRefused(_BINARY)
        utf8_valid = utf8_valid and _decodes(utf8, chunk)
        cp1252_valid = cp1252_valid and _decodes(cp1252, chunk)
        chunk = binary.read(CHUNK_BYTES)
    utf8_valid = utf8_valid and _decodes(utf8, b"", final=True)
    binary.seek(start)
    if utf8_valid:
        return "utf-8-sig"
    if cp1252_valid:
        return "cp1252"
    raise SpreadsheetRefused(_encoding_refused())


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def _encoding_refused() -> Reason:
    return Reason(
        "berkas bukan UTF-8 maupun Windows-1252; di Excel pilih Simpan Sebagai > CSV UTF-8",
        "the file is neither UTF-8 nor Windows-1252; in Excel use Save As > CSV UTF-8",
    )


def _first_record_text(text: IO[str]) -> tuple[str, int]:
    """The first non-blank record's text (a quoted header may span lines) and lines consumed."""
    record, consumed = "", 0
    for line in iter(text.readline, ""):
        consumed += 1
        if not record and not line.strip():
            continue
        record += line
        if record.count('"') % 2 == 0:
            break
    return record, consumed


def _detect_delimiter(header_text: str) -> str:
    """The delimiter that splits the header into the most known column names (quotes
    respected); on a tie, the one giving more columns, then comma."""

    def score(delimiter: str) -> tuple[int, int]:
        written = next(csv.reader([header_text], delimiter=delimiter), [])
        known = sum(field_for_header(header) is not None for header in written)
        return known, len(written)

    return max(DELIMITERS, key=score)


def match_headers(
    written: list[str], encoding: str, delimiter: str, sheet: str = ""
) -> tuple[Layout, list[str | None]]:
    """Each written header's field (None for ignored), refusing duplicates and missing columns."""
    fields: list[str | None] = []
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for header in written:
        name = field_for_header(header)
        if name is not None and name in headers:
            raise SpreadsheetRefused(
                Reason(
                    f'kolom "{headers[name]}" dan "{header.strip()}" berisi data yang sama; '
                    "hapus salah satu",
                    f'columns "{headers[name]}" and "{header.strip()}" hold the same data; '
                    "remove one of them",
                )
            )
        if name is None:
            if header.strip():
                ignored.append(header.strip())
        else:
            headers[name] = header.strip()
        fields.append(name)
    missing = [column for column in COLUMNS if column.required and column.field not in headers]
    if missing:
        raise SpreadsheetRefused(
            Reason(
                "kolom wajib tidak ada: " + ", ".join(column.indonesian for column in missing),
                "required columns missing: " + ", ".join(column.english for column in missing),
            )
        )
    layout = Layout(encoding, delimiter, MappingProxyType(headers), tuple(ignored), sheet)
    return layout, fields
