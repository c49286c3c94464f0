"""Shared stores of rate-limit counts: Redis (through Litestar's store) when ``TKA_REDIS_URL``
is set, else the database, so one limit holds across every process and host.

Both answer ``await store.hit(key, limit, window) -> (allowed, retry_after_seconds)`` with a
sliding window: at most ``limit`` hits in any ``window`` seconds. Times are Unix seconds (the
processes share the machine's or the network's clock).
"""

from __future__ import annotations

import math
import random
import time
from typing import Any, Protocol, cast

from tka_registry.db import write_transaction
from tka_registry.security.tables import RateLimit
from tka_registry.settings import Settings

# Keys idle longer than this are forgotten (the longest window in use is an hour).
FORGET_AFTER_SECONDS = 24 * 3600


class RateLimitStore(Protocol):
    """Where hit counts live; a shared store makes one limit across processes."""

    async def hit(self, key: str, limit: int, window: float) -> tuple[bool, int]:
        """Count one hit on ``key``: (allowed, seconds to wait when not allowed). At most
        ``limit`` hits are allowed per ``window`` seconds."""
        ...


def _wait(seconds: float, window: float) -> int:
    """Whole seconds to wait, between 1 and the window (stored times are rounded)."""
    return max(1, min(math.ceil(window), math.ceil(seconds)))


def sliding_window(
    hits: list[float], now: float, limit: int, window: float
) -> tuple[bool, int, list[float]]:
    """(allowed, seconds to wait, the hits to keep) after one more hit at ``now``."""
    recent = [at for at in hits if at > now - window]
    if len(recent) >= limit:
        return False, _wait(recent[-limit] + window - now, window), recent
    return True, 0, [*recent, now]


class DatabaseRateLimitStore:
    """Counts in the ``rate_limit`` table: one row per key, locked while it is counted."""

    async def hit(self, key: str, limit: int, window: float) -> tuple[bool, int]:
        now = time.time()
        async with write_transaction(RateLimit._meta.db):
            # Creates the key's row or takes its lock (PostgreSQL), so concurrent hits on one
            # key count one after another; SQLite's write transaction already serialises.
            rows = await RateLimit.raw(
                "INSERT INTO rate_limit (key, hits, last_at) VALUES ({}, '', {})"
                " ON CONFLICT (key) DO UPDATE SET last_at = rate_limit.last_at"
                " RETURNING hits",
                key,
                now,
            )
            hits = [float(at) for at in rows[0]["hits"].split()]
            allowed, retry_after, kept = sliding_window(hits, now, limit, window)
            await RateLimit.update(
                {RateLimit.hits: " ".join(f"{at:.3f}" for at in kept), RateLimit.last_at: now}
            ).where(RateLimit.key == key)
            if random.random() < 0.01:  # now and then, forget idle keys
                await RateLimit.delete().where(RateLimit.last_at < now - FORGET_AFTER_SECONDS)
        return allowed, retry_after


# Atomic sliding window on a sorted set: drop old hits, count, add this one when allowed.
_REDIS_HIT = """
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]),
    tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, -limit, -limit, 'WITHSCORES')
    return {0, tostring(oldest[2])}
end
redis.call('ZADD', key, now, member)
redis.call('EXPIRE', key, math.ceil(window))
return {1, '0'}
"""


class RedisRateLimitStore:
    """Counts in Redis through Litestar's :class:`RedisStore` (its client and namespace)."""

    def __init__(self, url: str, namespace: str = "tka_registry:rate_limit") -> None:
        from litestar.stores.redis import RedisStore
        from redis.asyncio import Redis

        self.store = RedisStore(
            Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2),
            namespace=namespace,
            handle_client_shutdown=True,
        )
        self._script = self.store._redis.register_script(_REDIS_HIT)

    async def hit(self, key: str, limit: int, window: float) -> tuple[bool, int]:
        now = time.time()
        member = f"{now:.6f}:{random.getrandbits(32)}"
        result = await self._script(
            keys=[self.store._make_key(key)], args=[now, window, limit, member]
        )
        allowed, oldest = int(result[0]), float(result[1])
        if allowed:
            return True, 0
        return False, _wait(oldest + window - now, window)

    async def close(self) -> None:
        await self.store._shutdown()


def shared_rate_limit_store(settings: Settings) -> RateLimitStore:
    """Redis when ``TKA_REDIS_URL`` is set, else the database."""
    if settings.redis_url:
        return cast(RateLimitStore, RedisRateLimitStore(settings.redis_url))
    return DatabaseRateLimitStore()


async def close_store(store: Any) -> None:
    closing = getattr(store, "close", None)
    if closing is not None:
        await closing()
