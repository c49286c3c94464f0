"""Changing one's password: errors re-render the form; success signs out every other session."""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD, account, bearer
from tests.web.conftest import csrf_token, sign_in_page

NEW_PASSWORD = "kopi pempek jembatan ampera"


async def _post(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    token = await csrf_token(client, "/akun/kata-sandi")
    return await client.post("/akun/kata-sandi", data={**fields, "_csrf_token": token})


async def test_problems_are_shown_beside_each_field(client: httpx.AsyncClient) -> None:
    await sign_in_page(client, await account("officer"))
    short = await _post(
        client, current_password="", new_password="short", new_password_again="short"
    )
    assert short.status_code == 400
    assert 'href="#current_password"' in short.text and 'href="#new_password"' in short.text
    assert "minimal 12 karakter" in short.text
    assert "short" not in short.text.split('id="new_password"')[1].split(">")[0]  # not echoed

    mismatch = await _post(
        client,
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        new_password_again=NEW_PASSWORD + "!",
    )
    assert 'href="#new_password_again"' in mismatch.text and "tidak sama" in mismatch.text

    wrong = await _post(
        client,
        current_password="not my password",
        new_password=NEW_PASSWORD,
        new_password_again=NEW_PASSWORD,
    )
    assert wrong.status_code == 400 and "Kata sandi saat ini salah" in wrong.text


async def test_change_revokes_other_sessions_and_tokens(client: httpx.AsyncClient) -> None:
    email = await account("officer")
    api_token = await bearer(client, email)
    await sign_in_page(client, email)

    changed = await _post(
        client,
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        new_password_again=NEW_PASSWORD,
    )
    assert changed.status_code == 303
    assert (await client.get(changed.headers["location"])).status_code == 200  # still signed in
    assert (await client.get("/api/v1/auth/me", headers=api_token)).status_code == 401

    client.cookies.clear()
    old = await sign_in_page(client, email)
    assert old.status_code == 400
    new = await sign_in_page(client, email, password=NEW_PASSWORD)
    assert new.status_code == 303
