"""The PostgreSQL engine's pool hands connections back without a reset round trip: safe only
while nothing leaves session state on a connection, which these tests hold the code to."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from tests.conftest import ENGINE
from tka_registry.db import BULK_ROWS, engine_for, refresh_statistics
from tka_registry.postgres_engine import ReturningTransaction, TimedPostgresEngine
from tka_registry.workers.tables import Worker

PACKAGE = Path(__file__).resolve().parent.parent / "tka_registry"

# SQL that outlives its transaction on a connection: a plain SET (SET LOCAL ends with the
# transaction), set_config(..., false), a session advisory lock, LISTEN, a cursor WITH HOLD.
SESSION_STATE = re.compile(
    r"""\(\s*f?["']\s*(?i:set)\s+(?!(?i:local|transaction)\b)"""
    r"|(?i:set_config)\s*\([^)]*,\s*(?i:false)"
    r"|(?i:pg_(try_)?advisory_lock(_shared)?)\s*\("
    r"|\(\s*f?[\"']\s*(?i:listen)\b"
    r"|(?i:\bwith\s+hold\b)"
)


def test_the_registry_leaves_no_session_state_on_a_connection() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SESSION_STATE.search(line)
    ]
    assert not found, "session state would leak to the next request on a pooled connection:\n" + (
        "\n".join(found)
    )


@pytest.mark.parametrize(
    "line",
    [
        'await connection.execute("SET statement_timeout = 0")',
        "await Reminder.raw('SET search_path TO x')",
        "await x.raw(\"SELECT set_config('a.b', '1', false)\")",
        'await x.raw("SELECT pg_advisory_lock(7)")',
        'await x.raw("LISTEN alerts")',
        '_fetch("DECLARE c CURSOR WITH HOLD FOR SELECT 1", [])',
    ],
)
def test_the_scan_recognises_session_state(line: str) -> None:
    assert SESSION_STATE.search(line)


@pytest.mark.parametrize(
    "line",
    [
        'await Reminder.raw("SET LOCAL jit = off")',
        'await x.raw("SELECT pg_advisory_xact_lock({})", key)',
        '"UPDATE worker SET name = {}"',
    ],
)
def test_the_scan_lets_transaction_scoped_state_pass(line: str) -> None:
    assert not SESSION_STATE.search(line)


@pytest.mark.skipif(ENGINE != "postgres", reason="the PostgreSQL pool")
async def test_a_released_connection_comes_back_without_its_open_transaction(db: str) -> None:
    engine = engine_for(db, statement_timeout_ms=30_000)
    assert isinstance(engine, TimedPostgresEngine)
    await engine.start_connection_pool(min_size=1, max_size=1)
    try:
        async with engine.pool.acquire() as connection:
            await connection.execute("CREATE TEMPORARY TABLE IF NOT EXISTS probe (n int)")
            await connection.execute("BEGIN")
            await connection.execute("SET LOCAL statement_timeout = 1234")
            await connection.execute("INSERT INTO probe VALUES (1)")
        # One connection in the pool: the same one, its transaction rolled back on release.
        async with engine.pool.acquire() as connection:
            assert not connection.is_in_transaction()
            assert await connection.fetchval("SELECT count(*) FROM probe") == 0
            assert await connection.fetchval("SHOW statement_timeout") != "1234ms"
    finally:
        await engine.close_connection_pool()


async def _analyzed() -> int:
    rows = await Worker.raw(
        "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'worker'"
    )
    return int(rows[0]["analyze_count"])


@pytest.mark.skipif(ENGINE != "postgres", reason="PostgreSQL's planner statistics")
async def test_a_bulk_load_refreshes_the_planner_statistics_and_a_small_one_does_not(
    db: str,
) -> None:
    engine = Worker._meta.db
    before = await _analyzed()
    await refresh_statistics(engine, BULK_ROWS - 1)
    assert await _analyzed() == before
    await refresh_statistics(engine, BULK_ROWS)
    assert await _analyzed() == before + 1


class _CommitCancelled(ReturningTransaction):
    """A transaction whose task is cancelled while COMMIT is on its way."""

    async def commit(self) -> None:
        raise asyncio.CancelledError


class _BeginCancelled(ReturningTransaction):
    async def begin(self) -> None:
        raise asyncio.CancelledError


@pytest.mark.skipif(ENGINE != "postgres", reason="the PostgreSQL pool")
@pytest.mark.parametrize("transaction", [_CommitCancelled, _BeginCancelled])
async def test_a_transaction_cancelled_in_begin_or_commit_gives_its_connection_back(
    db: str, transaction: type[ReturningTransaction]
) -> None:
    engine = engine_for(db, statement_timeout_ms=30_000)
    assert isinstance(engine, TimedPostgresEngine)
    await engine.start_connection_pool(min_size=1, max_size=1)
    try:
        with pytest.raises(asyncio.CancelledError):
            async with transaction(engine=engine):
                await engine.run_ddl("SELECT 1")
        # The pool's one connection is free again (Piccolo's own transaction kept it).
        async with asyncio.timeout(5):
            async with engine.pool.acquire() as connection:
                assert not connection.is_in_transaction()
    finally:
        async with asyncio.timeout(5):
            await engine.close_connection_pool()
