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
