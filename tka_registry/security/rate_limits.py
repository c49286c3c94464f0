"""Per-address rate limits of the public and sign-in endpoints (429 with Retry-After).

Each limit is a route guard made by :func:`address_rate_limit`; its counts live in this
process's memory (see :class:`AddressLimiter`), one limiter per name in the app's state.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler

from tka_registry.accounts.auth import client_address
from tka_registry.settings import Settings

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


class AddressLimiter:
    """At most ``limit`` requests per ``period`` seconds from one client address.

    Kept in this process's memory: with several worker processes each counts on its own, so a
    shared store (database or Redis) is needed for one limit across them.
    """

    def __init__(self, limit: int, period: float = 60.0) -> None:
        self.limit = limit
        self.period = period
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str, at: float | None = None) -> bool:
        """Count a request from ``address``; False once it is over the limit."""
        at = time.monotonic() if at is None else at
        if len(self._seen) > 10_000:  # forget idle addresses so memory stays bounded
            self._seen = {a: q for a, q in self._seen.items() if q and q[-1] > at - self.period}
        window = self._seen.setdefault(address, deque())
        while window and window[0] <= at - self.period:
            window.popleft()
        if len(window) >= self.limit:
            return False
        window.append(at)
        return True


def address_rate_limit(name: str, limit_of: Callable[[Settings], int], what: str) -> Guard:
    """A guard refusing (429) an address over ``limit_of(settings)`` requests a minute; its
    limiter is ``app.state[name]`` (tests may set a smaller one there)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        state = connection.app.state
        limiter = state.get(name)
        if limiter is None:
            limiter = AddressLimiter(limit_of(state.settings))
            state[name] = limiter
        if not limiter.allow(client_address(connection)):
            raise TooManyRequestsException(
                f"too many {what} from this address: wait a minute", headers={"Retry-After": "60"}
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
