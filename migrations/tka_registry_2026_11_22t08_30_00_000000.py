"""The worker's current permit's last day (``worker.permit_valid_until``), for statistics.

Counts of workers holding a valid permit read ``permit_valid_until >= today`` from one index on
the worker table instead of joining a million workers to their permits (issue 6;
bench/bench_intelligence.py). The column is filled from the permits here and kept by
``tka_registry.permits.current.refresh_current_permits``. Plain SQL that SQLite and PostgreSQL
both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T08:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "worker permit valid until"


class Worker(Table, tablename="worker"):
    pass


STATEMENTS = [
    "ALTER TABLE worker ADD COLUMN permit_valid_until DATE",
    "UPDATE worker SET permit_valid_until = (SELECT p.expires_on FROM permit p"
    " WHERE p.worker = worker.id AND p.is_current AND p.revoked_on IS NULL)",
    # Counts by nationality of valid permits, and expiries ahead, answer from this index alone.
    "CREATE INDEX worker_valid_until_nationality ON worker (permit_valid_until, nationality)",
]


async def add_valid_until() -> None:
    db = Worker._meta.db
    for statement in STATEMENTS:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_valid_until)
    return manager
