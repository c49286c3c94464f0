"""Outages: errors that say the database or the storage is away, full or too slow, rather
than a fault of the registry. They answer 503 with ``Retry-After``, never 500, and their
tracebacks are logged once per interval per kind with a count (:class:`ThrottledLog`).
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
import time
from enum import StrEnum

import asyncpg

# Seconds a client is told to wait before trying again.
RETRY_AFTER_SECONDS = 5
# A kind of traceback is logged at most once in this many seconds (then with a count).
LOG_INTERVAL_SECONDS = 60.0

_STORAGE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO}
# SQLite says why in words only (sqlite3.OperationalError).
_SQLITE_STORAGE = ("database or disk is full", "readonly database", "disk i/o error")
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file")


class Outage(StrEnum):
    DATABASE = "database"
    STORAGE = "storage"


# PostgreSQL unreachable, shutting down, refusing connections, or a statement cancelled by
# TKA_DB_STATEMENT_TIMEOUT_MS; asyncpg's own errors for a closed connection or pool.
_DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, cannot connect now, cancel
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    ConnectionError,
    TimeoutError,  # pool acquire and command timeouts (asyncio.TimeoutError is TimeoutError)
)
_STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.DiskFullError,
    asyncpg.exceptions.ReadOnlySQLTransactionError,
)


def outage_of(error: BaseException) -> Outage | None:
    """The outage ``error`` shows, or None for an ordinary fault (answered 500)."""
    if isinstance(error, _STORAGE_ERRORS):
        return Outage.STORAGE
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if any(words in text for words in _SQLITE_STORAGE):
            return Outage.STORAGE
        if any(words in text for words in _SQLITE_UNAVAILABLE):
            return Outage.DATABASE
        return None
    if isinstance(error, _DATABASE_ERRORS):
        return Outage.DATABASE
    if isinstance(error, OSError) and error.errno in _STORAGE_ERRNOS:
        return Outage.STORAGE
    if isinstance(error, OSError) and error.errno in {errno.ECONNREFUSED, errno.EHOSTUNREACH}:
        return Outage.DATABASE
    cause = error.__cause__ or error.__context__
    return outage_of(cause) if cause is not None and cause is not error else None


class ThrottledLog:
    """Logs the first error of a kind with its traceback, then only a count once per interval.

    A kind is the error's class and the place it was seen (for example an outage and a route),
    so 800 failing requests in ten seconds make one traceback and one count, not 800.
    """

    def __init__(self, logger: logging.Logger, interval: float = LOG_INTERVAL_SECONDS) -> None:
        self.logger = logger
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}

    def error(self, kind: str, message: str, error: BaseException) -> bool:
        """Log ``message`` with ``error``'s traceback unless one of ``kind`` was logged within
        the interval (then count it). Answers whether it was logged."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self.interval:
                self._suppressed[kind] = self._suppressed.get(kind, 0) + 1
                return False
            self._last[kind] = now
            suppressed = self._suppressed.pop(kind, 0)
        if suppressed and last is not None:
            message += f" ({suppressed} more like this in the last {now - last:.0f} s)"
        self.logger.error(message, exc_info=error)
        return True


def kind_of(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"
