"""The application journey in headless Chromium: an employer signs in, pastes an MRZ, uploads a
PDF and submits; an officer approves; the employer sees the permit.

Screenshots are left in ``test-artifacts/browser/applications`` for a person to look at.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.applications.conftest import td3
from tests.browser.conftest import DESKTOP, sign_in, upload_checklist
from tests.factories import account, bearer, created, employer_body

pytestmark = pytest.mark.browser

MRZ = td3("WANG", "FANG", "EA1234567", "CHN", date(1988, 7, 14), "F", date(2034, 1, 31))


async def test_employer_applies_officer_approves_employer_sees_permit(
    client: httpx.AsyncClient,
    page: Any,
    browser: Any,
    live_server: str,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    shots = artifacts / "browser" / "applications"
    shots.mkdir(parents=True, exist_ok=True)
    officer_email = await account("officer")
    officer = await bearer(client, officer_email)
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    employer_email = await account("employer", employer["id"])

    # The employer starts a new ITAS and reads the passport from its MRZ.
    await page.goto("/masuk")
    await sign_in(page, employer_email)
    await page.goto("/portal/permohonan")
    await page.get_by_role("link", name="ITAS baru (bekerja, E23)").click()
    await page.fill("#mrz", MRZ)
    await page.get_by_role("button", name="Baca MRZ").click()
    assert await page.input_value("#surname") == "WANG"
    assert await page.input_value("#given_names") == "FANG"
    assert await page.input_value("#passport_number") == "EA1234567"
    assert await page.input_value("#date_of_birth") == "1988-07-14"
    assert await page.input_value("#passport_expires_on") == "2034-01-31"
    assert await page.input_value("#sex") == "F"
    await page.screenshot(path=shots / "01-form-after-mrz.png", full_page=True)

    await page.fill("#place_of_birth", "Chengdu")
    await page.fill("#passport_issued_on", "2024-02-01")
    await page.fill("#position", "Boiler Engineer")
    await page.fill("#address", "Jl. Demang Lebar Daun 5, Palembang")
    await page.select_option("#regency", "Kota Palembang")
    await page.select_option("#visa_index", "E23C")
    await page.fill("#requested_from", "2026-12-01")
    await page.fill("#requested_until", "2027-11-30")
    await page.get_by_role("button", name="Simpan draf").click()
    assert re.search(r"/portal/permohonan/\d+$", page.url), page.url

    # The checklist names the four documents; each is uploaded, then the case is submitted.
    missing = page.locator("#checklist [data-present='no']")
    assert await missing.count() == 4
    await upload_checklist(page, tmp_path)
    assert await missing.count() == 0
    assert "paspor.pdf" in await page.locator("#attachments").inner_text()
    await page.get_by_role("button", name="Ajukan permohonan").click()
    register = (await page.locator("h1").inner_text()).strip()
    assert re.fullmatch(r"W9-PLB-2026-\d{6}", register), register
    assert await page.locator("[data-case-status]").first.get_attribute("data-case-status") == (
        "submitted"
    )
    await page.screenshot(path=shots / "02-case-submitted.png", full_page=True)
    case_url = page.url.split("?")[0]

    # The officer finds it in the queue, sees the checks, and approves.
    office = await browser.new_context(viewport=DESKTOP, base_url=live_server)
    officer_page = await office.new_page()
    try:
        await officer_page.goto("/masuk")
        await sign_in(officer_page, officer_email)
        await officer_page.goto("/petugas/permohonan")
        await officer_page.screenshot(path=shots / "03-review-queue.png", full_page=True)
        await officer_page.get_by_role("link", name=register).click()
        checks = officer_page.locator("[data-check]")
        assert await checks.count() == 6  # five rules and the document checklist
        assert await officer_page.locator("[data-check][data-met='no']").count() == 0
        await officer_page.screenshot(path=shots / "04-review-case.png", full_page=True)
        await officer_page.get_by_role("button", name="Setujui").click()
        # A page says what the approval will do before it is done.
        assert f"Setujui permohonan {register}?" == await officer_page.locator("h1").inner_text()
        await officer_page.screenshot(path=shots / "04b-confirm-approval.png", full_page=True)
        await officer_page.get_by_role("button", name="Ya, setujui permohonan").click()
        assert (
            await officer_page.locator("[data-case-status]").first.get_attribute("data-case-status")
            == "approved"
        )
        await officer_page.screenshot(path=shots / "05-approved-officer.png", full_page=True)
    finally:
        await office.close()

    # The employer sees the issued permit and can download its document.
    await page.goto(case_url)
    permit = page.locator("#izin")
    assert f"ITAS-{register}" in await permit.inner_text()
    link = permit.get_by_role("link", name="Unduh dokumen izin tinggal (PDF)")
    document = await page.request.get(await link.get_attribute("href"))
    assert document.status == 200 and document.headers["content-type"] == "application/pdf"
    assert (await document.body()).startswith(b"%PDF")
    await page.screenshot(path=shots / "06-employer-sees-permit.png", full_page=True)

    # Anyone with both numbers can follow the case on /track, and sees only its status.
    await page.goto("/track")
    await page.fill("#register_number", register)
    await page.fill("#passport_number", "EA1234567")
    await page.click("form[action='/track'] button[type=submit]")
    assert "Disetujui" in await page.locator(".notice").inner_text()
    await page.screenshot(path=shots / "07-track.png", full_page=True)
