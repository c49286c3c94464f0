"""``TKA_TRUSTED_PROXIES``: forwarded client addresses believed only from trusted proxies, and
then driving the rate limits and the audit log, through the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.factories import account
from tests.security.conftest import serving
from tka_registry.app import create_app
from tka_registry.audit.tables import AuditEntry
from tka_registry.security.proxies import client_address, forwarded_chain, trusted_networks

PROXY = "10.8.0.2"  # the reverse proxy's address as the app sees it (never contacted)
TOKEN = "/api/v1/auth/token"


@pytest.mark.parametrize(
    ("peer", "xff", "forwarded", "trusted", "expected"),
    [
        (PROXY, "203.0.113.5", None, (PROXY,), "203.0.113.5"),
        (PROXY, "198.51.100.1, 203.0.113.5", None, (PROXY,), "203.0.113.5"),  # spoofed left part
        (PROXY, "203.0.113.5, 10.8.0.9", None, ("10.8.0.0/24",), "203.0.113.5"),  # two proxies
        (PROXY, "10.8.0.7", None, ("10.8.0.0/24",), "10.8.0.7"),  # only proxies: the first
        (PROXY, "not-an-ip", None, (PROXY,), PROXY),
        (PROXY, None, 'for="[2001:db8::7]:4711";proto=https', (PROXY,), "2001:db8::7"),
        (
            PROXY,
            "203.0.113.9",
            "for=192.0.2.60;proto=https, for=203.0.113.5",
            (PROXY,),
            "203.0.113.5",
        ),
        ("192.0.2.1", "203.0.113.5", None, (PROXY,), "192.0.2.1"),  # peer is not a proxy
        (PROXY, "203.0.113.5", None, (), PROXY),  # nothing trusted: headers ignored
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    peer, xff, forwarded, trusted, expected
) -> None:
    chain = forwarded_chain(xff, forwarded)
    assert client_address(peer, chain, trusted_networks(tuple(trusted))) == expected


def test_a_wrong_setting_stops_the_start(settings) -> None:
    with pytest.raises(ValueError, match="not-a-network"):
        create_app(settings.with_overrides(trusted_proxies=("10.0.0.1", "not-a-network")))


@asynccontextmanager
async def behind_proxy(settings, **overrides) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.with_overrides(signin_rate_limit_per_minute=3, **overrides))
    async with serving(app):
        transport = httpx.ASGITransport(app=app, client=(PROXY, 443))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def _bad_sign_in(http: httpx.AsyncClient, client_ip: str, email: str) -> int:
    body = {"email": email, "password": "tebakan yang salah"}
    response = await http.post(TOKEN, json=body, headers={"X-Forwarded-For": client_ip})
    return response.status_code


async def _audited_addresses() -> set[str]:
    rows = await AuditEntry.select(AuditEntry.address).where(AuditEntry.action == "signin.failed")
    return {row["address"] for row in rows}


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(db, settings) -> None:
    email = await account("officer")
    async with behind_proxy(settings, trusted_proxies=(PROXY,)) as http:
        noisy = [await _bad_sign_in(http, "203.0.113.5", email) for _ in range(4)]
        assert noisy == [401, 401, 401, 429]
        # Another client behind the same proxy is not blocked by the noisy one.
        assert await _bad_sign_in(http, "203.0.113.6", "nobody@imigrasi.test") == 401
    assert await _audited_addresses() == {"203.0.113.5", "203.0.113.6"}


async def test_without_trusted_proxies_forwarded_headers_are_ignored(db, settings) -> None:
    email = await account("officer")
    async with behind_proxy(settings) as http:
        # Rotating a made-up X-Forwarded-For does not escape the limit of the real peer.
        answers = [await _bad_sign_in(http, f"198.51.100.{n}", email) for n in range(4)]
        assert answers == [401, 401, 401, 429]
    assert await _audited_addresses() == {PROXY}
