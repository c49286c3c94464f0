"""A refusal of the services behind the officer's decision form reads in the page's language,
naming the field, with the officer's input kept; the issued permit is named, not only coded."""

from __future__ import annotations

import httpx

from tests.applications.conftest import Office, submitted_itas
from tests.factories import account
from tests.web.conftest import csrf_token, refused_on_page, sign_in_page
from tka_registry.applications.tables import Application
from tka_registry.permits.tables import Permit

CASES = "/api/v1/applications"


async def test_a_permit_number_on_record_is_refused_in_the_page_language(
    client: httpx.AsyncClient, office: Office
) -> None:
    first = await submitted_itas(client, office, "EA1234567")
    second = await submitted_itas(client, office, "EA7654321")
    await sign_in_page(client, await account("officer"))
    token = await csrf_token(client, f"/petugas/permohonan/{first}")
    approve = {"_csrf_token": token, "decision": "approve", "confirmed": "yes",
               "permit_number": "2C11JD0001-AB"}  # fmt: skip
    issued = await client.post(f"/petugas/permohonan/{first}/keputusan", data=approve)
    assert issued.status_code == 303

    kept = 'value="2C11JD0001-AB"'  # the officer's input
    refused = await client.post(f"/petugas/permohonan/{second}/keputusan", data=approve)
    refused_on_page(refused, "Nomor izin: 2C11JD0001-AB sudah tercatat pada izin lain.", kept)
    assert "is on record already" not in refused.text
    assert 'href="#permit_number"' in refused.text  # the summary points at the field
    row = await Application.select(Application.status).where(Application.id == second).first()
    assert row["status"] == "submitted"  # nothing was decided
    assert await Permit.count() == 1

    client.cookies.set("tka_lang", "en")
    english = await client.post(f"/petugas/permohonan/{second}/keputusan", data=approve)
    refused_on_page(
        english, "Permit number: 2C11JD0001-AB is on record already for another permit.", kept
    )

    # The API keeps its English field and reason for developers, whatever the page language.
    api = await client.post(
        f"{CASES}/{second}/decision",
        json={"decision": "approve", "permit_number": "2C11JD0001-AB"},
        headers=office.officer,
    )
    assert api.status_code == 409
    assert api.json()["errors"][0] == {
        "field": "number",
        "reason": "permit number 2C11JD0001-AB is on record already",
    }


async def test_the_issued_permit_is_named_in_the_page_language(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await submitted_itas(client, office, "EA1234567")
    await sign_in_page(client, await account("officer"))
    path = f"/petugas/permohonan/{case_id}"
    token = await csrf_token(client, path)
    done = await client.post(
        f"{path}/keputusan", data={"_csrf_token": token, "decision": "approve", "confirmed": "yes"}
    )
    assert done.status_code == 303
    page = await client.get(path)
    assert "Izin Tinggal Terbatas (ITAS)</span> · E23C – Bekerja - industri" in page.text
    client.cookies.set("tka_lang", "en")
    page = await client.get(path)
    assert "Limited Stay Permit (ITAS)</span> · E23C – Work - industry" in page.text
    assert "E23C – Work - industry" in page.text  # the requested index in the case's details
