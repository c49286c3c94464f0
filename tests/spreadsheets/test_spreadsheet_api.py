"""The spreadsheet endpoints: upload (dry run first, then confirm) and the streamed export."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook

from tests.factories import signed_in
from tests.spreadsheets.office import BAD_LINES, messy_bytes, office_employers
from tka_registry.settings import Settings
from tka_registry.workers.tables import Worker

IMPORT = "/api/v1/spreadsheets/workers/import"
EXPORT = "/api/v1/spreadsheets/workers/export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: bytes, name: str = "kantor.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "text/csv")}


async def test_upload_reports_first_then_imports_on_confirmation(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await office_employers(settings)
    officer = await signed_in(client, "officer")
    response = await client.post(IMPORT, files=upload(messy_bytes()), headers=officer)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True and report["committed"] is False
    assert report["counts"] == {"imported": 6, "updated": 0, "unchanged": 0, "rejected": 1}
    assert report["rejected_lines"] == BAD_LINES
    assert (report["encoding"], report["delimiter"]) == ("cp1252", ";")
    assert report["ignored_columns"] == ["No", "Keterangan"]
    line_6 = next(row for row in report["rows"] if row["line"] == 6)
    assert line_6["problems"][0]["column"] == "JK"
    line_8 = next(row for row in report["rows"] if row["line"] == 8)
    assert line_8["incomplete"] == ["address", "employer_name"] and line_8["problems"] == []
    assert await Worker.count() == 0

    confirmed = await client.post(
        IMPORT,
        files=upload(messy_bytes()),
        data={"dry_run": "false", "partial": "true"},
        headers=officer,
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["committed"] is True and await Worker.count() == 6
    # The search index holds the imported people, their passports and permits.
    for q, name in (("E12345678", "Zhang Wei"), ("2C11CD5678", "Kim Min-Jun"),
                    ("Park Ji-Hoon", "Park Ji-Hoon")):  # fmt: skip
        found = await client.get("/api/v1/workers", params={"q": q}, headers=officer)
        assert [item["full_name"] for item in found.json()["items"]] == [name], q

    exported = await client.get(EXPORT, headers=officer)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="tka-2026-11-22.csv"' == exported.headers["content-disposition"]
    assert exported.content.startswith(b"\xef\xbb\xbfNama Lengkap;")
    assert "Siobhán O'Brien" in exported.content.decode("utf-8-sig")
    back = await client.post(IMPORT, files=upload(exported.content), headers=officer)
    assert back.json()["counts"] == {"imported": 0, "updated": 0, "unchanged": 6, "rejected": 0}

    workbook = await client.get(EXPORT, params={"format": "xlsx"}, headers=officer)
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK\x03\x04")
    assert workbook.headers["content-type"] == XLSX
    files = upload(workbook.content, "tka.xlsx")
    back = await client.post(IMPORT, files=files, headers=officer)
    assert back.json()["counts"] == {"imported": 0, "updated": 0, "unchanged": 6, "rejected": 0}


async def test_the_report_as_a_workbook(client: httpx.AsyncClient, settings: Settings) -> None:
    await office_employers(settings)
    officer = await signed_in(client, "officer")
    response = await client.post(
        IMPORT, files=upload(messy_bytes()), data={"report": "xlsx"}, headers=officer
    )
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert (6, "ditolak", "JK") in [row[:3] for row in rows]
    line_8 = [row for row in rows if row[0] == 8]
    assert [row[2] for row in line_8] == ["ALAMAT", "PERUSAHAAN"]
    assert all(row[1] == "diimpor" and "belum lengkap" in row[3] for row in line_8)
    assert await Worker.count() == 0  # a dry run


async def test_refused_files_and_roles(client: httpx.AsyncClient, settings: Settings) -> None:
    employer_id = (await office_employers(settings))[0]
    officer = await signed_in(client, "officer")
    refused = await client.post(IMPORT, files=upload(b"%PDF-1.7 x", "a.pdf"), headers=officer)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "file", "reason": "berkas ini PDF, bukan CSV"}]
    employer = await signed_in(client, "employer", employer_id)
    assert (await client.get(EXPORT, headers=employer)).status_code == 403
    forbidden = await client.post(IMPORT, files=upload(messy_bytes()), headers=employer)
    assert forbidden.status_code == 403
    assert (await client.get(EXPORT)).status_code == 401
    english = await client.get(EXPORT, params={"language": "en"}, headers=officer)
    assert english.content.startswith(b"\xef\xbb\xbfFull Name,Sex,")
