"""PostgreSQL engine that never waits for ever: a statement timeout, a connect timeout and a
pool acquire timeout (asyncpg has none of these unless given; a frozen or exhausted database
would otherwise hang every request)."""

from __future__ import annotations

from typing import Any

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction


class _TimedPool:
    """An asyncpg pool whose ``acquire`` gives up after ``timeout`` seconds."""

    def __init__(self, pool: Any, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        return self._pool.acquire(timeout=timeout or self._timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


async def keep_session(connection: Any) -> None:
    """A pool connection's reset on release: nothing beyond what asyncpg always does (roll back
    an open transaction, drop listeners). Its default also sends ``RESET ALL``, ``CLOSE ALL``,
    ``UNLISTEN *`` and ``pg_advisory_unlock_all()``: a round trip on every release, inside the
    request, undoing session state the registry never sets (its settings are ``SET LOCAL``, its
    locks ``pg_advisory_xact_lock``; tests/test_postgres_engine.py holds the code to that)."""


class ReturningTransaction(PostgresTransaction):
    """Piccolo's transaction, but its connection goes back to the pool whatever happens.

    Piccolo releases the connection after a successful commit or rollback only: a task
    cancelled during ``BEGIN``, ``COMMIT`` or ``ROLLBACK`` (a client that went away, the read
    sealer stopped at shutdown) kept its connection for ever, and the pool's ``close`` then
    waited for it for ever. asyncpg rolls back whatever is left open when it takes a
    connection back."""

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._give_back()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            await self._give_back()
            self.engine.current_transaction.reset(self.context)
        return exception is None

    async def _give_back(self) -> None:
        if self.engine.pool:
            await self.engine.pool.release(self.connection)
        else:
            await self.connection.close()


class TimedPostgresEngine(PostgresEngine):
    def __init__(
        self, dsn: str, *, statement_timeout_ms: int, acquire_timeout_ms: int, **kwargs: Any
    ) -> None:
        seconds = statement_timeout_ms / 1000
        config = {
            "dsn": dsn,
            # The server cancels a statement after this; the client gives up a second later
            # (a frozen server never answers the cancel).
            "server_settings": {"statement_timeout": str(statement_timeout_ms)},
            "command_timeout": seconds + 1,
            "timeout": min(acquire_timeout_ms / 1000, 10),  # to open a connection
        }
        super().__init__(config=config, **kwargs)
        self.acquire_timeout = acquire_timeout_ms / 1000

    @property
    def pool_use(self) -> tuple[int, int]:
        """(connections in use, pool size now), (0, 0) without a pool."""
        if not self.pool:
            return 0, 0
        size = self.pool.get_size()
        return size - self.pool.get_idle_size(), size

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return ReturningTransaction(engine=self, allow_nested=allow_nested)

    async def start_connection_pool(self, **kwargs: Any) -> None:
        kwargs.setdefault("reset", keep_session)
        await super().start_connection_pool(**kwargs)
        if self.pool and not isinstance(self.pool, _TimedPool):
            self.pool = _TimedPool(self.pool, self.acquire_timeout)
