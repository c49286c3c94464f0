"""Per-address rate limits of the public and sign-in endpoints (429 with Retry-After).

Each limit is a route guard made by :func:`address_rate_limit`; its counts live in the store
every process shares (security/rate_stores.py: Redis with TKA_REDIS_URL, else the database).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler

from tka_registry.accounts.auth import client_address
from tka_registry.security.rate_stores import RateLimitStore
from tka_registry.settings import Settings

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def address_rate_limit(name: str, limit_of: Callable[[Settings], int], what: str) -> Guard:
    """A guard refusing (429) an address over ``limit_of(settings)`` requests a minute,
    counted in the store every process shares (``app.state.rate_limit_store``)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        state = connection.app.state
        key = f"{name}:{client_address(connection)}"
        store: RateLimitStore = state.rate_limit_store
        allowed, retry_after = await store.hit(key, limit_of(state.settings), 60)
        if not allowed:
            raise TooManyRequestsException(
                f"too many {what} from this address: wait a minute",
                headers={"Retry-After": str(retry_after)},
            )

    return guard


verification_rate_limit = address_rate_limit(
    "verification_limiter", lambda s: s.verify_rate_limit_per_minute, "verifications"
)
track_rate_limit = address_rate_limit(
    "track_limiter", lambda s: s.verify_rate_limit_per_minute, "lookups"
)
# On top of the per-account lockout: one address trying many accounts is slowed down too.
signin_rate_limit = address_rate_limit(
    "signin_limiter", lambda s: s.signin_rate_limit_per_minute, "sign-in attempts"
)


async def target_rate_limit(
    connection: ASGIConnection[Any, Any, Any, Any], key: str, limit: int, window: float, what: str
) -> None:
    """Refuse (429 with Retry-After) once ``key`` had ``limit`` hits in ``window`` seconds,
    whichever addresses they came from (the same shared store as the address limits)."""
    store: RateLimitStore = connection.app.state.rate_limit_store
    allowed, retry_after = await store.hit(key, limit, window)
    if not allowed:
        raise TooManyRequestsException(
            f"too many {what}: try again later", headers={"Retry-After": str(retry_after)}
        )


async def limit_case_lookups(
    connection: ASGIConnection[Any, Any, Any, Any], register_number: str
) -> None:
    """At most ``TKA_TRACK_LOOKUPS_PER_CASE_PER_HOUR`` /track look-ups of one register number
    an hour, from any address: guessing a case's passport number takes too long."""
    limit = connection.app.state.settings.track_lookups_per_case_per_hour
    key = "track_case:" + "".join(register_number.split()).upper()
    await target_rate_limit(connection, key, limit, 3600, "look-ups of this register number")
