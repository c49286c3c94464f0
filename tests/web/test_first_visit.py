"""What a first visitor sees before signing in: the icon and the way to the public /track page."""

from __future__ import annotations

import httpx


async def test_the_sign_in_page_links_the_public_tracking_page(client: httpx.AsyncClient) -> None:
    page = await client.get("/masuk")
    assert page.status_code == 200
    assert 'href="/track"' in page.text
    assert "Lacak permohonan tanpa masuk" in page.text
    await client.get("/bahasa/en")
    english = await client.get("/masuk")
    assert "Track an application without signing in" in english.text
    track = await client.get("/track")
    assert track.status_code == 200 and track.headers["content-type"].startswith("text/html")


async def test_pages_carry_an_icon_and_browsers_asking_for_favicon_ico_find_it(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/masuk")
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    asked = await client.get("/favicon.ico")
    assert asked.status_code == 301
    assert asked.headers["location"] == "/static/favicon.svg"
    icon = await client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
