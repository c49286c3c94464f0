"""Test fixtures: the same suite runs on SQLite and on PostgreSQL.

Choose the engine with ``TKA_TEST_DATABASE=sqlite`` (default) or ``postgres``. PostgreSQL is
reached at ``TKA_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``); each
test session works in a database of its own, created beside it and dropped at the end. When
PostgreSQL cannot be reached the tests fail under ``CI=true`` and are skipped otherwise.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import pytest
from litestar import Litestar

from tka_registry.app import create_app
from tka_registry.db import all_tables, bind, engine_for, is_sqlite, migrate
from tka_registry.listeners import connect_areas
from tka_registry.permits.current import drifted_workers
from tka_registry.permits.tables import VisaIndex
from tka_registry.settings import Settings, load_settings

ENGINE = os.environ.get("TKA_TEST_DATABASE", "sqlite").lower()
POSTGRES_URL = os.environ.get("TKA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
# The instant tests run at: 10:00 in Jakarta on 22 November 2026 (03:00 UTC).
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def pytest_report_header() -> str:
    return f"tka-registry test database: {ENGINE}"


async def _postgres_database() -> str:
    """Create a database of this session's own beside POSTGRES_URL; answers its URL."""
    name = f"tka_test_{uuid.uuid4().hex[:10]}"
    try:
        connection = await asyncpg.connect(POSTGRES_URL, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)", pytrace=False)
        pytest.skip(message + " (skipped outside CI)")
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


async def _drop_postgres_database(url: str) -> None:
    connection = await asyncpg.connect(POSTGRES_URL, timeout=5)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if ENGINE == "postgres":
        url = await _postgres_database()
    elif ENGINE == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'registry.sqlite3'}"
    else:
        raise pytest.UsageError(f"TKA_TEST_DATABASE must be sqlite or postgres, not {ENGINE}")
    engine = engine_for(url)
    bind(engine)
    await migrate(engine)
    yield url
    if ENGINE == "postgres":
        await _drop_postgres_database(url)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    return load_settings(
        environ={}, database_url=database_url, secret_key="test-secret", data_dir=data_dir
    )


async def _empty_tables() -> None:
    """Remove every row but the seeded reference data, so each test starts clean."""
    tables = [t for t in all_tables() if t is not VisaIndex]
    engine = tables[0]._meta.db
    if is_sqlite(engine):
        for table in reversed(tables):
            await table.delete(force=True)
    else:
        names = ", ".join(f'"{t._meta.tablename}"' for t in tables)
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """A migrated, empty database for one test, its areas connected as the app connects them."""
    connect_areas()
    bind(engine_for(database_url))
    await _empty_tables()
    yield database_url
    # Whatever the test wrote, every worker's copy of its current permit still agrees.
    drifted = await drifted_workers()
    assert not drifted, f"workers whose current-permit copy disagrees with the permits: {drifted}"


@pytest.fixture
def app(db: str, settings: Settings) -> Litestar:
    return create_app(settings, clock=lambda: NOW)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the test's own event loop, so the app's connection pool and the
    test's direct database calls share one loop (Litestar's AsyncTestClient runs the lifespan
    on a portal thread's loop, see shared/stack-notes.md)."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def serve() -> None:  # the lifespan is entered and left in this one task
        async with app.lifespan():
            started.set()
            await stop.wait()

    server = asyncio.create_task(serve())
    await asyncio.wait_for(started.wait(), timeout=30)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        stop.set()
        await server


@pytest.fixture
def artifacts() -> Iterator[Path]:
    """Where tests leave screenshots and rendered pages for a person to look at."""
    folder = Path(os.environ.get("TKA_TEST_ARTIFACTS", "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
