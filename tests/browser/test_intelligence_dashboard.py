"""The intelligence dashboard in headless Chromium: charts in the page's language, and a bad
filter shown beside its field with the filters kept. Screenshots in test-artifacts/browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import sign_in
from tests.factories import account
from tests.web.seed import seed_workforce

pytestmark = pytest.mark.browser


async def test_dashboard_filters_and_languages(
    client: httpx.AsyncClient, page: Any, artifacts: Path
) -> None:
    await seed_workforce(client)
    shots = artifacts / "browser"
    shots.mkdir(parents=True, exist_ok=True)
    await page.goto("/masuk?next=/intelijen/")
    await sign_in(page, await account("intelligence"))
    assert "/intelijen/" in page.url
    columns = page.locator("#chart-expiries text")
    assert "Des 2026" in await columns.all_text_contents()
    await page.screenshot(path=shots / "intelligence-desktop-id.png", full_page=True)

    await page.select_option("#regency", "Kota Palembang")
    await page.fill("#nationality", "Atlantis")
    await page.click("form.filters button[type=submit]")
    assert (
        "Bukan negara atau kode yang dikenal: Atlantis"
        in await page.locator("#nationality-error").inner_text()
    )
    assert await page.input_value("#nationality") == "Atlantis"
    assert await page.input_value("#regency") == "Kota Palembang"
    await page.screenshot(path=shots / "intelligence-bad-filter-id.png", full_page=True)

    await page.get_by_role("link", name="English").click()
    assert (
        "Not a country or code we know: Atlantis"
        in await page.locator("#nationality-error").inner_text()
    )
    await page.fill("#nationality", "India")
    await page.click("form.filters button[type=submit]")
    assert await page.locator("#nationality-error").count() == 0
    assert "India" in " ".join(await page.locator("#chart-nationality text").all_text_contents())
    assert await page.input_value("#regency") == "Kota Palembang"
    await page.goto("/intelijen/")
    assert "Dec 2026" in await columns.all_text_contents()
    await page.screenshot(path=shots / "intelligence-desktop-en.png", full_page=True)
