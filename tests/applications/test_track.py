"""/track: the status, the day of its last change and the next step in plain words, in both
languages, for whoever holds the register number and the passport number; asked by POST."""

from __future__ import annotations

import html

from httpx import AsyncClient

from tests.applications.conftest import Office, attach_documents, new_itas_body
from tests.factories import created
from tests.web.conftest import csrf_token

CASES = "/api/v1/applications"
PASSPORT = "EA1234567"  # new_itas_body's passport


async def _submitted(client: AsyncClient, office: Office) -> dict:
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    await attach_documents(client, case["id"], office.sponsor)
    response = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_api_answers_status_day_and_next_step(client: AsyncClient, office) -> None:
    case = await _submitted(client, office)
    body = {"register_number": case["register_number"].lower(), "passport_number": "ea 1234567"}
    found = await client.post("/api/v1/track", json=body)
    assert found.status_code == 200, found.text
    answer = found.json()
    assert answer["status"] == "submitted" and answer["changed_on"] == "2026-11-22"
    assert (answer["status_label_id"], answer["status_label_en"]) == ("Diajukan", "Submitted")
    assert "sedang memeriksanya" in answer["next_step_id"]
    assert "reviewing it" in answer["next_step_en"]
    assert set(answer) == {
        "register_number", "status", "status_label_id", "status_label_en", "changed_on",
        "next_step_id", "next_step_en",
    }  # fmt: skip

    returned = await client.post(
        f"{CASES}/{case['id']}/decision",
        json={"decision": "return", "message": "Lampirkan RPTKA yang masih berlaku."},
        headers=office.officer,
    )
    assert returned.status_code == 200, returned.text
    answer = (await client.post("/api/v1/track", json=body)).json()
    assert answer["status"] == "returned"
    assert "mengajukannya kembali" in answer["next_step_id"]
    assert "submits it again" in answer["next_step_en"]
    # The officer's message and the person's data stay with the sponsor.
    assert "RPTKA" not in str(answer) and "Zhang" not in str(answer)

    wrong = await client.post(
        "/api/v1/track", json={"register_number": case["register_number"], "passport_number": "EA7"}
    )
    assert wrong.status_code == 404 and PASSPORT not in wrong.text


async def test_the_page_posts_and_answers_in_its_language(client: AsyncClient, office) -> None:
    case = await _submitted(client, office)
    form = await client.get(f"/track?register_number={case['register_number']}")
    assert 'method="post" action="/track"' in form.text
    assert "data-next-step" not in form.text  # a look-up in the URL is not answered
    for language, status, day, step in (
        ("id", "Diajukan", "22 November 2026", "Petugas kantor imigrasi sedang memeriksanya."),
        ("en", "Submitted", "22 November 2026", "An immigration officer is reviewing it."),
    ):
        client.cookies.set("tka_lang", language)
        token = await csrf_token(client, "/track")
        data = {
            "register_number": case["register_number"],
            "passport_number": PASSPORT,
            "_csrf_token": token,
        }
        page = await client.post("/track", data=data)
        assert page.status_code == 200, page.text
        text = html.unescape(page.text)
        assert status in text and day in text and step in text
        assert 'data-changed-on="2026-11-22"' in text
