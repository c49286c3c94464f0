"""Helpers for the access tests: the route table of the real app, and one token per role."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar

from tests.conftest import NOW
from tests.factories import created, employer_body, signed_in
from tka_registry.app import create_app
from tka_registry.security.access_table import Endpoint
from tka_registry.settings import Settings

ROLES = ("admin", "officer", "intelligence", "employer")
_PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")
_EXAMPLES = {"int": "999999", "uuid": "00000000-0000-0000-0000-000000000000", "date": "2026-11-22"}


def concrete_path(path: str, values: dict[str, str] | None = None) -> str:
    """``/workers/{worker_id:int}`` with a value for each parameter (a missing record's id)."""

    def value(match: re.Match[str]) -> str:
        name, kind = match.group(1), match.group(2) or "str"
        return (values or {}).get(name) or _EXAMPLES.get(kind, "x")

    return _PARAMETER.sub(value, path)


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_COOKIE, CSRF_HEADER = "tka_csrf", "x-csrftoken"
# Paths answered as JSON or files; everything else is a page (see tka_registry/web/errors.py).
NON_PAGE_PREFIXES = ("/api/", "/schema", "/health", "/static/")


def is_page(endpoint: Endpoint) -> bool:
    return not endpoint.path.startswith(NON_PAGE_PREFIXES)


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The CSRF token a browser would hold, from the cookie any page visit sets."""
    if not client.cookies.get(CSRF_COOKIE):
        await client.get("/masuk")
    token = client.cookies.get(CSRF_COOKIE)
    assert token, "visiting a page set no CSRF cookie"
    return token


async def call(
    client: httpx.AsyncClient, endpoint: Endpoint, headers: dict[str, str], path: str | None = None
) -> httpx.Response:
    """Send ``endpoint`` an empty body (where it takes one) with ``headers``; a page form
    carries the CSRF token, so that what answers is the access rule and not the CSRF check."""
    options: dict[str, Any] = {"headers": dict(headers)}
    if endpoint.method in UNSAFE and is_page(endpoint):
        options["headers"][CSRF_HEADER] = await csrf_token(client)
        options["data"] = {}
    elif endpoint.method in {"POST", "PUT", "PATCH"}:
        options["json"] = {}
    return await client.request(endpoint.method, path or concrete_path(endpoint.path), **options)


@pytest.fixture
async def own_employer(client: httpx.AsyncClient) -> dict[str, Any]:
    """The employer the employer-role account of ``role_headers`` is bound to."""
    officer = await signed_in(client, "officer")
    return await created(client, "/api/v1/employers", employer_body(0), officer)


async def sign_in_as(
    client: httpx.AsyncClient, role: str, employer: dict[str, Any]
) -> dict[str, str]:
    return await signed_in(client, role, employer["id"] if role == "employer" else None)


@pytest.fixture
async def role_headers(
    client: httpx.AsyncClient, own_employer: dict[str, Any]
) -> dict[str, dict[str, str]]:
    """A bearer token per role."""
    return {role: await sign_in_as(client, role, own_employer) for role in ROLES}


class Clock:
    """The app's clock, moved forward by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def serving(
    app: Litestar, base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``app`` on the test's loop (as the ``client`` fixture does)."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def serve() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    server = asyncio.create_task(serve())
    await asyncio.wait_for(started.wait(), timeout=30)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            yield http
    finally:
        stop.set()
        await server


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def clocked_client(
    db: str, settings: Settings, clock: Clock
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose clock the test moves with ``clock.advance(minutes=...)``."""
    async with serving(create_app(settings, clock=clock)) as http:
        yield http
