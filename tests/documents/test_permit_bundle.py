"""Many permits printed at once: the officer chooses them on the search page and gets one PDF
of their stored documents, read back page by page."""

from __future__ import annotations

import io
import re

import httpx
from pypdf import PdfReader

from tests.factories import account, signed_in
from tests.web.conftest import csrf_token, sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry


async def test_chosen_permits_print_as_one_pdf(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    officer = await signed_in(client, "officer")
    numbers = {}
    for worker_id in (team.active, team.expiring, team.overstay):
        worker = (await client.get(f"/api/v1/workers/{worker_id}", headers=officer)).json()
        numbers[worker["permits"][0]["id"]] = worker["permits"][0]["number"]

    await sign_in_page(client, await account("officer"))
    offered: set[int] = set()
    for name in ("Arjun", "Kim", "Zhang", "Yuki"):
        search = await client.get(f"/petugas/cari?q={name}")
        offered |= {int(i) for i in re.findall(r'name="izin" value="(\d+)"', search.text)}
    assert offered == set(numbers)  # every current permit, none for the worker without one
    token = await csrf_token(client, "/petugas/cari?q=a")
    chosen = list(numbers)[:2]
    printed = await client.post(
        "/petugas/cetak",
        data={"_csrf_token": token, "izin": [str(i) for i in chosen], "q": "a"},
    )
    assert printed.status_code == 200, printed.text[:300]
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.headers["content-disposition"].endswith('filename="izin-tinggal-2.pdf"')
    reader = PdfReader(io.BytesIO(printed.content))
    assert len(reader.pages) == 2
    for page, permit_id in zip(reader.pages, chosen, strict=True):
        assert numbers[permit_id] in (page.extract_text() or "")
    await seal_reads()  # reads wait in audit_pending_read until sealed into the chain
    reads = await AuditEntry.count().where(AuditEntry.action == "document.download")
    assert reads >= 2  # each permit's read is audited, as a single download is

    none = await client.post("/petugas/cetak", data={"_csrf_token": token, "q": "Zhang"})
    assert none.status_code == 400 and none.headers["content-type"].startswith("text/html")
    assert "Pilih sekurang-kurangnya satu izin untuk dicetak." in none.text
    assert "Zhang Wei" in none.text  # the search stays on the page
    missing = await client.post("/petugas/cetak", data={"_csrf_token": token, "izin": "999999"})
    assert missing.status_code == 404
