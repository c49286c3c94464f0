"""The officer's journey in headless Chromium: search a person by an old passport typed with
spaces, open the worker page, revoke the permit after the confirmation page.

Screenshots are left in ``test-artifacts/browser/officer`` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.factories import account, bearer, created, employer_body, permit_body, worker_body
from tka_registry.permits.tables import Permit

pytestmark = pytest.mark.browser


async def test_officer_finds_a_person_and_revokes_with_confirmation(
    client: httpx.AsyncClient, page: Any, live_server: str, artifacts: Path
) -> None:
    shots = artifacts / "browser" / "officer"
    shots.mkdir(parents=True, exist_ok=True)
    email = await account("officer")
    officer = await bearer(client, email)
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(
        client,
        "/api/v1/workers",
        worker_body(employer["id"], full_name="Tanaka Hiroshi", nationality="JPN"),
        officer,
    )
    old = worker["passports"][0]["number"]
    await client.post(
        f"/api/v1/workers/{worker['id']}/passports",
        json={
            "number": "TR9900112",
            "issuing_country": "JPN",
            "issued_on": "2026-02-01",
            "expires_on": "2036-01-31",
        },
        headers=officer,
    )
    permit = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)

    await page.set_viewport_size(DESKTOP)
    await page.goto(f"{live_server}/masuk")
    await sign_in(page, email)
    await (
        page.get_by_role("navigation", name="Menu utama")
        .get_by_role("link", name="Cari orang")
        .click()
    )
    await page.get_by_label("Nama, nomor paspor").fill(f"{old[:4]} {old[4:]}")
    await page.get_by_role("button", name="Cari").click()
    await page.wait_for_load_state()
    await page.screenshot(path=str(shots / "1-search.png"), full_page=True)
    await page.get_by_role("link", name="Tanaka Hiroshi").click()
    await page.wait_for_load_state()
    assert await page.locator("h1").inner_text() == "Tanaka Hiroshi"
    await page.screenshot(path=str(shots / "2-worker.png"), full_page=True)

    await page.get_by_text(f"Cabut izin {permit['number']}").click()
    await page.get_by_label("Dicabut mulai").fill("2026-11-21")
    await page.get_by_label("Alasan").fill("Penjamin mencabut sponsor")
    await page.get_by_role("button", name="Lanjutkan").click()
    await page.wait_for_load_state()
    await page.screenshot(path=str(shots / "3-confirm.png"), full_page=True)
    assert "21 November 2026" in await page.locator("main").inner_text()
    row = await Permit.select(Permit.revoked_on).where(Permit.id == permit["id"]).first()
    assert row["revoked_on"] is None  # asked, not yet done

    await page.get_by_role("button", name="Ya, cabut izin tinggal").click()
    await page.wait_for_load_state()
    await page.screenshot(path=str(shots / "4-revoked.png"), full_page=True)
    assert "Izin tinggal telah dicabut" in await page.locator("main").inner_text()
    row = await Permit.select(Permit.revoked_on).where(Permit.id == permit["id"]).first()
    assert str(row["revoked_on"]) == "2026-11-21"
