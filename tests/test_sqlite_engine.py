"""The SQLite engine: writes take turns on one connection, reads share a bounded pool in WAL."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from tka_registry.db import close_database, open_database, write_transaction
from tka_registry.sqlite_engine import PooledSQLiteEngine, reads_only


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1", True),
        ("  select count(*) FROM worker", True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", True),
        ("WITH RECURSIVE n(i) AS (SELECT 1) INSERT INTO t SELECT i FROM n", False),
        ('INSERT INTO "t" ("a") VALUES (1) RETURNING "id"', False),
        ("UPDATE t SET a = 1", False),
        ("PRAGMA journal_mode=WAL", False),
        ("CREATE TABLE t (a)", False),
    ],
)
def test_only_statements_that_cannot_write_go_to_readers(sql: str, expected: bool) -> None:
    assert reads_only(sql) is expected


@pytest.fixture
async def engine(tmp_path: Path) -> PooledSQLiteEngine:
    engine = PooledSQLiteEngine(path=str(tmp_path / "engine.sqlite3"), timeout=30, readers=2)
    await engine.run_ddl("PRAGMA journal_mode=WAL")
    await engine.run_ddl("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    await engine.run_ddl("INSERT INTO counter (id, n) VALUES (1, 0)")
    return engine


async def test_concurrent_read_then_write_transactions_take_turns(
    engine: PooledSQLiteEngine,
) -> None:
    opened = 0
    original = engine._open

    async def counting_open() -> object:
        nonlocal opened
        opened += 1
        return await original()

    engine._open = counting_open  # type: ignore[method-assign]

    async def increment() -> None:
        # Read, yield to the others, then write: without a queue these fail as "locked".
        async with write_transaction(engine):
            row = (await engine.run_ddl("SELECT n FROM counter WHERE id = 1"))[0]
            await asyncio.sleep(0)
            await engine.run_ddl(f"UPDATE counter SET n = {row['n'] + 1} WHERE id = 1")

    await asyncio.gather(*(increment() for _ in range(40)))
    assert (await engine.run_ddl("SELECT n FROM counter"))[0]["n"] == 40
    assert opened == 1  # one reader, for the read at the end (the writer is not pooled)
    await engine.close_connections()


async def test_reads_wait_for_a_free_reader_instead_of_opening_more(
    engine: PooledSQLiteEngine,
) -> None:
    results = await asyncio.gather(
        *(engine.run_ddl(f"SELECT {i} AS i, n FROM counter") for i in range(30))
    )
    assert [rows[0]["i"] for rows in results] == list(range(30))
    here = engine._here()
    assert here.readers_open == 2 and len(here.idle_readers) == 2
    await engine.close_connections()


async def test_reads_go_on_while_a_write_transaction_is_open(
    engine: PooledSQLiteEngine,
) -> None:
    inside, done = asyncio.Event(), asyncio.Event()

    async def slow_writer() -> None:
        async with write_transaction(engine):
            await engine.run_ddl("UPDATE counter SET n = 7 WHERE id = 1")
            inside.set()
            await done.wait()

    writer = asyncio.create_task(slow_writer())
    await inside.wait()
    # The reader sees the last committed value without waiting for the writer (WAL).
    seen = await asyncio.wait_for(engine.run_ddl("SELECT n FROM counter"), timeout=10)
    assert seen[0]["n"] == 0
    done.set()
    await writer
    assert (await engine.run_ddl("SELECT n FROM counter"))[0]["n"] == 7
    await engine.close_connections()


async def test_a_failed_write_rolls_back_and_frees_the_writer(engine: PooledSQLiteEngine) -> None:
    with pytest.raises(Exception, match="UNIQUE"):
        await engine.run_ddl("INSERT INTO counter (id, n) VALUES (1, 5)")
    with pytest.raises(RuntimeError):
        async with write_transaction(engine):
            await engine.run_ddl("UPDATE counter SET n = 99")
            raise RuntimeError("the change fails")
    await asyncio.wait_for(engine.run_ddl("UPDATE counter SET n = n + 1"), timeout=10)
    assert (await engine.run_ddl("SELECT n FROM counter"))[0]["n"] == 1


async def test_the_app_closes_its_connections(tmp_path: Path) -> None:
    engine = PooledSQLiteEngine(path=str(tmp_path / "app.sqlite3"), timeout=30)
    await open_database(engine)
    assert (await engine.run_ddl("PRAGMA journal_mode"))[0]["journal_mode"] == "wal"
    await close_database(engine)
    assert asyncio.get_running_loop() not in engine._loops


async def test_another_process_holding_the_file_makes_writes_wait_not_the_loop(
    engine: PooledSQLiteEngine, tmp_path: Path
) -> None:
    """The writer runs on the loop's thread with no busy timeout: while another process (here
    another connection) holds the write lock, a write and a transaction retry asynchronously,
    the loop keeps serving, and both go through once the lock is let go."""
    other = sqlite3.connect(tmp_path / "engine.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE counter SET n = 100 WHERE id = 1")

    async def transaction() -> None:
        async with write_transaction(engine):
            await engine.run_ddl("UPDATE counter SET n = n + 1 WHERE id = 1")

    write = asyncio.create_task(engine.run_ddl("UPDATE counter SET n = n + 10 WHERE id = 1"))
    inside = asyncio.create_task(transaction())
    ticks = 0
    for _ in range(20):  # 0.2 s in which the loop must keep running other work
        await asyncio.sleep(0.01)
        ticks += 1
    assert ticks == 20 and not write.done() and not inside.done()
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(asyncio.gather(write, inside), timeout=10)
    assert (await engine.run_ddl("SELECT n FROM counter WHERE id = 1"))[0]["n"] == 111
    await engine.close_connections()


async def test_a_point_read_sees_each_commit_at_once_without_a_reader(
    engine: PooledSQLiteEngine,
) -> None:
    """The token lookup reads on the loop's thread: it opens no reader, and a revocation
    committed a moment before is what it sees."""
    query = "SELECT n FROM counter WHERE id = ?"
    assert await engine.read_point(query, [1]) == [{"n": 0}]
    async with write_transaction(engine):
        await engine.run_ddl("UPDATE counter SET n = 5 WHERE id = 1")
        # Inside someone else's open write, the last committed value (WAL).
        assert await engine.read_point(query, [1]) == [{"n": 0}]
    assert await engine.read_point(query, [1]) == [{"n": 5}]
    here = engine._here()
    assert here.readers_open == 0
    await engine.close_connections()
    assert here.point_reader is not None
    with pytest.raises(sqlite3.ProgrammingError):  # closed with the rest
        here.point_reader.execute("SELECT 1")


async def test_a_point_read_of_a_busy_file_waits_on_a_reader(tmp_path: Path) -> None:
    """Without WAL (or in its rare recovery) a read can meet another connection's lock: the
    loop's thread must not wait for it, a reader does, as SQLite's busy handler would."""
    path = tmp_path / "journal.sqlite3"
    engine = PooledSQLiteEngine(path=str(path), timeout=30, readers=1)
    await engine.run_ddl("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    await engine.run_ddl("INSERT INTO counter (id, n) VALUES (1, 3)")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    read = asyncio.create_task(engine.read_point("SELECT n FROM counter WHERE id = ?", [1]))
    await asyncio.sleep(0.3)
    assert not read.done()  # waiting, and the loop is free meanwhile (this test runs on it)
    other.execute("COMMIT")
    other.close()
    assert await asyncio.wait_for(read, timeout=10) == [{"n": 3}]
    assert engine._here().readers_open == 1
    await engine.close_connections()
