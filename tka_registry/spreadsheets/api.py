"""JSON API for spreadsheets: upload a workers CSV file (dry run first), download the export."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Annotated

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
from tka_registry.spreadsheets.reading import SpreadsheetRefused
from tka_registry.spreadsheets.service import ImportReport, export_csv, import_workers


@dataclass
class WorkersUpload:
    """The multipart form: the workbook or CSV file, its sheet (default: the first with
    recognisable headers), and whether to only report (the default) or save."""

    file: UploadFile
    dry_run: bool = True
    partial: bool = False
    sheet: str | None = None


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


def export_response(settings: Settings, today: Today, language: str | None) -> Stream:
    """The registry as a CSV download, streamed (UTF-8 with BOM)."""
    chunks = export_csv(language=language or settings.language)
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
    ) -> ImportReportOut:
        """Import a workers CSV file. ``dry_run`` (true unless sent false) only reports."""
        report = await import_upload(data, actor, settings, today, now)
        return report_out(report)

    @get("/workers/export", opt=access(*OFFICE_ROLES))
    async def export_workers_file(
        self,
        settings: SettingsDep,
        today: Today,
        language: FromQuery[str | None] = None,
    ) -> Stream:
        """Every worker as a CSV file in the registry's columns (``language``: id or en)."""
        if language not in (None, "id", "en"):
            raise InvalidInput("language", "language must be id or en")
        return export_response(settings, today, language)
