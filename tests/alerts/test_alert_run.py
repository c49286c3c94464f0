"""The alert run against a real database and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.alerts import records
from tests.alerts.smtp_sink import SmtpServer, free_port
from tka_registry.alerts.run import send_alerts
from tka_registry.alerts.tables import Reminder
from tka_registry.audit.tables import AuditEntry
from tka_registry.rules.calendar import utc_now
from tka_registry.settings import Settings

TODAY = date(2026, 11, 22)
OFFICE = "kanim.palembang@imigrasi.test"


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def alert_settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return settings.with_overrides(smtp_url=smtp_server.url, office_email=OFFICE)


async def run(settings: Settings, today: date = TODAY, *, dry_run: bool = False):
    return await send_alerts(settings, today, utc_now(), dry_run=dry_run)


def texts(server: SmtpServer) -> dict[str, str]:
    """Each received message's To address -> its plain-text part."""
    found = {}
    for received in server.handler.received:
        message = received.message()
        found[str(message["To"])] = message.get_body(("plain",)).get_content()
    return found


async def test_one_digest_per_employer_and_nothing_twice(db, alert_settings, smtp_server) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    tel = await records.employer("PT Tanjung Enim Lestari", "sdm@tel.test")
    _, first = await records.employed(pusri, "Zhang Wei", days(30))
    _, second = await records.employed(pusri, "Arjun Sharma", days(5), "IND")
    _, overstay = await records.employed(tel, "Kim Min-jun", days(-10), "KOR")
    _, later = await records.employed(tel, "Tanaka Yui", days(200), "JPN")

    report = await run(alert_settings)

    assert report.exit_code == 0, report.lines()
    assert report.sent_reminders == 3 and report.sent_messages == 3  # two digests, one summary
    received = texts(smtp_server)
    assert set(received) == {"hrd@pusri.test", "sdm@tel.test", OFFICE}
    assert first in received["hrd@pusri.test"] and second in received["hrd@pusri.test"]
    assert overstay in received["sdm@tel.test"] and later not in received["sdm@tel.test"]
    assert "Zhang Wei" in received[OFFICE] or "2" in received[OFFICE]
    rows = await Reminder.select().order_by(Reminder.permit)
    assert [(row["stage"], row["state"]) for row in rows] == [
        ("before-30", "sent"),
        ("before-7", "sent"),
        ("overstay-7", "sent"),
    ]
    ids = {str(r.message()["Message-ID"]) for r in smtp_server.handler.received}
    assert {row["message_id"] for row in rows} <= ids
    assert all(row["claimed_by"] is None and row["attempts"] == 1 for row in rows)

    again = await run(alert_settings)

    assert again.exit_code == 0 and again.due == 0 and again.sent_messages == 0
    assert len(smtp_server.handler.received) == 3


async def test_dry_run_sends_and_writes_nothing(db, alert_settings, smtp_server) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    await records.employed(pusri, "Zhang Wei", days(14))
    audit_before = await AuditEntry.count()

    report = await run(alert_settings, dry_run=True)

    assert report.due == 1 and report.exit_code == 0
    assert any(
        "PT Pupuk Sriwidjaja" in line and "hrd@pusri.test" in line for line in report.lines()
    )
    assert smtp_server.handler.received == []
    assert await Reminder.count() == 0
    assert await AuditEntry.count() == audit_before


async def test_unreachable_smtp_fails_cleanly_and_leaves_pending(db, alert_settings) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    await records.employed(pusri, "Zhang Wei", days(14))
    await records.employed(pusri, "Li Na", days(60))
    nowhere = alert_settings.with_overrides(smtp_url=f"smtp://127.0.0.1:{free_port()}")

    report = await run(nowhere)

    assert report.exit_code == 1 and report.unavailable
    rows = await Reminder.select()
    assert len(rows) == 2
    assert all(r["state"] == "pending" and r["claimed_by"] is None for r in rows)
    assert all(r["attempts"] == 0 for r in rows)


async def test_refused_recipient_does_not_stop_others_and_is_retried(
    db, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    tel = await records.employer("PT Tanjung Enim Lestari", "sdm@tel.test")
    refused_permit, _ = await records.employed(pusri, "Zhang Wei", days(7))
    await records.employed(tel, "Kim Min-jun", days(7), "KOR")
    smtp_server.handler.refuse.add("hrd@pusri.test")

    report = await run(alert_settings)

    assert report.exit_code == 1 and report.sent_reminders == 1
    assert {str(r.message()["To"]) for r in smtp_server.handler.received} == {
        "sdm@tel.test",
        OFFICE,
    }
    failed = await Reminder.select().where(Reminder.permit == refused_permit).first()
    assert failed is not None and failed["state"] == "failed" and failed["attempts"] == 1
    assert "550" in failed["last_error"] and failed["claimed_by"] is None

    smtp_server.handler.refuse.clear()
    retry = await run(alert_settings)

    assert retry.exit_code == 0 and retry.sent_reminders == 1
    done = await Reminder.select().where(Reminder.permit == refused_permit).first()
    assert done is not None and done["state"] == "sent" and done["attempts"] == 2
    assert [str(r.message()["To"]) for r in smtp_server.handler.received][-2:] == [
        "hrd@pusri.test",
        OFFICE,
    ]


@pytest.mark.parametrize("address", ["", "hrd at pusri", "hrd@localhost", "a@b.co.id, rusak@"])
async def test_employer_without_usable_email_is_skipped_and_reported(
    db, alert_settings, smtp_server, address
) -> None:
    broken = await records.employer("PT Tanpa Surel", address)
    fine = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    skipped_permit, _ = await records.employed(broken, "Zhang Wei", days(30))
    await records.employed(fine, "Li Na", days(30))

    report = await run(alert_settings)

    assert report.exit_code == 0 and len(report.skipped) == 1
    row = await Reminder.select().where(Reminder.permit == skipped_permit).first()
    assert row is not None and row["state"] == "skipped" and row["last_error"]
    received = texts(smtp_server)
    assert set(received) == {"hrd@pusri.test", OFFICE}
    assert "PT Tanpa Surel" in received[OFFICE]
    assert row["last_error"].split(":")[0] in received[OFFICE]

    # Next run: still skipped, but the office is not told again and nothing else is sent.
    again = await run(alert_settings)
    assert again.sent_messages == 0 and len(again.skipped) == 1
    assert len(smtp_server.handler.received) == 2


async def test_missed_stage_is_sent_next_run_unless_a_later_one_came(
    db, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    permit_id, number = await records.employed(pusri, "Zhang Wei", days(12))

    # The job was down on day 14 before expiry: today (12 days left) before-14 is still sent.
    await run(alert_settings)
    # Down again on day 7; on day 2 before-7 is due, once; day 0 brings before-0.
    await run(alert_settings, days(10))
    await run(alert_settings, days(11))
    await run(alert_settings, days(12))

    stages = [
        (row["stage"], row["due_on"])
        for row in await Reminder.select().where(Reminder.permit == permit_id).order_by(Reminder.id)
    ]
    assert stages == [("before-14", TODAY), ("before-7", days(10)), ("before-0", days(12))]
    digests = [
        r.message() for r in smtp_server.handler.received if str(r.message()["To"]) != OFFICE
    ]
    assert len(digests) == 3
    assert all(number in m.get_body(("plain",)).get_content() for m in digests)


async def test_a_newer_permit_or_revocation_stops_reminders(
    db, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    renewed = await records.worker(pusri, "Zhang Wei")
    await records.permit(renewed, pusri, days(10), is_current=False)
    await records.permit(renewed, pusri, days(375))

    report = await run(alert_settings)

    assert report.due == 0 and report.sent_messages == 0
    assert smtp_server.handler.received == []


async def _application(employer_id: int, worker_id: int, kind: str, status: str, **more) -> None:
    from tka_registry.applications.tables import Application

    now = utc_now()
    await Application.insert(
        Application(
            kind=kind,
            status=status,
            employer=employer_id,
            worker=worker_id,
            details="{}",
            created_by="hrd@pusri.test",
            created_at=now,
            updated_at=now,
            submitted_at=now,
            **more,
        )
    )


async def test_a_filed_extension_or_a_departure_stops_reminders(
    db, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    extending = await records.worker(pusri, "Zhang Wei")
    await records.permit(extending, pusri, days(20))
    gone = await records.worker(pusri, "Li Na")
    await records.permit(gone, pusri, days(20))
    drafting = await records.worker(pusri, "Arjun Sharma", "IND")
    _, reminded = await records.permit(drafting, pusri, days(20))
    await _application(pusri, extending, "itas_extension", "submitted")
    await _application(pusri, gone, "departure_report", "approved", departed_on=TODAY)
    await _application(pusri, drafting, "itas_extension", "draft")  # not filed yet

    report = await run(alert_settings)

    assert report.due == 1 and report.sent_reminders == 1
    assert reminded in texts(smtp_server)["hrd@pusri.test"]


async def test_second_home_holder_without_email_is_skipped_with_reason(
    db, alert_settings, smtp_server
) -> None:
    holder = await records.worker(None, "Hans Müller", "D")
    permit_id, _ = await records.permit(holder, None, days(30), visa_index="E33")

    report = await run(alert_settings)

    row = await Reminder.select().where(Reminder.permit == permit_id).first()
    assert row is not None and row["state"] == "skipped" and row["audience"] == "holder"
    assert "Second Home" in row["last_error"]
    assert report.exit_code == 0 and [
        str(r.message()["To"]) for r in smtp_server.handler.received
    ] == [OFFICE]


async def test_second_home_proof_deadline_reminder_is_due_until_proof_is_lodged(
    db, alert_settings, smtp_server
) -> None:
    from tka_registry.alerts.scan import existing_tables

    if "second_home_case" not in await existing_tables(Reminder._meta.db):
        pytest.skip("the Second Home area's table is not migrated here")
    holder = await records.worker(None, "Hans Müller", "D")
    issued = TODAY - timedelta(days=80)  # proof due 90 days after issue: in 10 days
    permit_id, _ = await records.permit(
        holder, None, issued + timedelta(days=5 * 365), visa_index="E33", issued_on=issued
    )
    now = utc_now()
    await Reminder.raw(
        "INSERT INTO second_home_case (register_number, principal, application_date, stay_years,"
        " owns_property, status, principal_permit_id, created_at, updated_at)"
        " VALUES ('RK-PLB-2026-999999', {}, {}, 5, FALSE, 'approved', {}, {}, {})",
        holder,
        issued,
        permit_id,
        now,
        now,
    )
    try:
        report = await run(alert_settings)
        rows = await Reminder.select().where(Reminder.permit == permit_id)
        assert [(r["stage"], r["state"], r["audience"]) for r in rows] == [
            ("proof-14", "skipped", "holder")
        ]
        assert report.due == 1 and report.exit_code == 0

        await Reminder.raw(
            "UPDATE second_home_case SET proof_lodged_on = {} WHERE principal = {}", TODAY, holder
        )
        assert (await run(alert_settings, TODAY + timedelta(days=5))).due == 0
    finally:
        await Reminder.raw("DELETE FROM second_home_case WHERE principal = {}", holder)
