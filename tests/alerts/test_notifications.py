"""Decision and submission emails through the outbox, to a real SMTP server (aiosmtpd).

The outbox row is written in the decision's transaction; delivery sends each row once, keeps
rows through an SMTP outage and retries them with back-off; submissions reach the office as one
digest per window.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.alerts.smtp_sink import free_port
from tests.applications.conftest import (  # noqa: F401
    Office,
    office,
    submitted_itas,
    worker_with_permit,
)
from tests.conftest import NOW
from tests.factories import account, bearer, created
from tka_registry.notifications.delivery import backoff, deliver_due
from tka_registry.notifications.tables import Notification
from tka_registry.settings import Settings, load_settings

CASES = "/api/v1/applications"
OFFICE_EMAIL = "kanim-palembang@imigrasi.test"


@pytest.fixture
def settings(database_url: str, data_dir: Path, smtp_server) -> Settings:
    return load_settings(
        environ={},
        database_url=database_url,
        secret_key="test-secret",
        data_dir=data_dir,
        smtp_url=smtp_server.url,
        office_email=OFFICE_EMAIL,
        base_url="https://tka.example.test",
    )


async def submitted_departure(client, office: Office) -> dict:  # noqa: F811
    worker, _ = await worker_with_permit(
        client, office, issued_on="2025-11-01", expires_on="2026-10-31", full_name="Zhang Wei"
    )
    body = {"kind": "departure_report", "worker_id": worker["id"], "departed_on": "2026-10-30"}
    case = await created(client, CASES, body, office.sponsor)
    submitted = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


async def test_each_decision_is_mailed_once_and_submissions_as_a_digest(
    client,
    office,  # noqa: F811
    settings,
    smtp_server,
) -> None:
    case = await submitted_departure(client, office)
    register = case["register_number"]
    returned = await client.post(
        f"{CASES}/{case['id']}/decision",
        json={"decision": "return", "message": "Lampirkan tiket pesawat"},
        headers=office.officer,
    )
    assert returned.status_code == 200, returned.text

    report = await deliver_due(settings, NOW)
    assert report.sent == 2 and report.failed == 0  # the address on record and the account
    messages = [item.message() for item in smtp_server.handler.received]
    recipients = {str(m["To"]) for m in messages}
    account = (recipients - {office.employer["email"]}).pop()
    assert office.employer["email"] in recipients and account.startswith("employer")
    for message in messages:
        assert str(message["Subject"]) == f"Permohonan {register} dikembalikan untuk dilengkapi"
        body = message.get_content()
        assert "Lampirkan tiket pesawat" in body and "Zhang Wei" in body
        assert f"https://tka.example.test/portal/permohonan/{case['id']}" in body
    # Nothing is sent twice; the office's digest waits for the end of its window.
    assert (await deliver_due(settings, NOW)).sent == 0
    assert len(smtp_server.handler.received) == 2

    resubmitted = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert resubmitted.status_code == 200
    later = NOW + timedelta(minutes=61)
    report = await deliver_due(settings, later)
    assert report.sent == 1
    digest = smtp_server.handler.received[-1].message()
    assert str(digest["To"]) == OFFICE_EMAIL
    assert str(digest["Subject"]) == "2 permohonan baru diajukan"
    assert digest.get_content().count(register) == 2


async def test_an_smtp_outage_loses_nothing_and_sends_once(
    client,
    office,  # noqa: F811
    settings,
    smtp_server,
) -> None:
    case = await submitted_departure(client, office)
    approved = await client.post(
        f"{CASES}/{case['id']}/decision", json={"decision": "approve"}, headers=office.officer
    )
    assert approved.status_code == 200
    down = settings.with_overrides(smtp_url=f"smtp://127.0.0.1:{free_port()}")
    report = await deliver_due(down, NOW)
    assert report.sent == 0 and report.failed == 2
    rows = await Notification.select().where(Notification.kind == "case_decision")
    assert {row["attempts"] for row in rows} == {1} and all(r["sent_at"] is None for r in rows)
    assert all(r["last_error"] for r in rows)
    # Backed off: not tried again before the first minute has passed.
    assert (await deliver_due(settings, NOW + timedelta(seconds=30))).sent == 0
    assert backoff(1) == timedelta(minutes=1) and backoff(3) == timedelta(minutes=4)
    assert backoff(30) == timedelta(hours=6)
    report = await deliver_due(settings, NOW + backoff(1))
    assert report.sent == 2
    subjects = {str(r.message()["Subject"]) for r in smtp_server.handler.received}
    assert subjects == {f"Permohonan {case['register_number']} disetujui"}
    assert (await deliver_due(settings, NOW + timedelta(hours=1))).sent == 1  # the digest only
    assert len(smtp_server.handler.received) == 3


async def test_a_refused_decision_queues_nothing(client, office, settings) -> None:  # noqa: F811
    case = await submitted_departure(client, office)
    refused = await client.post(
        f"{CASES}/{case['id']}/decision", json={"decision": "reject"}, headers=office.officer
    )
    assert refused.status_code in (400, 422)
    kinds = [row["kind"] for row in await Notification.select(Notification.kind)]
    assert kinds == ["submission"]


async def test_a_take_over_mails_the_officer_who_had_the_case_once(
    client,
    office,  # noqa: F811
    settings,
    smtp_server,
) -> None:
    """An absent officer learns from their mail that a colleague took their case over (and
    that only the colleague can decide it now); taking a free case or giving one back mails
    nobody."""
    case_id = await submitted_itas(client, office)
    rina_email, budi_email = await account("officer"), await account("officer")
    rina, budi = await bearer(client, rina_email), await bearer(client, budi_email)
    assert (await client.post(f"{CASES}/{case_id}/take", headers=rina)).status_code == 200
    assert (await client.post(f"{CASES}/{case_id}/release", headers=rina)).status_code == 200
    assert (await client.post(f"{CASES}/{case_id}/take", headers=rina)).status_code == 200
    moved = await client.post(f"{CASES}/{case_id}/take-over", headers=budi)
    assert moved.status_code == 200, moved.text
    register = moved.json()["register_number"]

    report = await deliver_due(settings, NOW)
    assert report.sent == 1 and report.failed == 0
    (mail,) = [item.message() for item in smtp_server.handler.received]
    assert str(mail["To"]) == rina_email
    subject = " ".join(str(mail["Subject"]).split())  # a long subject comes back folded
    assert subject == f"Permohonan {register} diambil alih oleh {budi_email}"
    body = mail.get_content()
    assert f"hanya {budi_email} yang dapat memutuskannya" in body
    assert f"https://tka.example.test/petugas/permohonan/{case_id}" in body
    assert (await deliver_due(settings, NOW + timedelta(hours=1))).sent == 1  # the digest only
    assert len(smtp_server.handler.received) == 2


async def test_a_take_over_that_loses_the_race_mails_nobody(
    client,
    office,  # noqa: F811
    settings,
) -> None:
    """The notice is queued in the move's transaction: a take-over refused (the holder decided
    first) leaves no mail behind."""
    case_id = await submitted_itas(client, office)
    rina, budi = [await bearer(client, await account("officer")) for _ in range(2)]
    assert (await client.post(f"{CASES}/{case_id}/take", headers=rina)).status_code == 200
    decided = await client.post(
        f"{CASES}/{case_id}/decision", json={"decision": "approve"}, headers=rina
    )
    assert decided.status_code == 200, decided.text
    refused = await client.post(f"{CASES}/{case_id}/take-over", headers=budi)
    assert refused.status_code == 409
    kinds = {row["kind"] for row in await Notification.select(Notification.kind)}
    assert "case_taken_over" not in kinds
