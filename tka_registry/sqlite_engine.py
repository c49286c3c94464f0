"""SQLite engine for a server: one writer connection per process, a bounded pool of readers.

Piccolo's SQLiteEngine opens a new connection (and aiosqlite thread) for every query and every
transaction; under concurrency its write transactions met in SQLite's busy handler, which polls
with sleeps, and the p99 of a request grew to seconds. Here, per event loop:

- one writer connection: every transaction and every statement that may write waits its turn
  on an ``asyncio.Lock`` (a FIFO queue in the event loop, no polling) and runs on it, on the
  event loop's own thread (:class:`InlineWriter`);
- at most ``readers`` reader connections for statements that only read, outside transactions;
  in WAL mode they read beside the writer, and a read waits for a free reader rather than
  opening more;
- one point reader for reads of a few rows by a unique key (:meth:`read_point`), on the event
  loop's own thread like the writer.

A reader's statement is one trip to its connection's thread (``execute_fetchall``). The writer
makes none: a write transaction holds the writer across all its statements, and on a busy event
loop every trip back waited behind other requests' work (under 32 clients a five-statement write
held the writer 21 ms for well under 1 ms of SQL, and writes queued for 400 ms). Its statements
take microseconds (bench/bench_sqlite_engine.py); it never waits on the loop's thread for
another process's lock: its busy timeout is zero, and a busy file is retried asynchronously.

Other processes on the same file still meet through SQLite's own locking (``timeout``).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiosqlite
from aiosqlite import Connection
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)

# A statement that only reads: a SELECT, or a WITH that writes nothing, or EXPLAIN.
_READ_ONLY = re.compile(r"\s*(SELECT|EXPLAIN)\b", re.IGNORECASE)
_WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def reads_only(sql: str) -> bool:
    """True when ``sql`` cannot change the database (so a reader connection may run it)."""
    if _READ_ONLY.match(sql):
        return True
    return bool(_WITH.match(sql)) and not _WRITES.search(sql)


# Above this many values a writer statement is bulk work and runs in a thread.
BULK_PARAMETERS = 100


class InlineWriter:
    """The writer connection, used on the event loop's own thread: the awaitable surface of
    aiosqlite's ``Connection`` that Piccolo's transactions and this engine use, without the
    trips to a thread. Starting a write while another process holds the file answers
    SQLITE_BUSY at once (busy timeout zero, so the loop never blocks on it): the statement is
    tried again after a pause, up to ``patience`` seconds, as SQLite's busy handler would."""

    def __init__(self, connection: sqlite3.Connection, patience: float) -> None:
        self._connection = connection
        self._patience = patience

    @property
    def in_transaction(self) -> bool:
        return self._connection.in_transaction

    async def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return await self._run(lambda: self._connection.execute(sql, parameters), parameters)

    async def execute_fetchall(self, sql: str, parameters: Any = ()) -> list[Any]:
        work = lambda: self._connection.execute(sql, parameters).fetchall()  # noqa: E731
        return await self._run(work, parameters)

    async def commit(self) -> None:
        self._connection.commit()

    async def rollback(self) -> None:
        self._connection.rollback()

    async def close(self) -> None:
        self._connection.close()

    async def _run(self, work: Callable[[], Any], parameters: Any = ()) -> Any:
        loop = asyncio.get_running_loop()
        # A bulk statement (an import's batch of rows) runs in a thread: it takes long enough to
        # stall every other request on the loop, and the driver lets go of the GIL meanwhile.
        # The writer's lock keeps the connection to one user at a time either way.
        bulk = len(parameters) > BULK_PARAMETERS
        deadline, pause = loop.time() + self._patience, 0.001
        while True:
            # Only a statement that starts a transaction (or is one) may wait: inside one, a
            # busy answer would not clear by waiting (WAL's snapshot), so it is the caller's.
            starting = not self._connection.in_transaction
            try:
                return await asyncio.to_thread(work) if bulk else work()
            except sqlite3.OperationalError as error:
                busy = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
                if not (busy and starting) or loop.time() >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)


@dataclass
class _Connections:
    """The connections of one event loop."""

    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    writer: InlineWriter | None = None
    idle_readers: list[Connection] = field(default_factory=list)
    point_reader: sqlite3.Connection | None = None
    readers_open: int = 0
    reader_freed: asyncio.Condition = field(default_factory=asyncio.Condition)


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with one queued writer and ``readers`` pooled readers."""

    def __init__(self, *args: Any, readers: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.readers = readers
        # Connections and locks belong to the event loop that opened them.
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Connections] = (
            weakref.WeakKeyDictionary()
        )

    def _here(self) -> _Connections:
        loop = asyncio.get_running_loop()
        connections = self._loops.get(loop)
        if connections is None:
            connections = self._loops[loop] = _Connections()
        return connections

    async def _open(self) -> Connection:
        """A connection whose thread does not keep the process alive at exit.

        Connections outside a transaction hold none, so ending their threads with the process
        loses nothing; engines that are never closed (tests, short commands) still exit.
        """
        pending = aiosqlite.connect(**self.connection_kwargs)
        worker = getattr(pending, "_thread", None)
        if worker is not None:
            worker.daemon = True
        connection = await pending
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    @property
    def pool_use(self) -> tuple[int, int]:
        """(connections in use, connections open) of this event loop: the writer and readers."""
        connections = self._loops.get(asyncio.get_running_loop())
        if connections is None:
            return 0, 0
        readers_busy = connections.readers_open - len(connections.idle_readers)
        writer_busy = 1 if connections.write_lock.locked() else 0
        writer_open = 1 if connections.writer is not None else 0
        return readers_busy + writer_busy, connections.readers_open + writer_open

    # The writer ---------------------------------------------------------------------------

    def _open_writer(self) -> InlineWriter:
        options = dict(self.connection_kwargs)
        patience = float(options.pop("timeout", 5.0))
        # Used by one task at a time (the writer's lock), on the loop's thread or, for bulk
        # statements, on a worker thread.
        connection = sqlite3.connect(**options, timeout=0, check_same_thread=False)
        connection.row_factory = dict_factory
        connection.execute("PRAGMA foreign_keys = 1")
        return InlineWriter(connection, patience)

    async def acquire_writer(self) -> tuple[InlineWriter, Callable[[], None]]:
        """The writer connection, once every write queued before this one is done.

        Answers the connection and the function that hands it to the next in the queue.
        """
        connections = self._here()
        await connections.write_lock.acquire()
        try:
            if connections.writer is None:
                connections.writer = self._open_writer()
        except BaseException:
            connections.write_lock.release()
            raise
        return connections.writer, connections.write_lock.release

    async def _write(self, query: str, args: list[Any]) -> Any:
        connection, release = await self.acquire_writer()
        try:
            rows = await connection.execute_fetchall(query, args)
            await connection.commit()
            return rows
        except BaseException:
            if connection.in_transaction:
                await asyncio.shield(connection.rollback())
            raise
        finally:
            release()

    # The readers --------------------------------------------------------------------------

    async def _acquire_reader(self, connections: _Connections) -> Connection:
        async with connections.reader_freed:
            while not connections.idle_readers and connections.readers_open >= self.readers:
                await connections.reader_freed.wait()
            if connections.idle_readers:
                return connections.idle_readers.pop()
            connections.readers_open += 1
        try:
            return await self._open()
        except BaseException:
            await self._forget_reader(connections)
            raise

    async def _forget_reader(self, connections: _Connections) -> None:
        async with connections.reader_freed:
            connections.readers_open -= 1
            connections.reader_freed.notify()

    async def _read(self, query: str, args: list[Any]) -> Any:
        connections = self._here()
        connection = await self._acquire_reader(connections)
        try:
            rows = await connection.execute_fetchall(query, args)
        except sqlite3.Error:
            await self._release_reader(connections, connection)
            raise
        except BaseException:  # cancelled, or the connection broke: do not lend it again
            await asyncio.shield(self._close_reader(connections, connection))
            raise
        await self._release_reader(connections, connection)
        return rows

    async def _release_reader(self, connections: _Connections, connection: Connection) -> None:
        async with connections.reader_freed:
            connections.idle_readers.append(connection)
            connections.reader_freed.notify()

    async def _close_reader(self, connections: _Connections, connection: Connection) -> None:
        try:
            await connection.close()
        finally:
            await self._forget_reader(connections)

    # Point reads --------------------------------------------------------------------------

    async def read_point(self, query: str, args: list[Any]) -> Any:
        """A read of a few rows by a unique key (the token lookup of every request), on the
        event loop's own thread: a reader's trip to its thread costs about 70 us, the read 6 us.
        In WAL mode a read waits for no lock; should the file answer busy all the same, the read
        goes to a reader, which waits as SQLite does."""
        connections = self._here()
        if connections.point_reader is None:
            options = dict(self.connection_kwargs)
            options.pop("timeout", None)
            connections.point_reader = sqlite3.connect(**options, timeout=0)
            connections.point_reader.row_factory = dict_factory
        try:
            return connections.point_reader.execute(query, args).fetchall()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY:
                raise
        return await self._read(query, args)

    # Piccolo's entry points ---------------------------------------------------------------

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        """A statement outside any transaction: on a reader when it only reads."""
        if reads_only(query):
            return await self._read(query, args or [])
        return await self._write(query, args or [])

    async def _run_in_existing_connection(
        self,
        connection: Connection | InlineWriter,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        """A statement inside a transaction (Piccolo's re-sends a PRAGMA before each one)."""
        return await connection.execute_fetchall(query, args or [])

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        """Every transaction runs on the writer, in its turn (the registry's all write)."""
        return WriterTransaction(self, transaction_type, allow_nested)

    async def close_connections(self) -> None:
        """Close this event loop's connections (the app's shutdown)."""
        connections = self._loops.pop(asyncio.get_running_loop(), None)
        if connections is None:
            return
        for connection in connections.idle_readers:
            await connection.close()
        if connections.point_reader is not None:
            connections.point_reader.close()
        async with connections.write_lock:
            if connections.writer is not None:
                await connections.writer.close()


class WriterTransaction(SQLiteTransaction):
    """A transaction on the engine's writer connection, which it hands on when it ends."""

    __slots__ = ("_release",)
    engine: PooledSQLiteEngine

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self.connection, self._release = await self.engine.acquire_writer()
        try:
            await self.begin()
        except BaseException:
            self._release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is None and not self._committed and not self._rolled_back:
                try:
                    await self.commit()
                except BaseException:
                    await asyncio.shield(self._rollback_open())
                    raise
            elif exception is not None and not self._rolled_back:
                await asyncio.shield(self._rollback_open())
        finally:
            self.engine.current_transaction.reset(self.context)
            self._release()
        return exception is None

    async def _rollback_open(self) -> None:
        if self.connection.in_transaction:
            await self.rollback()
