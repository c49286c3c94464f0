"""SQLite engine that keeps a few connections open for queries outside transactions.

Piccolo's SQLiteEngine opens a new connection, and with aiosqlite a new thread, for every query
run outside a transaction; at a few queries per request that dominates the request's time.
Transactions still get their own connection from Piccolo, unchanged.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import aiosqlite
from aiosqlite import Connection
from piccolo.engine.sqlite import SQLiteEngine, dict_factory


class ReusingSQLiteEngine(SQLiteEngine):
    def __init__(self, *args: Any, idle_connections: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idle_connections = idle_connections
        # Connections belong to the event loop that opened them.
        self._idle: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[Connection]] = (
            weakref.WeakKeyDictionary()
        )

    async def _open_idle_connection(self) -> Connection:
        """A connection whose worker thread does not keep the process alive at exit.

        Idle connections hold no transaction, so ending their threads with the process loses
        nothing; engines that are never closed (tests, short commands) still exit.
        """
        pending = aiosqlite.connect(**self.connection_kwargs)
        worker = getattr(pending, "_thread", None)
        if worker is not None:
            worker.daemon = True
        connection = await pending
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        idle = self._idle.setdefault(asyncio.get_running_loop(), [])
        connection = idle.pop() if idle else await self._open_idle_connection()
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                rows = await cursor.fetchall()
        except BaseException:
            await connection.close()
            raise
        if len(idle) < self.idle_connections:
            idle.append(connection)
        else:
            await connection.close()
        return rows

    async def close_idle_connections(self) -> None:
        idle = self._idle.pop(asyncio.get_running_loop(), [])
        for connection in idle:
            await connection.close()
