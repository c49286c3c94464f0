"""The registry's SQLite engine against the bare driver, statement by statement.

    python bench/bench_sqlite_engine.py [--rounds 2000]

A fresh migrated database in a temporary folder; each statement runs through the engine
(``Worker.raw``: a pooled reader outside transactions, the one writer inside them) and, as the
floor, through ``sqlite3`` on the calling thread (no trip to another thread at all). Prints
microseconds per read and per transaction of five statements, and their ratio to the floor. The
engine's cost above the floor is mostly the trips to aiosqlite's thread: one per statement.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tka_registry.db import bind, engine_for, migrate, open_database, write_transaction
from tka_registry.workers.tables import Worker

SQL = "SELECT id FROM worker LIMIT 1"


def floor(path: Path, rounds: int) -> tuple[float, float]:
    """Microseconds per read and per five-statement transaction with ``sqlite3`` directly."""
    connection = sqlite3.connect(path, isolation_level=None)
    started = time.perf_counter()
    for _ in range(rounds):
        connection.execute(SQL).fetchall()
    read = (time.perf_counter() - started) / rounds * 1e6
    started = time.perf_counter()
    for _ in range(rounds // 5):
        connection.execute("BEGIN IMMEDIATE")
        for _ in range(5):
            connection.execute(SQL).fetchall()
        connection.execute("COMMIT")
    transaction = (time.perf_counter() - started) / (rounds // 5) * 1e6
    connection.close()
    return read, transaction


async def through_engine(url: str, rounds: int) -> tuple[float, float]:
    engine = engine_for(url)
    bind(engine)
    await open_database(engine)
    started = time.perf_counter()
    for _ in range(rounds):
        await Worker.raw(SQL)
    read = (time.perf_counter() - started) / rounds * 1e6
    started = time.perf_counter()
    for _ in range(rounds // 5):
        async with write_transaction(engine):
            for _ in range(5):
                await Worker.raw(SQL)
    transaction = (time.perf_counter() - started) / (rounds // 5) * 1e6
    return read, transaction


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    arguments = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="tka-bench-engine-")) / "bench.sqlite3"
    url = f"sqlite:///{path}"
    asyncio.run(migrate(engine_for(url)))
    floors, engines = [], []
    for _ in range(3):  # interleaved, so both see the same machine load
        floors.append(floor(path, arguments.rounds))
        engines.append(asyncio.run(through_engine(url, arguments.rounds)))
    for index, name in enumerate(("read", "transaction of 5 statements")):
        bare = statistics.median(f[index] for f in floors)
        ours = statistics.median(e[index] for e in engines)
        print(
            f"  {name:<28} engine {ours:8.0f} us   sqlite3 bare {bare:8.0f} us"
            f"   ratio {ours / bare:5.1f}x"
        )


if __name__ == "__main__":
    main()
