"""A permit's first valid day apart from the day it was issued (issue 14).

``permit.issued_on`` stays the day the permit was decided and issued ("Tanggal Terbit");
``permit.valid_from`` is its first valid day ("Berlaku Dari"), which may come later. Permits
on record so far began on the day they were issued. The worker's copy of its current permit
gains the first day too (``worker.permit_valid_from``), so "valid on day D" counts
``permit_valid_from <= D <= permit_valid_until`` from one index. Plain SQL that SQLite and
PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "permit valid from"


class Permit(Table, tablename="permit"):
    pass


STATEMENTS = [
    "ALTER TABLE permit ADD COLUMN valid_from DATE",
    "UPDATE permit SET valid_from = issued_on",
    "ALTER TABLE worker ADD COLUMN permit_valid_from DATE",
    # The first day of the worker's unbroken stay (permits.state.coverage_from): a renewal
    # issued while the permit it renews still ran hands over from that permit's first day.
    "UPDATE worker SET permit_valid_from = (SELECT CASE WHEN pp.id IS NOT NULL"
    " AND pp.revoked_on IS NULL AND pp.expires_on >= p.issued_on AND pp.valid_from < p.valid_from"
    " THEN pp.valid_from ELSE p.valid_from END"
    " FROM permit p LEFT JOIN permit pp ON pp.id = p.supersedes"
    " WHERE p.worker = worker.id AND p.is_current AND p.revoked_on IS NULL)",
    # Valid on day D: permit_valid_until >= D (the range) and permit_valid_from <= D, both
    # answered from the index, grouped by nationality without reading the table.
    "CREATE INDEX worker_valid_on_nationality"
    " ON worker (permit_valid_until, permit_valid_from, nationality)",
    "DROP INDEX worker_valid_until_nationality",
]


# A verification's outcome may now be "not_yet_valid" (13 letters). SQLite does not enforce a
# VARCHAR length (and cannot alter a column's type); PostgreSQL does.
WIDEN_OUTCOME = "ALTER TABLE verification ALTER COLUMN outcome TYPE VARCHAR(20)"


async def add_valid_from() -> None:
    db = Permit._meta.db
    for statement in STATEMENTS:
        await db.run_ddl(statement)
    if db.engine_type != "sqlite":
        await db.run_ddl(WIDEN_OUTCOME)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_valid_from)
    return manager
