"""The employer's journey in headless Chromium: the dashboard shows the next step of a worker
whose permit can be extended, its button opens the extension form for that worker, the
checklist's documents are uploaded and the case submitted; the officer approves and the
employer's notification arrives at a real SMTP server (aiosmtpd).

Screenshots are left in ``test-artifacts/browser/employer`` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.alerts.conftest import smtp_server  # noqa: F401
from tests.alerts.smtp_sink import SmtpServer
from tests.browser.conftest import sign_in, upload_checklist
from tests.conftest import NOW
from tests.factories import signed_in
from tests.web.seed import seed_workforce
from tka_registry.notifications.delivery import deliver_due
from tka_registry.settings import load_settings

pytestmark = pytest.mark.browser


async def test_employer_extends_from_the_next_step_and_hears_back(
    client: httpx.AsyncClient,
    page: Any,
    live_server: str,
    artifacts: Path,
    tmp_path: Path,
    database_url: str,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    shots = artifacts / "browser" / "employer"
    shots.mkdir(parents=True, exist_ok=True)
    team = await seed_workforce(client)

    await page.goto("/masuk")
    await sign_in(page, team.email_a)
    row = page.locator("#workers tr", has_text="Kim Min-jun")
    assert await row.locator("[data-next-action]").get_attribute("data-next-action") == "extend"
    await page.screenshot(path=shots / "01-dashboard-next-steps.png", full_page=True)
    await row.get_by_role("link", name="Kim Min-jun").click()
    assert await page.locator("h1").inner_text() == "Kim Min-jun"
    assert "Izin dapat diperpanjang sekarang" in await page.locator(".next-step").inner_text()
    await page.screenshot(path=shots / "02-worker-next-step.png", full_page=True)

    await page.get_by_role("link", name="Ajukan perpanjangan").click()
    assert await page.input_value("#worker_id") == str(team.expiring)
    options = await page.locator("#worker_id option").all_inner_texts()
    assert not any("Zhang Wei" in text for text in options)  # no overstayer to extend
    await page.fill("#requested_until", "2027-12-10")
    await page.get_by_role("button", name="Simpan draf").click()
    assert re.search(r"/portal/permohonan/\d+$", page.url), page.url

    await upload_checklist(page, tmp_path)
    assert await page.locator("#checklist [data-present='no']").count() == 0
    await page.screenshot(path=shots / "03-checklist-complete.png", full_page=True)
    await page.get_by_role("button", name="Ajukan permohonan").click()
    register = (await page.locator("h1").inner_text()).strip()
    assert re.fullmatch(r"W9-PLB-2026-\d{6}", register), register
    case_id = int(page.url.split("?")[0].rsplit("/", 1)[1])

    # The officer approves; the outbox row is sent to a real SMTP server.
    officer = await signed_in(client, "officer")
    decided = await client.post(
        f"/api/v1/applications/{case_id}/decision", json={"decision": "approve"}, headers=officer
    )
    assert decided.status_code == 200, decided.text
    settings = load_settings(
        environ={},
        database_url=database_url,
        secret_key="test-secret",
        smtp_url=smtp_server.url,
    )
    report = await deliver_due(settings, NOW)
    assert report.failed == 0 and report.sent >= 1
    messages = [item.message() for item in smtp_server.handler.received]
    employer_mail = [m for m in messages if team.email_a in str(m["To"])]
    assert len(employer_mail) == 1
    assert str(employer_mail[0]["Subject"]) == f"Permohonan {register} disetujui"
    body = employer_mail[0].get_content()
    assert "Kim Min-jun" in body and "disetujui" in body
    link = re.search(r"https?://\S+(/portal/permohonan/\d+)", body)
    assert link and link.group(1) == f"/portal/permohonan/{case_id}"
    assert (await deliver_due(settings, NOW)).sent == 0  # exactly once

    # The link in the email shows the approved case and its permit.
    await page.goto(link.group(1))
    assert await page.locator("[data-case-status]").first.get_attribute("data-case-status") == (
        "approved"
    )
    await page.screenshot(path=shots / "04-approved.png", full_page=True)
