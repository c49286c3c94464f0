"""Decision letters name the deciding officer and carry a gapless letter number (issue 20)."""

from __future__ import annotations

import asyncio
import io

from httpx import AsyncClient
from pypdf import PdfReader

from tests.applications.conftest import Office, attach_documents, new_itas_body
from tests.factories import account, bearer, created
from tka_registry.applications.tables import Application
from tka_registry.documents.letter_numbers import letter_number, pattern_problem, series_of
from tka_registry.documents.service import current_document, read_document
from tka_registry.documents.tables import IssuedLetter

CASES = "/api/v1/applications"
ON_BEHALF = "a.n. Kepala Kantor Imigrasi Kelas I TPI Palembang"


async def _submitted(client: AsyncClient, office: Office, passport: str) -> dict:
    case = await created(client, CASES, new_itas_body(passport_number=passport), office.sponsor)
    await attach_documents(client, case["id"], office.sponsor)
    response = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _text(settings, kind: str, stored) -> str:
    assert stored is not None, f"no {kind} letter"
    pdf = await read_document(stored)
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_concurrent_decisions_get_gapless_numbers_and_signed_letters(
    client, office, settings
) -> None:
    second = await bearer(client, await account("officer"))
    cases = [await _submitted(client, office, f"EC{i:07d}") for i in range(6)]
    decisions = []
    for index, case in enumerate(cases):
        body = (
            {"decision": "approve"}
            if index % 2
            else {"decision": "reject", "message": "Jabatan tidak sesuai RPTKA."}
        )
        headers = office.officer if index < 3 else second
        decisions.append(client.post(f"{CASES}/{case['id']}/decision", json=body, headers=headers))
    answers = await asyncio.gather(*decisions)
    assert all(answer.status_code == 200 for answer in answers), [a.text for a in answers]

    letters = await IssuedLetter.select().order_by(IssuedLetter.sequence)
    by_kind: dict[str, list[int]] = {}
    for letter in letters:
        by_kind.setdefault(letter["kind"], []).append(letter["sequence"])
    # Gapless from 1 for each kind, whatever order the decisions committed in.
    assert by_kind == {"SETUJU": [1, 2, 3], "TOLAK": [1, 2, 3]}
    numbers = {letter["number"] for letter in letters}
    assert len(numbers) == 6
    assert "W9.IMI.IMI.1-GR.01.01-SETUJU.0001/2026" in numbers

    for case, letter_row in [(c, await _issued(c["id"])) for c in cases]:
        kind = "approval" if letter_row["kind"] == "SETUJU" else "rejection"
        text = await _text(
            settings, kind, await current_document(kind=kind, application_id=case["id"])
        )
        assert letter_row["number"] in text
        assert ON_BEHALF in text
        assert letter_row["officer_name"] in text and f"NIP {letter_row['officer_nip']}" in text
        assert "Kepala Seksi Izin Tinggal dan Status Keimigrasian" in text
        assert letter_row["officer_name"].startswith("Rina Kartika Sari")
        assert "@imigrasi.test" not in text  # no longer "signed" by an email address


async def _issued(application_id: int) -> dict:
    row = (
        await IssuedLetter.select()
        .where(
            (IssuedLetter.owner_type == "application") & (IssuedLetter.owner_id == application_id)
        )
        .first()
    )
    assert row is not None
    return dict(row)


async def test_an_officer_without_name_and_nip_cannot_decide(client, office) -> None:
    admin = await bearer(client, await account("admin"))
    nameless_email = await account("officer", officer=False)
    nameless = await bearer(client, nameless_email)
    case = await _submitted(client, office, "ED0000001")
    path = f"{CASES}/{case['id']}/decision"
    refused = await client.post(path, json={"decision": "approve"}, headers=nameless)
    assert refused.status_code == 422
    problem = refused.json()["errors"][0]
    assert problem["field"] == "officer"
    assert "full name and NIP" in problem["reason"] and "/admin/akun" in problem["reason"]
    assert "nama lengkap dan NIP" in problem["reason"]
    row = await Application.select(Application.status).where(Application.id == case["id"]).first()
    assert row["status"] == "submitted" and await IssuedLetter.count() == 0
    # Returning a case needs no letter, so no signature.
    account_id = (await client.get("/api/v1/auth/me", headers=nameless)).json()["account_id"]
    named = await client.patch(
        f"/api/v1/accounts/{account_id}",
        json={"full_name": "Dewi Lestari", "nip": "19900214 201403 2 001", "position": "Analis"},
        headers=admin,
    )
    assert named.status_code == 200, named.text
    assert named.json()["nip"] == "199002142014032001"
    decided = await client.post(path, json={"decision": "approve"}, headers=nameless)
    assert decided.status_code == 200, decided.text
    assert (await _issued(case["id"]))["officer_name"] == "Dewi Lestari"


def test_letter_number_patterns() -> None:
    pattern = "{office}-GR.01.01-{kind}.{sequence:04d}/{year}"
    assert pattern_problem(pattern) is None
    assert letter_number(pattern, office="W9", kind="TOLAK", year=2027, sequence=12) == (
        "W9-GR.01.01-TOLAK.0012/2027"
    )
    assert series_of(pattern, "TOLAK") == "TOLAK"
    assert series_of("{office}/{sequence}/{year}", "TOLAK") == "*"  # one counter for all kinds
    assert "{year} and {sequence}" in (pattern_problem("{office}-{sequence}") or "")
    assert "unknown fields" in (pattern_problem("{office}-{seq}/{year}") or "")
    assert "not a format pattern" in (pattern_problem("{office-{sequence}/{year}") or "")
