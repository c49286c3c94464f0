"""An officer takes a case ("ambil"); the others see who has it and cannot take it too."""

from __future__ import annotations

import asyncio

import httpx

from tests.applications.conftest import Office, new_itas_body, pdf_bytes, upload
from tests.factories import account, bearer, created
from tests.web.conftest import csrf_token, sign_in_page

CASES = "/api/v1/applications"


async def _submitted(client: httpx.AsyncClient, office: Office) -> int:
    draft = await created(client, CASES, new_itas_body(), office.sponsor)
    assert (await upload(client, draft["id"], office.sponsor, pdf_bytes())).status_code == 201
    sent = await client.post(f"{CASES}/{draft['id']}/submit", headers=office.sponsor)
    assert sent.status_code == 200, sent.text
    return int(draft["id"])


async def test_take_a_case_and_the_others_see_who_has_it(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await _submitted(client, office)
    rina, budi = await account("officer"), await account("officer")
    path = f"/petugas/permohonan/{case_id}"

    await sign_in_page(client, rina)
    page = await client.get(path)
    assert 'data-assigned="nobody"' in page.text and "Ambil" in page.text
    token = await csrf_token(client, path)
    took = await client.post(f"{path}/ambil", data={"_csrf_token": token, "action": "ambil"})
    assert took.status_code == 303
    page = await client.get(path)
    assert 'data-assigned="me"' in page.text and "Permohonan diambil" in page.text
    queue = await client.get("/petugas/permohonan")
    assert f'data-assigned-to="{rina}"' in queue.text

    client.cookies.clear()
    await sign_in_page(client, budi)
    page = await client.get(path)
    assert 'data-assigned="other"' in page.text and f"Diambil oleh {rina}." in page.text
    token = await csrf_token(client, path)
    refused = await client.post(f"{path}/ambil", data={"_csrf_token": token, "action": "ambil"})
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("text/html")
    assert f"{rina} sudah mengambil permohonan ini." in refused.text
    budi_api = await bearer(client, budi)
    api_refused = await client.post(f"{CASES}/{case_id}/take", headers=budi_api)
    assert api_refused.status_code == 409
    assert api_refused.json()["errors"][0]["field"] == "assigned_to"
    assert (await client.post(f"{CASES}/{case_id}/release", headers=budi_api)).status_code == 409

    # Rina gives it back; Budi takes it. The employer never sees who.
    rina_api = await bearer(client, rina)
    released = await client.post(f"{CASES}/{case_id}/release", headers=rina_api)
    assert released.status_code == 200 and released.json()["assigned_to"] is None
    taken = await client.post(f"{CASES}/{case_id}/take", headers=budi_api)
    assert taken.status_code == 200 and taken.json()["assigned_to"] == budi
    seen = await client.get(f"{CASES}/{case_id}", headers=office.sponsor)
    assert seen.json()["assigned_to"] is None
    assert (await client.post(f"{CASES}/{case_id}/take", headers=office.sponsor)).status_code == 403


async def test_two_officers_taking_at_once_one_has_it(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await _submitted(client, office)
    officers = [await bearer(client, await account("officer")) for _ in range(2)]
    answers = await asyncio.gather(
        *(client.post(f"{CASES}/{case_id}/take", headers=h) for h in officers)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
