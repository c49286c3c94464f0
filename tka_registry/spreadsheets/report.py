"""The import report as lines a person reads: every row and column that was rejected, changed,
or left incomplete, in Indonesian or English, for the page and for the report workbook."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from tka_registry.spreadsheets.columns import COLUMNS_BY_FIELD
from tka_registry.spreadsheets.service import ImportReport, RowReport
from tka_registry.spreadsheets.xlsx import SheetWriter

# Record fields named in RowReport.changed, as the sheet's columns.
_CHANGED_COLUMNS = {"employer": "employer_name", "passport_issued_on": "passport_issued_on"}
_OUTCOMES = {
    "imported": ("diimpor", "imported"),
    "updated": ("diperbarui", "updated"),
    "unchanged": ("tidak berubah", "unchanged"),
    "rejected": ("ditolak", "rejected"),
}
_CHANGED = ("diubah", "changed")
_INCOMPLETE = (
    "dibiarkan kosong: data belum lengkap, lengkapi di daftar Data belum lengkap",
    "left empty: the record is incomplete, complete it from the Records to complete list",
)
_INCOMPLETE_EMPLOYER = (
    "perusahaan belum lengkap (NIB, NPWP, alamat atau sektor belum ada): lengkapi di daftar "
    "Data belum lengkap",
    "the employer is incomplete (NIB, NPWP, address or sector missing): complete it from the "
    "Records to complete list",
)


@dataclass(frozen=True)
class ReportLine:
    """One line of the report: a row, its outcome, one column and what happened to it."""

    line: int
    outcome: str
    column: str
    note: str


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def column_header(report: ImportReport, field: str, language: str) -> str:
    """The column as the file wrote it, else the registry's header in ``language``."""
    name = _CHANGED_COLUMNS.get(field, field)
    written = report.layout.headers.get(name)
    if written:
        return written
    column = COLUMNS_BY_FIELD.get(name)
    return column.header(language) if column else name


def row_lines(report: ImportReport, row: RowReport, language: str) -> Iterator[ReportLine]:
    outcome = _pick(_OUTCOMES[row.outcome], language)
    for problem in row.problems:
        yield ReportLine(row.line, outcome, problem.header, problem.reason.text(language))
    if row.outcome == "updated":
        for field in row.changed:
            yield ReportLine(row.line, outcome, column_header(report, field, language),
                             _pick(_CHANGED, language))  # fmt: skip
    for field in row.incomplete:
        note = _INCOMPLETE_EMPLOYER if field == "employer_name" else _INCOMPLETE
        yield ReportLine(row.line, outcome, column_header(report, field, language),
                         _pick(note, language))  # fmt: skip


def report_lines(report: ImportReport, language: str = "id") -> list[ReportLine]:
    """Every rejected, changed or incomplete column of the rows the report keeps, row by row."""
    return [line for row in report.rows for line in row_lines(report, row, language)]


REPORT_HEADERS = {
    "id": ("Baris", "Hasil", "Kolom", "Keterangan"),
    "en": ("Row", "Outcome", "Column", "Note"),
}


def write_report_workbook(report: ImportReport, stream: IO[bytes], language: str = "id") -> None:
    """The report as a workbook: a line per rejected, changed or incomplete column, then the
    counts; in ``language`` (``id`` or ``en``)."""
    headers = REPORT_HEADERS["en" if language == "en" else "id"]
    title = "Laporan impor" if language != "en" else "Import report"
    writer = SheetWriter(stream, title, headers, (8, 14, 28, 90))
    for line in report_lines(report, language):
        writer.add((line.line, line.outcome, line.column, line.note))
    writer.add(())
    for outcome, count in report.counts.items():
        writer.add(("", _pick(_OUTCOMES[outcome], language), "", count))
    if report.rows_left_off:
        more = (f"{report.rows_left_off} baris berikutnya tidak dirinci",
                f"{report.rows_left_off} further rows not itemised")  # fmt: skip
        writer.add(("", "", "", _pick(more, language)))
    writer.close()
