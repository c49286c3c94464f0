"""A Second Home service's refusal that carries values shows on the case page in the page's
language, naming the field, with the officer's input kept and nothing changed."""

from __future__ import annotations

import html

from httpx import AsyncClient

from tests.second_home.conftest import APPLIED, case_body, decide, entered
from tests.web.conftest import csrf_token, refused_on_page


async def test_a_decision_before_the_application_date_is_refused_in_the_page_language(
    client: AsyncClient, officer: dict[str, str]
) -> None:
    case = await entered(client, officer, case_body(submit=True))
    path = f"/petugas/rumah-kedua/{case['id']}"
    form = {"_csrf_token": await csrf_token(client), "decision": "approve",
            "decided_on": "2026-11-19", "reason": "", "confirmed": "yes"}  # fmt: skip

    refused = await client.post(f"{path}/keputusan", data=form, headers=officer)
    indonesian = html.unescape(refused.text)
    message = f"Tanggal keputusan: 2026-11-19 sebelum tanggal permohonan {APPLIED}."
    refused_on_page(refused, message, 'value="2026-11-19"')
    assert "is before the application date" not in indonesian
    after = await client.get(f"/api/v1/second-home/{case['id']}", headers=officer)
    assert after.json()["status"] == "submitted" and after.json()["decided_on"] is None

    client.cookies.set("tka_lang", "en")
    english = await client.post(f"{path}/keputusan", data=form, headers=officer)
    refused_on_page(
        english,
        f"Decided on: 2026-11-19 is before the application date {APPLIED}.",
        'value="2026-11-19"',
    )
    assert "sebelum tanggal permohonan" not in english.text


async def test_an_unmet_rule_is_refused_in_the_page_language_not_the_offices(
    client: AsyncClient, officer: dict[str, str]
) -> None:
    """The rules word their verdicts in both languages: the page shows its own, whatever the
    office's default, and the API answers English with the Indonesian beside it."""
    short = case_body(funds_idr="Rp 1.000.000.000", submit=True)
    case = await entered(client, officer, short)
    path = f"/petugas/rumah-kedua/{case['id']}"
    form = {"_csrf_token": await csrf_token(client), "decision": "approve",
            "decided_on": "2026-11-22", "reason": "", "confirmed": "yes"}  # fmt: skip

    indonesian = html.unescape(
        (await client.post(f"{path}/keputusan", data=form, headers=officer)).text
    )
    assert "Dana Rp 1.000.000.000" in indonesian and "tidak memenuhi" in indonesian
    assert "not met" not in indonesian

    client.cookies.set("tka_lang", "en")
    english = html.unescape(
        (await client.post(f"{path}/keputusan", data=form, headers=officer)).text
    )
    assert "Funds IDR 1,000,000,000" in english and "not met" in english
    assert "tidak memenuhi" not in english

    decided = await decide(client, officer, case["id"])
    assert decided.status_code == 422
    (error,) = decided.json()["errors"]
    assert "not met" in error["reason"] and "tidak memenuhi" in error["message_id"]
    after = await client.get(f"/api/v1/second-home/{case['id']}", headers=officer)
    assert after.json()["status"] == "submitted" and after.json()["decided_on"] is None
