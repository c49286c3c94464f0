"""Exports: the CSV of a query (BOM, streamed in batches) and the PDF report read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

from httpx import AsyncClient
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.intelligence.conftest import Registry
from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry
from tka_registry.intelligence import exports
from tka_registry.rules.nationality import fold
from tka_registry.settings import Settings
from tka_registry.spreadsheets.api import XLSX_MEDIA_TYPE
from tka_registry.workers.queries import WorkerFilters
from tka_registry.workers.tables import Worker

CSV_URL = "/api/v1/intelligence/exports/workers.csv"
XLSX_URL = "/api/v1/intelligence/exports/workers.xlsx"
REPORT_URL = "/api/v1/intelligence/reports/nationalities.pdf"
BULK = 3000


async def _bulk_workers(count: int) -> None:
    """Insert ``count`` plain workers straight into the table (no permits): a big query."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    nationalities = ("CHN", "IND", "KOR", "JPN")
    for start in range(0, count, 250):
        rows = []
        for n in range(start, min(count, start + 250)):
            name = f"Pekerja Massal Ñandú {n:05d}"
            rows.append(
                Worker(
                    full_name=name,
                    name_folded=fold(name),
                    sex="M",
                    date_of_birth=date(1980, 1, 1),
                    place_of_birth="Shanghai",
                    nationality=nationalities[n % 4],
                    address="Jl. Demang Lebar Daun",
                    regency="Kota Palembang",
                    position="=SUM(A1:A2) Technician" if n == 7 else "Technician",
                    employer=None,
                    current_permit_id=None,
                    created_at=now,
                    updated_at=now,
                )
            )
        await Worker.insert(*rows)


async def _last_export() -> object:
    """The details of the newest export in the audit log."""
    await seal_reads()  # reads join the chain when sealed
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "intelligence.export")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None
    return json.loads(entry["details"])


def _rows(body: bytes, delimiter: str = ";") -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM first, so spreadsheets read accents"
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8")), delimiter=delimiter))


async def test_csv_has_a_bom_the_same_filters_and_streams_in_batches(
    client: AsyncClient, registry: Registry, settings: Settings
) -> None:
    await _bulk_workers(BULK)
    response = await client.get(CSV_URL, headers=registry.intel)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "content-length" not in response.headers  # a stream, not a buffered body
    assert "attachment" in response.headers["content-disposition"]
    rows = _rows(response.content)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["ID", "Nama Lengkap"] and "Hari Overstay" in header
    assert len(body) == BULK + 8
    ids = [int(row[0]) for row in body]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    bulk = [row for row in body if row[1].startswith("Pekerja Massal")]
    assert bulk[0][1] == "Pekerja Massal Ñandú 00000"
    assert bulk[7][7] == "'=SUM(A1:A2) Technician"  # a formula is never run by a spreadsheet
    kenji = next(row for row in body if row[1] == "Kenji Sato")
    assert kenji[2] == "Laki-laki" and kenji[12] == "Izin Tinggal Terbatas"  # words, not codes
    assert kenji[4:7] == ["JPN", "Jepang", "Kabupaten Musi Banyuasin"]
    assert kenji[-2:] == ["Overstay", "61"] and kenji[-4] == "2025-09-23"
    assert bulk[0][-2:] == ["Tanpa izin", "0"]

    english = _rows((await client.get(f"{CSV_URL}?language=en", headers=registry.intel)).content,
                    delimiter=",")  # fmt: skip
    assert english[0][:3] == ["ID", "Full Name", "Sex"]
    kenji = next(row for row in english if row[1] == "Kenji Sato")
    assert kenji[2] == "Male" and kenji[5] == "Japan" and kenji[12] == "Limited Stay Permit"
    assert next(row for row in english if row[1].startswith("Pekerja"))[-2] == "No permit"

    filtered = await client.get(f"{CSV_URL}?nationality=CHN&q=massal", headers=registry.intel)
    chinese = _rows(filtered.content)[1:]
    assert len(chinese) == BULK // 4 and {row[4] for row in chinese} == {"CHN"}
    refused = await client.get(f"{CSV_URL}?nationality=Mordor", headers=registry.intel)
    assert refused.status_code == 422

    # The body is produced batch by batch: the header, then one chunk per database batch.
    actor = Actor(account_id=None, email="t", role="intelligence", employer_id=None, address="x")
    chunks = [
        chunk
        async for chunk in exports.csv_chunks(
            actor, WorkerFilters(), today=date(2026, 11, 22), settings=settings
        )
    ]
    assert len(chunks) == 1 + 2  # 3,008 rows in batches of 2,000
    assert b"".join(chunks) == response.content

    assert await _last_export() == {
        "filters": {"nationalities": ["CHN"], "q": "massal"},
        "format": "csv",
    }


async def test_workbook_export_is_typed_with_a_frozen_header_and_words(
    client: AsyncClient, registry: Registry, artifacts: Path
) -> None:
    response = await client.get(XLSX_URL, headers=registry.intel)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert 'filename="tka-2026-11-22.xlsx"' in response.headers["content-disposition"]
    (artifacts / "intelligence_export.xlsx").write_bytes(response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]][:3] == ["ID", "Nama Lengkap", "Jenis Kelamin"]
    assert round(sheet.column_dimensions["B"].width) == 29  # 28 characters and the padding
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    kenji = next(row for row in rows if row[1] == "Kenji Sato")
    assert isinstance(kenji[0], int) and isinstance(kenji[3], datetime)  # typed cells
    assert kenji[2] == "Laki-laki" and kenji[5] == "Jepang" and kenji[-2:] == ("Overstay", 61)
    assert kenji[14] == datetime(2025, 9, 23)
    csv_body = _rows((await client.get(CSV_URL, headers=registry.intel)).content)[1:]
    assert len(rows) == len(csv_body)  # the same rows as the CSV

    english = await client.get(f"{XLSX_URL}?language=en&nationality=JPN", headers=registry.intel)
    sheet = load_workbook(io.BytesIO(english.content)).active
    assert sheet is not None and sheet["B1"].value == "Full Name"
    assert [sheet["C2"].value, sheet["F2"].value, sheet["R2"].value] == [
        "Male",
        "Japan",
        "Overstay",
    ]
    assert sheet.max_row == 2
    page = await client.get("/intelijen/unduh.xlsx?nationality=JPN", headers=registry.intel)
    assert page.status_code == 200 and page.content.startswith(b"PK")
    assert (await client.get(XLSX_URL, headers=registry.officer)).status_code == 403
    bad = await client.get(f"{XLSX_URL}?language=fr", headers=registry.intel)
    assert bad.status_code == 400

    assert await _last_export() == {"filters": {"nationalities": ["JPN"]}, "format": "xlsx"}


async def test_pdf_report_by_nationality_for_a_chosen_day(
    client: AsyncClient, registry: Registry, artifacts: Path
) -> None:
    missing = await client.get(REPORT_URL, headers=registry.intel)
    assert missing.status_code == 400 and "as_of" in missing.text  # never defaulted to today
    response = await client.get(f"{REPORT_URL}?as_of=2026-11-22", headers=registry.intel)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    (artifacts / "intelligence_report_nationality.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in (
        "LAPORAN TENAGA KERJA ASING PER KEWARGANEGARAAN",
        "Report of Foreign Workers by Nationality",
        "22 November 2026",
        "Menurut Kewarganegaraan",
        "By Nationality",
        "Tiongkok",
        "China",
        "Inggris",
        "Menurut Kabupaten/Kota",
        "Kota Palembang",
    ):
        assert expected in text, expected
    assert "Jepang" not in text  # Kenji's permit ended on 22 September
    # On 1 September 2026 Kenji and Ahmad still held valid permits; Lǐ Nà's began in December.
    earlier = await client.get(f"{REPORT_URL}?as_of=2026-09-01", headers=registry.intel)
    early_text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(earlier.content)).pages
    )
    assert "Jepang" in early_text and "Malaysia" in early_text
    lines, regencies = await exports.report_lines(date(2026, 9, 1))
    assert {line.code: line.count for line in lines} == {
        "CHN": 2,  # Zhang's permit began on 1 June, Lǐ Nà's on 11 December 2025
        "IND": 1,
        "JPN": 1,
        "MYS": 1,
        "GBR": 1,
        "KOR": 1,  # Park's permit was revoked only on 1 October
    }
    assert sum(line.count for line in regencies) == 7
    await seal_reads()  # reads join the chain when sealed
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "intelligence.report")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None and json.loads(entry["details"]) == {"as_of": "2026-09-01"}
