"""Writing workers to CSV in the registry's columns, so that the import reads them back unchanged.

UTF-8 with a BOM (Excel then shows accents correctly), the canonical headers of
:data:`columns.COLUMNS`, dates in ISO form, and words for codes in the file's language
("Laki-laki", "Tiongkok", "Izin Tinggal Terbatas"; see :mod:`labels`), which the import reads
back. Rows are encoded in batches as they come, so an export of any size streams in constant
memory (an HTTP response can send :func:`iter_workers_csv`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import IO

from tka_registry.spreadsheets.cells import needs_formula_guard
from tka_registry.spreadsheets.columns import COLUMNS
from tka_registry.spreadsheets.labels import value_label

ROWS_PER_CHUNK = 500


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    return "'" + text if needs_formula_guard(text) else text


def spoken_values(row: Mapping[str, object], language: str) -> list[object]:
    """The row's values in the order of :data:`COLUMNS`, codes as words in ``language``."""
    return [value_label(column.field, row.get(column.field), language) for column in COLUMNS]


def iter_workers_csv(
    rows: Iterable[Mapping[str, object]], *, language: str = "id", delimiter: str = ","
) -> Iterator[bytes]:
    """The CSV file in chunks of bytes: BOM and header first, then rows in batches.

    ``rows`` map field names of :data:`COLUMNS` to values (str, date or None; other keys are
    ignored). ``language`` chooses the headers and the words for codes: ``id`` or ``en``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.header(language) for column in COLUMNS])
    pending = 0
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([_cell(value) for value in spoken_values(row, language)])
        pending += 1
        if pending == ROWS_PER_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")


def write_workers_csv(
    rows: Iterable[Mapping[str, object]],
    stream: IO[bytes],
    *,
    language: str = "id",
    delimiter: str = ",",
) -> int:
    """Write ``rows`` as a workers CSV file to the binary ``stream``; returns the rows written."""
    written = 0

    def counted() -> Iterator[Mapping[str, object]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    for chunk in iter_workers_csv(counted(), language=language, delimiter=delimiter):
        stream.write(chunk)
    return written
