"""A bulk import defers the search index's refresh on insert (PostgreSQL): with
``SET LOCAL tka.search_deferred = 'on'`` the statement triggers of worker, passport and permit
skip their refresh, and the import refreshes each batch's workers once (they were refreshed
three times: the worker, its passport, its permit). SQLite's row triggers are unchanged."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T32:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "search refresh deferred by a bulk import"


class Worker(Table, tablename="worker"):
    pass


POSTGRES = [
    "CREATE OR REPLACE FUNCTION worker_search_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$"
    " DECLARE targets integer[]; BEGIN"
    " IF current_setting('tka.search_deferred', true) = 'on' THEN RETURN NULL; END IF;"
    " EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', TG_ARGV[0]) INTO targets;"
    " PERFORM worker_search_refresh(targets); RETURN NULL; END $$",
]


async def defer_search_refresh() -> None:
    db = Worker._meta.db
    if db.engine_type == "sqlite":
        return
    for statement in POSTGRES:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(defer_search_refresh)
    return manager
