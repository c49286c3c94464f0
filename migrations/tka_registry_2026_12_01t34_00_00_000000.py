"""Records to complete counted from small partial indexes (issues 17 and 18).

The officer's home shows how many gaps the registry holds (rules.completeness.GAPS). Counting
them read the worker and passport tables whole on every visit (38-114 ms at 100,000 workers);
an index of only the records lacking a field holds a handful of rows, and counting it costs
nothing. The conditions are those of ``Gap.sql`` at the time of writing (a text field is missing
when NULL or empty); both engines take partial indexes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T34:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "partial indexes of records to complete"

# (table, field, stored empty rather than NULL)
GAPS = [
    ("employer", "nib", False),
    ("employer", "npwp", False),
    ("employer", "address", True),
    ("employer", "regency", True),
    ("employer", "sector", True),
    ("passport", "issued_on", False),
    ("passport", "expires_on", False),
    ("worker", "place_of_birth", True),
    ("worker", "address", True),
]


class Worker(Table, tablename="worker"):
    pass


async def add_gap_indexes() -> None:
    db = Worker._meta.db
    for table, field, is_text in GAPS:
        missing = f"({field} IS NULL OR {field} = '')" if is_text else f"{field} IS NULL"
        await db.run_ddl(f"CREATE INDEX {table}_lacks_{field} ON {table} (id) WHERE {missing}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_gap_indexes)
    return manager
