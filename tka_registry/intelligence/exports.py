"""Exports of the intelligence section: the CSV or workbook of any query, and the PDF report
"Laporan Tenaga Kerja Asing per Kewarganegaraan" for a chosen day.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import IO

import anyio

from tka_registry.accounts.roles import Actor
from tka_registry.documents.render import render_report
from tka_registry.intelligence.queries import export_batches
from tka_registry.intelligence.schemas import IntelligenceRow
from tka_registry.permits.state import in_force_on
from tka_registry.rules.nationality import nationality_name
from tka_registry.settings import Settings
from tka_registry.spreadsheets.cells import needs_formula_guard
from tka_registry.spreadsheets.labels import value_label
from tka_registry.spreadsheets.xlsx import write_sheet
from tka_registry.workers.queries import WorkerFilters
from tka_registry.workers.tables import Worker

BOM = "\ufeff".encode()
# (Indonesian, English) headers of the export, in column order.
HEADERS: tuple[tuple[str, str], ...] = (
    ("ID", "ID"),
    ("Nama Lengkap", "Full Name"),
    ("Jenis Kelamin", "Sex"),
    ("Tanggal Lahir", "Date of Birth"),
    ("Kode Kewarganegaraan", "Nationality Code"),
    ("Kewarganegaraan", "Nationality"),
    ("Kabupaten/Kota", "Regency/City"),
    ("Jabatan", "Position"),
    ("Penjamin", "Sponsor"),
    ("Sektor", "Sector"),
    ("Nomor Paspor", "Passport Number"),
    ("Nomor Izin Tinggal", "Permit Number"),
    ("Jenis Izin", "Permit Kind"),
    ("Indeks Visa", "Visa Index"),
    ("Tanggal Terbit", "Issued On"),
    ("Berlaku Dari", "Valid From"),
    ("Berlaku Sampai", "Expires On"),
    ("Status", "Status"),
    ("Hari Overstay", "Days of Overstay"),
)
# Column widths of the workbook, in characters.
WIDTHS = (8, 28, 14, 13, 12, 20, 26, 24, 32, 20, 16, 18, 22, 10, 13, 13, 13, 16, 10)


def headers(language: str) -> list[str]:
    """The export's headers in ``language`` (``id`` or ``en``)."""
    return [pair[1] if language == "en" else pair[0] for pair in HEADERS]


def csv_delimiter(language: str) -> str:
    """``;`` in Indonesian (what Indonesian Excel splits on), ``,`` in English."""
    return "," if language == "en" else ";"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if needs_formula_guard(text) else text


def row_values(row: IntelligenceRow, language: str = "id") -> list[object]:
    """The row's typed values in column order (dates as dates, counts as numbers), each code
    written as a word of ``language`` (sex, nationality, sector, permit kind, status)."""
    permit = row.current_permit
    nationality = row.nationality_name if language == "en" else row.nationality_name_id
    values: list[object] = [
        row.id,
        row.full_name,
        value_label("sex", row.sex, language),
        row.date_of_birth,
        row.nationality,
        nationality,
        row.regency,
        row.position,
        row.employer_name,
        value_label("sector", row.sector, language),
        row.passport_number,
    ]
    if permit is None:
        no_permit = value_label("status", "none", language)
        return [*values, None, None, None, None, None, None, no_permit, 0]
    return [
        *values,
        permit.number,
        value_label("kind", permit.kind, language),
        permit.visa_index,
        permit.issued_on,
        permit.valid_from,
        permit.expires_on,
        value_label("status", permit.status, language),
        permit.overstay_days,
    ]


def csv_line_values(row: IntelligenceRow, language: str = "id") -> list[str]:
    return [_cell(value) for value in row_values(row, language)]


def _encode(lines: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8")


async def csv_chunks(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings, language: str = "id"
) -> AsyncIterator[bytes]:
    """The CSV (UTF-8 with BOM, so spreadsheet programs read accents right; ``;``-separated
    in Indonesian) in chunks: header first, then one chunk per database batch. Memory holds
    one batch at a time."""
    delimiter = csv_delimiter(language)
    yield BOM + _encode([headers(language)], delimiter)
    async for batch in export_batches(actor, filters, today=today, settings=settings):
        yield _encode([csv_line_values(row, language) for row in batch], delimiter)


async def write_workbook(
    stream: IO[bytes],
    actor: Actor,
    filters: WorkerFilters,
    *,
    today: date,
    settings: Settings,
    language: str = "id",
) -> int:
    """The same rows as the CSV as a workbook (typed cells, frozen header, column widths)
    written to ``stream``; answers the rows written. Memory stays flat (database batches,
    the constant-memory writer)."""
    title = "Workers" if language == "en" else "TKA"
    batches = export_batches(actor, filters, today=today, settings=settings)
    rows = ([row_values(row, language) for row in batch] async for batch in batches)
    return await write_sheet(stream, title, headers(language), WIDTHS, rows)


@dataclass(frozen=True)
class ReportLine:
    code: str
    name_id: str
    name_en: str
    count: int


async def _valid_on(as_of: date, group: str) -> list[dict[str, object]]:
    """Workers (counted once each) holding a permit in force on ``as_of`` (permits.state's
    "valid on day D" over the permit history, so a past day counts as it stood then: the same
    count as the dashboards and statistics give for today); grouped by ``group`` (a constant of
    this module)."""
    in_force = in_force_on(as_of)
    return await Worker.raw(
        f"SELECT {group} AS key, count(DISTINCT w.id) AS n"  # noqa: S608
        f" FROM permit p JOIN worker w ON w.id = p.worker WHERE {in_force.text}"
        f" GROUP BY {group}",
        *in_force.arguments,
    )


async def report_lines(as_of: date) -> tuple[list[ReportLine], list[ReportLine]]:
    """Lines by nationality and by regency for ``as_of``, most workers first."""
    by_nationality = [
        ReportLine(
            str(row["key"]),
            nationality_name(str(row["key"]), "id"),
            nationality_name(str(row["key"]), "en"),
            int(str(row["n"])),
        )
        for row in await _valid_on(as_of, "w.nationality")
    ]
    by_regency = [
        ReportLine("", str(row["key"]), str(row["key"]), int(str(row["n"])))
        for row in await _valid_on(as_of, "w.regency")
    ]

    def order(lines: list[ReportLine]) -> list[ReportLine]:
        return sorted(lines, key=lambda line: (-line.count, line.name_id))

    return order(by_nationality), order(by_regency)


REPORT_LABELS: dict[str, tuple[str, str]] = {
    "title": (
        "Laporan Tenaga Kerja Asing per Kewarganegaraan",
        "Report of Foreign Workers by Nationality",
    ),
    "as_of": ("Keadaan per tanggal", "As of"),
    "by_nationality": ("Menurut Kewarganegaraan", "By Nationality"),
    "by_regency": ("Menurut Kabupaten/Kota", "By Regency or City"),
    "number": ("No.", "No."),
    "code": ("Kode", "Code"),
    "nationality": ("Kewarganegaraan", "Nationality"),
    "regency": ("Kabupaten/Kota", "Regency/City"),
    "count": ("Jumlah", "Number"),
    "share": ("Persentase", "Share"),
    "total": ("Jumlah seluruhnya", "Total"),
    "basis": (
        "Orang asing pemegang izin tinggal yang berlaku pada tanggal tersebut (sudah mulai"
        " berlaku, tidak kedaluwarsa dan tidak dibatalkan), masing-masing dihitung satu kali.",
        "Foreigners holding a stay permit in force on that day (begun, not expired and not"
        " revoked), each counted once.",
    ),
    "none": ("Tidak ada data.", "No data."),
}


async def nationality_report(as_of: date, language: str = "id") -> bytes:
    """The PDF report for ``as_of`` through the document renderer."""
    by_nationality, by_regency = await report_lines(as_of)
    context = {
        "as_of": as_of,
        "by_nationality": by_nationality,
        "by_regency": by_regency,
        "total": sum(line.count for line in by_nationality),
        "R": REPORT_LABELS,
    }
    # WeasyPrint lays out for a few hundred milliseconds: keep the event loop free meanwhile.
    return await anyio.to_thread.run_sync(
        functools.partial(
            render_report, "report_nationality.html", context, day=as_of, language=language
        )
    )
