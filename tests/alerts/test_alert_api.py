"""The ledger through HTTP (employer history, admin ledger) and the daily run of ``serve``."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from tests.alerts import records
from tests.alerts.smtp_sink import SmtpServer
from tests.conftest import NOW
from tests.factories import signed_in
from tka_registry.alerts.run import send_alerts
from tka_registry.alerts.schedule import next_run_at, parse_alerts_at, scheduled_run
from tka_registry.alerts.tables import AlertRun, Reminder
from tka_registry.app import create_app
from tka_registry.settings import Settings

TODAY = date(2026, 11, 22)
OFFICE = "kanim.palembang@imigrasi.test"


@pytest.fixture
def alert_settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return settings.with_overrides(smtp_url=smtp_server.url, office_email=OFFICE)


async def test_employer_sees_only_its_history_and_admin_the_ledger(
    client, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    tel = await records.employer("PT Tanjung Enim Lestari", "")
    _, number = await records.employed(pusri, "Zhang Wei", TODAY + timedelta(days=30))
    await records.employed(tel, "Kim Min-jun", TODAY + timedelta(days=7), "KOR")
    await send_alerts(alert_settings, TODAY, NOW)

    mine = await signed_in(client, "employer", pusri)
    page = (await client.get("/api/v1/alerts/history", headers=mine)).json()
    assert page["total"] == 1
    (item,) = page["items"]
    assert item["permit_number"] == number and item["state"] == "sent"
    assert item["stage"] == "before-30" and item["stage_label"] == "30 hari sebelum habis"
    assert item["message_id"].startswith("<")

    others = await signed_in(client, "employer", tel)
    theirs = (await client.get("/api/v1/alerts/history", headers=others)).json()
    assert [i["state"] for i in theirs["items"]] == ["skipped"]

    admin = await signed_in(client, "admin")
    ledger = (await client.get("/api/v1/alerts/ledger", headers=admin)).json()
    assert ledger["total"] == 2
    skipped = (await client.get("/api/v1/alerts/ledger?state=skipped", headers=admin)).json()
    assert [i["employer_name"] for i in skipped["items"]] == ["PT Tanjung Enim Lestari"]
    bad = await client.get("/api/v1/alerts/ledger?state=lost", headers=admin)
    assert bad.status_code == 422

    assert (await client.get("/api/v1/alerts/ledger", headers=mine)).status_code == 403
    officer = await signed_in(client, "officer")
    assert (await client.get("/api/v1/alerts/history", headers=officer)).status_code == 403
    assert (await client.get("/api/v1/alerts/ledger")).status_code == 401


def test_alerts_at_is_parsed_and_the_next_run_is_in_jakarta() -> None:
    assert parse_alerts_at("") is None
    assert parse_alerts_at("07:30") == time(7, 30)
    for wrong in ("7", "25:00", "07:3", "aa:bb"):
        with pytest.raises(ValueError):
            parse_alerts_at(wrong)
    # 03:00 UTC is 10:00 WIB: 07:30 WIB has passed, so the next run is tomorrow 00:30 UTC.
    assert next_run_at(NOW, time(7, 30)) == datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    assert next_run_at(NOW, time(11, 0)) == datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


async def test_only_one_server_process_sends_the_days_run(db, alert_settings, smtp_server) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    await records.employed(pusri, "Zhang Wei", TODAY + timedelta(days=14))

    reports = await asyncio.gather(*(scheduled_run(alert_settings, NOW) for _ in range(3)))

    assert sum(report is not None for report in reports) == 1
    assert len(smtp_server.handler.received) == 2  # one digest, one office summary
    runs = await AlertRun.select()
    assert len(runs) == 1 and runs[0]["run_on"] == TODAY and runs[0]["finished_at"] is not None


async def test_serve_runs_the_alerts_when_their_hour_has_passed(
    db, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    await records.employed(pusri, "Zhang Wei", TODAY + timedelta(days=14))
    app = create_app(alert_settings.with_overrides(alerts_at="07:00"), clock=lambda: NOW)

    async with app.lifespan():
        for _ in range(200):
            if await AlertRun.count().where(AlertRun.finished_at.is_not_null()):
                break
            await asyncio.sleep(0.05)

    assert await Reminder.count().where(Reminder.state == "sent") == 1
    assert [str(r.message()["To"]) for r in smtp_server.handler.received] == [
        "hrd@pusri.test",
        OFFICE,
    ]


async def test_reminder_pages_for_the_employer_and_the_admin(
    client, alert_settings, smtp_server
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    other = await records.employer("PT Lain", "hrd@lain.test")
    _, number = await records.employed(pusri, "Zhang Wei", TODAY + timedelta(days=30))
    _, foreign = await records.employed(other, "Li Na", TODAY + timedelta(days=30))
    await send_alerts(alert_settings, TODAY, NOW)

    mine = await signed_in(client, "employer", pusri)
    page = await client.get("/portal/pengingat", headers=mine)
    assert page.status_code == 200
    assert "Pengingat masa berlaku" in page.text and number in page.text
    assert foreign not in page.text and "terkirim" in page.text

    admin = await signed_in(client, "admin")
    ledger = await client.get("/pengingat?status=sent", headers=admin)
    assert ledger.status_code == 200
    assert number in ledger.text and foreign in ledger.text and "Buku pengingat" in ledger.text
    assert (await client.get("/pengingat", headers=mine)).status_code == 403
