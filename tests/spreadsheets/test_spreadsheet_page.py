"""The import page: an officer uploads the office's sheet, reads the check, imports the good rows."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from tests.conftest import NOW
from tests.factories import account
from tests.spreadsheets.office import messy_bytes, office_employers
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.settings import Settings
from tka_registry.storage.pending import KEPT_FOR
from tka_registry.storage.tables import PendingUpload
from tka_registry.workers.tables import Worker

PAGE = "/petugas/impor"


async def _checked_upload(
    client: httpx.AsyncClient, settings: Settings
) -> tuple[str, httpx.Response]:
    """An officer signs in and uploads the office's messy sheet for a check: (CSRF token, page)."""
    await office_employers(settings)
    await sign_in_page(client, await account("officer"))
    token = await csrf_token(client, PAGE + "/")
    files = {"file": ("kantor.csv", messy_bytes(), "text/csv")}
    checked = await client.post(PAGE + "/", data={"_csrf_token": token}, files=files)
    assert checked.status_code == 200, checked.text
    return token, checked


async def test_check_then_import_the_good_rows(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token, checked = await _checked_upload(client, settings)
    page = checked.text
    assert "Pemeriksaan saja: belum ada yang disimpan." in page
    assert "<td>JK</td>" in page and "<td>PERUSAHAAN</td>" in page
    assert await Worker.count() == 0
    action = re.search(r'action="(/petugas/impor/[0-9a-f]{32})"', page)
    assert action is not None
    report = await client.post(action.group(1) + "/laporan.xlsx", data={"_csrf_token": token})
    assert report.status_code == 200 and report.content.startswith(b"PK\x03\x04")
    assert 'filename="laporan-impor.xlsx"' in report.headers["content-disposition"]
    assert await Worker.count() == 0
    confirm = {"_csrf_token": token, "mode": "partial", "file_name": "kantor.csv"}
    imported = await client.post(action.group(1), data=confirm)
    assert imported.status_code == 200 and "Tersimpan." in imported.text
    assert await Worker.count() == 6
    again = await client.post(action.group(1), data=confirm)  # the kept file is gone
    assert again.status_code == 404 and "unggah berkas lagi" in again.text


async def test_refused_file_and_other_roles(client: httpx.AsyncClient, settings: Settings) -> None:
    await sign_in_page(client, await account("officer"))
    token = await csrf_token(client, PAGE + "/")
    files = {"file": ("a.pdf", b"%PDF-1.7 x", "application/pdf")}
    refused = await client.post(PAGE + "/", data={"_csrf_token": token}, files=files)
    assert refused.status_code == 400 and "berkas ini PDF, bukan CSV" in refused.text
    client.cookies.clear()
    await sign_in_page(client, await account("intelligence"))
    assert (await client.get(PAGE + "/")).status_code == 403


async def test_an_upload_nobody_confirmed_is_removed_a_day_later(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token, first = await _checked_upload(client, settings)
    action = re.search(r'action="/petugas/impor/([0-9a-f]{32})"', first.text)
    assert action is not None
    kept = PendingUpload.token == action.group(1)
    assert await PendingUpload.count().where(kept) == 1
    assert not (settings.data_dir / "imports").exists()  # in the database, not on this host
    a_day_ago = NOW - KEPT_FOR - timedelta(minutes=1)
    await PendingUpload.update({PendingUpload.created_at: a_day_ago}).where(kept)

    files = {"file": ("kantor.csv", messy_bytes(), "text/csv")}
    second = await client.post(PAGE + "/", data={"_csrf_token": token}, files=files)
    assert second.status_code == 200
    assert await PendingUpload.count().where(kept) == 0
    assert await PendingUpload.count() == 1  # the new upload
    confirm = {"_csrf_token": token, "mode": "partial", "file_name": "kantor.csv"}
    late = await client.post(f"{PAGE}/{action.group(1)}", data=confirm)
    assert late.status_code == 404 and "unggah berkas lagi" in late.text
