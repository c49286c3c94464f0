"""The overstay page for officers and intelligence: rows, filters kept, inline errors, CSV."""

from __future__ import annotations

import csv
import io

from tests.factories import account, created, permit_body, signed_in, worker_body
from tests.web.conftest import sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry


async def long_overstay(client, employer_id: int) -> int:
    officer = await signed_in(client, "officer")
    body = worker_body(employer_id, full_name="Lee Min-ho", nationality="KOR")
    worker = await created(client, "/api/v1/workers", body, officer)
    await created(
        client,
        "/api/v1/permits",
        permit_body(worker["id"], issued_on="2025-09-01", expires_on="2026-09-01"),
        officer,
    )
    return int(worker["id"])


async def test_officer_sees_days_fine_and_deportation(client) -> None:
    force = await seed_workforce(client)
    await long_overstay(client, force.employer_b)
    assert (await sign_in_page(client, await account("officer"))).status_code == 303
    page = await client.get("/petugas/overstay")
    assert page.status_code == 200
    text = page.text
    assert "2 orang dalam overstay" in text
    # Longest first: 82 days (deport) before 10 days; fines from the rules (Rp 1.000.000/day).
    assert text.index("Lee Min-ho") < text.index("Zhang Wei")
    assert "Rp 82.000.000" in text and "Rp 10.000.000" in text and "Deportasi" in text
    assert f'href="/petugas/pekerja/{force.overstay}"' in text

    only = await client.get("/petugas/overstay", params={"deportasi": "1"})
    assert "1 orang dalam overstay" in only.text and "Zhang Wei" not in only.text
    mine = await client.get("/petugas/overstay", params={"penjamin": str(force.employer_a)})
    assert "Zhang Wei" in mine.text and "Lee Min-ho" not in mine.text

    bad = await client.get(
        "/petugas/overstay", params={"kewarganegaraan": "Mordor", "deportasi": "1"}
    )
    assert bad.status_code == 400 and "Bukan negara atau kode yang dikenal: Mordor" in bad.text
    assert 'value="Mordor"' in bad.text and "checked" in bad.text  # the filters stay

    exported = await client.get("/petugas/overstay/unduh.csv", params={"deportasi": "1"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # as Indonesian Excel splits
    assert rows[0][1] == "Nama Lengkap" and len(rows) == 2
    assert rows[1][1] == "Lee Min-ho" and rows[1][6:] == ["82", "82000000", "ya"]
    assert rows[1][2] == "Korea Selatan"  # a word, not the code KOR
    client.cookies.set("tka_lang", "en")
    english = await client.get("/petugas/overstay/unduh.csv", params={"deportasi": "1"})
    client.cookies.delete("tka_lang")
    rows = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Full Name", "Nationality"]
    assert rows[1][2] == "South Korea" and rows[1][-1] == "yes"
    refused = await client.get("/petugas/overstay/unduh.csv", params={"kewarganegaraan": "x"})
    assert refused.status_code in (400, 422)


async def test_intelligence_reads_it_audited(client) -> None:
    await seed_workforce(client)
    email = await account("intelligence")
    assert (await sign_in_page(client, email)).status_code == 303
    page = await client.get("/petugas/overstay")
    assert page.status_code == 200 and "Zhang Wei" in page.text
    assert "/petugas/pekerja/" not in page.text  # a person's record needs a stated purpose
    await seal_reads()  # reads wait in audit_pending_read until sealed into the chain
    actions = [r["action"] for r in await AuditEntry.select().where(AuditEntry.actor == email)]
    assert "intelligence.overstays" in actions


async def test_overstay_list_as_a_workbook(client) -> None:
    """The same rows as the CSV in a workbook: typed dates and numbers, Indonesian words, the
    page's filters, audited as an export."""
    from datetime import date

    from openpyxl import load_workbook

    force = await seed_workforce(client)
    await long_overstay(client, force.employer_b)
    email = await account("officer")
    assert (await sign_in_page(client, email)).status_code == 303
    page = await client.get("/petugas/overstay", params={"deportasi": "1"})
    assert 'href="/petugas/overstay/unduh.xlsx?deportasi=1"' in page.text
    exported = await client.get("/petugas/overstay/unduh.xlsx", params={"deportasi": "1"})
    assert exported.status_code == 200, exported.text
    assert "overstay-2026-11-22.xlsx" in exported.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(exported.content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["ID", "Nama Lengkap", "Kewarganegaraan"] and len(rows) == 2
    lee = rows[1]
    assert lee[1] == "Lee Min-ho" and lee[2] == "Korea Selatan"
    assert lee[5].date() == date(2026, 9, 1)  # a date cell, not text
    assert lee[6:] == [82, 82000000, "ya"]
    await seal_reads()
    exports = await AuditEntry.select().where(
        (AuditEntry.actor == email) & (AuditEntry.action == "intelligence.export")
    )
    assert any('"xlsx"' in str(entry["details"]) for entry in exports)
