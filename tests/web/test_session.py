"""Signing in and out of the pages, CSRF, the language switch and where redirects may lead."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import NOW
from tests.factories import PASSWORD, account, bearer
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.app import create_app
from tka_registry.web.layout import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/portal", "/portal"),
        ("/portal/pekerja/3?urut=-name", "/portal/pekerja/3?urut=-name"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("portal", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_next_stays_on_this_site(target: str | None, expected: str) -> None:
    assert safe_next(target, "/") == expected


async def test_anonymous_page_redirects_to_sign_in_and_back(client: httpx.AsyncClient) -> None:
    response = await client.get("/portal?urut=name")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/masuk"
    assert parse_qs(location.query)["next"] == ["/portal?urut=name"]

    email = await account("officer")
    signed = await sign_in_page(client, email, next_page="/petugas")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/petugas"
    assert (await client.get("/petugas")).status_code == 200


async def test_next_outside_the_site_is_ignored(client: httpx.AsyncClient) -> None:
    email = await account("officer")
    signed = await sign_in_page(client, email, next_page="https://evil.example/phish")
    assert signed.headers["location"] == "/"
    home = await client.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/petugas"


async def test_session_cookie_attributes(client: httpx.AsyncClient) -> None:
    email = await account("admin")
    signed = await sign_in_page(client, email)
    cookie = signed.headers["set-cookie"].lower()
    assert "tka_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # Settings.cookie_secure is False by default


async def test_secure_cookie_from_settings(db: str, settings) -> None:
    app = create_app(settings.with_overrides(cookie_secure=True), clock=lambda: NOW)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="https://testserver") as secure_client,
    ):
        email = await account("admin")
        signed = await sign_in_page(secure_client, email)
        assert signed.status_code == 303
        assert "secure" in signed.headers["set-cookie"].lower()


async def test_wrong_password_re_renders_with_inline_message(client: httpx.AsyncClient) -> None:
    email = await account("officer")
    response = await sign_in_page(client, email, password="not the password")
    assert response.status_code == 400
    page = response.text
    assert "Ada masalah" in page  # the error summary
    assert 'href="#password"' in page
    assert 'id="password-error"' in page
    assert "Alamat email atau kata sandi salah" in page
    assert f'value="{email}"' in page  # the email is kept
    assert "not the password" not in page  # the password never is
    assert "tka_session" not in response.headers.get("set-cookie", "")


async def test_empty_form_names_each_field(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    response = await client.post("/masuk", data={"email": "", "password": "", "_csrf_token": token})
    assert response.status_code == 400
    assert 'href="#email"' in response.text and 'href="#password"' in response.text
    assert "Masukkan alamat email Anda." in response.text
    assert 'aria-invalid="true"' in response.text


async def test_pause_after_repeated_failures_looks_like_a_wrong_password(
    client: httpx.AsyncClient, settings
) -> None:
    email = await account("officer")
    for _ in range(settings.signin_max_failures):
        response = await sign_in_page(client, email, password="wrong password!")
    assert "harus menunggu beberapa menit" in response.text
    # Even the right password is refused during the pause, with the very same words.
    paused = await sign_in_page(client, email)
    assert paused.status_code == 400 and "harus menunggu beberapa menit" in paused.text
    unknown = await sign_in_page(client, "nobody@imigrasi.test", password="wrong password!")
    assert _error_text(paused.text) == _error_text(unknown.text) == _error_text(response.text)


def _error_text(html: str) -> str:
    start = html.index('class="error-summary')
    return html[start : html.index("</div>", start)]


async def test_post_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    email = await account("officer")
    await client.get("/masuk")  # the CSRF cookie is set, but the form omits the token
    response = await client.post("/masuk", data={"email": email, "password": PASSWORD})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "tka_session" not in response.headers.get("set-cookie", "")
    forged = await client.post(
        "/masuk", data={"email": email, "password": PASSWORD, "_csrf_token": "forged"}
    )
    assert forged.status_code == 403


async def test_api_needs_no_csrf_and_ignores_the_session_cookie(
    client: httpx.AsyncClient,
) -> None:
    email = await account("officer")
    headers = await bearer(client, email)  # POST /api/v1/auth/token with no CSRF token
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    await sign_in_page(client, email)
    assert client.cookies.get("tka_session")
    cookie_only = await client.get("/api/v1/auth/me")
    assert cookie_only.status_code == 401
    assert cookie_only.json()["status_code"] == 401  # JSON, not a page


async def test_sign_out_revokes_the_session(client: httpx.AsyncClient) -> None:
    email = await account("officer")
    await sign_in_page(client, email)
    session = client.cookies["tka_session"]
    token = await csrf_token(client, "/petugas")
    out = await client.post("/keluar", data={"_csrf_token": token})
    assert out.status_code == 303 and out.headers["location"] == "/masuk?keluar=1"
    notice = await client.get(out.headers["location"])
    assert "Anda telah keluar." in notice.text
    client.cookies.set("tka_session", session)  # replaying the old cookie gets nowhere
    again = await client.get("/petugas")
    assert again.status_code == 303 and again.headers["location"].startswith("/masuk")


async def test_language_switch_returns_to_the_same_page(client: httpx.AsyncClient) -> None:
    first = await client.get("/masuk")
    assert '<html lang="id">' in first.text and "Alamat email" in first.text
    assert 'href="/bahasa/en?next=%2Fmasuk"' in first.text
    switched = await client.get("/bahasa/en?next=/masuk")
    assert switched.status_code == 303 and switched.headers["location"] == "/masuk"
    english = await client.get("/masuk")
    assert '<html lang="en">' in english.text and "Email address" in english.text
    back = await client.get("/bahasa/id?next=/masuk")
    assert back.headers["location"] == "/masuk"
    assert "Alamat email" in (await client.get("/masuk")).text


async def test_language_switch_ignores_unknown_languages_and_foreign_targets(
    client: httpx.AsyncClient,
) -> None:
    unknown = await client.get("/bahasa/xx?next=/masuk")
    assert "tka_lang" not in unknown.headers.get("set-cookie", "")
    away = await client.get("/bahasa/en?next=https://evil.example/")
    assert away.headers["location"] == "/"


async def test_error_pages_are_html_and_the_api_keeps_json(client: httpx.AsyncClient) -> None:
    missing = await client.get("/halaman-yang-tidak-ada")
    assert missing.status_code == 404
    assert "Halaman tidak ditemukan" in missing.text
    assert "Traceback" not in missing.text
    api = await client.get("/api/v1/tidak-ada")
    assert api.status_code == 404 and api.json()["status_code"] == 404
