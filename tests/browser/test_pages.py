"""The foundation's pages in headless Chromium: sign-in, dashboard, language, scoping, CSRF.

Screenshots are left in ``test-artifacts/browser`` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, account
from tests.web.seed import seed_workforce

pytestmark = pytest.mark.browser


def _shots(artifacts: Path) -> Path:
    folder = artifacts / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _row_statuses(page: Any) -> list[str]:
    return [
        str(await row.get_attribute("data-status"))
        for row in await page.locator("#workers tbody tr").all()
    ]


async def test_employer_dashboard_and_language_switch(
    client: httpx.AsyncClient, page: Any, artifacts: Path
) -> None:
    team = await seed_workforce(client)
    shots = _shots(artifacts)

    await page.goto("/portal")
    assert "/masuk?next=%2Fportal" in page.url  # sent to sign in, with the way back
    await page.screenshot(path=shots / "signin-desktop-id.png", full_page=True)
    await sign_in(page, team.email_a)
    assert page.url.endswith("/portal")
    assert await page.locator("h1").inner_text() == "Tenaga kerja asing"
    assert await _row_statuses(page) == ["expired", "expiring", "none", "active"]
    first_row = page.locator("#workers tbody tr").first
    assert "Zhang Wei" in await first_row.inner_text()
    await page.screenshot(path=shots / "dashboard-desktop-id.png", full_page=True)

    await page.get_by_role("link", name="Nama").click()  # sort by name: action still first
    assert "urut=name" in page.url
    assert await _row_statuses(page) == ["expired", "expiring", "none", "active"]

    await page.get_by_role("link", name="English").click()
    assert "urut=name" in page.url and "/portal" in page.url  # the same page, in English
    assert await page.locator("h1").inner_text() == "Foreign workers"
    assert await page.locator("html").get_attribute("lang") == "en"
    await page.screenshot(path=shots / "dashboard-desktop-en.png", full_page=True)

    await page.get_by_role("link", name="Bahasa Indonesia").click()
    assert await page.locator("h1").inner_text() == "Tenaga kerja asing"

    await page.get_by_role("link", name="Zhang Wei").click()
    assert await page.locator("h1").inner_text() == "Zhang Wei"
    await page.screenshot(path=shots / "worker-desktop-id.png", full_page=True)


async def test_dashboard_on_a_phone(
    client: httpx.AsyncClient, phone_page: Any, artifacts: Path
) -> None:
    team = await seed_workforce(client)
    shots = _shots(artifacts)
    await phone_page.goto("/masuk")
    await phone_page.screenshot(path=shots / "signin-phone-id.png", full_page=True)
    await sign_in(phone_page, team.email_a)
    await phone_page.screenshot(path=shots / "dashboard-phone-id.png", full_page=True)
    # Nothing is wider than the screen: no sideways scrolling on a phone.
    overflow = await phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert await _row_statuses(phone_page) == ["expired", "expiring", "none", "active"]


async def test_wrong_password_shows_an_inline_message(
    client: httpx.AsyncClient, page: Any, artifacts: Path
) -> None:
    team = await seed_workforce(client)
    await page.goto("/masuk")
    await sign_in(page, team.email_a, password="salah sekali")
    summary = page.locator(".error-summary")
    assert await summary.is_visible()
    assert await page.evaluate("document.activeElement.classList.contains('error-summary')")
    inline = page.locator("#password-error")
    assert "Alamat email atau kata sandi salah" in await inline.inner_text()
    assert await page.get_by_label("Alamat email").input_value() == team.email_a
    await page.screenshot(path=_shots(artifacts) / "signin-error-desktop-id.png", full_page=True)

    await summary.get_by_role("link").click()  # the summary link takes focus to the field
    assert await page.evaluate("document.activeElement.id") == "password"


async def test_keyboard_first_stop_is_the_skip_link(page: Any) -> None:
    await page.goto("/masuk")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Langsung ke konten utama"
    assert await page.locator(".skip-link").is_visible()


async def test_employer_cannot_open_another_employers_worker(
    client: httpx.AsyncClient, page: Any, artifacts: Path
) -> None:
    team = await seed_workforce(client)
    await page.goto("/masuk")
    await sign_in(page, team.email_b)
    response = await page.goto(f"/portal/pekerja/{team.overstay}")
    assert response.status == 404
    assert await page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    assert "Zhang Wei" not in await page.content()
    await page.screenshot(path=_shots(artifacts) / "not-found-desktop-id.png", full_page=True)


async def test_form_posted_without_its_token_is_refused(
    client: httpx.AsyncClient, live_server: str
) -> None:
    team = await seed_workforce(client)
    async with httpx.AsyncClient(base_url=live_server) as outsider:
        await outsider.get("/masuk")  # holds the CSRF cookie, but posts no token
        response = await outsider.post("/masuk", data={"email": team.email_a, "password": PASSWORD})
    assert response.status_code == 403
    assert "tka_session" not in response.headers.get("set-cookie", "")


async def test_officer_lands_on_the_officer_home(
    client: httpx.AsyncClient, page: Any, artifacts: Path
) -> None:
    await seed_workforce(client)
    officer = await account("officer")
    await page.goto("/")
    await sign_in(page, officer)
    assert page.url.endswith("/petugas")
    assert await page.locator("h1").inner_text() == "Beranda petugas"
    counts = await page.locator(".summary-card__number").all_inner_texts()
    # overstay, expiring, valid, without a permit, not yet in force
    assert counts == ["1", "1", "2", "1", "0"]
    current = page.locator('.main-nav a[aria-current="page"]')
    assert await current.inner_text() == "Beranda petugas"
    await page.screenshot(path=_shots(artifacts) / "officer-home-desktop-id.png", full_page=True)
