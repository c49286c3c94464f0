"""The one place that turns a database URL into a Piccolo engine, runs migrations and opens
write transactions."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, cast

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from tka_registry.postgres_engine import TimedPostgresEngine
from tka_registry.security.private_files import create_private
from tka_registry.settings import sqlite_path
from tka_registry.sqlite_engine import PooledSQLiteEngine

os.environ.setdefault("PICCOLO_CONF", "tka_registry.piccolo_conf")

# A row clashed with a unique index or a constraint, on either engine.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


def all_tables() -> list[type[Table]]:
    """Every table of the registry, parents before children."""
    from tka_registry.accounts.tables import AccessToken, Account
    from tka_registry.alerts.tables import AlertRun, Reminder
    from tka_registry.applications.tables import Application, ApplicationEvent, Attachment
    from tka_registry.audit.tables import AuditEntry, AuditPendingRead
    from tka_registry.documents.tables import (
        IssuedLetter,
        LetterCounter,
        ManualCode,
        SigningKey,
        StoredDocument,
        Verification,
    )
    from tka_registry.employers.tables import Employer
    from tka_registry.notifications.tables import Notification
    from tka_registry.permits.tables import Permit, VisaIndex
    from tka_registry.second_home.tables import SecondHomeCase, SecondHomeDependant
    from tka_registry.security.tables import RateLimit
    from tka_registry.storage.tables import FileBlob, PendingUpload
    from tka_registry.workers.tables import Passport, Worker

    return [
        Employer,
        Worker,
        Passport,
        VisaIndex,
        Permit,
        Account,
        AccessToken,
        AuditEntry,
        AuditPendingRead,
        Application,
        ApplicationEvent,
        Attachment,
        StoredDocument,
        Verification,
        Reminder,
        AlertRun,
        SecondHomeCase,
        SecondHomeDependant,
        SigningKey,
        LetterCounter,
        IssuedLetter,
        ManualCode,
        FileBlob,
        PendingUpload,
        RateLimit,
        Notification,
    ]


def engine_for(
    database_url: str, *, statement_timeout_ms: int | None = None, acquire_timeout_ms: int = 5000
) -> Engine[Any]:
    """A Piccolo engine for ``sqlite:///file`` or ``postgresql://user@host:port/db``.

    With ``statement_timeout_ms`` (the app: TKA_DB_STATEMENT_TIMEOUT_MS) a PostgreSQL statement
    is cancelled after that long and a request waits at most ``acquire_timeout_ms`` for a pooled
    connection; without it (commands, migrations) nothing times out.
    """
    path = sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private(path)  # SQLite gives its WAL and shared-memory files the same mode
        return PooledSQLiteEngine(path=str(path), timeout=30)
    if database_url.startswith(("postgresql://", "postgres://")):
        if statement_timeout_ms is not None:
            return TimedPostgresEngine(
                database_url,
                statement_timeout_ms=statement_timeout_ms,
                acquire_timeout_ms=acquire_timeout_ms,
                extensions=(),
                log_queries=False,
            )
        return PostgresEngine(config={"dsn": database_url}, extensions=(), log_queries=False)
    raise ValueError(
        f"TKA_DATABASE_URL must start with sqlite:/// or postgresql://, got {database_url!r}"
    )


def bind(engine: Engine[Any]) -> None:
    """Point every table, and Piccolo's migration machinery, at ``engine``."""
    from piccolo.apps.migrations.tables import Migration

    from tka_registry import piccolo_conf

    piccolo_conf.DB = engine
    tables: list[type[Table]] = [*all_tables(), Migration]
    for table in tables:
        table._meta.db = engine


def is_sqlite(engine: Engine[Any]) -> bool:
    return engine.engine_type == "sqlite"


async def drop_not_null(engine: Engine[Any], table: str, columns: Sequence[str]) -> None:
    """Let ``columns`` of ``table`` hold NULL, with NULL as their default (for migrations;
    ``table`` and ``columns`` are the code's own names, never input).

    SQLite cannot alter a column; dropping NOT NULL and changing a default are the edits its
    documentation allows on the stored schema text, in one transaction with the schema version
    bumped (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes").
    """
    if not is_sqlite(engine):
        for column in columns:
            await engine.run_ddl(
                f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP NOT NULL, '
                f'ALTER COLUMN "{column}" SET DEFAULT NULL'
            )
        return
    async with engine.transaction():
        found = await engine.run_ddl(
            f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"  # noqa: S608
        )
        sql = found[0]["sql"]
        for column in columns:
            definition = re.search(
                rf'"{column}" [A-Z]+(\(\d+\))?( UNIQUE)? NOT NULL DEFAULT [^,)\s]+', sql
            )
            if definition is None:
                raise RuntimeError(f"{table}.{column}: no NOT NULL column definition to change")
            loose = re.sub(r" NOT NULL DEFAULT [^,)\s]+$", " DEFAULT NULL", definition.group(0))
            sql = sql.replace(definition.group(0), loose)
        version = (await engine.run_ddl("PRAGMA schema_version"))[0]["schema_version"]
        await engine.run_ddl("PRAGMA writable_schema = ON")
        quoted = sql.replace("'", "''")
        await engine.run_ddl(
            f"UPDATE sqlite_master SET sql = '{quoted}' WHERE type = 'table' AND name = '{table}'"  # noqa: S608
        )
        await engine.run_ddl(f"PRAGMA schema_version = {int(version) + 1}")
        await engine.run_ddl("PRAGMA writable_schema = OFF")


# Rows a bulk load writes before its statistics are refreshed at once: autovacuum would analyze
# the tables within a minute or so, and until then the planner counts a table of 100,000 workers
# as the one it last saw (the worker list at 100,000 on PostgreSQL: 11.9 ms before, 6.8 after).
BULK_ROWS = 1000


async def refresh_statistics(engine: Engine[Any], rows: int) -> None:
    """After a bulk load of ``rows`` rows, let PostgreSQL's planner see it (``ANALYZE``).
    SQLite keeps no statistics unless asked and the registry's SQLite plans were tuned without
    them, so nothing changes there."""
    if rows >= BULK_ROWS and not is_sqlite(engine):
        await engine.run_ddl("ANALYZE")


async def open_database(engine: Engine[Any], *, pool_size: int = 10) -> None:
    """Start what the engine needs: WAL on SQLite, a connection pool on PostgreSQL."""
    bind(engine)
    if is_sqlite(engine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    else:
        await cast(PostgresEngine, engine).start_connection_pool(min_size=1, max_size=pool_size)


async def close_database(engine: Engine[Any]) -> None:
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_connections()
    elif not is_sqlite(engine):
        await cast(PostgresEngine, engine).close_connection_pool()


# Work to do once the outermost write transaction of this task has committed (after_commit).
_after_commit: ContextVar[list[Callable[[], Awaitable[None]]] | None] = ContextVar(
    "after_commit", default=None
)


@asynccontextmanager
async def write_transaction(engine: Engine[Any]) -> AsyncIterator[None]:
    """One transaction for a change; joins the surrounding one when already inside it.

    SQLite takes the write lock up front (immediate) so concurrent read-then-write requests
    wait their turn instead of failing with "database is locked". Work queued with
    :func:`after_commit` runs once the outermost transaction has committed, and never after a
    rollback.
    """
    if engine.transaction_exists():
        yield
        return
    if is_sqlite(engine):
        transaction = cast(SQLiteEngine, engine).transaction(
            transaction_type=TransactionType.immediate
        )
    else:
        transaction = engine.transaction()
    pending: list[Callable[[], Awaitable[None]]] = []
    token = _after_commit.set(pending)
    try:
        async with transaction:
            yield
    finally:
        _after_commit.reset(token)
    for work in pending:
        await work()


async def after_commit(work: Callable[[], Awaitable[None]]) -> None:
    """Run ``work`` once the surrounding write transaction commits; now when there is none.

    For slow work that must not hold the write lock (rendering a document after an approval),
    and that must not happen at all when the change is rolled back.
    """
    pending = _after_commit.get()
    if pending is None:
        await work()
    else:
        pending.append(work)


async def migrate(engine: Engine[Any]) -> list[str]:
    """Apply every pending migration in ``migrations/``; answers the ids applied."""
    from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager
    from piccolo.apps.migrations.tables import Migration

    from tka_registry.piccolo_app import APP_CONFIG

    bind(engine)
    await Migration.create_table(if_not_exists=True)
    before = set(await Migration.get_migrations_which_ran(app_name=APP_CONFIG.app_name))
    manager = ForwardsMigrationManager(app_name=APP_CONFIG.app_name)
    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo narrates each step
        result = await manager.run_migrations(APP_CONFIG)
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}")
    after = set(await Migration.get_migrations_which_ran(app_name=APP_CONFIG.app_name))
    return sorted(after - before)


# --- whole-database work (backup and restore) ------------------------------------------------


async def table_names(engine: Engine[Any]) -> list[str]:
    """Every table in the database, as the database lists it."""
    if is_sqlite(engine):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    return sorted(row["name"] for row in await engine.run_ddl(sql))


@asynccontextmanager
async def consistent_snapshot(engine: Engine[Any]) -> AsyncIterator[Engine[Any]]:
    """An engine whose reads all see one moment of the database, while others keep writing.

    SQLite: a copy made with the online backup API, read from a private file; PostgreSQL: one
    read-only REPEATABLE READ transaction.
    """
    if is_sqlite(engine):
        import sqlite3
        import tempfile

        source_path = cast(SQLiteEngine, engine).path
        with tempfile.TemporaryDirectory(prefix="tka-snapshot-") as folder:
            copy = Path(folder) / "snapshot.sqlite3"

            def take() -> None:
                source, target = sqlite3.connect(source_path), sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    source.close()
                    target.close()

            await asyncio.to_thread(take)
            snapshot = PooledSQLiteEngine(path=str(copy), timeout=30)
            try:
                yield snapshot
            finally:
                await snapshot.close_connections()
        return
    async with engine.transaction():
        await engine.run_ddl("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield engine


async def reset_id_sequences(engine: Engine[Any], tables: list[str]) -> None:
    """After rows were inserted with their ids: new rows continue after the highest id."""
    if is_sqlite(engine):
        return  # INTEGER PRIMARY KEY continues after the highest id by itself
    for name in tables:  # names from the database's own catalogue
        sequence = f"pg_get_serial_sequence('\"{name}\"', 'id')"
        highest = f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1'  # noqa: S608
        await engine.run_ddl(f"SELECT setval({sequence}, {highest}, false)")
