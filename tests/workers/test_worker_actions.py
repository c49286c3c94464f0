"""The officer's worker page: record, audit, print, and the actions with their confirmation step."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.factories import account
from tests.web.conftest import csrf_token, refused_on_page, sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.permits.tables import Permit


async def test_worker_page_shows_the_record(client) -> None:
    force = await seed_workforce(client)
    assert (await sign_in_page(client, await account("officer"))).status_code == 303
    page = await client.get(f"/petugas/pekerja/{force.overstay}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    text = page.text
    assert "Zhang Wei" in text and "PT Pupuk Sriwidjaja" in text
    assert 'id="passports"' in text and 'id="permits"' in text and 'id="audit"' in text
    assert "permit.issue" in text and "worker.create" in text  # the audit of the record
    assert f'action="/petugas/pekerja/{force.overstay}/cabut"' in text
    match = re.search(r"/petugas/pekerja/\d+/izin/(\d+)", text)
    assert match is not None
    permit_id = int(match.group(1))
    # Permits made through the API carry no register number, which the document needs.
    await Permit.update({Permit.register_number: "W9-PLB-2025-000007"}).where(
        Permit.id == permit_id
    )
    pdf = await client.get(f"/petugas/pekerja/{force.overstay}/izin/{permit_id}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "Zhang Wei".upper() in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().upper()
    # Another worker's permit through this worker's page: not found.
    other = await client.get(f"/petugas/pekerja/{force.active}/izin/{permit_id}")
    assert other.status_code == 404
    assert (await client.get("/petugas/pekerja/999999")).status_code == 404


async def test_revocation_asks_first_then_revokes(client) -> None:
    force = await seed_workforce(client)
    assert (await sign_in_page(client, await account("officer"))).status_code == 303
    path = f"/petugas/pekerja/{force.active}/cabut"
    token = await csrf_token(client, f"/petugas/pekerja/{force.active}")
    form = {
        "_csrf_token": token,
        "revoked_on": "2026-11-20",
        "revocation_reason": "Sponsor withdrew",
    }

    bad = await client.post(path, data=form | {"revoked_on": "2026-12-30"})
    assert bad.status_code == 400 and "masa depan" in bad.text
    missing = await client.post(path, data=form | {"revocation_reason": ""})
    assert missing.status_code == 400 and "error-summary" in missing.text

    asked = await client.post(path, data=form)
    assert asked.status_code == 200 and 'id="confirm"' in asked.text
    assert "20 November 2026" in asked.text and "Sponsor withdrew" in asked.text
    assert 'name="confirmed" value="yes"' in asked.text
    permit = await Permit.select().where(Permit.worker == force.active).first()
    assert permit["revoked_on"] is None  # nothing happened before the confirmation

    done = await client.post(path, data=form | {"confirmed": "yes"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/petugas/pekerja/{force.active}?selesai=cabut"
    permit = await Permit.select().where(Permit.worker == force.active).first()
    assert str(permit["revoked_on"]) == "2026-11-20"
    assert permit["revocation_reason"] == "Sponsor withdrew"
    page = await client.get(done.headers["location"])
    assert "Izin tinggal telah dicabut" in page.text and "permit.revoke" in page.text
    again = await client.post(path, data=form | {"confirmed": "yes"})
    assert again.status_code == 400


async def test_departure_is_recorded_as_an_approved_report(client) -> None:
    force = await seed_workforce(client)
    assert (await sign_in_page(client, await account("officer"))).status_code == 303
    path = f"/petugas/pekerja/{force.overstay}/keberangkatan"
    token = await csrf_token(client, f"/petugas/pekerja/{force.overstay}")
    form = {"_csrf_token": token, "departed_on": "2026-11-15"}
    assert (await client.post(path, data=form | {"departed_on": ""})).status_code == 400
    # The permit (issued 2025-11-12) cannot end before its issue: the departure date is the
    # field refused, named as such and shown on the departure form, not as "Revoked on".
    early = await client.post(path, data=form | {"departed_on": "2025-11-01", "confirmed": "yes"})
    refused_on_page(
        early,
        "Tanggal keberangkatan: Izin tidak dapat dicabut sebelum tanggal terbitnya (2025-11-12).",
        'value="2025-11-01"',
    )
    assert "Tanggal pencabutan:" not in early.text
    assert (await Permit.select().where(Permit.worker == force.overstay).first())[
        "revoked_on"
    ] is None
    asked = await client.post(path, data=form)
    assert asked.status_code == 200 and "15 November 2026" in asked.text
    done = await client.post(path, data=form | {"confirmed": "yes"})
    assert done.status_code == 303, done.text
    permit = await Permit.select().where(Permit.worker == force.overstay).first()
    assert str(permit["revoked_on"]) == "2026-11-15"
    page = await client.get(done.headers["location"])
    assert "W9-PLB-2026-" in page.text and "Laporan keberangkatan" in page.text
