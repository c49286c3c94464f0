"""Approve, reject and revoke happen only after a page saying what will happen; a case's age
reads "hari ini" and "kemarin"."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from tests.applications.conftest import Office, submitted_itas
from tests.conftest import NOW
from tests.factories import account
from tests.second_home.conftest import case_body, decide, entered
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.applications.tables import Application
from tka_registry.second_home.tables import SecondHomeCase


async def _status(case_id: int) -> str:
    row = await Application.select(Application.status).where(Application.id == case_id).first()
    return str(row["status"])


async def test_approval_and_rejection_wait_for_the_confirmation(
    client: httpx.AsyncClient, office: Office
) -> None:
    approve_id = await submitted_itas(client, office, "EA1234567")
    reject_id = await submitted_itas(client, office, "EA7654321")
    await sign_in_page(client, await account("officer"))
    path = f"/petugas/permohonan/{approve_id}"
    page = await client.get(path)
    assert "diajukan hari ini" in page.text
    token = await csrf_token(client, path)

    ask = await client.post(f"{path}/keputusan", data={"_csrf_token": token, "decision": "approve"})
    assert ask.status_code == 200 and ask.headers["content-type"].startswith("text/html")
    register = f"W9-PLB-2026-{approve_id:06d}"
    assert f"Setujui permohonan {register}?" in ask.text
    assert f"menerima izin tinggal ITAS-{register}, berlaku 1 Desember 2026" in ask.text
    assert "ditandatangani atas nama Anda" in ask.text
    assert 'name="confirmed" value="yes"' in ask.text
    assert await _status(approve_id) == "submitted"
    done = await client.post(
        f"{path}/keputusan",
        data={"_csrf_token": token, "decision": "approve", "confirmed": "yes"},
    )
    assert done.status_code == 303 and await _status(approve_id) == "approved"

    reject = f"/petugas/permohonan/{reject_id}/keputusan"
    no_reason = await client.post(reject, data={"_csrf_token": token, "decision": "reject"})
    assert no_reason.status_code == 400 and 'href="#message"' in no_reason.text
    reason = "RPTKA tidak mencakup jabatan ini"
    ask = await client.post(
        reject, data={"_csrf_token": token, "decision": "reject", "message": reason}
    )
    assert ask.status_code == 200 and f"ditolak dengan alasan: {reason}" in ask.text
    assert await _status(reject_id) == "submitted"
    confirmed = {"_csrf_token": token, "decision": "reject", "message": reason, "confirmed": "yes"}
    assert (await client.post(reject, data=confirmed)).status_code == 303
    assert await _status(reject_id) == "rejected"


async def test_returning_needs_no_confirmation_and_age_reads_in_words(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await submitted_itas(client, office, "EA1234567")
    await sign_in_page(client, await account("officer"))
    path = f"/petugas/permohonan/{case_id}"
    for days, words in ((1, "diajukan kemarin"), (3, "diajukan 3 hari lalu")):
        await Application.update({Application.submitted_at: NOW - timedelta(days=days)}).where(
            Application.id == case_id
        )
        assert words in (await client.get(path)).text
    token = await csrf_token(client, path)
    back = await client.post(
        f"{path}/keputusan",
        data={"_csrf_token": token, "decision": "return", "message": "Lampirkan RPTKA"},
    )
    assert back.status_code == 303 and await _status(case_id) == "returned"


async def test_second_home_revocation_waits_for_the_confirmation(
    client: httpx.AsyncClient, office: Office
) -> None:
    case = await entered(client, office.officer, case_body())
    assert (await decide(client, office.officer, case["id"])).status_code == 200
    await sign_in_page(client, await account("officer"))
    path = f"/petugas/rumah-kedua/{case['id']}"
    token = await csrf_token(client, path)
    form = {
        "_csrf_token": token,
        "revoked_on": "2026-11-22",
        "reason": "Bukti dana tidak diserahkan",
    }
    ask = await client.post(f"{path}/pencabutan", data=form)
    assert ask.status_code == 200
    assert re.search(r"Cabut kasus Rumah Kedua RK-PLB-2026-\d{6}\?", ask.text)
    assert "22 November 2026" in ask.text and "Bukti dana tidak diserahkan" in ask.text
    row = await SecondHomeCase.select(SecondHomeCase.status).first()
    assert row["status"] == "approved"
    short = await client.post(f"{path}/pencabutan", data=form | {"reason": ""})
    assert short.status_code == 400
    done = await client.post(f"{path}/pencabutan", data=form | {"confirmed": "yes"})
    assert done.status_code == 303
    row = await SecondHomeCase.select(SecondHomeCase.status).first()
    assert row["status"] == "revoked"
