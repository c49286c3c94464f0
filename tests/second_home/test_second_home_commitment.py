"""The 90-day proof commitment: lodging closes it; past it the case is overdue and revoking the
principal's permit revokes every dependant's in the same transaction."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfWriter

from tests.factories import signed_in
from tests.second_home.conftest import case_body, client_at, decide, entered
from tka_registry import formats
from tka_registry.accounts.roles import Actor
from tka_registry.audit.tables import AuditEntry
from tka_registry.errors import Conflict
from tka_registry.permits.tables import Permit
from tka_registry.second_home import commitment

# Approved on 22 November 2026: the proof is due by 20 February 2027 (day 90).
DEADLINE = "2027-02-20"
ON_DEADLINE = datetime(2027, 2, 20, 3, 0, tzinfo=UTC)  # 10:00 WIB
DAY_AFTER = datetime(2027, 2, 21, 3, 0, tzinfo=UTC)


def bank_letter_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def approved_case(client, officer) -> dict:
    case = await entered(client, officer, case_body())
    response = await decide(client, officer, case["id"])
    assert response.status_code == 200, response.text
    return dict(response.json())


def proof_upload(content: bytes, *, kind: str = "bank_letter", lodged_on: str = "2026-11-22"):
    return {
        "data": {"kind": kind, "lodged_on": lodged_on},
        "files": {"file": ("surat-bank.pdf", content, "application/pdf")},
    }


async def test_lodging_the_bank_letter_closes_the_deadline(client, officer, settings) -> None:
    case = await approved_case(client, officer)
    assert case["proof"] == {
        "deadline": DEADLINE, "days_left": 90, "overdue": False, "lodged_on": None,
        "kind": None, "sha256": None, "media_type": None,
    }  # fmt: skip
    url = f"/api/v1/second-home/{case['id']}/proof"
    # A text file named .pdf is judged by its content and refused.
    fake = await client.post(url, headers=officer, **proof_upload(b"not a pdf at all"))
    assert fake.status_code == 422 and fake.json()["errors"][0]["field"] == "file"
    bad_kind = await client.post(
        url, headers=officer, **proof_upload(bank_letter_pdf(), kind="selfie")
    )
    assert bad_kind.status_code == 422 and bad_kind.json()["errors"][0]["field"] == "kind"

    pdf = bank_letter_pdf()
    response = await client.post(url, headers=officer, **proof_upload(pdf))
    assert response.status_code == 200, response.text
    proof = response.json()["proof"]
    assert proof["lodged_on"] == "2026-11-22" and proof["kind"] == "bank_letter"
    assert proof["days_left"] is None and proof["overdue"] is False
    assert proof["media_type"] == "application/pdf"
    stored = await client.get(url, headers=officer)
    assert stored.status_code == 200 and stored.content == pdf
    assert (await client.post(url, headers=officer, **proof_upload(pdf))).status_code == 409

    # Lodged, the case never becomes overdue.
    async with client_at(settings, DAY_AFTER) as later:
        officer = await signed_in(later, "officer")  # the earlier token has expired by then
        overdue = (await later.get("/api/v1/second-home/overdue", headers=officer)).json()
        assert overdue["total"] == 0


async def test_overdue_path_then_revocation_cascades(client, officer, settings) -> None:
    case = await approved_case(client, officer)
    async with client_at(settings, ON_DEADLINE) as on_deadline:
        officer = await signed_in(on_deadline, "officer")
        listed = (await on_deadline.get("/api/v1/second-home/overdue", headers=officer)).json()
        assert listed["total"] == 0
        shown = await on_deadline.get(f"/api/v1/second-home/{case['id']}", headers=officer)
        assert shown.json()["proof"]["days_left"] == 0
        tracked = await on_deadline.post(
            "/api/v1/second-home/track",
            json={
                "register_number": case["register_number"],
                "passport_number": shown.json()["principal"]["passport_number"],
            },
        )
        deadline = shown.json()["proof"]["deadline"]
        assert tracked.json()["status"] == "approved"
        assert "paling lambat" in tracked.json()["next_step_id"]
        assert (
            formats.long_date(date.fromisoformat(deadline), "en") in tracked.json()["next_step_en"]
        )
    async with client_at(settings, DAY_AFTER) as later:
        officer = await signed_in(later, "officer")
        intelligence = await signed_in(later, "intelligence")
        listed = (await later.get("/api/v1/second-home/overdue", headers=intelligence)).json()
        assert [item["register_number"] for item in listed["items"]] == [case["register_number"]]
        assert listed["items"][0]["proof_days_left"] == -1
        assert listed["items"][0]["dependants"] == 2

        # Too late to lodge: the case must be revoked instead.
        late = await later.post(
            f"/api/v1/second-home/{case['id']}/proof",
            headers=officer,
            **proof_upload(bank_letter_pdf(), lodged_on="2027-02-21"),
        )
        assert late.status_code == 422 and late.json()["errors"][0]["field"] == "lodged_on"

        revoked = await later.post(
            f"/api/v1/second-home/{case['id']}/revocation",
            json={
                "revoked_on": "2027-02-21",
                "reason": "bukti dana tidak diserahkan dalam 90 hari",
            },
            headers=officer,
        )
        assert revoked.status_code == 200, revoked.text
        body = revoked.json()
        assert body["status"] == "revoked"
        assert body["principal"]["permit"]["status"] == "revoked"
        assert [d["permit"]["status"] for d in body["dependants"]] == ["revoked", "revoked"]
        assert (await later.get("/api/v1/second-home/overdue", headers=officer)).json()[
            "total"
        ] == 0
        page = (await later.get("/api/v1/permits?visa_index=E33", headers=officer)).json()
        assert {p["status"] for p in page["items"]} == {"revoked"}
        # The principal's record shows the case with the Second Home list's word for it.
        worker = body["principal"]["worker_id"]
        record = await later.get(f"/petugas/pekerja/{worker}", headers=officer)
        assert record.status_code == 200, record.text
        assert 'data-case-status="revoked">Dicabut<' in record.text
        tracked = await later.post(
            "/api/v1/second-home/track",
            json={
                "register_number": case["register_number"],
                "passport_number": body["principal"]["passport_number"],
            },
        )
        assert tracked.json()["changed_on"] == "2027-02-21"
        assert "dicabut" in tracked.json()["next_step_id"]
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action)]
    assert actions.count("permit.revoke") == 3 and "second_home.revoke" in actions


async def test_revocation_is_one_transaction(client, officer, settings, monkeypatch) -> None:
    """A failure at the second permit leaves the first unrevoked too."""
    case = await approved_case(client, officer)
    real_revoke = commitment.revoke_permit
    calls: list[int] = []

    async def failing_second(actor, permit_id, data, **kwargs):
        calls.append(permit_id)
        if len(calls) == 2:
            raise Conflict("revoked_on", "simulated failure")
        return await real_revoke(actor, permit_id, data, **kwargs)

    monkeypatch.setattr(commitment, "revoke_permit", failing_second)
    with pytest.raises(Conflict):
        await commitment.revoke_case(
            Actor.system("tests"), case["id"], revoked_on=datetime(2026, 11, 22).date(),
            reason="uji transaksi", settings=settings, today=datetime(2026, 11, 22).date(),
            now=datetime(2026, 11, 22, 3, tzinfo=UTC),
        )  # fmt: skip
    assert len(calls) == 2
    assert await Permit.count().where(Permit.revoked_on.is_not_null()) == 0
    shown = (await client.get(f"/api/v1/second-home/{case['id']}", headers=officer)).json()
    assert shown["status"] == "approved"


async def test_only_approved_cases_take_proof_or_revocation(client, officer) -> None:
    case = await entered(client, officer, case_body())
    proof = await client.post(
        f"/api/v1/second-home/{case['id']}/proof",
        headers=officer,
        **proof_upload(bank_letter_pdf()),
    )
    assert proof.status_code == 409
    revoke = await client.post(
        f"/api/v1/second-home/{case['id']}/revocation",
        json={"revoked_on": "2026-11-22", "reason": "tidak berlaku"},
        headers=officer,
    )
    assert revoke.status_code == 409


async def test_the_principal_permit_is_revoked_with_its_case_not_on_its_own(
    client, officer
) -> None:
    """Dependants never outlast the principal: revoking the principal's permit by itself is
    refused with the way to do it; a dependant's permit can still be revoked alone."""
    case = await approved_case(client, officer)
    principal_permit = case["principal"]["permit"]["id"]
    body = {"revoked_on": "2026-11-22", "revocation_reason": "Pemegang meninggalkan Indonesia"}
    refused = await client.patch(f"/api/v1/permits/{principal_permit}", json=body, headers=officer)
    assert refused.status_code == 409, refused.text
    reason = refused.json()["errors"][0]["reason"]
    assert f"/api/v1/second-home/{case['id']}/revocation" in reason
    row = await Permit.select(Permit.revoked_on).where(Permit.id == principal_permit).first()
    assert row == {"revoked_on": None}

    dependant_permit = case["dependants"][0]["permit"]["id"]
    alone = await client.patch(f"/api/v1/permits/{dependant_permit}", json=body, headers=officer)
    assert alone.status_code == 200 and alone.json()["status"] == "revoked"
