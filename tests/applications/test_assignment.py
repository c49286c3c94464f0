"""An officer takes a case ("ambil"); the others see who has it and cannot take it too."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from tests.applications.conftest import Office, submitted_itas
from tests.factories import account, bearer
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.applications.tables import Application, ApplicationEvent
from tka_registry.audit.tables import AuditEntry

CASES = "/api/v1/applications"


async def test_take_a_case_and_the_others_see_who_has_it(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await submitted_itas(client, office)
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
    case_id = await submitted_itas(client, office)
    officers = [await bearer(client, await account("officer")) for _ in range(2)]
    answers = await asyncio.gather(
        *(client.post(f"{CASES}/{case_id}/take", headers=h) for h in officers)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]


async def _case_state(case_id: int) -> tuple[Any, ...]:
    row = await Application.select().where(Application.id == case_id).first()
    assert row is not None
    events = await ApplicationEvent.count().where(ApplicationEvent.application == case_id)
    audited = await AuditEntry.count().where(
        (AuditEntry.object_type == "application") & (AuditEntry.object_id == str(case_id))
    )
    return row["status"], row["assigned_to"], row["permit_id"], row["decided_at"], events, audited


async def test_only_the_holder_decides_until_a_colleague_takes_it_over(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await submitted_itas(client, office)
    rina, budi = await account("officer"), await account("officer")
    rina_api, budi_api = await bearer(client, rina), await bearer(client, budi)
    assert (await client.post(f"{CASES}/{case_id}/take", headers=rina_api)).status_code == 200
    before = await _case_state(case_id)

    # Budi's approval through the API: 409 naming Rina, nothing changed.
    refused = await client.post(
        f"{CASES}/{case_id}/decision", json={"decision": "approve"}, headers=budi_api
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["errors"] == [
        {"field": "assigned_to", "reason": f"{rina} has taken this case"}
    ]
    for decision in ({"decision": "reject", "message": "Tidak sesuai."},
                     {"decision": "return", "message": "Lengkapi RPTKA."}):  # fmt: skip
        answer = await client.post(f"{CASES}/{case_id}/decision", json=decision, headers=budi_api)
        assert answer.status_code == 409 and answer.json()["errors"][0]["field"] == "assigned_to"

    # On the case page: no decision form for him, and a confirmed approval posted anyway is
    # refused inline in his language.
    path = f"/petugas/permohonan/{case_id}"
    await sign_in_page(client, budi)
    page = await client.get(path)
    assert 'id="keputusan"' not in page.text and 'value="ambil_alih"' in page.text
    token = await csrf_token(client, path)
    approve = {"_csrf_token": token, "decision": "approve", "confirmed": "yes"}
    on_page = await client.post(f"{path}/keputusan", data=approve)
    assert on_page.status_code == 409 and on_page.headers["content-type"].startswith("text/html")
    assert f"{rina} sudah mengambil permohonan ini: hanya petugas tersebut" in on_page.text
    unconfirmed = await client.post(f"{path}/keputusan", data=approve | {"confirmed": ""})
    assert unconfirmed.status_code == 409 and "Setujui permohonan" not in unconfirmed.text
    client.cookies.set("tka_lang", "en")
    english = await client.post(f"{path}/keputusan", data=approve)
    client.cookies.delete("tka_lang")
    assert english.status_code == 409
    assert f"{rina} has taken this case: only they can decide it." in english.text
    assert await _case_state(case_id) == before  # and no audit entry of the case either

    # Rina is away: Budi takes the case over (a confirmation first), then decides it.
    take_over = {"_csrf_token": token, "action": "ambil_alih"}
    asked = await client.post(f"{path}/ambil", data=take_over)
    assert asked.status_code == 200 and f"dari {rina}?" in asked.text
    assert 'name="action" value="ambil_alih"' in asked.text
    assert 'name="confirmed" value="yes"' in asked.text
    assert await _case_state(case_id) == before
    moved = await client.post(f"{path}/ambil", data=take_over | {"confirmed": "yes"})
    assert moved.status_code == 303
    page = await client.get(path)
    assert 'data-assigned="me"' in page.text and 'id="keputusan"' in page.text
    assert "Permohonan diambil alih" in page.text and f"Dari {rina}" in page.text
    entry = await AuditEntry.select().where(AuditEntry.action == "application.take_over").first()
    assert entry is not None and entry["actor"] == budi and entry["object_id"] == str(case_id)
    assert json.loads(entry["details"]) == {"from": rina, "to": budi}

    # Now Rina is the one refused, and Budi's approval goes through.
    late = await client.post(
        f"{CASES}/{case_id}/decision", json={"decision": "approve"}, headers=rina_api
    )
    assert late.status_code == 409 and budi in late.json()["errors"][0]["reason"]
    approved = await client.post(
        f"{CASES}/{case_id}/decision", json={"decision": "approve"}, headers=budi_api
    )
    assert approved.status_code == 200, approved.text
    case = approved.json()
    assert case["status"] == "approved" and case["permit"] is not None
    moves = [(e["action"], e["actor"], e["message"]) for e in case["history"][-3:]]
    assert moves == [("taken", rina, ""), ("taken_over", budi, rina), ("approved", budi, "")]
    decided = await AuditEntry.select().where(AuditEntry.action == "application.decide").first()
    assert decided is not None and decided["actor"] == budi
    # The employer sees the decision, never which officers had the case.
    seen = (await client.get(f"{CASES}/{case_id}", headers=office.sponsor)).json()
    assert {e["action"] for e in seen["history"]} & {"taken", "taken_over"} == set()


async def test_a_take_over_and_the_holders_decision_at_once_one_wins(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id = await submitted_itas(client, office)
    rina, budi = [await bearer(client, await account("officer")) for _ in range(2)]
    assert (await client.post(f"{CASES}/{case_id}/take", headers=rina)).status_code == 200
    decided, moved = await asyncio.gather(
        client.post(f"{CASES}/{case_id}/decision", json={"decision": "approve"}, headers=rina),
        client.post(f"{CASES}/{case_id}/take-over", headers=budi),
    )
    assert sorted((decided.status_code, moved.status_code)) == [200, 409], (decided, moved)
    status, holder, permit_id, *_ = await _case_state(case_id)
    if decided.status_code == 200:
        assert status == "approved" and permit_id is not None
    else:
        assert decided.json()["errors"][0]["field"] == "assigned_to"
        assert status == "submitted" and permit_id is None and holder == moved.json()["assigned_to"]
