"""The import page for officers: upload an Excel workbook or a CSV file, read the report of a
dry run, confirm.

The uploaded file is kept under ``TKA_DATA_DIR/imports/`` between the dry run and the
confirmation (a browser cannot send the same file twice) and removed once imported. An upload
nobody confirmed is removed a day later (at the next upload): the sheets hold personal data.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES
from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
from tka_registry.settings import Settings
from tka_registry.spreadsheets.reading import SpreadsheetRefused
from tka_registry.spreadsheets.report import report_lines
from tka_registry.spreadsheets.service import ImportReport, import_workers
from tka_registry.web.forms import form_values
from tka_registry.web.i18n import language_of, translator

BASE = "/petugas/impor"
_TOKEN = re.compile(r"[0-9a-f]{32}")
KEPT_FOR_SECONDS = 24 * 3600  # an unconfirmed upload is removed after this long


def _imports_dir(settings: Settings) -> Path:
    folder = Path(settings.data_dir) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep(upload: UploadFile, settings: Settings) -> tuple[str, Path] | None:
    """Store the upload for the confirmation; None (and nothing kept) when it is too large.
    Uploads older than a day that were never confirmed go first."""
    folder = _imports_dir(settings)
    _sweep(folder, time.time() - KEPT_FOR_SECONDS)
    token = secrets.token_hex(16)
    kept = folder / f"{token}.csv"
    with kept.open("wb") as target:
        shutil.copyfileobj(upload.file, target)
    if kept.stat().st_size > settings.upload_max_bytes:
        kept.unlink()
        return None
    return token, kept


def _sweep(folder: Path, older_than: float) -> None:
    """Remove kept uploads last written before ``older_than`` (seconds since the epoch: file
    times are the machine's own clock)."""
    for path in folder.glob("*.csv"):
        with contextlib.suppress(FileNotFoundError):  # confirmed by another request meanwhile
            if path.stat().st_mtime < older_than:
                path.unlink()


def _kept(token: str, settings: Settings) -> Path | None:
    kept = _imports_dir(settings) / f"{token}.csv"
    return kept if _TOKEN.fullmatch(token) and kept.is_file() else None


def _discard(kept: Path) -> None:
    kept.unlink(missing_ok=True)


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
    async def check(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template:
        """Keep the upload and show what importing it would do (nothing is saved)."""
        _ = translator(request)
        form = await request.form()
        upload = form.get("file")
        sheet = str(form.get("sheet") or "").strip()[:100] or None
        if not isinstance(upload, UploadFile) or not upload.filename:
            message = _("Choose an Excel workbook or a CSV file")
            return _page({"errors": {"file": message}}, status_code=400)
        stored = _keep(upload, settings)
        if stored is None:
            message = _("The file is too large: use tka-registry import-workers")
            return _page({"errors": {"file": message}}, status_code=400)
        token, kept = stored
        return await _run(
            request, actor, settings, today, now, kept, token, upload.filename, sheet=sheet
        )

    @post("/{token:str}", opt=access(*OFFICE_ROLES))
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template:
        """Import the kept file: all or nothing, or only the good rows."""
        _ = translator(request)
        values = await form_values(request)
        kept = _kept(token, settings)
        if kept is None:
            message = _("This upload is no longer available: upload the file again")
            return _page({"errors": {"file": message}}, status_code=404)
        return await _run(
            request, actor, settings, today, now, kept, token, values.get("file_name", ""),
            dry_run=False, partial=values.get("mode") == "partial",
            sheet=values.get("sheet") or None,
        )  # fmt: skip


async def _run(
    request: Request[Any, Any, Any],
    actor: Any,
    settings: Settings,
    today: Any,
    now: Any,
    kept: Path,
    token: str,
    file_name: str,
    *,
    dry_run: bool = True,
    partial: bool = False,
    sheet: str | None = None,
) -> Template:
    language = language_of(request)
    name = Path(file_name).name[:200] or "upload.csv"
    try:
        report = await import_workers(
            actor, str(kept), settings=settings, today=today, now=now,
            dry_run=dry_run, partial=partial, file_name=name, sheet=sheet,
        )  # fmt: skip
    except SpreadsheetRefused as refused:
        _discard(kept)
        context = {"errors": {"file": refused.reason.text(language)}, "sheet": sheet}
        return _page(context, status_code=400)
    if report.committed:
        _discard(kept)
    return _page({**_report_context(report, language), "token": token, "file_name": name})
