"""Writing a workbook (.xlsx) of one sheet: typed cells, a frozen header row, column widths.

XlsxWriter in constant-memory mode writes each row to a temporary file as it comes, so memory
stays flat whatever the number of rows (100,000 rows: bench/bench_import.py). Text is always
written as text, never as a formula, so a value such as ``=HYPERLINK(...)`` typed into a record
is shown as typed and never runs (the CSV export guards it with an apostrophe instead).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Sequence
from datetime import date, datetime
from typing import IO

import anyio
import xlsxwriter

DATE_FORMAT = "yyyy-mm-dd"  # unambiguous in every locale; read back as a date cell
MAX_WIDTH = 60


class SheetWriter:
    """One sheet being written: ``add(row)`` for each row, then ``close()`` to finish the file.
    ``widths`` are in characters, one per header."""

    def __init__(
        self, stream: IO[bytes], title: str, headers: Sequence[str], widths: Sequence[int]
    ) -> None:
        self._book = xlsxwriter.Workbook(stream, {"constant_memory": True})
        self._sheet = self._book.add_worksheet(title[:31])
        self._date = self._book.add_format({"num_format": DATE_FORMAT})
        bold = self._book.add_format({"bold": True})
        for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
            self._sheet.set_column(column, column, min(width, MAX_WIDTH))
            self._sheet.write_string(0, column, header, bold)
        self._sheet.freeze_panes(1, 0)
        self._row = 0

    def add(self, values: Iterable[object]) -> None:
        self._row += 1
        sheet, row = self._sheet, self._row
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(row, column, value.replace(tzinfo=None), self._date)
            elif isinstance(value, date):
                sheet.write_datetime(row, column, value, self._date)
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, str(value))

    async def add_rows(self, rows: list[list[object]]) -> None:
        """``add`` each of ``rows`` in a worker thread, so that the event loop serves other
        requests while a large export is written (a page of rows at a time)."""
        await anyio.to_thread.run_sync(self._add_each, rows)

    def _add_each(self, rows: list[list[object]]) -> None:
        for values in rows:
            self.add(values)

    @property
    def rows(self) -> int:
        return self._row

    def close(self) -> None:
        self._book.close()


async def write_sheet(
    stream: IO[bytes],
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    batches: AsyncIterable[list[list[object]]],
) -> int:
    """One sheet of ``batches`` of rows written to ``stream``; answers the rows written. Memory
    holds one batch at a time."""
    writer = SheetWriter(stream, title, headers, widths)
    async for rows in batches:
        await writer.add_rows(rows)
    writer.close()
    return writer.rows
