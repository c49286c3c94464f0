"""Indexes for the intelligence section's queries (bench/bench_intelligence.py measures them).

Plain ``CREATE INDEX`` statements, partial where a query reads only live current permits; SQLite
and PostgreSQL both accept them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T07:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "intelligence query indexes"


class Worker(Table, tablename="worker"):
    pass


INDEXES = [
    # A filtered list page (one regency, one nationality, by name) read in index order.
    "CREATE INDEX IF NOT EXISTS worker_regency_nationality_name"
    " ON worker (regency, nationality, name_folded, id)",
    # Counts of valid permits join each worker to its live current permit: both sides
    # answer from indexes alone (the worker's nationality beside its current permit id).
    "CREATE INDEX IF NOT EXISTS worker_current_permit_nationality"
    " ON worker (current_permit_id, nationality)",
    "CREATE INDEX IF NOT EXISTS permit_live_current"
    " ON permit (id, expires_on) WHERE is_current AND revoked_on IS NULL",
]


async def create_indexes() -> None:
    db = Worker._meta.db
    for statement in INDEXES:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    return manager
