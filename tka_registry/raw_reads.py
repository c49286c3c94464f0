"""Fixed read statements that every request runs, sent to the driver without Piccolo's query
builder.

``Table.raw`` builds a query object, compiles its ``{}`` placeholders on every call and, on
PostgreSQL, copies each asyncpg record into a dict: about 0.1 ms a statement before and after
the database's own work, on the token lookup and the worker list of every request
(bench/bench_workers.py). :func:`fetch_rows` takes the same SQL with the same ``{}``
placeholders, compiles each distinct text once and answers the driver's rows, read by column
name (``row["id"]``): asyncpg records on PostgreSQL, dicts on SQLite.

Like ``Table.raw`` it joins the task's open transaction, and otherwise reads on a pooled
connection (a reader on SQLite). Values always travel as parameters, never in the text.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, cast

from piccolo.table import Table

from tka_registry.sqlite_engine import PooledSQLiteEngine

Row = Mapping[str, Any]


@functools.lru_cache(maxsize=512)
def native_sql(sql: str, engine_type: str) -> tuple[str, int]:
    """``sql`` with its ``{}`` placeholders in the driver's style (``$1``... or ``?``), and how
    many there are."""
    pieces = sql.split("{}")
    count = len(pieces) - 1
    if engine_type == "sqlite":
        return "?".join(pieces), count
    numbered = [f"{piece}${index}" for index, piece in enumerate(pieces[:-1], start=1)]
    return "".join(numbered) + pieces[-1], count


async def fetch_rows(
    table: type[Table], sql: str, *arguments: Any, point: bool = False
) -> Sequence[Row]:
    """The rows of the read statement ``sql`` on ``table``'s engine, one value per ``{}``.

    ``point`` says the statement reads a few rows by a unique key: SQLite then runs it on the
    event loop's thread (PooledSQLiteEngine.read_point) instead of a reader's."""
    engine: Any = table._meta.db
    text, expected = native_sql(sql, engine.engine_type)
    if expected != len(arguments):
        raise ValueError(f"{expected} placeholders but {len(arguments)} values in {sql[:80]!r}")
    transaction = engine.current_transaction.get()
    if engine.engine_type == "sqlite":
        if transaction:
            rows = await engine._run_in_existing_connection(
                transaction.connection, text, list(arguments)
            )
        elif point and isinstance(engine, PooledSQLiteEngine):
            rows = await engine.read_point(text, list(arguments))
        else:
            rows = await engine._run_in_new_connection(text, list(arguments))
    elif transaction:
        rows = await transaction.connection.fetch(text, *arguments)
    elif engine.pool:
        async with engine.pool.acquire() as connection:
            rows = await connection.fetch(text, *arguments)
    else:
        rows = await engine._run_in_new_connection(text, list(arguments))
    return cast(Sequence[Row], rows)
