"""Sessions and bearer tokens kept apart, CSRF bound to the session, ``__Host-`` cookies behind
HTTPS and the idle timeout (OWASP ASVS 4.0.3 3.3.2, 3.4.4, 4.2.2), through the real app."""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD, account, bearer
from tests.security.conftest import serving
from tests.web.conftest import CSRF_INPUT, csrf_token, sign_in_page
from tka_registry.app import create_app

ME = "/api/v1/auth/me"


async def test_a_session_cookie_is_not_a_bearer_token_nor_the_reverse(client) -> None:
    email = await account("officer")
    assert (await sign_in_page(client, email)).status_code == 303
    session = client.cookies["tka_session"]
    assert (await client.get("/beranda")).status_code == 200
    client.cookies.clear()
    assert (await client.get(ME, headers={"Authorization": f"Bearer {session}"})).status_code == 401

    api_token = (await bearer(client, email))["Authorization"].removeprefix("Bearer ")
    client.cookies.set("tka_session", api_token)
    page = await client.get("/beranda")
    assert page.status_code == 303 and page.headers["location"].startswith("/masuk")
    assert (
        await client.get(ME, headers={"Authorization": f"Bearer {api_token}"})
    ).status_code == 200


async def test_a_csrf_token_of_another_session_or_from_before_sign_in_is_refused(app) -> None:
    victim_email, attacker_email = await account("officer"), await account("officer")
    other = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with (
        serving(app) as victim,
        httpx.AsyncClient(transport=other, base_url="http://testserver") as attacker,
    ):
        planted = await csrf_token(victim)  # a token the visitor held before signing in
        assert (await sign_in_page(victim, victim_email)).status_code == 303
        bound = victim.cookies["tka_csrf"]  # signing in replaced the visitor's token
        assert bound != planted
        assert (await sign_in_page(attacker, attacker_email)).status_code == 303
        foreign = await csrf_token(attacker, "/akun/kata-sandi")

        for token in (planted, foreign):
            # A pair Litestar's double-submit check alone would accept: cookie == form token.
            victim.cookies.set("tka_csrf", token)
            forged = await victim.post("/keluar", data={"_csrf_token": token})
            assert forged.status_code == 403, token
        victim.cookies.set("tka_csrf", bound)
        assert (await victim.get("/beranda")).status_code == 200  # still signed in
        own = await csrf_token(victim, "/akun/kata-sandi")
        assert own not in (planted, foreign)
        signed_out = await victim.post("/keluar", data={"_csrf_token": own})
        assert signed_out.status_code == 303


async def test_cookies_are_host_prefixed_behind_https(db, settings) -> None:
    app = create_app(settings.with_overrides(cookie_secure=True))
    async with serving(app, "https://testserver") as http:
        visit = await http.get("/masuk")
        assert visit.headers["set-cookie"].startswith("__Host-tka_csrf=")
        signed = await sign_in_page(http, await account("officer"))
        assert signed.status_code == 303
        cookies = [v for k, v in signed.headers.multi_items() if k == "set-cookie"]
        assert {c.split("=", 1)[0] for c in cookies} == {"__Host-tka_session", "__Host-tka_csrf"}
        for cookie in cookies:
            flags = {part.strip().lower() for part in cookie.split(";")[1:]}
            assert {"secure", "path=/", "httponly"} <= flags and not any(
                f.startswith("domain") for f in flags
            )
        assert (await http.get("/beranda")).status_code == 200
        token = CSRF_INPUT.search((await http.get("/akun/kata-sandi")).text)
        assert token
        out = await http.post("/keluar", data={"_csrf_token": token.group(1)})
        assert out.status_code == 303
        # The unprefixed names mean nothing over HTTPS.
        http.cookies.set("tka_session", "x")
        assert (await http.get("/beranda")).status_code == 303


async def test_an_idle_session_ends_while_a_used_one_lasts(clocked_client, clock, settings) -> None:
    http = clocked_client
    email = await account("officer")
    api = await bearer(http, email)
    assert (await sign_in_page(http, email)).status_code == 303
    idle = settings.session_idle_minutes
    assert idle == 30
    for _ in range(4):  # used every 29 minutes: lasts two hours
        clock.advance(minutes=idle - 1)
        assert (await http.get("/beranda")).status_code == 200
    clock.advance(minutes=idle + 1)
    gone = await http.get("/beranda")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/masuk")
    # The API token has its own lifetime and no idle timeout.
    assert (await http.get(ME, headers=api)).status_code == 200
    # Signing in again works as ever.
    assert (await sign_in_page(http, email, PASSWORD)).status_code == 303
    assert (await http.get("/beranda")).status_code == 200
