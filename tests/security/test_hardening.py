"""Headers, size limits, hostile input, sign-in lockout and token expiry, through HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.factories import PASSWORD, account, bearer, created, employer_body, signed_in
from tests.security.conftest import csrf_token, serving
from tests.web.conftest import sign_in_page
from tka_registry.app import create_app
from tka_registry.security.headers import API_VIEWER_POLICY, CONTENT_SECURITY_POLICY, HSTS

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# What a response must never show: a trace, SQL, or the database driver's words.
LEAKS = re.compile(
    r"Traceback|File \"|SELECT |INSERT |UPDATE |sqlite3|asyncpg|piccolo|psycopg|"
    r"IntegrityError|OperationalError|DataError",
    re.IGNORECASE,
)


def assert_clean(response: httpx.Response) -> None:
    assert response.status_code < 500, f"{response.request.url}: {response.text[:300]}"
    assert not LEAKS.search(response.text), response.text[:500]


@pytest.mark.parametrize("path", ["/health", "/api/v1/workers", "/tidak-ada", "/masuk"])
async def test_security_headers_on_every_response(client, path: str) -> None:
    response = await client.get(path)
    assert response.headers["content-security-policy"] == STRICT_CSP == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_strict_transport_security_only_behind_https(client, db, settings) -> None:
    assert "strict-transport-security" not in (await client.get("/health")).headers
    app = create_app(settings.with_overrides(cookie_secure=True))
    async with serving(app) as http:
        for path in ("/health", "/tidak-ada", "/masuk"):
            response = await http.get(path)
            assert response.headers["strict-transport-security"] == HSTS, path


async def test_api_viewer_gets_its_own_policy_but_still_no_framing(client) -> None:
    response = await client.get("/schema/swagger")
    assert response.headers["content-security-policy"] == API_VIEWER_POLICY
    assert "frame-ancestors 'none'" in API_VIEWER_POLICY
    assert response.headers["x-frame-options"] == "DENY"


async def test_pages_use_no_inline_scripts_or_styles(client) -> None:
    """The strict CSP would block them; a page that needs them must move them to /static."""
    page = await client.get("/masuk")
    assert page.status_code == 200
    html = page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> on /masuk"
    assert "<style" not in html and " style=" not in html, "inline style on /masuk"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler on /masuk"


async def test_oversized_body_answers_413_in_json(db, settings) -> None:
    app = create_app(settings.with_overrides(max_request_body_bytes=2000))
    async with serving(app) as http:
        body = {"email": "a@b.test", "password": "x" * 5000}
        response = await http.post("/api/v1/auth/token", json=body)
        assert response.status_code == 413
        assert response.json()["status_code"] == 413
        assert response.headers["x-content-type-options"] == "nosniff"

        async def chunks():  # no Content-Length: the limit must hold while reading
            for _ in range(10):
                yield b"x" * 1000

        streamed = await http.post(
            "/api/v1/auth/token", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        assert_clean(streamed)


HOSTILE_PATHS = [
    "/api/v1/workers/99999999999999999999999999",
    "/api/v1/workers/9223372036854775808",
    "/api/v1/workers/2147483648",
    "/api/v1/workers/-1",
    "/api/v1/workers/..%2F..%2Fetc%2Fpasswd",
    "/api/v1/workers/1%00",
    "/api/v1/permits/1e309",
    "/api/v1/employers/%F0%9F%92%A5",
    "/api/v1/workers?employer_id=99999999999999999999999",
    "/api/v1/workers?employer_id=2147483648",
    "/api/v1/workers?limit=-5",
    "/api/v1/workers?offset=99999999999999999999999",
    "/api/v1/workers?q=%00%00",
    "/api/v1/workers?q=' OR 1=1 --",
    "/api/v1/permits?worker_id=9223372036854775808",
    "/static/../../../../etc/passwd",
    "/static/..%2F..%2F..%2Fetc%2Fpasswd",
    "/schema/..%2F..%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
async def test_hostile_paths_and_queries_never_fail_or_leak(client, path: str) -> None:
    officer = await signed_in(client, "officer")
    response = await client.get(path, headers=officer)
    assert_clean(response)
    assert "root:" not in response.text


HOSTILE_BODIES = [
    b"{",
    b"[]",
    b"null",
    b'{"name": 1e999999}',
    b'{"name": "\\ud800"}',
    b'{"name": "PT \\u0000 Nul"}',
    b'{"nib": 99999999999999999999999999999999999999}',
    b'{"name": {"$gt": ""}}',
    b"\xff\xfe\x00garbage",
    '{"name": "\U0001f4a5\u202e\u0000"}'.encode(),
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
async def test_hostile_bodies_never_fail_or_leak(client, body: bytes) -> None:
    officer = await signed_in(client, "officer")
    headers = officer | {"content-type": "application/json"}
    for method, path in (("POST", "/api/v1/employers"), ("POST", "/api/v1/workers")):
        response = await client.request(method, path, content=body, headers=headers)
        assert_clean(response)
        assert 400 <= response.status_code < 500


async def test_nul_bytes_and_huge_numbers_in_real_fields(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    for change in (
        {"name": "PT \u0000 Nul"},
        {"address": "x" * 100_000},
        {"regency": "\U0001f4a5"},
    ):
        response = await client.patch(
            f"/api/v1/employers/{employer['id']}", json=change, headers=officer
        )
        assert_clean(response)
    huge = await client.post(
        "/api/v1/workers",
        json={"employer_id": 10**30, "full_name": "X"},
        headers=officer,
    )
    assert_clean(huge)


async def test_one_address_trying_many_accounts_is_slowed_down(app, client, db) -> None:
    """The lockout counts per account; the address limit catches one address guessing across
    accounts, on the API and on the sign-in page alike."""
    app.state.settings = app.state.settings.with_overrides(signin_rate_limit_per_minute=4)
    emails = [await account("officer") for _ in range(3)]
    answers = [
        (
            await client.post(
                "/api/v1/auth/token", json={"email": email, "password": "tebakan salah"}
            )
        ).status_code
        for email in emails
    ]
    assert answers == [401, 401, 401]
    right = await client.post("/api/v1/auth/token", json={"email": emails[0], "password": PASSWORD})
    assert right.status_code == 200  # the fourth attempt of the minute still goes through
    over = await client.post("/api/v1/auth/token", json={"email": emails[1], "password": PASSWORD})
    # The wait until the first attempt of the window leaves it (sliding window, whole seconds).
    assert over.status_code == 429 and 1 <= int(over.headers["retry-after"]) <= 60
    assert "too many sign-in attempts" in over.json()["detail"]
    form = {"email": emails[2], "password": PASSWORD, "_csrf_token": await csrf_token(client)}
    page = await client.post("/masuk", data=form)
    assert page.status_code == 429
    assert_clean(page)


async def test_tokens_past_their_expiry_are_refused(clocked_client, clock, settings) -> None:
    http = clocked_client
    headers = await bearer(http, await account("officer"))
    assert (await http.get("/api/v1/auth/me", headers=headers)).status_code == 200
    clock.advance(minutes=settings.token_lifetime_minutes - 1)
    assert (await http.get("/api/v1/auth/me", headers=headers)).status_code == 200
    clock.advance(minutes=1)
    expired = await http.get("/api/v1/auth/me", headers=headers)
    assert expired.status_code == 401


async def test_signed_out_tokens_are_refused(client) -> None:
    headers = await signed_in(client, "officer")
    assert (await client.delete("/api/v1/auth/token", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


@pytest.mark.parametrize("secure", [False, True])
async def test_session_cookie_is_httponly_samesite_and_secure_in_production(
    db, settings, secure: bool
) -> None:
    app = create_app(settings.with_overrides(cookie_secure=secure))
    # Secure cookies travel over HTTPS only, as behind the production proxy.
    async with serving(app, "https://testserver" if secure else "http://testserver") as http:
        email = await account("officer")
        signed = await sign_in_page(http, email)
        assert signed.status_code == 303, signed.text
        cookies = [v for k, v in signed.headers.multi_items() if k == "set-cookie"]
        name = "__Host-tka_session=" if secure else "tka_session="  # test_session_tokens.py
        session = next(c for c in cookies if c.startswith(name))
        flags = {part.strip().lower() for part in session.split(";")}
        assert "httponly" in flags
        assert "samesite=lax" in flags or "samesite=strict" in flags
        assert ("secure" in flags) is secure
