"""JSON API for spreadsheets: upload a workers CSV file (dry run first), download the export."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import IO, Annotated

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Stream
from pydantic import BaseModel

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES
from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
from tka_registry.errors import InvalidInput
from tka_registry.settings import Settings
from tka_registry.spreadsheets.reading import CHUNK_BYTES, SPOOL_MEMORY_BYTES, SpreadsheetRefused
from tka_registry.spreadsheets.report import write_report_workbook
from tka_registry.spreadsheets.service import ImportReport, export_csv, export_xlsx, import_workers


@dataclass
class WorkersUpload:
    """The multipart form: the workbook or CSV file, its sheet (default: the first with
    recognisable headers), and whether to only report (the default) or save."""

    file: UploadFile
    dry_run: bool = True
    partial: bool = False
    sheet: str | None = None
    report: str = "json"  # or "xlsx": the report as a workbook


class ProblemOut(BaseModel):
    field: str | None
    column: str
    reason: str
    reason_en: str


class RowOut(BaseModel):
    line: int
    outcome: str
    worker_id: int | None
    changed: list[str]
    incomplete: list[str]
    problems: list[ProblemOut]


class ImportReportOut(BaseModel):
    file_name: str
    encoding: str
    delimiter: str
    sheet: str
    ignored_columns: list[str]
    dry_run: bool
    partial: bool
    committed: bool
    counts: dict[str, int]
    rejected_lines: list[int]
    rows: list[RowOut]
    rows_left_off: int


def report_out(report: ImportReport) -> ImportReportOut:
    rows = [
        RowOut(
            line=row.line,
            outcome=row.outcome,
            worker_id=row.worker_id,
            changed=list(row.changed),
            incomplete=list(row.incomplete),
            problems=[
                ProblemOut(
                    field=problem.field,
                    column=problem.header,
                    reason=problem.reason.indonesian,
                    reason_en=problem.reason.english,
                )
                for problem in row.problems
            ],
        )
        for row in report.rows
    ]
    return ImportReportOut(
        file_name=report.file_name,
        encoding=report.layout.encoding,
        delimiter=report.layout.delimiter,
        sheet=report.layout.sheet,
        ignored_columns=list(report.layout.ignored_headers),
        dry_run=report.dry_run,
        partial=report.partial,
        committed=report.committed,
        counts=report.counts,
        rejected_lines=report.rejected_lines,
        rows=rows,
        rows_left_off=report.rows_left_off,
    )


def upload_size(upload: UploadFile) -> int:
    stream = upload.file
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


async def import_upload(
    upload: WorkersUpload,
    actor: CurrentActor,
    settings: Settings,
    today: Today,
    now: Now,
) -> ImportReport:
    """Check the upload's size, then import it; a refused file answers 422 with the reason."""
    if upload_size(upload.file) > settings.upload_max_bytes:
        limit = settings.upload_max_bytes // (1024 * 1024)
        raise InvalidInput(
            "file", f"the file is larger than {limit} MB: use tka-registry import-workers"
        )
    try:
        return await import_workers(
            actor,
            upload.file.file,
            settings=settings,
            today=today,
            now=now,
            partial=upload.partial,
            dry_run=upload.dry_run,
            file_name=os.path.basename(upload.file.filename or "upload.csv"),
            sheet=upload.sheet or None,
        )
    except SpreadsheetRefused as refused:
        raise InvalidInput("file", refused.reason.text(settings.language)) from None


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _file_chunks(spool: IO[bytes]) -> AsyncIterator[bytes]:
    spool.seek(0)
    with spool:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


async def workbook_download(write: Callable[[IO[bytes]], Awaitable[object]], name: str) -> Stream:
    """A workbook written to a temporary file by ``write``, then streamed from it."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    await write(spool)
    # The content type goes in the headers too: a handler that may also answer JSON would
    # otherwise send its own.
    headers = {"Content-Disposition": f'attachment; filename="{name}"',
               "Content-Type": XLSX_MEDIA_TYPE}  # fmt: skip
    return Stream(_file_chunks(spool), media_type=XLSX_MEDIA_TYPE, headers=headers)


async def export_response(
    settings: Settings, today: Today, language: str | None, file_format: str = "csv"
) -> Stream:
    """The registry as a CSV download (UTF-8 with BOM; ``;`` in Indonesian), or a workbook."""
    language = language or settings.language
    if file_format == "xlsx":

        async def write(stream: IO[bytes]) -> int:
            return await export_xlsx(stream, language=language)

        return await workbook_download(write, f"tka-{today.isoformat()}.xlsx")
    chunks = export_csv(language=language, delimiter=";" if language == "id" else ",")
    name = f"tka-{today.isoformat()}.csv"
    return Stream(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class SpreadsheetController(Controller):
    path = "/api/v1/spreadsheets"
    tags = ["spreadsheets"]

    @post("/workers/import", opt=access(*OFFICE_ROLES), status_code=200)
    async def import_workers_file(
        self,
        data: Annotated[WorkersUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> ImportReportOut | Stream:
        """Import a workbook or CSV file. ``dry_run`` (true unless sent false) only reports;
        ``report=xlsx`` answers the report as a workbook."""
        report = await import_upload(data, actor, settings, today, now)
        if data.report == "xlsx":
            language = settings.language

            async def write(stream: IO[bytes]) -> None:
                write_report_workbook(report, stream, language)

            return await workbook_download(write, "laporan-impor.xlsx")
        return report_out(report)

    @get("/workers/export", opt=access(*OFFICE_ROLES))
    async def export_workers_file(
        self,
        settings: SettingsDep,
        today: Today,
        language: FromQuery[str | None] = None,
        format: FromQuery[str] = "csv",
    ) -> Stream:
        """Every worker in the registry's columns, as CSV or as a workbook (``format``: csv or
        xlsx; ``language``: id or en)."""
        if language not in (None, "id", "en"):
            raise InvalidInput("language", "language must be id or en")
        if format not in ("csv", "xlsx"):
            raise InvalidInput("format", "format must be csv or xlsx")
        return await export_response(settings, today, language, format)
