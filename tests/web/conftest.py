"""Helpers for page tests: the CSRF token of a form and signing in through the page."""

from __future__ import annotations

import re

import httpx

from tests.factories import PASSWORD

CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def csrf_token(client: httpx.AsyncClient, path: str = "/masuk") -> str:
    """The token a form on ``path`` carries (the page also sets the matching cookie)."""
    response = await client.get(path)
    match = CSRF_INPUT.search(response.text)
    assert match, f"no CSRF field on {path}: {response.status_code}"
    return match.group(1)


async def sign_in_page(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next_page: str = ""
) -> httpx.Response:
    token = await csrf_token(client)
    form = {"email": email, "password": password, "next": next_page, "_csrf_token": token}
    return await client.post("/masuk", data=form)


def refused_on_page(response: httpx.Response, message: str, *kept: str) -> None:
    """``response`` is the form again (400, a page) showing ``message`` and the ``kept`` input."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text
    for value in kept:
        assert value in response.text, value
