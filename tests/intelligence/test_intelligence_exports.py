"""Exports: the CSV of a query (BOM, streamed in batches) and the PDF report read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

from httpx import AsyncClient
from pypdf import PdfReader

from tests.intelligence.conftest import Registry
from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry
from tka_registry.intelligence import exports
from tka_registry.rules.nationality import fold
from tka_registry.settings import Settings
from tka_registry.workers.queries import WorkerFilters
from tka_registry.workers.tables import Worker

CSV_URL = "/api/v1/intelligence/exports/workers.csv"
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


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM first, so spreadsheets read accents"
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))


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
    assert kenji[4:7] == ["JPN", "Jepang", "Kabupaten Musi Banyuasin"]
    assert kenji[-2:] == ["expired", "61"] and kenji[-4] == "2025-09-23"

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

    await seal_reads()  # reads join the chain when sealed
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "intelligence.export")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None
    assert json.loads(entry["details"]) == {
        "filters": {"nationalities": ["CHN"], "q": "massal"},
        "format": "csv",
    }


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
