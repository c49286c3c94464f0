"""The "needs action" board read from one index (issue 17).

An employer's board (and the officer's) groups, counts and orders workers by their standing, read
from the worker's copy of its current permit. With every column the grouping, the filters and the
sort keys need in one index, the counts and the choice of a page's 50 ids are index-only scans;
only those 50 rows are then read from the table. PostgreSQL keeps the sort-only columns out of the
key (INCLUDE); SQLite has no INCLUDE and takes them as trailing key columns.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T17:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "worker board index"

KEY = "employer, permit_valid_until"
COVERED = "permit_valid_from, current_permit_id, name_folded, nationality, position, id"


class Worker(Table, tablename="worker"):
    pass


async def add_board_index() -> None:
    db = Worker._meta.db
    if db.engine_type == "sqlite":
        await db.run_ddl(f"CREATE INDEX worker_board ON worker ({KEY}, {COVERED})")
    else:
        await db.run_ddl(f"CREATE INDEX worker_board ON worker ({KEY}) INCLUDE ({COVERED})")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_board_index)
    return manager
