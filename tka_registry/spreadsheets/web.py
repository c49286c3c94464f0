"""The import page for officers: upload an Excel workbook or a CSV file, read the report of a
dry run, confirm.

The uploaded file is kept in the database (``storage.pending``) between the dry run and the
confirmation (a browser cannot send the same file twice), so any process may confirm it, and
removed once imported. An upload nobody confirmed is removed a day later (at the next upload):
the sheets hold personal data.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Response, Stream, Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES
from tka_registry.dependencies import Call, CallDep
from tka_registry.spreadsheets.api import workbook_download
from tka_registry.spreadsheets.reading import SpreadsheetRefused
from tka_registry.spreadsheets.report import report_lines, write_report_workbook
from tka_registry.spreadsheets.service import ImportReport, import_workers
from tka_registry.storage.pending import (
    Pending,
    as_file,
    discard_upload,
    keep_upload,
    pending_upload,
)
from tka_registry.web.forms import form_values
from tka_registry.web.i18n import language_of, translator

BASE = "/petugas/impor"


def _page(context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        template_name="spreadsheets/import.html",
        context={"base": BASE, "errors": {}, "report": None, "sheet": None, **context},
        status_code=status_code,
    )


def _report_context(report: ImportReport, language: str) -> dict[str, Any]:
    return {"report": report, "problems": report_lines(report, language)}


class SpreadsheetPages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(*OFFICE_ROLES))
    async def form(self) -> Template:
        return _page({})

    @post("/", opt=access(*OFFICE_ROLES))
    async def check(self, request: Request[Any, Any, Any], call: CallDep) -> Template:
        """Keep the upload and show what importing it would do (nothing is saved)."""
        _ = translator(request)
        form = await request.form()
        upload = form.get("file")
        sheet = str(form.get("sheet") or "").strip()[:100] or None
        if not isinstance(upload, UploadFile) or not upload.filename:
            message = _("Choose an Excel workbook or a CSV file")
            return _page({"errors": {"file": message}}, status_code=400)
        limit = call.settings.upload_max_bytes
        content = await upload.read(limit + 1)
        if len(content) > limit:
            message = _("The file is too large: use tka-registry import-workers")
            return _page({"errors": {"file": message}}, status_code=400)
        name = Path(upload.filename).name[:200]
        token = await keep_upload(content, name, account_id=call.actor.account_id, now=call.now)
        kept = Pending(token=token, file_name=name, content=content)
        return await _run(request, call, kept, sheet=sheet)

    @post("/{token:str}/laporan.xlsx", opt=access(*OFFICE_ROLES), status_code=200)
    async def report_workbook(
        self, request: Request[Any, Any, Any], token: FromPath[str], call: CallDep
    ) -> Response[Any] | Stream:
        """The check's report as a workbook (the kept file is checked again; nothing saved)."""
        values = await form_values(request)
        kept = await pending_upload(token)
        if kept is None:
            return _gone(request)
        language = language_of(request)
        report = await _import(call, kept, sheet=values.get("sheet") or None)
        if isinstance(report, SpreadsheetRefused):
            return _page({"errors": {"file": report.reason.text(language)}}, status_code=400)

        async def write(stream: IO[bytes]) -> None:
            write_report_workbook(report, stream, language)

        name = "laporan-impor.xlsx" if language == "id" else "import-report.xlsx"
        return await workbook_download(write, name)

    @post("/{token:str}", opt=access(*OFFICE_ROLES))
    async def confirm(
        self, request: Request[Any, Any, Any], token: FromPath[str], call: CallDep
    ) -> Template:
        """Import the kept file: all or nothing, or only the good rows."""
        values = await form_values(request)
        kept = await pending_upload(token)
        if kept is None:
            return _gone(request)
        return await _run(
            request, call, kept, dry_run=False, partial=values.get("mode") == "partial",
            sheet=values.get("sheet") or None,
        )  # fmt: skip


def _gone(request: Request[Any, Any, Any]) -> Template:
    message = translator(request)("This upload is no longer available: upload the file again")
    return _page({"errors": {"file": message}}, status_code=404)


async def _import(
    call: Call, kept: Pending, *, sheet: str | None, dry_run: bool = True, partial: bool = False
) -> ImportReport | SpreadsheetRefused:
    """The kept file imported (or only checked, ``dry_run``), or why it was refused whole."""
    try:
        with as_file(kept.content, suffix=".csv") as path:
            return await import_workers(
                call.actor, str(path), settings=call.settings, today=call.today, now=call.now,
                dry_run=dry_run, partial=partial, file_name=kept.file_name or "upload.csv",
                sheet=sheet,
            )  # fmt: skip
    except SpreadsheetRefused as refused:
        return refused


async def _run(
    request: Request[Any, Any, Any],
    call: Call,
    kept: Pending,
    *,
    dry_run: bool = True,
    partial: bool = False,
    sheet: str | None = None,
) -> Template:
    language = language_of(request)
    report = await _import(call, kept, sheet=sheet, dry_run=dry_run, partial=partial)
    if isinstance(report, SpreadsheetRefused):
        await discard_upload(kept.token)
        context = {"errors": {"file": report.reason.text(language)}, "sheet": sheet}
        return _page(context, status_code=400)
    if report.committed:
        await discard_upload(kept.token)
    context = {"token": kept.token, "file_name": kept.file_name or "upload.csv"}
    return _page({**_report_context(report, language), **context})
