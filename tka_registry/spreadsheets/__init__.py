"""Spreadsheet import and export of workers: reading CSV files, normalising cells, writing CSV.

The database work (matching, creating, the per-row report) lives in ``service.py``; everything
here is pure or streams a file, and works without a database.
"""

from tka_registry.spreadsheets.cells import CellError, Reason
from tka_registry.spreadsheets.columns import (
    COLUMNS,
    CellProblem,
    Column,
    ImportRow,
    RawRow,
    RowErrors,
    normalise_row,
)
from tka_registry.spreadsheets.reading import (
    Layout,
    SpreadsheetRefused,
    WorkersSheet,
    open_workers_csv,
)
from tka_registry.spreadsheets.writing import iter_workers_csv, write_workers_csv

__all__ = [
    "COLUMNS",
    "CellError",
    "CellProblem",
    "Column",
    "ImportRow",
    "Layout",
    "RawRow",
    "Reason",
    "RowErrors",
    "SpreadsheetRefused",
    "WorkersSheet",
    "iter_workers_csv",
    "normalise_row",
    "open_workers_csv",
    "write_workers_csv",
]
