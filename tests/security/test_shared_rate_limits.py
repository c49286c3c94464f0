"""Rate-limit counts every process shares: the database by default, Redis with TKA_REDIS_URL
(issue 16). Two worker processes allow no more than one does."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import httpx
import pytest
import redis

from tests.conftest import IN_CI
from tests.system.serving import serving, tka_env
from tka_registry.security.rate_stores import (
    DatabaseRateLimitStore,
    RateLimitStore,
    RedisRateLimitStore,
    sliding_window,
)
from tka_registry.security.tables import RateLimit

REDIS_URL = os.environ.get("TKA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis at {REDIS_URL} is unreachable: {error}"
        if IN_CI:
            pytest.fail(message + " (CI=true: Redis tests must run)", pytrace=False)
        pytest.skip(message)
    return REDIS_URL


def test_sliding_window_at_its_edges() -> None:
    assert sliding_window([], 100.0, 2, 60) == (True, 0, [100.0])
    assert sliding_window([50.0, 90.0], 100.0, 2, 60) == (False, 10, [50.0, 90.0])
    # A hit exactly one window old no longer counts.
    assert sliding_window([40.0, 90.0], 100.0, 2, 60) == (True, 0, [90.0, 100.0])
    assert sliding_window([99.5, 99.9], 100.0, 2, 1) == (False, 1, [99.5, 99.9])


async def _hits(stores: list[RateLimitStore], key: str, count: int) -> list[tuple[bool, int]]:
    """``count`` hits at once, spread over ``stores`` (as over processes)."""
    return await asyncio.gather(*(stores[n % len(stores)].hit(key, 5, 60) for n in range(count)))


async def test_database_counts_once_for_every_process(db: str) -> None:
    stores: list[RateLimitStore] = [DatabaseRateLimitStore(), DatabaseRateLimitStore()]
    answers = await _hits(stores, "verify:203.0.113.7", 12)
    assert sum(allowed for allowed, _ in answers) == 5
    assert all(1 <= wait <= 60 for allowed, wait in answers if not allowed)
    assert (await stores[0].hit("verify:203.0.113.8", 5, 60)) == (True, 0)  # another key
    assert await RateLimit.count() == 2


async def test_redis_counts_once_for_every_process() -> None:
    url = redis_url()
    stores = [RedisRateLimitStore(url), RedisRateLimitStore(url)]
    try:
        key = f"verify:{uuid.uuid4().hex}"
        answers = await _hits(list(stores), key, 12)
        assert sum(allowed for allowed, _ in answers) == 5
        assert all(1 <= wait <= 60 for allowed, wait in answers if not allowed)
        assert await stores[0].store.expires_in(key) is not None  # forgotten after the window
    finally:
        for store in stores:
            await store.close()


@pytest.mark.parametrize("where", ["database", "redis"])
async def test_two_worker_processes_share_one_limit(db: str, tmp_path: Path, where: str) -> None:
    extra = {"TKA_VERIFY_RATE_LIMIT_PER_MINUTE": "6"}
    if where == "redis":
        # A database of its own, so counts of earlier runs cannot interfere.
        extra["TKA_REDIS_URL"] = redis_url().rsplit("/", 1)[0] + "/15"
        redis.Redis.from_url(extra["TKA_REDIS_URL"]).flushdb()
    env = tka_env(db, tmp_path / "data", **extra)
    with serving(env, "--workers", "2") as base_url:
        answers = []
        for _ in range(18):  # a new connection each time, so both processes answer
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                answers.append(await http.get("/api/v1/verify/x.y"))
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(200) == 6 and statuses.count(429) == 12, statuses
    assert all(1 <= int(a.headers["retry-after"]) <= 60 for a in answers if a.status_code == 429)
